"""Browser tests: the app served on a local port, driven through Playwright in Debian's Chromium.

Chromium is found at $LMS_CHROMIUM or /usr/bin/chromium; without it these tests are skipped
with that reason (never downloaded: `playwright install` cannot run here).

Every page a test visits must also fit a phone: after a test passes, each page it navigated to is
opened again at 390 px wide, signed in as the test was, and must not scroll sideways (wide tables
scroll inside their own box). `assert_fits_a_phone` is the check, for tests that walk a phone themselves.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from flask import Flask
from werkzeug.serving import make_server

from lms import create_app
from tests.conftest import TEST_PASSWORD, _empty_tables, make_config
from tests.services import REQUIRED

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

ARTIFACTS = Path(__file__).parent / "artifacts"
#: An everyday phone (iPhone 12–15 class): 390 CSS pixels wide.
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
#: Responses that are not pages (downloads) are not checked for width.
_PAGE_TYPES = ("text/html",)
_CALL_REPORT = pytest.StashKey[pytest.TestReport]()

# The layout viewport's width (clientWidth: a phone zooms out to show a too-wide page, which would
# make innerWidth grow with it), the page's scrollable width, and the outermost elements reaching
# past the right edge, so that a failure says what to fix.
_OVERFLOW_JS = """() => {
  const root = document.documentElement, width = root.clientWidth;
  // Inside a box that scrolls or clips sideways and itself fits, an element is no problem, unless it
  // is positioned out of the flow (an absolutely positioned child escapes a box that is not positioned).
  const contained = el => {
    if (['absolute', 'fixed'].includes(getComputedStyle(el).position)) return false;
    for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
      if (getComputedStyle(box).overflowX !== 'visible') return box.getBoundingClientRect().right <= width + 1;
    }
    return false;
  };
  const wide = [...document.body.querySelectorAll('*')].filter(el => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.right > width + 1 && !contained(el);
  });
  const outermost = wide.filter(el => !wide.includes(el.parentElement)).slice(0, 5).map(el =>
    el.tagName.toLowerCase() + (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
    + ' (' + Math.round(el.getBoundingClientRect().right) + 'px)');
  return {scroll: root.scrollWidth, width: width, wide: outermost};
}"""


def phone_overflow(page) -> dict[str, object] | None:  # type: ignore[no-untyped-def]
    """None when the page fits its viewport's width; else the widths and the elements too wide."""
    found: dict[str, object] = page.evaluate(_OVERFLOW_JS)
    return None if int(found["scroll"]) <= int(found["width"]) else found  # type: ignore[call-overload]


def assert_fits_a_phone(page) -> None:  # type: ignore[no-untyped-def]
    """The page on screen does not scroll sideways."""
    overflow = phone_overflow(page)
    assert overflow is None, f"{page.url} scrolls sideways on a phone: {overflow}"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """Keep each test's own outcome, so the phone re-check runs only after a passing test."""
    report = yield
    if report.when == "call":
        item.stash[_CALL_REPORT] = report
    return report


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
    if REQUIRED and any("e2e" in item.keywords for item in items):
        raise pytest.UsageError(f"{reason} (LMS_TEST_REQUIRE_SERVICES=1)")
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
    server = make_server("127.0.0.1", 0, _closing_every_response(live_app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


def _closing_every_response(app: Flask) -> WSGIApplication:
    """The app with each response read whole and closed before the server writes it.

    Werkzeug's development server closes a response only if the client is still there at the end: a
    browser that drops a connection (it often does, for a second favicon request) leaves a static
    file open, and the garbage collector's ResourceWarning then fails whichever test runs next.
    """

    def wsgi(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()

    return wsgi


class PhoneRecheck:
    """Follows every browser context a test opens, and opens each page it navigated to again on a phone.

    A context is re-checked when the test closes it (while its sign-in is still there), the rest
    when the test has passed. Pages are opened again in a phone-sized context carrying the same
    cookies; a page that scrolls sideways fails the test, with a screenshot in tests/e2e/artifacts.
    """

    def __init__(self, browser, live_server: str) -> None:  # type: ignore[no-untyped-def]
        self.browser = browser
        self.live_server = live_server
        self.new_context = browser.new_context
        self.visits: dict[object, list[str]] = {}

    def new_followed_context(self, **options):  # type: ignore[no-untyped-def]
        """Stands in for browser.new_context during a test."""
        context = self.new_context(**options)
        if not options.get("is_mobile"):  # a phone context checks itself
            self.follow(context)
        return context

    def follow(self, context) -> None:  # type: ignore[no-untyped-def]
        urls: list[str] = []
        self.visits[context] = urls

        def navigated(frame) -> None:  # type: ignore[no-untyped-def]
            if (
                frame.parent_frame is None
                and frame.url.startswith(self.live_server)
                and frame.url not in urls
            ):
                urls.append(frame.url)

        context.on("page", lambda pg: pg.on("framenavigated", navigated))
        close = context.close

        def recheck_then_close(**kwargs: object) -> None:
            try:
                self.recheck(context)
            finally:
                close(**kwargs)

        context.close = recheck_then_close

    def recheck(self, context) -> None:  # type: ignore[no-untyped-def]
        """Every page this context visited, at 390 px: none may scroll sideways."""
        urls = self.visits.pop(context, [])
        if not urls:
            return
        phone = self.new_context(
            base_url=self.live_server, locale="en-US", storage_state=context.storage_state(), **PHONE
        )
        too_wide = []
        try:
            pg = phone.new_page()
            for url in urls:
                try:
                    response = pg.goto(url)
                except Exception as err:  # noqa: BLE001 - a download starts instead of a page
                    if "Download is starting" in str(err):
                        continue
                    raise
                if response is None or not response.headers.get("content-type", "").startswith(_PAGE_TYPES):
                    continue
                overflow = phone_overflow(pg)
                if overflow is not None:
                    too_wide.append(f"{pg.url}: {overflow}")
                    ARTIFACTS.mkdir(exist_ok=True)
                    pg.screenshot(path=str(ARTIFACTS / f"too-wide-{len(too_wide)}.png"), full_page=True)
        finally:
            phone.close()
        assert not too_wide, "pages that scroll sideways on a 390-px phone:\n" + "\n".join(too_wide)


@pytest.fixture
def page(browser: object, live_server: str, request: pytest.FixtureRequest) -> Iterator[object]:
    """A fresh browser context and page; a screenshot is kept when the test fails.

    Every page the test navigates to, in this context or any other it opens, is checked on a phone
    too (`PhoneRecheck`).
    """
    phones = PhoneRecheck(browser, live_server)
    browser.new_context = phones.new_followed_context  # type: ignore[attr-defined]
    try:
        context = browser.new_context(  # type: ignore[attr-defined]
            base_url=live_server,
            locale="en-US",
            viewport={"width": 1366, "height": 800},
        )
        pg = context.new_page()
        errors: list[str] = []
        pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        pg.csp_errors = errors  # type: ignore[attr-defined]
        yield pg
        report = request.node.stash.get(_CALL_REPORT, None)
        if report is not None and report.passed:
            for followed in list(phones.visits):
                phones.recheck(followed)
        phones.visits.clear()  # a failed test is not re-checked: its own failure says enough
        context.close()
    finally:
        del browser.new_context  # type: ignore[attr-defined]


def sign_in(page, username: str, password: str = TEST_PASSWORD) -> None:  # type: ignore[no-untyped-def]
    """Sign in through the login form, as a person would."""
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("main button[type=submit]")
