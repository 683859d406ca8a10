"""The main navigation is rendered once per language, roles, page and open count, and reused."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask import template_rendered
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from lms.domain.assignments.assigning import assign
from lms.web import navigation, page_shell
from tests.factories import CourseFactory


def without_csrf(page: str) -> str:
    """A page without its CSRF tokens (signed with the second they were made in)."""
    return re.sub(r'(name="csrf_token" value|name="csrf-token" content)="[^"]*"', r"\1", page)


@pytest.fixture
def renders(client: FlaskClient, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """How many times the navigation template was rendered, from a fresh cache."""
    monkeypatch.setattr(navigation, "_cache", navigation.NavCache())
    monkeypatch.setattr(page_shell, "_cache", navigation.NavCache())  # the top that holds them
    seen: list[str] = []

    def note(_app, template, context, **_extra):  # type: ignore[no-untyped-def]
        if template.name == "_main_nav.html":
            seen.append(context["ep"])

    template_rendered.connect(note, client.application)
    yield seen
    template_rendered.disconnect(note, client.application)


def test_the_navigation_is_reused_until_its_language_page_or_open_count_changes(
    client: FlaskClient, login_as, db: Session, renders: list[str]
) -> None:
    learner = login_as("learner")
    first = client.get("/learn/library").get_data(as_text=True)
    again = client.get("/learn/library").get_data(as_text=True)
    assert renders == ["learn.library"] and without_csrf(first) == without_csrf(again)
    assert 'href="/learn/library" aria-current="page"' in again and "nav-count" not in again

    client.get("/learn/kpi")  # another page marks another link
    assert renders == ["learn.library", "kpi.mine"]

    course = CourseFactory()
    db.flush()
    now = dt.datetime.now(dt.UTC)
    assign(
        db,
        None,
        [learner.id],
        course=course,
        due_on=now.date(),
        reason="refresher",
        source="trainer",
        now=now,
    )
    db.commit()
    page = client.get("/learn/library").get_data(as_text=True)
    assert len(renders) == 3 and 'class="badge nav-count"' in page  # the open count is part of the key

    client.post("/language", data={"locale": "zh_Hans", "next": "/learn/library"})
    chinese = client.get("/learn/library").get_data(as_text=True)
    assert len(renders) == 4 and "话术库" in chinese


def test_staff_see_their_own_links_and_never_a_learners(
    client: FlaskClient, login_as, renders: list[str]
) -> None:
    login_as("trainer")
    page = client.get("/learn/library").get_data(as_text=True)
    assert 'href="/staff/"' in page and 'href="/learn/kpi"' not in page
    assert 'href="/admin/users"' not in page  # a trainer is not an admin
