"""In Chromium: an agent's KPI chart draws under the site's CSP."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from lms.demo import create_demo
from lms.domain.accounts.passwords import hash_password
from lms.domain.kpi.csv_import import apply_kpi_import, parse_kpi_csv
from lms.models import User
from tests.domain.kpi.test_csv_import import SAMPLE
from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e


def test_kpi_chart_draws(page, live_app: Flask) -> None:  # type: ignore[no-untyped-def]
    session = live_app.extensions["lms.db"].session()
    create_demo(session, Path(live_app.instance_path))
    apply_kpi_import(session, parse_kpi_csv(session, SAMPLE.read_bytes(), dt.date.today()))
    user = session.scalars(select(User).where(User.username == "wangfang")).one()
    user.password_hash, user.locale = hash_password("correct-horse-battery"), "en"
    session.commit()
    session.close()
    page.goto("/login")
    page.fill("#username", "wangfang")
    page.fill("#password", "correct-horse-battery")
    page.click("main button[type=submit]")
    page.goto("/learn/kpi")
    canvas = page.locator("#kpi-chart")
    canvas.wait_for()
    box = canvas.bounding_box()
    assert box is not None and box["height"] > 50
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "kpi-mine.png"), full_page=True)
    assert page.csp_errors == []
