"""Deny by default: every view declares who may use it, and the declarations hold."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from lms.access import declared_access


def test_every_view_declares_its_access(app: Flask) -> None:
    undeclared = [
        rule.endpoint for rule in app.url_map.iter_rules() if declared_access(app, rule.endpoint) is None
    ]
    assert undeclared == [], f"views without an access declaration: {undeclared}"


def test_a_view_without_declaration_is_refused(app: Flask) -> None:
    app.add_url_rule("/undeclared", "undeclared", lambda: "secret")
    assert app.test_client().get("/undeclared").status_code == 403


STAFF_PAGES = ["/staff/"]
ADMIN_PAGES = ["/admin/users", "/admin/users/new", "/admin/stores", "/admin/cohorts", "/admin/audit"]


@pytest.mark.parametrize("path", ["/learn/", *STAFF_PAGES, *ADMIN_PAGES, "/account/password"])
def test_anonymous_visitors_are_sent_to_sign_in(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("path", STAFF_PAGES + ADMIN_PAGES)
def test_learners_cannot_reach_staff_pages(client: FlaskClient, login_as, path: str) -> None:
    login_as("learner")
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("role", ["trainer", "qc"])
@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_only_admins_reach_administration(client: FlaskClient, login_as, role: str, path: str) -> None:
    login_as(role)
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admins_reach_administration(client: FlaskClient, login_as, path: str) -> None:
    login_as("admin")
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("role", ["trainer", "qc", "admin"])
def test_staff_reach_the_staff_desk(client: FlaskClient, login_as, role: str) -> None:
    login_as(role)
    assert client.get("/staff/").status_code == 200


def test_public_pages_need_no_sign_in(client: FlaskClient) -> None:
    assert client.get("/login").status_code == 200
    assert client.get("/healthz").status_code == 200
