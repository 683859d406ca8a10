"""The top of every page is rendered once per language, roles, page and open count; each request
fills its own slots (CSRF token, the page's blocks, its address, the reader's name), escaped."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import template_rendered
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from lms import create_app
from lms.web import navigation, page_shell
from tests.conftest import TEST_PASSWORD, make_config
from tests.factories import UserFactory


@pytest.fixture
def tops(client: FlaskClient, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """The endpoints whose top was rendered, from a fresh cache."""
    monkeypatch.setattr(page_shell, "_cache", navigation.NavCache())
    seen: list[str] = []

    def note(_app, template, **_extra):  # type: ignore[no-untyped-def]
        if template.name == "_layout/top.html":
            from flask import request

            seen.append(request.endpoint or "")

    template_rendered.connect(note, client.application)
    yield seen
    template_rendered.disconnect(note, client.application)


def _sign_in(client: FlaskClient, username: str) -> None:
    response = client.post("/login", data={"username": username, "password": TEST_PASSWORD})
    assert response.status_code == 302


def _tokens(page: str) -> list[str]:
    """The CSRF tokens in a page's top (the head's meta, the language and sign-out forms)."""
    top = page.split('<main id="main"', 1)[0]
    return re.findall(r'(?:name="csrf_token" value|name="csrf-token" content)="([^"]*)"', top)


def test_one_render_serves_every_reader_with_their_own_name_and_token(
    app, db: Session, tops: list[str]
) -> None:  # type: ignore[no-untyped-def]
    UserFactory(username="wangfang", display_name="王芳", roles=["learner"], locale="zh_Hans")
    UserFactory(username="lina", display_name="李娜", roles=["learner"], locale="zh_Hans")
    db.commit()
    pages = {}
    for name in ("wangfang", "lina"):
        client = app.test_client()
        _sign_in(client, name)
        pages[name] = client.get("/learn/library").get_data(as_text=True)
    assert tops == ["learn.library"]  # the second reader reused the first one's top
    wang, li = pages["wangfang"], pages["lina"]
    assert "<summary>王芳</summary>" in wang and "<summary>李娜</summary>" in li
    assert "王芳" not in li and "李娜" not in wang
    # Three places carry the reader's own token: the head's meta, the language and sign-out forms.
    assert len(set(_tokens(wang))) == 1 and len(_tokens(wang)) == 3
    assert set(_tokens(wang)).isdisjoint(_tokens(li))
    assert '<html lang="zh-Hans">' in wang and 'name="next" value="/learn/library"' in wang
    assert "\ue000" not in wang  # no marker left unfilled


def test_a_name_or_address_is_escaped_and_cannot_reach_a_slot(
    client: FlaskClient, login_as, tops: list[str]
) -> None:
    login_as("learner", display_name='<img src=x onerror=alert(1)>"\ue000csrf\ue000', locale="en")
    page = client.get('/learn/library?q="><script>alert(2)</script>').get_data(as_text=True)
    assert "<img src=x" not in page and "<script>alert(2)" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;&#34;\ue000csrf\ue000</summary>" in page  # kept as written
    assert 'name="next" value="/learn/library?q=&#34;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"' in page
    assert len(_tokens(page)) == 3 and len(set(_tokens(page))) == 1


def test_the_page_fills_its_title_head_and_body_class(client: FlaskClient, tops: list[str]) -> None:
    page = client.get("/login").get_data(as_text=True)
    assert re.search(r"<title>[^<]*· Service Academy</title>", page)
    assert '<body class="login-page">' in page
    assert 'class="usermenu"' not in page and 'id="nav-toggle"' not in page  # a visitor has neither
    assert tops == ["auth.login"]


def test_the_top_changes_with_the_language_the_page_and_the_open_count(
    client: FlaskClient, login_as, tops: list[str]
) -> None:
    login_as("learner", locale="en")
    client.get("/learn/library")
    client.get("/learn/library")
    client.get("/learn/kpi")
    assert tops == ["learn.library", "kpi.mine"]
    client.post("/language", data={"locale": "zh_Hans", "next": "/learn/library"})
    chinese = client.get("/learn/library").get_data(as_text=True)
    assert tops[-1] == "learn.library" and len(tops) == 3
    assert '<html lang="zh-Hans">' in chinese and 'value="zh_Hans" selected' in chinese


def test_the_kept_token_is_accepted_by_the_forms(database_url: str, tmp_path: Path, db: Session) -> None:
    """With CSRF on, the token filled into the kept top signs the reader out (and switches language)."""
    UserFactory(username="agent", roles=["learner"], locale="en")
    db.commit()
    app = create_app(make_config(database_url, tmp_path, csrf=True))
    client = app.test_client()
    login = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login).group(1)
    client.post("/login", data={"username": "agent", "password": TEST_PASSWORD, "csrf_token": token})
    client.get("/learn/library")  # the top is kept now
    page = client.get("/learn/library").get_data(as_text=True)
    kept = _tokens(page)[0]
    switched = client.post("/language", data={"locale": "zh_Hans", "next": "/learn/", "csrf_token": kept})
    assert switched.status_code == 302
    assert client.post("/logout", data={"csrf_token": "forged"}).status_code == 400
    assert client.post("/logout", data={"csrf_token": kept}).status_code == 302
    assert client.get("/learn/library").status_code == 302  # signed out
    app.extensions["lms.db"].engine.dispose()
