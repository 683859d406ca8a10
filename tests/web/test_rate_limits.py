"""Declared rate limits are checked on their views, and only there."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask_limiter.util import get_qualified_name

from lms import create_app
from lms.extensions import limiter
from lms.web.rate_limits import MARK
from tests.conftest import make_config


def _app(database_url: str, tmp_path: Path) -> Flask:
    config = make_config(database_url, tmp_path, login_rate_ip="2 per minute")
    config.extra = {"ratelimit": True}
    return create_app(config)


def test_every_view_with_a_limit_is_one_the_hook_checks(database_url: str, tmp_path: Path) -> None:
    """A limit put on a view with plain `@limiter.limit` would never be checked (auto_check is off)."""
    app = _app(database_url, tmp_path)
    with app.test_request_context():
        declared = {
            endpoint
            for endpoint, view in app.view_functions.items()
            if limiter.limit_manager.decorated_limits(get_qualified_name(view))
        }
        marked = {endpoint for endpoint, view in app.view_functions.items() if getattr(view, MARK, False)}
    assert declared == marked
    assert {"auth.login", "auth.forgot_password", "certificates.verify"} <= marked
    app.extensions["lms.db"].engine.dispose()


def test_an_unlimited_view_never_consults_the_limiter(database_url: str, tmp_path: Path, monkeypatch) -> None:
    app = _app(database_url, tmp_path)
    asked: list[str] = []
    real = limiter.check
    monkeypatch.setattr(limiter, "check", lambda: asked.append("check") or real())
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    assert client.get("/no-such-page").status_code == 404
    assert asked == []
    # the sign-in form declares its limits for POST: the limiter is asked, and GET is never counted
    codes = [
        client.post("/login", data={"username": f"u{i}", "password": "x" * 12}).status_code for i in range(3)
    ]
    assert codes == [200, 200, 429]
    assert "X-RateLimit-Limit" in client.post("/login", data={"username": "u", "password": "x" * 12}).headers
    assert client.get("/login").status_code == 200
    assert len(asked) == 5
    app.extensions["lms.db"].engine.dispose()
