"""KPI pages: the agent's history, the team's month and CSV, the import with preview and confirm."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.demo import create_demo
from lms.domain.accounts.passwords import hash_password
from lms.domain.kpi.csv_import import apply_kpi_import, parse_kpi_csv
from lms.models import KpiRecord, User
from tests.domain.kpi.test_csv_import import SAMPLE


@pytest.fixture
def kpi(app: Flask, db: Session) -> None:
    create_demo(db, Path(app.instance_path))
    db.commit()
    apply_kpi_import(db, parse_kpi_csv(db, SAMPLE.read_bytes(), dt.date.today()))
    db.commit()


def test_an_agent_sees_their_own_history(client: FlaskClient, db: Session, kpi) -> None:
    user = db.scalars(select(User).where(User.username == "lina")).one()
    user.password_hash = hash_password("correct-horse-battery")
    db.commit()
    client.post("/login", data={"username": "lina", "password": "correct-horse-battery"})
    page = client.get("/learn/kpi").get_data(as_text=True)
    assert "2026-10" in page and 'data-chart="' in page and "chart-4.6.1.umd.min.js" in page
    assert "wangfang" not in page


def test_the_team_month_and_bonus_sheet(client: FlaskClient, login_as, kpi) -> None:
    login_as("trainer")
    page = client.get("/staff/kpi?month=2026-10&sort=bonus").get_data(as_text=True)
    assert "王芳 Wang Fang" in page and "陈静 Chen Jing" in page
    sheet = client.get("/staff/kpi/2026-10.csv").get_data(as_text=True)
    assert sheet.startswith("\ufeffagent,display_name,month,kpi_score,band_base,bonus,stores")
    assert sheet.count("\n") == 6


def test_learners_cannot_see_the_team(client: FlaskClient, login_as, kpi) -> None:
    login_as("learner")
    assert client.get("/staff/kpi").status_code == 403
    assert client.get("/admin/kpi/import").status_code == 403


def test_import_previews_then_writes_only_on_confirm(client: FlaskClient, login_as, db: Session, kpi) -> None:
    login_as("admin")
    before = db.scalar(select(func.count()).select_from(KpiRecord))
    csv_bytes = SAMPLE.read_bytes().replace(b"2026-08", b"2026-07")
    page = client.post(
        "/admin/kpi/import",
        data={"file": (io.BytesIO(csv_bytes), "kpi.csv")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "Ready to import" in page and "2026-09 already has 10 records" in page
    assert db.scalar(select(func.count()).select_from(KpiRecord)) == before
    payload = re.search(r'name="payload" value="([^"]+)"', page).group(1)
    done = client.post("/admin/kpi/import", data={"payload": payload, "confirm": "1"})
    assert done.status_code == 302
    assert db.scalar(select(func.count()).select_from(KpiRecord).where(KpiRecord.month == "2026-07")) == 10
    bad = client.post(
        "/admin/kpi/import",
        data={"file": (io.BytesIO(b"agent\nx\n"), "bad.csv")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "nothing will be imported" in bad


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("kpi.csv", b"", "The file is empty"),
        ("kpi.csv", b"agent,store\n" + b"x" * (2 * 1024 * 1024), "at most 2 MB is accepted"),
        ("kpi.xlsx", b"agent,store,month\n", "This is not a CSV file"),
        ("kpi.csv", b"PK\x03\x04\x14\x00\x06\x00 spreadsheet inside", "This is not a CSV file"),
    ],
)
def test_an_upload_that_is_not_a_kpi_csv_says_what_is_wrong(
    client: FlaskClient, login_as, name: str, content: bytes, says: str
) -> None:
    login_as("admin")
    response = client.post(
        "/admin/kpi/import",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    flashed = re.search(r'class="flash flash-error">([^<]*)<', response.get_data(as_text=True)).group(1)
    assert says in flashed
    if says != "at most 2 MB is accepted":
        assert "2 MB" not in flashed  # a small file is not told about sizes


def test_the_team_month_is_searchable_and_paged_with_the_months_totals(
    client: FlaskClient, login_as, kpi, monkeypatch
) -> None:
    from lms.domain.kpi import team

    login_as("trainer")
    page = client.get("/staff/kpi?month=2026-10", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "5 agents" in page and "average KPI" in page and "bonuses in total" in page
    assert 'name="q"' in page and "Page 1 of" not in page  # one page: no pager
    found = client.get("/staff/kpi?month=2026-10&q=WANG").get_data(as_text=True)
    assert "王芳 Wang Fang" in found and "陈静 Chen Jing" not in found and "5 agents" in found
    assert "1 match “WANG”" in found
    nobody = client.get("/staff/kpi?month=2026-10&q=%3Cb%3Ex").get_data(as_text=True)
    assert "No agent of this month matches “&lt;b&gt;x”." in nobody and "<b>x" not in nobody
    monkeypatch.setattr(team, "PER_PAGE", 4)
    first = client.get("/staff/kpi?month=2026-10&sort=name").get_data(as_text=True)
    second = client.get("/staff/kpi?month=2026-10&sort=name&page=2").get_data(as_text=True)
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    assert first.count("<tr><td>") == 4 and second.count("<tr><td>") == 1
    assert "<tr><td>5</td>" in second  # ranks go on from the first page
    assert "page=2" in first and "sort=name" in first.split('class="pager"')[1]  # the pager keeps the order
    odd = client.get("/staff/kpi?month=1999-01&sort=nonsense&page=x")
    assert odd.status_code == 200 and "Team KPI · 2026-10" in odd.get_data(as_text=True)  # the latest month
