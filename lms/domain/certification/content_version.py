"""The content a certification required, as versions: what a certificate records when it is issued,
and what a "what changed" refresher compares against.

A snapshot holds the required courses' versions, their active lessons' hashes, the required quizzes'
questions (the version each stood at), the rule book's version and the script library's entries
(hashes) — a few kilobytes, taken in five queries.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.domain.certification.golive import GoLiveRules
from lms.models import Course, FaqEntry, Lesson, Question, RuleBookVersion


def snapshot(session: Session, rules: GoLiveRules) -> dict[str, Any]:
    """The versions of everything the go-live certification requires, now."""
    course_ids = [c.id for c in rules.courses.values()]
    quiz_ids = [q.id for q in rules.quizzes.values()]
    lessons = session.execute(
        select(Lesson.id, Lesson.content_hash).where(
            Lesson.course_id.in_(course_ids), Lesson.active.is_(True)
        )
    ).all()
    questions = session.execute(
        select(Question.id, Question.current_version_id).where(
            Question.quiz_id.in_(quiz_ids), Question.active.is_(True)
        )
    ).all()
    book = session.execute(
        select(RuleBookVersion.id, RuleBookVersion.version).order_by(RuleBookVersion.version.desc()).limit(1)
    ).one_or_none()
    faq = session.execute(select(FaqEntry.key, FaqEntry.content_hash).where(FaqEntry.active.is_(True))).all()
    return {
        "courses": {c.slug: f"{c.version_major}.{c.version_minor}" for c in rules.courses.values()},
        "lessons": {str(i): h for i, h in lessons},
        "questions": {str(i): v for i, v in questions},
        "rulebook": {"id": book.id, "version": book.version} if book is not None else None,
        "faq": {k: h for k, h in faq},
    }


def course_major(snap: dict[str, Any], course: Course) -> int | None:
    """The major version of a course the snapshot recorded (None: not recorded)."""
    version = (snap.get("courses") or {}).get(course.slug)
    try:
        return int(str(version).split(".")[0]) if version else None
    except ValueError:
        return None
