"""Templates render from their globals merged into one dict: the same values, in the same order of
precedence, and a global added after a template was loaded is still seen."""

from __future__ import annotations

from collections import ChainMap

from flask import Flask
from jinja2 import DictLoader, Environment

from lms.web.template_globals import FlatGlobalsTemplate, flat_globals


def test_the_app_renders_with_flat_globals(app: Flask) -> None:
    assert app.jinja_env.template_class is FlatGlobalsTemplate
    with app.test_request_context("/"):
        template = app.jinja_env.from_string("{{ link('auth.login') }}")
        context = template.new_context({"who": "王芳"})
        assert type(context.parent) is dict
        assert context.parent["who"] == "王芳" and context.parent["link"] is app.jinja_env.globals["link"]
        assert template.render() == "/login"


def test_earlier_maps_win_as_in_a_chainmap() -> None:
    own, shared = {"a": 1}, {"a": 2, "b": 3}
    assert flat_globals(ChainMap(own, shared)) == dict(ChainMap(own, shared)) == {"a": 1, "b": 3}
    plain = {"c": 4}
    assert flat_globals(plain) is plain


def test_values_and_template_globals_win_over_the_environments() -> None:
    env = Environment(autoescape=True)
    env.template_class = FlatGlobalsTemplate
    env.globals.update(site="academy", who="nobody")
    template = env.from_string("{{ site }}|{{ who }}|{{ mine }}", globals={"mine": "own"})
    assert template.render(who="<李娜>") == "academy|&lt;李娜&gt;|own"


def test_a_global_added_after_loading_is_seen() -> None:
    env = Environment(autoescape=True)
    env.template_class = FlatGlobalsTemplate
    template = env.from_string("{{ late }}")
    env.globals["late"] = "added later"
    assert template.render() == "added later"


def test_an_include_and_an_import_see_the_globals() -> None:
    env = Environment(
        autoescape=True,
        loader=DictLoader(
            {
                "part.html": "[{{ site }}:{{ n }}]",
                "macros.html": "{% macro tag() %}<{{ site }}>{% endmacro %}",
                "page.html": "{% set n = 2 %}{% include 'part.html' %}"
                "{% import 'macros.html' as m %}{{ m.tag() }}",
            }
        ),
    )
    env.template_class = FlatGlobalsTemplate
    env.globals["site"] = "academy"
    assert env.get_template("page.html").render() == "[academy:2]<academy>"
