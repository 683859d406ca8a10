"""The desk's overdue work: in a trainer's cohorts, and the work quality control handed out."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select
from sqlalchemy.orm import Session, joinedload

from lms.domain.accounts.desk import SHORTLIST, Shortlist, shortlist
from lms.domain.assignments.assigning import QC_SOURCES, open_team_work
from lms.models import Assignment, User


def _loaded(stmt: Select[tuple[Assignment]]) -> Select[tuple[Assignment]]:
    return stmt.options(
        joinedload(Assignment.user).lazyload(User.role_rows),
        joinedload(Assignment.course),
        joinedload(Assignment.quiz),
    )


def overdue_in_cohorts(
    session: Session, cohort_ids: list[int], today: dt.date, limit: int = SHORTLIST
) -> Shortlist[Assignment]:
    """Open work past its due date for the people of these cohorts, most overdue first."""
    return shortlist(
        session, _loaded(open_team_work(today=today, overdue_only=True, cohort_ids=cohort_ids)), limit
    )


def overdue_from_qc(session: Session, today: dt.date, limit: int = SHORTLIST) -> Shortlist[Assignment]:
    """Open work that quality control assigned (by hand or from a spot check) past its due date."""
    return shortlist(
        session, _loaded(open_team_work(today=today, overdue_only=True, sources=QC_SOURCES)), limit
    )
