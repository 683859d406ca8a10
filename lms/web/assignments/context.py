"""What every page needs about assignments: the learner's open count (nav) and a notice's text."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import gettext
from flask_login import current_user

from lms.db import db_session
from lms.domain.assignments.assigning import open_count
from lms.domain.assignments.reminders import NOTICE_TEXT
from lms.models import Notification


def notice_text(notice: Notification) -> str:
    """A notice in the reader's language."""
    template = NOTICE_TEXT.get(notice.kind)
    return gettext(template, **notice.params) if template else ""


def _assignment_count() -> dict[str, Any]:
    def count() -> int:
        if not current_user.is_authenticated:
            return 0
        return open_count(db_session(), current_user.id)

    return {"open_assignment_count": count}


def init_app(app: Flask) -> None:
    app.jinja_env.globals["notice_text"] = notice_text
    app.context_processor(_assignment_count)
