"""The staff desk's template context: one section per role the reader holds, each item from the domain."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from lms.domain.accounts.desk import (
    SECURITY_HOURS,
    agents_without_store,
    latest_security_events,
    trainer_scope,
    without_role,
)
from lms.domain.assignments.desk import overdue_from_qc, overdue_in_cohorts
from lms.domain.certification.desk import behind_schedule, expiring_certificates, ready_for_signoff
from lms.domain.kpi.desk import kpi_month_status
from lms.domain.learning.desk import FAILED_EXAM_DAYS, failed_exams, grading_queue
from lms.domain.qc.desk import checks_this_week, not_checked, top_failing_topics
from lms.models import Role, User
from lms.web.admin.forms import SECURITY_KIND_LABELS
from lms.web.plan_cache import cached_gate_rules, cached_schedule


def trainer_desk(session: Session, trainer: User, now: dt.datetime) -> dict[str, Any]:
    """Ready for sign-off, the grading queue, failed exams, who is behind, overdue work, expiring certificates."""
    scope = trainer_scope(session, trainer)
    today = now.date()
    schedule = cached_schedule(session)
    rules = cached_gate_rules(session, schedule) if schedule else None
    return {
        "scope": scope,
        "ready": ready_for_signoff(session, rules, scope.ids),
        "queue": grading_queue(session),
        "failed": failed_exams(session, scope.members(), now),
        "failed_days": FAILED_EXAM_DAYS,
        "behind": behind_schedule(session, schedule, rules, scope.cohorts, today),
        "overdue": overdue_in_cohorts(session, scope.ids, today),
        "expiring": expiring_certificates(session, schedule, scope.ids, now),
    }


def qc_desk(session: Session, reader: User, now: dt.datetime, days: int) -> dict[str, Any]:
    """Agents not checked for `days` days, this week's checks, failing topics, QC's overdue work."""
    today = now.date()
    return {
        "days": days,
        "unchecked": not_checked(session, today, days),
        "week": checks_this_week(session, reader, now),
        "topics": top_failing_topics(session, today),
        "overdue": overdue_from_qc(session, today),
    }


def admin_desk(session: Session, now: dt.datetime) -> dict[str, Any]:
    """The KPI month, people without a role or a store, the security log's latest lines."""
    return {
        "kpi": kpi_month_status(session, now.date()),
        "no_role": without_role(session),
        "no_store": agents_without_store(session),
        "security": latest_security_events(session, now),
        "security_since": (now - dt.timedelta(hours=SECURITY_HOURS)).date(),
        "security_kinds": SECURITY_KIND_LABELS,
    }


def desk_context(session: Session, reader: User, now: dt.datetime, qc_days: int) -> dict[str, Any]:
    """Every section the reader's roles call for (a person with several roles sees each)."""
    return {
        "trainer": trainer_desk(session, reader, now) if reader.has_role(Role.TRAINER) else None,
        "qc": qc_desk(session, reader, now, qc_days) if reader.has_role(Role.QC) else None,
        "admin": admin_desk(session, now) if reader.has_role(Role.ADMIN) else None,
        "now": now,
    }
