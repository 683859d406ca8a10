"""In Chromium: the 503 page while the database is down (English, Chinese), and the security log."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import expect

from lms.domain.accounts import security_log
from lms.domain.accounts.security_log import Refusal
from tests.e2e.conftest import ARTIFACTS, sign_in
from tests.factories import UserFactory, bind
from tests.web.test_unavailable import database_trouble

pytestmark = pytest.mark.e2e


def _people(live_app: Flask) -> dict[str, int]:
    session = live_app.extensions["lms.db"].session()
    bind(session)
    ids = {
        "liuyang": UserFactory(username="liuyang", display_name="刘洋 Liu Yang").id,
        "wangfang": UserFactory(username="wangfang", display_name="王芳 Wang Fang", locale="zh_Hans").id,
        "zhoumin": UserFactory(username="zhoumin", display_name="周敏 Zhou Min", roles=["admin"]).id,
        "lina": UserFactory(username="lina", display_name="李娜 Li Na").id,
    }
    session.commit()
    session.close()
    return ids


def test_the_503_page_needs_no_database(page, browser, live_app: Flask, live_server: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _people(live_app)
    sign_in(page, "liuyang")
    chinese = browser.new_context(base_url=live_server, locale="zh-CN", viewport={"width": 1366, "height": 800})
    zh = chinese.new_page()
    sign_in(zh, "wangfang")
    ARTIFACTS.mkdir(exist_ok=True)
    with database_trouble(live_app, "unreachable", tmp_path):
        page.goto("/learn/")
        main = page.inner_text("main")
        assert "503" in main and "saved answers are safe" in main and "Incident number" in main
        assert "Liu Yang" not in page.content()  # nobody was looked up
        page.screenshot(path=str(ARTIFACTS / "unavailable-en.png"), full_page=True)
        zh.goto("/learn/")
        assert "已保存的答案" in zh.inner_text("main") and "事件编号" in zh.inner_text("main")
        zh.screenshot(path=str(ARTIFACTS / "unavailable-zh.png"), full_page=True)
    page.goto("/learn/")
    expect(page.locator("main")).not_to_contain_text("503")  # back as soon as the database is
    assert [e for e in page.csp_errors if "503" not in e] == []
    chinese.close()


def test_the_admin_reads_the_security_log(page, live_app: Flask) -> None:  # type: ignore[no-untyped-def]
    ids = _people(live_app)
    session = live_app.extensions["lms.db"].session()
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    seen = [
        (14, Refusal("throttled", None, "wangfang", "203.0.113.7", "POST", "/login", "/login")),
        (3, Refusal("not_owner", ids["lina"], "", "10.8.0.23", "GET", "/learn/attempts/<int:attempt_id>", "/learn/attempts/41")),
        (2, Refusal("forbidden", ids["liuyang"], "", "10.8.0.17", "GET", "/admin/users", "/admin/users")),
        (6, Refusal("bad_token", None, "lms_Xq3vT9", "198.51.100.20", "GET", "/api/v1/me", "/api/v1/me")),
        (1, Refusal("csrf", None, "", "10.8.0.31", "POST", "/login", "/login")),
    ]
    for minutes, (times, refusal) in enumerate(seen):
        for n in range(times):
            security_log.record(session, refusal, now - dt.timedelta(minutes=5 * minutes, seconds=30 * (times - n)))
    session.commit()
    session.close()
    sign_in(page, "zhoumin")
    page.goto("/admin/security")
    main = page.inner_text("main")
    assert "Security log" in main and "203.0.113.7" in main and "lms_Xq3vT9" in main
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "security-log.png"), full_page=True)
    page.select_option("select[name=kind]", "not_owner")
    page.click("main button[type=submit]")
    assert "lina" in page.inner_text("tbody") and "203.0.113.7" not in page.inner_text("tbody")
    page.goto("/admin/security")
    page.select_option("#lang-select", "zh_Hans")
    expect(page.locator("main h1")).to_have_text("安全日志")
    page.screenshot(path=str(ARTIFACTS / "security-log-zh.png"), full_page=True)
    assert page.csp_errors == []
