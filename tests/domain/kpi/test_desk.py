"""The admin's desk from KPI: last month's numbers are missing until imported."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from lms.domain.kpi.desk import kpi_month_status, previous_month
from lms.models import Certificate, KpiRecord
from lms.models.certification import GO_LIVE
from tests.factories import StoreFactory, UserFactory

TODAY = dt.date(2027, 1, 6)


def test_last_months_kpi_is_missing_until_imported(db: Session) -> None:
    assert previous_month(TODAY) == "2026-12" and previous_month(dt.date(2026, 11, 30)) == "2026-10"
    nobody = kpi_month_status(db, TODAY)
    assert not nobody.missing and nobody.live_agents == 0  # no live agent: nothing to import
    agent, store = UserFactory(), StoreFactory()
    db.flush()
    db.add(Certificate(user_id=agent.id, kind=GO_LIVE, code="k1"))
    db.add(KpiRecord(user_id=agent.id, store_id=store.id, month="2026-11", conversion_rate=0.2))
    db.commit()
    status = kpi_month_status(db, TODAY)
    assert status.missing and (status.month, status.records, status.latest) == ("2026-12", 0, "2026-11")
    db.add(KpiRecord(user_id=agent.id, store_id=store.id, month="2026-12", conversion_rate=0.3))
    db.commit()
    status = kpi_month_status(db, TODAY)
    assert not status.missing and status.records == 1 and status.latest == "2026-12"
