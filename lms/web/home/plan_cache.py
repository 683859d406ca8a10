"""The programme's plan (courses, lessons, quizzes as the Today page lists them), kept per app
process: read again when its fingerprint changes (the programme, a course, lesson or quiz edited,
published or retired), and at least once a minute. Every learner's Today page shares it."""

from __future__ import annotations

from flask import current_app
from sqlalchemy.orm import Session

from lms.domain.curriculum.programme import Plan, Schedule, load_plan, plan_fingerprint
from lms.web.kept_value import KeptValue

MAX_AGE = 60.0


def cached_plan(session: Session, schedule: Schedule) -> Plan:
    """The plan through this app's cache."""
    kept: KeptValue[Plan] = current_app.extensions.setdefault("lms.plan_cache", KeptValue())
    return kept.get(lambda: plan_fingerprint(session), lambda: load_plan(session, schedule), MAX_AGE)[0]
