"""The interface language: the browser's on a first visit, then the choice made, remembered."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from lms.models import User
from lms.web.i18n import LOCALE_COOKIE
from tests.factories import UserFactory

ZH = '<html lang="zh-Hans">'
EN = '<html lang="en">'


def _page(client: FlaskClient, url: str = "/login", **headers: str) -> str:
    return client.get(url, headers=headers).get_data(as_text=True)


def test_a_first_visit_follows_the_browser(client: FlaskClient) -> None:
    assert ZH in _page(client, **{"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"})
    assert EN in _page(client, **{"Accept-Language": "en-GB,en;q=0.9"})


def test_the_choice_is_remembered_in_a_cookie(client: FlaskClient) -> None:
    response = client.post("/language", data={"locale": "zh_Hans", "next": "/login"})
    assert response.status_code == 302
    cookie = client.get_cookie(LOCALE_COOKIE)
    assert cookie is not None and cookie.value == "zh_Hans"
    assert ZH in _page(client, **{"Accept-Language": "en"})
    client.post("/language", data={"locale": "en", "next": "/login"})
    assert EN in _page(client, **{"Accept-Language": "zh-CN"})


def test_an_unknown_language_changes_nothing(client: FlaskClient) -> None:
    client.post("/language", data={"locale": "fr", "next": "/login"})
    assert client.get_cookie(LOCALE_COOKIE) is None


def test_a_user_without_a_saved_language_follows_the_browser_and_saves_a_choice(
    client: FlaskClient, db: Session, login_as: Callable[..., User]
) -> None:
    user = login_as("learner", locale="")
    assert ZH in _page(client, "/learn/", **{"Accept-Language": "zh-CN"})
    client.post("/language", data={"locale": "en", "next": "/"})
    db.refresh(user)
    assert user.locale == "en"
    client.delete_cookie(LOCALE_COOKIE)
    assert EN in client.get("/", headers={"Accept-Language": "zh-CN"}, follow_redirects=True).get_data(
        as_text=True
    )


def test_the_people_page_names_roles_in_the_reader_language(
    client: FlaskClient, db: Session, login_as: Callable[..., User]
) -> None:
    login_as("admin", locale="zh_Hans")
    UserFactory(roles=["learner", "qc"])
    db.commit()
    page = _page(client, "/admin/users")
    assert ">学员</span>" in page and ">质检</span>" in page
    assert ">learner</span>" not in page and ">qc</span>" not in page


def test_templates_translate_escape_values_and_format_like_jinjas_newstyle_gettext(app) -> None:  # type: ignore[no-untyped-def]
    source = (
        '{{ _("Sign out") }}|{{ _("day %(n)s", n=n) }}|{{ _("100%% sure") }}|'
        '{{ gettext("Cohorts") }}|{% trans %}Switch{% endtrans %}'
    )
    with app.test_request_context("/", headers={"Accept-Language": "zh-CN"}):
        html = app.jinja_env.from_string(source).render(n="<b>3</b>")
        assert html.split("|")[1] == "第&lt;b&gt;3&lt;/b&gt;天"  # the value is escaped, the text is not
        assert html.split("|")[0] == "退出登录" and html.split("|")[2] == "100% sure"
        assert "<b>" not in html and html.split("|")[3] == "批次" and html.split("|")[4] == "切换"
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        text = app.jinja_env.overlay(autoescape=False).from_string('{{ _("day %(n)s", n=n) }}')
        assert text.render(n="<b>3</b>") == "day <b>3</b>"  # plain text stays plain


def test_a_pages_render_translates_and_picks_titles_as_the_globals_do(app) -> None:  # type: ignore[no-untyped-def]
    """render_template gives each render its own `_`, `gettext`, `title_for`, `tr` and `reads_english`
    (the language and catalogue looked up once); they answer as the globals, and a macro imported
    without the page's context still finds the globals."""
    from flask import render_template_string

    from lms.web.i18n import PageTranslations, ReaderLanguage

    course = {
        "title": "仓库周",
        "title_en": "Warehouse week",
        "summary": "认识仓库",
        "en": {"summary": "Meet it"},
    }
    source = (
        "{{ _(message, n=n) }}|{{ gettext(plain) }}|{{ title_for(course) }}|{{ tr(course, 'summary') }}|"
        "{{ reads_english() }}|{% trans %}Switch{% endtrans %}"
    )
    macro = "{% macro t(c, m) %}{{ title_for(c) }}/{{ _(m) }}{% endmacro %}"
    for language, expected in (
        ("zh-CN", "第&lt;b&gt;3&lt;/b&gt;天|批次|仓库周|认识仓库|False|切换"),
        ("en", "day &lt;b&gt;3&lt;/b&gt;|Cohorts|Warehouse week|Meet it|True|Switch"),
    ):
        with app.test_request_context("/", headers={"Accept-Language": language}):
            context = {"message": "day %(n)s", "n": "<b>3</b>", "plain": "Cohorts", "course": course}
            page = render_template_string(source, **context)
            assert page == expected
            assert page == app.jinja_env.from_string(source).render(**context)  # the globals
            seen = render_template_string(
                "{{ _.__class__.__name__ }} {{ title_for.__self__.__class__.__name__ }}"
            )
            assert seen == f"{PageTranslations.__name__} {ReaderLanguage.__name__}"
            imported = app.jinja_env.from_string(macro).module
            title, plain = expected.split("|")[2], expected.split("|")[1]
            assert str(imported.t(course, "Cohorts")) == f"{title}/{plain}"
