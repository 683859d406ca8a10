"""The programme's plan (courses, lessons, quizzes as the Today page lists them), kept per app
process: read again when its fingerprint changes (the programme, a course, lesson or quiz edited,
published or retired), and at least once a minute. Every learner's Today page shares it."""

from __future__ import annotations

import threading
import time

from flask import current_app
from sqlalchemy.orm import Session

from lms.domain.curriculum.programme import Plan, Schedule, load_plan, plan_fingerprint

MAX_AGE = 60.0


class PlanCache:
    """One saved Plan with its fingerprint and the time it was read; safe across threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._saved: tuple[tuple[object, ...], float, Plan] | None = None

    def get(self, session: Session, schedule: Schedule) -> Plan:
        """The plan: the saved one while nothing it shows changed, else read now and saved."""
        mark = plan_fingerprint(session)
        with self._lock:
            saved = self._saved
        if saved and saved[0] == mark and time.monotonic() - saved[1] < MAX_AGE:
            return saved[2]
        fresh = load_plan(session, schedule)
        with self._lock:
            self._saved = (mark, time.monotonic(), fresh)
        return fresh


def cached_plan(session: Session, schedule: Schedule) -> Plan:
    """The plan through this app's cache."""
    cache = current_app.extensions.setdefault("lms.plan_cache", PlanCache())
    return cache.get(session, schedule)
