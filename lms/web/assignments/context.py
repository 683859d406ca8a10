"""What pages need about assignments: a notice's text, and the lessons a "what changed" refresher
lists (the learner's open count is in the navigation, lms/web/navigation.py)."""

from __future__ import annotations

from flask import Flask
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import defer, joinedload

from lms.db import db_session
from lms.domain.assignments.reminders import NOTICE_TEXT
from lms.models import Assignment, Lesson, Notification


def notice_text(notice: Notification) -> str:
    """A notice in the reader's language."""
    template = NOTICE_TEXT.get(notice.kind)
    return gettext(template, **notice.params) if template else ""


def listed_lessons(assignments: list[Assignment]) -> dict[int, Lesson]:
    """The lessons "what changed" refreshers list, by id, with their courses (one query for the list)."""
    ids = {i for a in assignments for i in ((a.items or {}).get("lessons") or [])}
    if not ids:
        return {}
    return {
        lesson.id: lesson
        for lesson in db_session().scalars(
            select(Lesson).where(Lesson.id.in_(ids)).options(joinedload(Lesson.course), defer(Lesson.body))
        )
    }


def init_app(app: Flask) -> None:
    app.jinja_env.globals["notice_text"] = notice_text
    app.jinja_env.globals["listed_lessons"] = listed_lessons
