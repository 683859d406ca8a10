"""Recertify only what changed: when content a certification required changes, its holders get a
short refresher of exactly the changed items, due in `[go_live] changed_due_days`.

What counts (compared with the content the certificate was earned on, or last refreshed to):
- a required course's **major** revision: its lessons whose text changed (or are new), and the
  questions of its quizzes at a new version. A minor revision changes nothing.
- a changed **rule** of the rule book (added, edited or removed): the rule itself, and the required
  lessons and questions whose text uses one of its phrases (before or after the change).
- a changed **script-library entry** (new or edited).

The refresher is one course assignment (trigger "changed") carrying the items; reading the listed
lessons closes it (`assignments.assigning.close_for_course`), or, without lessons, the learner's
"I have read the changes". Claimed once per certificate and content state. A refresher missed past
its due date moves the certificate to expiring (`lapses_at`), and doing it later restores it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from lms.domain.assignments.automatic import assign_once
from lms.domain.certification.content_version import snapshot
from lms.domain.certification.golive import GoLiveRules, go_live_rules
from lms.domain.certification.validity import validity_of
from lms.models import (
    Assignment,
    Certificate,
    Course,
    Lesson,
    Question,
    QuestionVersion,
    RuleBookVersion,
    User,
)
from lms.models.certification import GO_LIVE

BASELINE = "content_baseline"


@dataclass
class Changes:
    """What changed for one holder since their baseline."""

    lessons: list[int] = field(default_factory=list)
    questions: list[int] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    entries: list[str] = field(default_factory=list)
    courses: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.lessons or self.questions or self.rules or self.entries)

    def as_json(self) -> dict[str, Any]:
        return {
            "lessons": self.lessons,
            "questions": self.questions,
            "rules": self.rules,
            "entries": self.entries,
            "courses": self.courses,
        }


@dataclass
class ChangedRun:
    """What one pass did."""

    assigned: int = 0
    lapsed: int = 0
    restored: int = 0


def _digest(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def _major(version: str | None) -> int:
    try:
        return int(str(version).split(".")[0])
    except ValueError:
        return 0


class _Content:
    """The required content now, loaded once per run (lesson texts, question texts, rule books)."""

    def __init__(self, session: Session, rules: GoLiveRules) -> None:
        self.session = session
        self.rules = rules
        self.now = snapshot(session, rules)
        course_ids = [c.id for c in rules.courses.values()]
        self.lessons = {
            lesson_id: (course_id, position, body)
            for lesson_id, course_id, position, body in session.execute(
                select(Lesson.id, Lesson.course_id, Lesson.position, Lesson.body).where(
                    Lesson.course_id.in_(course_ids), Lesson.active.is_(True)
                )
            )
        }
        quiz_ids = [q.id for q in rules.quizzes.values()]
        self.questions = {
            question_id: (quiz_id, f"{text}\n{json.dumps(body, ensure_ascii=False)}")
            for question_id, quiz_id, text, body in session.execute(
                select(Question.id, Question.quiz_id, QuestionVersion.text, QuestionVersion.body)
                .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
                .where(Question.quiz_id.in_(quiz_ids), Question.active.is_(True))
            )
        }
        self.quiz_course = {q.id: q.course_id for q in rules.quizzes.values()}
        self._books: dict[int, dict[str, Any]] = {}

    def book(self, row_id: int) -> dict[str, Any]:
        """A rule-book version's rules by id (loaded once)."""
        if row_id not in self._books:
            rules = (
                self.session.scalar(select(RuleBookVersion.rules).where(RuleBookVersion.id == row_id)) or {}
            )
            self._books[row_id] = {r["id"]: r for r in rules.get("rules", [])}
        return self._books[row_id]

    def changes_since(self, base: dict[str, Any]) -> Changes:
        """Exactly what changed between `base` (a snapshot) and now."""
        changes = Changes()
        lessons: set[int] = set()
        questions: set[int] = set()
        revised = {
            course.id
            for slug, course in self.rules.courses.items()
            if _major(self.now["courses"].get(slug)) > _major((base.get("courses") or {}).get(slug))
            and slug in (base.get("courses") or {})
        }
        changes.courses = sorted(c.slug for c in self.rules.courses.values() if c.id in revised)
        old_lessons = base.get("lessons") or {}
        for lesson_id, (course_id, _pos, _body) in self.lessons.items():
            if (
                course_id in revised
                and old_lessons.get(str(lesson_id)) != self.now["lessons"][str(lesson_id)]
            ):
                lessons.add(lesson_id)
        old_questions = base.get("questions") or {}
        for question_id, (quiz_id, _text) in self.questions.items():
            if (
                self.quiz_course.get(quiz_id) in revised
                and old_questions.get(str(question_id)) != self.now["questions"][str(question_id)]
            ):
                questions.add(question_id)
        then, now = base.get("rulebook"), self.now.get("rulebook")
        if then and now and then.get("id") != now.get("id"):
            before, after = self.book(then["id"]), self.book(now["id"])
            changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
            changes.rules = changed
            phrases = {
                p
                for key in changed
                for rule in (before.get(key), after.get(key))
                if rule
                for p in rule.get("phrases", [])
                if p
            }
            lessons.update(i for i, (_c, _p, body) in self.lessons.items() if any(p in body for p in phrases))
            questions.update(i for i, (_q, text) in self.questions.items() if any(p in text for p in phrases))
        old_faq = base.get("faq") or {}
        if old_faq:
            changes.entries = sorted(k for k, h in self.now["faq"].items() if old_faq.get(k) != h)
        order = {
            c.id: n
            for n, c in enumerate(
                self.rules.courses[s] for s in self.rules.course_slugs if s in self.rules.courses
            )
        }
        changes.lessons = sorted(
            lessons, key=lambda i: (order.get(self.lessons[i][0], 99), self.lessons[i][1], i)
        )
        changes.questions = sorted(questions)
        return changes

    def carrier(self, changes: Changes) -> Course | None:
        """The course the refresher is filed under: the first with a changed lesson; for script-library
        entries the course teaching the library (topic "faq"); else the first required course."""
        ordered = [self.rules.courses[s] for s in self.rules.course_slugs if s in self.rules.courses]
        with_lessons = {self.lessons[i][0] for i in changes.lessons}
        for course in ordered:
            if course.id in with_lessons:
                return course
        if changes.entries:
            for course in ordered:
                if "faq" in (course.topics or []):
                    return course
        return ordered[0] if ordered else None


