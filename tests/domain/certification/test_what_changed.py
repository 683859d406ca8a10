"""Recertify only what changed: a changed rule, a course's major revision, a script-library entry."""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
import tomllib
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.domain.assignments.refreshers import assign_refreshers
from lms.domain.certification.content_version import snapshot
from lms.domain.certification.golive import go_live_rules
from lms.domain.certification.validity import EXPIRING, VALID, status_of
from lms.domain.certification.what_changed import assign_what_changed, lapse_missed_refreshers
from lms.domain.learning.lessons import mark_done
from lms.models import Assignment, Certificate, Lesson, Question, QuestionVersion, User
from tests.concurrency import run_in_parallel
from tests.domain.curriculum.test_sync import _copy_curriculum, _sync
from tests.factories import UserFactory

NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)  # before the real clock: lessons are read "now"
RULE = "absolute-unique"


def _holder(db: Session, *, revoked: bool = False) -> tuple[User, Certificate]:
    rules = go_live_rules(db)
    assert rules is not None
    user = UserFactory()
    db.flush()
    cert = Certificate(
        user_id=user.id,
        kind="go-live",
        code=secrets.token_urlsafe(12),
        issued_at=NOW - dt.timedelta(days=20),
        evidence={},
        content_version=snapshot(db, rules),
        revoked_at=NOW if revoked else None,
    )
    db.add(cert)
    db.commit()
    return user, cert


def _edit_rule(root: Path) -> set[str]:
    """Add a phrase to one rule; returns the rule's phrases before and after."""
    path = root / "courses" / "compliance.toml"
    text = path.read_text(encoding="utf-8")
    before = next(r for r in tomllib.loads(text)["rules"] if r["id"] == RULE)["phrases"]
    edited = re.sub(r'(id = "absolute-unique"\n(?:.*\n)*?phrases = \[)', r'\1"独有", ', text, count=1)
    assert edited != text
    path.write_text(edited, encoding="utf-8")
    return {*before, "独有"}


def _expected(db: Session, phrases: set[str]) -> tuple[list[int], list[int]]:
    rules = go_live_rules(db)
    assert rules is not None
    lessons = [
        i
        for i, body in db.execute(
            select(Lesson.id, Lesson.body).where(
                Lesson.course_id.in_([c.id for c in rules.courses.values()]), Lesson.active.is_(True)
            )
        )
        if any(p in body for p in phrases)
    ]
    questions = [
        i
        for i, text, body in db.execute(
            select(Question.id, QuestionVersion.text, QuestionVersion.body)
            .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
            .where(Question.quiz_id.in_([q.id for q in rules.quizzes.values()]), Question.active.is_(True))
        )
        if any(p in f"{text}\n{json.dumps(body, ensure_ascii=False)}" for p in phrases)
    ]
    return sorted(lessons), sorted(questions)


def test_a_changed_rule_assigns_exactly_the_affected_items_to_exactly_the_holders(
    db: Session, tmp_path: Path
) -> None:
    root = _copy_curriculum(tmp_path)
    _sync(db, root)
    holder, _cert = _holder(db)
    other_holder, _c2 = _holder(db)
    _revoked, _c3 = _holder(db, revoked=True)
    bystander = UserFactory()
    db.commit()
    assert assign_what_changed(db, NOW).assigned == 0  # nothing changed yet
    phrases = _edit_rule(root)
    _sync(db, root)
    run = assign_what_changed(db, NOW)
    db.commit()
    assert run.assigned == 2
    assignments = db.scalars(select(Assignment).order_by(Assignment.user_id)).all()
    assert [a.user_id for a in assignments] == sorted([holder.id, other_holder.id])
    assert bystander.id not in {a.user_id for a in assignments}
    lessons, questions = _expected(db, phrases)
    assert lessons  # the rule is taught somewhere
    for a in assignments:
        assert a.trigger == "changed" and a.source == "revision" and a.reason
        assert a.items is not None
        assert a.items["rules"] == [RULE]
        assert sorted(a.items["lessons"]) == lessons and sorted(a.items["questions"]) == questions
        assert a.items["entries"] == [] and a.items["courses"] == []
        assert a.due_on == NOW.date() + dt.timedelta(days=14)
    # Once: a second run (and a parallel one) assigns nothing more.
    assert assign_what_changed(db, NOW).assigned == 0
    db.commit()


