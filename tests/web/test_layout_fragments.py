"""The layout's links are rendered once per language, URL root and kind of reader, and reused."""

from __future__ import annotations

import pytest
from flask import template_rendered
from flask.testing import FlaskClient

from lms.web import layout_fragments, navigation, page_shell


@pytest.fixture
def renders(client: FlaskClient, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """The layout fragments rendered, by name, from a fresh cache."""
    monkeypatch.setattr(layout_fragments, "_cache", navigation.NavCache())
    monkeypatch.setattr(page_shell, "_cache", navigation.NavCache())  # the top that holds them
    seen: list[str] = []

    def note(_app, template, **_extra):  # type: ignore[no-untyped-def]
        if template.name.startswith("_layout/") and template.name != "_layout/top.html":
            seen.append(template.name.removeprefix("_layout/").removesuffix(".html"))

    template_rendered.connect(note, client.application)
    yield seen
    template_rendered.disconnect(note, client.application)


def test_fragments_are_reused_per_language_url_root_and_kind_of_reader(
    client: FlaskClient, login_as, renders: list[str]
) -> None:
    client.get("/login")
    assert sorted(renders) == ["assets", "brand", "footer"]  # no user menu for a visitor
    page = client.get("/login").get_data(as_text=True)
    assert len(renders) == 3 and 'href="/static/css/app.css"' in page

    login_as("learner", display_name="<b>王芳</b>", locale="en")
    renders.clear()
    first = client.get("/learn/library").get_data(as_text=True)
    assert "user_links" in renders
    assert "My spot checks" in first and "&lt;b&gt;王芳&lt;/b&gt;" in first  # the name stays per person
    renders.clear()
    assert client.get("/learn/library").get_data(as_text=True).count('href="/learn/certificates"') == 1
    assert renders == []

    client.post("/language", data={"locale": "zh_Hans", "next": "/learn/library"})
    renders.clear()
    chinese = client.get("/learn/library").get_data(as_text=True)
    assert sorted(renders) == ["assets", "brand", "footer", "user_links"]  # another language
    assert "修改密码" in chinese and "Change password" not in chinese

    # Served under a URL root (behind a proxy), the links carry it.
    renders.clear()
    rooted = client.get("/learn/library", base_url="http://localhost/academy").get_data(as_text=True)
    assert len(renders) == 4 and 'href="/academy/static/css/app.css"' in rooted


def test_staff_menus_have_no_learner_links(client: FlaskClient, login_as, renders: list[str]) -> None:
    login_as("trainer")
    page = client.get("/staff/").get_data(as_text=True)
    assert "Change password" in page and "My spot checks" not in page


def test_an_unknown_fragment_is_a_programming_error(app) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context("/"), pytest.raises(ValueError, match="no layout fragment"):
        layout_fragments.layout_fragment("sidebar")
