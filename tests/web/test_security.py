"""The security baseline: headers, CSP-safe templates, CSRF, login throttling."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from flask import Response
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from lms import create_app
from lms.access import public
from lms.config import PROJECT_ROOT
from tests.conftest import TEST_PASSWORD, make_config
from tests.factories import UserFactory
from tests.services import require_redis


def test_every_response_carries_the_security_headers(client: FlaskClient) -> None:
    for path in ["/login", "/healthz", "/no-such-page", "/static/css/app.css"]:
        with client.get(path) as response:
            headers = response.headers
        csp = headers["Content-Security-Policy"]
        for directive in [
            "default-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ]:
            assert directive in csp, (path, directive)
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"]


def test_a_header_the_view_set_is_kept_and_none_is_doubled(database_url: str, tmp_path: Path) -> None:
    app = create_app(make_config(database_url, tmp_path))

    @app.get("/framed")
    @public
    def framed() -> Response:
        return Response("<p>framed</p>", mimetype="text/html", headers={"x-frame-options": "SAMEORIGIN"})

    headers = app.test_client().get("/framed").headers
    assert headers.getlist("X-Frame-Options") == ["SAMEORIGIN"]  # any case: header names are not
    assert headers.getlist("Cache-Control") == ["no-store"]  # a page: never in a shared cache
    assert len(headers.getlist("Content-Security-Policy")) == 1
    with app.test_client().get("/static/css/app.css") as static:
        assert "no-store" not in static.headers.get("Cache-Control", "")
    app.extensions["lms.db"].engine.dispose()


def test_session_cookie_is_httponly_and_lax(client: FlaskClient, db: Session) -> None:
    UserFactory(username="agent")
    db.commit()
    response = client.post("/login", data={"username": "agent", "password": TEST_PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_cookies_are_secure_behind_https(database_url: str, tmp_path: Path) -> None:
    app = create_app(make_config(database_url, tmp_path, https=True))
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert "Strict-Transport-Security" in app.test_client().get("/login").headers
    app.extensions["lms.db"].engine.dispose()


TEMPLATES = sorted((PROJECT_ROOT / "templates").rglob("*.html"))


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(PROJECT_ROOT)))
def test_templates_have_no_inline_script_or_handlers(template: Path) -> None:
    text = template.read_text(encoding="utf-8")
    for match in re.finditer(r"<script\b[^>]*>", text):
        assert "src=" in match.group(0), f"inline <script> in {template}"
    assert not re.search(r"\son[a-z]+\s*=", text), f"on*= handler in {template}"
    assert "javascript:" not in text


def test_forms_without_csrf_token_are_refused(database_url: str, tmp_path: Path, db: Session) -> None:
    UserFactory(username="agent")
    db.commit()
    app = create_app(make_config(database_url, tmp_path, csrf=True))
    client = app.test_client()
    response = client.post("/login", data={"username": "agent", "password": TEST_PASSWORD})
    assert response.status_code == 400
    assert "forged requests" in response.get_data(as_text=True)
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    ok = client.post("/login", data={"username": "agent", "password": TEST_PASSWORD, "csrf_token": token})
    assert ok.status_code == 302
    app.extensions["lms.db"].engine.dispose()


def _throttled_app(database_url: str, tmp_path: Path, storage: str = "", **rates: str):
    config = make_config(database_url, tmp_path, redis_url=storage, **rates)
    config.extra = {"ratelimit": True}
    return create_app(config)


def test_login_is_throttled_per_username(database_url: str, tmp_path: Path, db: Session) -> None:
    UserFactory(username="target")
    db.commit()
    app = _throttled_app(
        database_url, tmp_path, login_rate_user="3 per minute", login_rate_ip="100 per minute"
    )
    client = app.test_client()
    codes = [
        client.post(
            "/login",
            data={"username": "target", "password": "wrong-guess-xx"},
            environ_base={"REMOTE_ADDR": f"10.0.0.{i}"},
        ).status_code
        for i in range(5)
    ]
    assert codes == [200, 200, 200, 429, 429]
    page = client.post("/login", data={"username": "target", "password": TEST_PASSWORD}).get_data(
        as_text=True
    )
    assert "Too many attempts" in page and "try again in" in page
    # another username from the same address is not affected
    assert client.post("/login", data={"username": "other", "password": "x" * 12}).status_code == 200
    app.extensions["lms.db"].engine.dispose()


def test_login_is_throttled_per_address(database_url: str, tmp_path: Path) -> None:
    app = _throttled_app(
        database_url, tmp_path, login_rate_user="100 per minute", login_rate_ip="2 per minute"
    )
    client = app.test_client()
    codes = [
        client.post("/login", data={"username": f"user{i}", "password": "x" * 12}).status_code
        for i in range(3)
    ]
    assert codes == [200, 200, 429]
    assert client.get("/login").status_code == 200  # reading the form is never limited
    app.extensions["lms.db"].engine.dispose()


def test_throttling_is_shared_through_redis(database_url: str, tmp_path: Path) -> None:
    url = "redis://127.0.0.1:6379/15"
    require_redis(url)
    name = f"shared-{uuid.uuid4().hex[:8]}"
    worker_a = _throttled_app(
        database_url, tmp_path, storage=url, login_rate_user="2 per minute", login_rate_ip="100 per minute"
    )
    worker_b = _throttled_app(
        database_url,
        tmp_path / "b",
        storage=url,
        login_rate_user="2 per minute",
        login_rate_ip="100 per minute",
    )
    form = {"username": name, "password": "wrong-guess-xx"}
    assert worker_a.test_client().post("/login", data=form).status_code == 200
    assert worker_b.test_client().post("/login", data=form).status_code == 200
    # the third attempt is refused by either worker: the count lives in Redis
    assert worker_a.test_client().post("/login", data=form).status_code == 429
    for app in (worker_a, worker_b):
        app.extensions["lms.db"].engine.dispose()
