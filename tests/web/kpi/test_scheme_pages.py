"""The KPI scheme editor: admins only, every bad field named, nothing saved on error, versions by month."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.domain.kpi.scores import scheme_for
from lms.models import AuditEvent, KpiScheme


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    return found.group(1) if found else ""


def _form(page: str, **changes: str) -> dict[str, str]:
    """The editor's prefilled fields (the scheme in force), with changes."""
    fields = dict(re.findall(r'name="([a-z_0-9-]+)" value="([^"]*)"', page))
    fields.update({"csrf_token": _csrf(page), "from_month": "2026-12"}, **changes)
    return fields


def test_only_admins_edit(client: FlaskClient, login_as) -> None:
    login_as("trainer")
    assert client.get("/staff/kpi/scheme").status_code == 403


def test_a_new_version_applies_from_its_month(client: FlaskClient, login_as, db: Session) -> None:
    login_as("admin")
    page = client.get("/staff/kpi/scheme").get_data(as_text=True)
    assert 'value="50"' in page  # conversion 50 % by default
    data = _form(page, **{"conversion_rate-weight": "40", "satisfaction-weight": "25", "band0-base": "3200"})
    response = client.post("/staff/kpi/scheme", data=data)
    assert response.status_code == 302
    db.rollback()
    assert scheme_for(db, "2026-11").metrics[0]["weight"] == 50  # earlier months keep the default
    december = scheme_for(db, "2027-01")
    assert december.metrics[0]["weight"] == 40 and december.bands[0] == {"min": 90.0, "base": 3200.0}
    assert db.scalars(select(AuditEvent).where(AuditEvent.action == "kpi.scheme")).one()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"conversion_rate-weight": "45"}, "The weights add up to 95, not 100."),
        ({"conversion_rate-weight": "fifty"}, "Enter a number."),
        ({"avg_response_seconds-target": "60"}, "The target must be better than the floor"),
        ({"main-weight": "70"}, "must add up to 100"),
        ({"band2-min": "10"}, "The bonus bands must start at 0."),
        ({"from_month": "2026-13"}, "Enter the month as YYYY-MM."),
    ],
)
def test_bad_input_is_named_and_nothing_saved(
    client: FlaskClient, login_as, db: Session, changes: dict[str, str], message: str
) -> None:
    login_as("admin")
    page = client.get("/staff/kpi/scheme").get_data(as_text=True)
    response = client.post("/staff/kpi/scheme", data=_form(page, **changes))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    db.rollback()
    assert db.scalars(select(KpiScheme)).all() == []
