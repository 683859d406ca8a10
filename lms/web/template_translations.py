"""Templates translated when they are compiled, once per language, instead of on every render.

A page's `{{ _("…") }}` ran the catalogue lookup and the formatting on every request (the Today page
translates 70 strings, about a tenth of its time). The strings are fixed, so each language gets its
own compiled copy of each template, with:

- `_("text")` and `gettext("text")` (a literal, no values) replaced by the translated text itself,
  which Jinja then writes into the compiled template as it does any constant;
- `_("text %(name)s", name=…)` keeping its call, to the already translated text (only the values
  are formatted per render).

What a page shows is unchanged: the same catalogue (the request's language, or `force_locale`'s), the
same markup rules (under autoescape the translation is trusted and the values escaped), and `%%`
still a percent sign. A template compiled outside any request (no language known) is left as
written and translates at render time, as before.
"""

from __future__ import annotations

import weakref
from typing import Any

from flask import has_app_context
from flask.templating import Environment
from flask_babel import get_locale, get_translations
from jinja2 import nodes
from jinja2.nodes import EvalContext
from jinja2.utils import internalcode, pass_eval_context
from jinja2.visitor import NodeTransformer
from markupsafe import Markup, escape

from lms.web.template_globals import FlatGlobalsTemplate

#: The template functions whose literal argument is translated at compile time.
TRANSLATING = frozenset({"_", "gettext"})
#: The global that formats an already translated text (what `_` does after its lookup).
FORMAT = "_translated"


def markup_format(text: str, variables: dict[str, Any]) -> Markup:
    """`Markup(text) % variables`: the text trusted, each value escaped (numbers written as numbers).

    The same result at less than half the cost (a page formats 20–50 of these): the values are
    escaped first and the plain text formatted, instead of Markup wrapping each value in a helper
    for every conversion. A value the plain formatting refuses (a number written with `%d` as
    text …) goes through Markup's own formatting, which converts it as before."""
    try:
        escaped = {k: v if isinstance(v, int | float) else escape(v) for k, v in variables.items()}
        return Markup(text % escaped)  # noqa: S704 - our own catalogue, trusted as Jinja trusts it
    except (TypeError, ValueError):
        return Markup(text) % variables  # noqa: S704 - as above


@pass_eval_context
def format_translated(eval_ctx: EvalContext, text: str, **variables: Any) -> str:
    """A translated text with its values: markup under autoescape (values escaped), %-formatted."""
    if eval_ctx.autoescape:
        return markup_format(text, variables)
    return text % variables


class _Translate(NodeTransformer):
    """Replaces the translating calls with literal arguments in one template's syntax tree."""

    def __init__(self, catalogue: Any) -> None:
        self.catalogue = catalogue

    def visit_Call(self, node: nodes.Call) -> nodes.Node:  # noqa: N802 - Jinja's visitor naming
        self.generic_visit(node)  # calls inside its arguments first (changed in place)
        name = node.node
        if not (
            isinstance(name, nodes.Name)
            and name.name in TRANSLATING
            and len(node.args) == 1
            and isinstance(node.args[0], nodes.Const)
            and isinstance(node.args[0].value, str)
            and node.dyn_args is None
            and node.dyn_kwargs is None
        ):
            return node
        text = self.catalogue.ugettext(node.args[0].value)
        if node.kwargs:
            return nodes.Call(
                nodes.Name(FORMAT, "load", lineno=node.lineno),
                [nodes.Const(text, lineno=node.lineno)],
                node.kwargs,
                None,
                None,
                lineno=node.lineno,
            )
        try:
            text = text % {}
        except (KeyError, TypeError, ValueError):
            return node  # a placeholder without its value: left to fail (or not) as it did
        return nodes.MarkSafeIfAutoescape(nodes.Const(text, lineno=node.lineno), lineno=node.lineno)


def _language() -> str | None:
    """The language templates are being compiled and looked up for (None outside the app)."""
    return str(get_locale()) if has_app_context() else None


class TranslatedEnvironment(Environment):
    """Flask's template environment, with each template compiled and kept once per language (and
    rendered from plain-dict globals, `lms/web/template_globals.py`)."""

    template_class = FlatGlobalsTemplate

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        if _language() is None:
            return tree
        translated = _Translate(get_translations()).visit(tree)
        assert isinstance(translated, nodes.Template)
        translated.set_environment(self)  # the new nodes too
        return translated

    @internalcode
    def _load_template(self, name: str, globals: Any) -> Any:  # noqa: A002 - Jinja's signature
        # Jinja's own lookup, with the language in the key (one compiled copy per language).
        if self.loader is None:
            raise TypeError("no loader for this environment specified")
        key = (weakref.ref(self.loader), name, _language())
        cache: Any = self.cache  # Jinja types its keys as (loader, name)
        if cache is not None:
            template = cache.get(key)
            if template is not None and (not self.auto_reload or template.is_up_to_date):
                if globals:
                    template.globals.update(globals)
                return template
        template = self.loader.load(self, name, self.make_globals(globals))
        if cache is not None:
            cache[key] = template
        return template
