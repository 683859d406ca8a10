"""Each demo role signs in through Chromium, sees its landing page, and switches language."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from lms.demo import create_demo
from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e


def _demo_logins(app: Flask) -> dict[str, str]:
    database = app.extensions["lms.db"]
    session = database.session()
    result = create_demo(session, Path(app.instance_path))
    session.commit()
    session.close()
    return {username: password for username, password, _roles in result.created}


@pytest.mark.parametrize(
    ("username", "landing", "heading"),
    [
        ("admin", "/staff/", "Staff desk"),
        ("trainer", "/staff/", "Staff desk"),
        ("qclead", "/staff/", "Staff desk"),
        ("wangfang", "/learn/", "王芳 Wang Fang"),
    ],
)
def test_demo_roles_sign_in_and_switch_language(
    live_app: Flask, page, username: str, landing: str, heading: str
) -> None:
    logins = _demo_logins(live_app)
    page.goto("/")
    assert page.url.endswith("/login")
    page.fill("#username", username)
    page.fill("#password", logins[username])
    page.click("main button[type=submit]")
    page.wait_for_url(f"**{landing}")
    assert heading in page.inner_text("h1")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"landing-{username}.png"), full_page=True)
    if username == "wangfang":
        # the demo learners prefer Chinese; switch to English and back
        with page.expect_navigation():
            page.select_option("#lang-select", "en")
        assert "My programme" in page.inner_text("nav.mainnav")
    with page.expect_navigation():
        page.select_option("#lang-select", "zh_Hans")
    page.locator("html[lang='zh-Hans']").wait_for(state="attached")
    nav = page.inner_text("header")
    assert ("员工工作台" in nav) or ("我的培训" in nav), nav
    assert page.csp_errors == [], page.csp_errors


def test_login_page_shows_an_error_for_wrong_credentials(page) -> None:
    page.goto("/login")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "login.png"))
    page.fill("#username", "nobody")
    page.fill("#password", "wrong-password-1")
    page.click("main button[type=submit]")
    assert "do not match an active account" in page.inner_text(".flashes")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "login-error.png"))
