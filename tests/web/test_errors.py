"""Error pages in the site's style; JSON under /api/; no stack traces."""

from __future__ import annotations

import pytest
from flask import Flask, abort
from flask.testing import FlaskClient

from lms.access import public


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
