"""The admin's desk, from KPI: has last month's KPI been imported?"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.domain.qc.dashboard import month_start
from lms.models import Certificate, KpiRecord, User
from lms.models.certification import GO_LIVE


@dataclass
class KpiMonth:
    """Last month's KPI import: the month, its records, the latest month on record, the live agents."""

    month: str
    records: int
    latest: str | None
    live_agents: int

    @property
    def missing(self) -> bool:
        """Live agents worked last month and none of their numbers are in yet."""
        return self.records == 0 and self.live_agents > 0


def previous_month(today: dt.date) -> str:
    """The month before `today`'s, as YYYY-MM (the month whose numbers arrive now)."""
    return month_start(today, 1).strftime("%Y-%m")


def kpi_month_status(session: Session, today: dt.date) -> KpiMonth:
    """Whether last month's KPI numbers were imported (two queries)."""
    month = previous_month(today)
    records, latest = session.execute(
        select(func.count().filter(KpiRecord.month == month), func.max(KpiRecord.month))
    ).one()
    live = session.scalar(
        select(func.count())
        .select_from(Certificate)
        .join(User, User.id == Certificate.user_id)
        .where(Certificate.kind == GO_LIVE, Certificate.revoked_at.is_(None), User.active.is_(True))
    )
    return KpiMonth(month, int(records or 0), latest, int(live or 0))
