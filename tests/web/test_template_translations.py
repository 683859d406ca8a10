"""Templates are translated when compiled, once per language: the same pages, in each language, with
the values still escaped and `%%` still a percent sign."""

from __future__ import annotations

from flask import Flask, render_template
from flask.testing import FlaskClient
from flask_babel import force_locale
from jinja2 import nodes

from lms.web.template_translations import TranslatedEnvironment

SOURCE = '{{ _("My programme") }}|{{ _("Welcome, %(name)s", name=who) }}|{{ gettext("100%% done") }}'


def render(app: Flask, locale: str, source: str = SOURCE, **context: object) -> str:
    with app.test_request_context("/"), force_locale(locale):
        return app.jinja_env.from_string(source).render(**context)


def test_the_environment_translates_literals_at_compile_time(app: Flask) -> None:
    assert isinstance(app.jinja_env, TranslatedEnvironment)
    with app.test_request_context("/"), force_locale("zh_Hans"):
        tree = app.jinja_env._parse(
            '{{ _("My programme") }}{{ _("Welcome, %(name)s", name=who) }}', None, None
        )
    consts = [n.value for n in tree.find_all(nodes.Const)]
    calls = [c.node.name for c in tree.find_all(nodes.Call) if isinstance(c.node, nodes.Name)]
    assert "我的培训" in consts and "欢迎，%(name)s" in consts
    assert calls == ["_translated"]  # only the call with a value is left, to its translated text


def test_each_language_reads_its_own_translation_with_values_escaped(app: Flask) -> None:
    who = "<b>王芳</b>"
    assert render(app, "zh_Hans", who=who) == "我的培训|欢迎，&lt;b&gt;王芳&lt;/b&gt;|100% done"
    assert render(app, "en", who=who) == "My programme|Welcome, &lt;b&gt;王芳&lt;/b&gt;|100% done"


def test_a_file_template_is_kept_once_per_language(app: Flask) -> None:
    pages = {}
    for locale in ("en", "zh_Hans", "en"):
        with app.test_request_context("/"), force_locale(locale):
            page = render_template("errors/error.html", code=404, message="x")
            pages.setdefault(locale, []).append(page.split("<main", 1)[1])  # the CSRF token aside
    assert pages["en"][0] == pages["en"][1] != pages["zh_Hans"][0]
    assert "Go to the start page" in pages["en"][0] and "Go to the start page" not in pages["zh_Hans"][0]
    kept = [key for key in app.jinja_env.cache.keys() if key[1] == "errors/error.html"]  # type: ignore[union-attr]  # noqa: SIM118 - an LRUCache
    assert sorted(key[2] for key in kept) == ["en", "zh_Hans"]


def test_outside_the_app_templates_translate_when_rendered(app: Flask) -> None:
    template = app.jinja_env.from_string('{{ _("My programme") }}')  # no language known yet
    with app.test_request_context("/"), force_locale("zh_Hans"):
        assert template.render() == "我的培训"


def test_pages_in_both_languages(client: FlaskClient) -> None:
    assert "Sign in" in client.get("/login").get_data(as_text=True)
    client.post("/language", data={"locale": "zh_Hans", "next": "/login"})
    chinese = client.get("/login").get_data(as_text=True)
    assert "登录" in chinese and "Sign in" not in chinese.split("<main", 1)[1]


def test_formatting_a_translation_is_what_markup_formatting_gives() -> None:
    from decimal import Decimal

    from flask_babel import lazy_gettext
    from markupsafe import Markup

    from lms.web.template_translations import markup_format

    cases: list[tuple[str, dict[str, object]]] = [
        ("Welcome, %(name)s", {"name": '<img src=x onerror="alert(1)">'}),
        ("%(a)s & %(b)s", {"a": Markup("<b>kept</b>"), "b": "A&B"}),
        ("%(done)s of %(total)s, %(pct).1f %%", {"done": 3, "total": 10, "pct": 33.333}),
        ("%(n)d passed, %(flag)s", {"n": True, "flag": False}),
        ("%(n)d chars/min", {"n": "42"}),  # a number as text: Markup converts it, so must we
        ("%(amount)s yuan, %(none)s", {"amount": Decimal("9.90"), "none": None}),
        ("100%% done", {}),
        ("%(label)s", {"label": lazy_gettext("FAQ mastery")}),
    ]
    for text, values in cases:
        got = markup_format(text, values)
        assert isinstance(got, Markup)
        assert got == Markup(text) % values, text  # noqa: S704 - the reference it must equal