def baseline_of(cert: Certificate) -> dict[str, Any] | None:
    """The content the holder last knew: the last refresher's, else what the certificate was earned on."""
    return (cert.evidence or {}).get(BASELINE) or cert.content_version


def assign_what_changed(session: Session, now: dt.datetime) -> ChangedRun:
    """Give every live holder whose required content changed a refresher of exactly those items (once)."""
    run = ChangedRun()
    rules = go_live_rules(session)
    validity = validity_of(session)
    if rules is None:
        return run
    content = _Content(session, rules)
    certs = session.scalars(
        select(Certificate)
        .join(User, User.id == Certificate.user_id)
        .where(Certificate.kind == GO_LIVE, validity.live(now), User.active.is_(True))
        .order_by(Certificate.id)
    ).all()
    target = _digest(content.now)
    for cert in certs:
        base = baseline_of(cert)
        if not base:
            # Certified before versions were recorded: today's content is where comparing starts.
            cert.evidence = {**(cert.evidence or {}), BASELINE: content.now}
            continue
        changes = content.changes_since(base)
        if not changes:
            continue
        course = content.carrier(changes)
        if course is None:
            continue
        assignment = assign_once(
            session,
            f"changed:{cert.id}:{cert.cycle}:{target}",
            cert.user_id,
            trigger="changed",
            course=course,
            due_on=now.date() + dt.timedelta(days=validity.changed_due_days),
            reason=_reason(changes),
            now=now,
            evidence={
                "certificate": cert.code,
                **{k: len(v) for k, v in changes.as_json().items() if k != "courses"},
            },
            items=changes.as_json(),
        )
        evidence = dict(cert.evidence or {})
        evidence[BASELINE] = content.now
        cert.evidence = evidence
        if assignment is not None:
            run.assigned += 1
    session.flush()
    return run


def _reason(changes: Changes) -> str:
    parts = []
    if changes.courses:
        parts.append(f"课程大版本更新 course revised: {', '.join(changes.courses)}")
    if changes.rules:
        parts.append(f"规则变更 rules changed: {', '.join(changes.rules[:10])}")
    if changes.entries:
        parts.append(f"话术库更新 script entries changed: {len(changes.entries)}")
    return ("变更复习 What changed — " + "; ".join(parts))[:500]


def lapse_missed_refreshers(session: Session, now: dt.datetime) -> ChangedRun:
    """A "what changed" refresher past its due date moves the certificate to expiring (it ends
    `expiring_days` later unless the refresher is done); done, the certificate is whole again."""
    run = ChangedRun()
    validity = validity_of(session)
    overdue = select(Assignment.user_id).where(
        Assignment.trigger == "changed", Assignment.closed_at.is_(None), Assignment.due_on < now.date()
    )
    lapsed = session.execute(
        update(Certificate)
        .where(
            Certificate.kind == GO_LIVE,
            Certificate.revoked_at.is_(None),
            Certificate.lapses_at.is_(None),
            Certificate.user_id.in_(overdue),
        )
        .values(lapses_at=now + dt.timedelta(days=validity.expiring_days))
        .returning(Certificate.id)
    ).all()
    run.lapsed = len(lapsed)
    pending = select(Assignment.user_id).where(
        Assignment.trigger == "changed", Assignment.closed_at.is_(None)
    )
    restored = session.execute(
        update(Certificate)
        .where(
            Certificate.kind == GO_LIVE,
            Certificate.lapses_at.is_not(None),
            Certificate.lapses_at > now,
            Certificate.user_id.not_in(pending),
        )
        .values(lapses_at=None)
        .returning(Certificate.id)
    ).all()
    run.restored = len(restored)
    return run
