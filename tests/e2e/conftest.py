"""Browser tests: the app served on a local port, driven through Playwright in Debian's Chromium.

Chromium is found at $LMS_CHROMIUM or /usr/bin/chromium; without it these tests are skipped
with that reason (never downloaded: `playwright install` cannot run here).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from lms import create_app
from tests.conftest import TEST_PASSWORD, _empty_tables, make_config

ARTIFACTS = Path(__file__).parent / "artifacts"


def chromium_path() -> str | None:
    """Where Chromium is, if anywhere."""
    for candidate in (os.environ.get("LMS_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip the browser tests, visibly, when there is no Chromium."""
    if chromium_path():
        return
    reason = "Chromium not found at $LMS_CHROMIUM or /usr/bin/chromium (apt-get install chromium)"
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium for the run."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(
            executable_path=chromium_path(),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def live_app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The app as a person meets it: CSRF on, rate limits on (generous)."""
    config = make_config(
        database_url, tmp_path, csrf=True, login_rate_ip="500 per minute", login_rate_user="100 per minute"
    )
    config.extra = {"ratelimit": True}
    app = create_app(config)
    yield app
    database = app.extensions["lms.db"]
    _empty_tables(database)
    database.engine.dispose()


@pytest.fixture
def live_server(live_app: Flask) -> Iterator[str]:
    """The app served in a thread on a free local port; yields its base URL."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def page(browser: object, live_server: str) -> Iterator[object]:
    """A fresh browser context and page; a screenshot is kept when the test fails."""
    context = browser.new_context(
        base_url=live_server,
        locale="en-US",  # type: ignore[attr-defined]
        viewport={"width": 1366, "height": 800},
    )
    pg = context.new_page()
    errors: list[str] = []
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    pg.csp_errors = errors  # type: ignore[attr-defined]
    yield pg
    context.close()


def sign_in(page, username: str, password: str = TEST_PASSWORD) -> None:  # type: ignore[no-untyped-def]
    """Sign in through the login form, as a person would."""
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("main button[type=submit]")