def test_reading_the_listed_lessons_closes_it_and_missing_it_moves_the_certificate_to_expiring(
    db: Session, tmp_path: Path
) -> None:
    root = _copy_curriculum(tmp_path)
    _sync(db, root)
    holder, cert = _holder(db)
    late, late_cert = _holder(db)
    _edit_rule(root)
    _sync(db, root)
    assign_what_changed(db, NOW)
    db.commit()
    mine = db.scalars(select(Assignment).where(Assignment.user_id == holder.id)).one()
    assert mine.items is not None
    for lesson_id in mine.items["lessons"]:
        lesson = db.get(Lesson, lesson_id)
        assert lesson is not None
        mark_done(db, holder, lesson)
    db.commit()
    db.refresh(mine)
    assert mine.closed_how == "completed"
    overdue = NOW + dt.timedelta(days=15)
    run = lapse_missed_refreshers(db, overdue)
    db.commit()
    assert run.lapsed == 1
    db.refresh(late_cert)
    db.refresh(cert)
    assert status_of(db, late_cert, overdue).state == EXPIRING and status_of(db, cert, overdue).state == VALID
    # Done late but before the certificate ran out: it is whole again.
    theirs = db.scalars(select(Assignment).where(Assignment.user_id == late.id)).one()
    for lesson_id in theirs.items["lessons"]:
        mark_done(db, late, db.get(Lesson, lesson_id))
    db.commit()
    assert lapse_missed_refreshers(db, overdue + dt.timedelta(days=1)).restored == 1
    db.commit()
    db.refresh(late_cert)
    assert late_cert.lapses_at is None and status_of(db, late_cert, overdue).state == VALID


def test_a_certificate_from_before_versions_were_recorded_starts_comparing_from_today(
    db: Session, tmp_path: Path
) -> None:
    root = _copy_curriculum(tmp_path)
    _sync(db, root)
    _holder_of_old, cert = _holder(db)
    cert.content_version = None
    db.commit()
    assert assign_what_changed(db, NOW).assigned == 0  # nothing to compare with: a baseline is set
    db.commit()
    _edit_rule(root)
    _sync(db, root)
    assert assign_what_changed(db, NOW).assigned == 1


def test_a_minor_revision_changes_nothing_and_a_major_one_only_its_changed_lessons(
    db: Session, tmp_path: Path
) -> None:
    root = _copy_curriculum(tmp_path)
    _sync(db, root)
    holder, _cert = _holder(db)
    course_dir = root / "courses" / "house-rules"
    course_file = course_dir / "course.toml"
    lesson_file = sorted(p for p in course_dir.glob("0*.md") if not p.name.endswith(".en.md"))[0]
    version = re.search(r'^version = "([0-9]+)\.([0-9]+)"$', course_file.read_text(encoding="utf-8"), re.M)
    assert version is not None
    major, minor = int(version.group(1)), int(version.group(2))

    def bump(to: str) -> None:
        text = course_file.read_text(encoding="utf-8")
        course_file.write_text(
            re.sub(r'^version = "[0-9.]+"$', f'version = "{to}"', text, count=1, flags=re.M), encoding="utf-8"
        )

    lesson_file.write_text(
        lesson_file.read_text(encoding="utf-8") + "\n补充：请保持耐心。\n", encoding="utf-8"
    )
    bump(f"{major}.{minor + 1}")
    _sync(db, root)
    assert assign_what_changed(db, NOW).assigned == 0
    db.commit()
    bump(f"{major + 1}.0")
    _sync(db, root)
    mark_done(db, holder, db.scalars(select(Lesson).where(Lesson.slug == lesson_file.stem)).first())
    db.commit()
    # The whole-course refresher of a major revision is not for a holder: they get only what changed.
    assign_refreshers(db, NOW, 14)
    db.commit()
    assert db.scalar(select(func.count()).select_from(Assignment)) == 0
    assert assign_what_changed(db, NOW).assigned == 1
    db.commit()
    a = db.scalars(select(Assignment)).one()
    changed = db.scalars(select(Lesson).where(Lesson.id.in_(a.items["lessons"]))).all()
    assert [lesson.slug for lesson in changed] == [lesson_file.stem]
    assert a.items["courses"] == ["house-rules"] and a.course is not None and a.course.slug == "house-rules"


def test_parallel_runs_assign_once(app: Flask, db: Session, tmp_path: Path) -> None:
    root = _copy_curriculum(tmp_path)
    _sync(db, root)
    _holder(db)
    _holder(db)
    _edit_rule(root)
    _sync(db, root)
    errors = run_in_parallel(app, 4, lambda s: assign_what_changed(s, NOW))
    assert errors == []
    assert db.scalar(select(func.count()).select_from(Assignment)) == 2
