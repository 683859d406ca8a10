"""The programme's schedule, its plan (courses, lessons, quizzes as the Today page lists them) and its
go-live rules (the quizzes, courses, lesson counts and practice chats the gate counts), kept per app
process: read again when their fingerprint changes (the programme, a course, lesson, quiz or
practice chat edited, published or retired), and at least once a minute. Every learner's Today page,
the cohort matrix and the trainer's desk share them."""

from __future__ import annotations

import copy
from dataclasses import replace

from flask import current_app
from sqlalchemy.orm import Session

from lms.domain.certification.golive import GoLiveRules, go_live_rules, plain_copy
from lms.domain.curriculum.programme import Plan, Schedule, load_plan, load_schedule, plan_fingerprint
from lms.domain.learning.lesson_pages import LessonPage, read_lesson_page
from lms.web.kept_value import KeptValue

MAX_AGE = 60.0


def cached_schedule(session: Session) -> Schedule | None:
    """The programme's schedule through this app's cache (None before `lms content sync`). It is
    shared between requests: read it, never change it."""
    kept: KeptValue[Schedule | None] = current_app.extensions.setdefault("lms.schedule_cache", KeptValue())

    def load() -> Schedule | None:
        # The ladder is copied once here, not on every parse: the lesson reader parses the schedule
        # on each view and only asks whether working ahead is allowed.
        schedule = load_schedule(session)
        return replace(schedule, tiers=copy.deepcopy(schedule.tiers)) if schedule else None

    return kept.get(lambda: plan_fingerprint(session), load, MAX_AGE)[0]


def cached_plan(session: Session, schedule: Schedule) -> Plan:
    """The plan through this app's cache."""
    kept: KeptValue[Plan] = current_app.extensions.setdefault("lms.plan_cache", KeptValue())
    return kept.get(lambda: plan_fingerprint(session), lambda: load_plan(session, schedule), MAX_AGE)[0]


def cached_gate_rules(session: Session, schedule: Schedule) -> GoLiveRules | None:
    """The go-live rules through this app's cache, as plain copies (None before `lms content sync`)."""
    kept: KeptValue[GoLiveRules | None] = current_app.extensions.setdefault(
        "lms.gate_rules_cache", KeptValue()
    )

    def load() -> GoLiveRules | None:
        rules = go_live_rules(session, schedule)
        return plain_copy(rules) if rules is not None else None

    return kept.get(lambda: plan_fingerprint(session), load, MAX_AGE)[0]


#: The most lesson pages a process keeps (a curriculum has a few dozen; only found lessons are kept).
LESSON_PAGES = 512


def cached_lesson_page(session: Session, course_slug: str, lesson_slug: str) -> LessonPage:
    """The lesson reader's page through this app's cache (NotFound when there is no such lesson, which
    is never kept): read again when the plan's fingerprint changes (a lesson or course edited,
    published or retired) and at least once a minute. Shared between requests: never change it."""
    pages: dict[tuple[str, str], KeptValue[LessonPage]] = current_app.extensions.setdefault(
        "lms.lesson_pages", {}
    )
    key = (course_slug, lesson_slug)
    kept = pages.get(key) or KeptValue()
    page = kept.get(
        lambda: plan_fingerprint(session),
        lambda: read_lesson_page(session, course_slug, lesson_slug),
        MAX_AGE,
    )[0]
    if key not in pages:  # found: kept from now on (a slug that names nothing raised above)
        if len(pages) >= LESSON_PAGES:
            pages.clear()
        pages[key] = kept
    return page
