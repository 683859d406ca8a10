"""Error pages in the site's style; JSON under /api/; no stack traces."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from flask import Flask, abort
from flask.testing import FlaskClient

from lms import create_app
from lms.access import public
from tests.conftest import make_config


@pytest.mark.parametrize("code", [400, 403, 404, 413, 429, 500, 503])
def test_error_pages_are_styled_and_translatable(app: Flask, code: int) -> None:
    def boom() -> str:
        abort(code)

    app.add_url_rule(f"/boom/{code}", f"boom{code}", public(boom))
    response = app.test_client().get(f"/boom/{code}")
    assert response.status_code == code
    page = response.get_data(as_text=True)
    assert 'class="error-page"' in page and "css/app.css" in page
    zh = app.test_client().get(f"/boom/{code}", headers={"Accept-Language": "zh-CN"})
    assert zh.status_code == code and 'lang="zh-Hans"' in zh.get_data(as_text=True)


def test_an_unexpected_exception_shows_no_traceback(app: Flask) -> None:
    def crash() -> str:
        raise RuntimeError("secret internals: password=hunter2")

    app.add_url_rule("/crash", "crash", public(crash))
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.testing = False
    response = app.test_client().get("/crash")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "hunter2" not in body and "Traceback" not in body
    assert "Something went wrong" in body


def test_api_errors_are_json(client: FlaskClient) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"


def test_healthz_reports_the_database(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["status"] == "ok"
    assert response.json["database"] in {"sqlite", "postgresql"}


def _crashing_app(app: Flask, exc: Exception, path: str = "/crash") -> FlaskClient:
    def crash() -> str:
        raise exc

    app.add_url_rule(path, path.strip("/").replace("/", "-"), public(crash))
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.testing = False
    return app.test_client()


def test_a_500_carries_an_incident_id_logged_with_its_traceback(app: Flask, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.ERROR, logger="lms.web.errors")
    client = _crashing_app(app, RuntimeError("secret internals"))
    response = client.get("/crash")
    incident = response.headers["X-Request-Id"]
    page = response.get_data(as_text=True)
    assert response.status_code == 500 and f'class="incident-id">{incident}<' in page
    (record,) = [r for r in caplog.records if incident in r.getMessage()]
    assert record.exc_info is not None and "secret internals" in str(record.exc_info[1])
    assert "secret internals" not in page


def test_an_api_500_says_its_incident_in_json(app: Flask) -> None:
    client = _crashing_app(app, RuntimeError("boom"), "/api/v1/crash")
    response = client.get("/api/v1/crash")
    assert response.status_code == 500
    assert response.json["error"]["incident"] == response.headers["X-Request-Id"]
    assert response.json["error"]["code"] == "internal_error"


def test_a_database_bug_is_a_500_not_a_503(app: Flask) -> None:
    from sqlalchemy.exc import IntegrityError

    client = _crashing_app(app, IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed")))
    assert client.get("/crash").status_code == 500


def test_maintenance_503_has_an_incident_and_retry_after(app: Flask) -> None:
    def down() -> str:
        abort(503)

    app.add_url_rule("/down", "down", public(down))
    response = app.test_client().get("/down")
    assert response.status_code == 503 and response.headers["Retry-After"].isdigit()
    assert response.headers["X-Request-Id"] in response.get_data(as_text=True)


def test_every_response_has_a_request_id_and_a_proxys_is_kept_only_behind_a_proxy(
    database_url: str, tmp_path: Path, client: FlaskClient
) -> None:
    plain = client.get("/login", headers={"X-Request-Id": "from-the-visitor-1234"})
    assert re.fullmatch(r"[0-9a-f]{16}", plain.headers["X-Request-Id"])  # not trusted without a proxy
    proxied_app = create_app(make_config(database_url, tmp_path, proxy_fix=1))
    proxied = proxied_app.test_client()
    kept = proxied.get("/login", headers={"X-Request-Id": "a1b2c3d4e5f60718293a4b5c6d7e8f90"})
    assert kept.headers["X-Request-Id"] == "a1b2c3d4e5f60718293a4b5c6d7e8f90"
    for hostile in ("short", "x" * 200, "evil\nInjected: header", "<script>alert(1)</script>"):
        answer = proxied.get("/login", headers={"X-Request-Id": hostile.replace("\n", " ")})
        assert re.fullmatch(r"[0-9a-f]{16}", answer.headers["X-Request-Id"]), hostile
    proxied_app.extensions["lms.db"].engine.dispose()


def test_database_errors_are_told_apart() -> None:
    import sqlite3

    from sqlalchemy.exc import IntegrityError, InternalError, OperationalError, ProgrammingError
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    from lms.web.errors import database_unavailable

    class PgError(Exception):
        def __init__(self, sqlstate: str | None) -> None:
            super().__init__(sqlstate)
            self.sqlstate = sqlstate

    def sqlite_error(code: int) -> sqlite3.OperationalError:
        err = sqlite3.OperationalError("x")
        err.sqlite_errorcode = code  # type: ignore[attr-defined]
        return err

    assert database_unavailable(OperationalError("s", {}, PgError(None)))  # refused: no SQLSTATE
    assert database_unavailable(InternalError("s", {}, PgError("25006")))  # read-only transaction
    assert database_unavailable(OperationalError("s", {}, PgError("55P03")))  # lock timeout
    assert database_unavailable(OperationalError("s", {}, PgError("57014")))  # statement timeout
    assert database_unavailable(PoolTimeout())
    assert database_unavailable(OperationalError("s", {}, sqlite_error(5)))  # SQLITE_BUSY
    assert database_unavailable(OperationalError("s", {}, sqlite_error(8 | (1 << 8))))  # READONLY_*
    assert not database_unavailable(OperationalError("s", {}, sqlite_error(1)))  # a syntax error
    assert not database_unavailable(ProgrammingError("s", {}, PgError("42P01")))  # no such table
    assert not database_unavailable(IntegrityError("s", {}, PgError("23505")))
    assert not database_unavailable(RuntimeError("not a database error"))
