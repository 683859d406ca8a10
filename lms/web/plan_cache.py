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
