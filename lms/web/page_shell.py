"""The top of every page, kept per process with slots for what changes per request.

Every page extends base.html, whose top — doctype, head, the bar with the brand, the navigation,
the language switch and the user menu — was rendered by Jinja on every request: about 0.15 ms of a
signed-in page's 0.4 ms of shared layout, for HTML that is the same for everyone who reads the same
language, holds the same roles, is on the same page and has the same number of open assignments.

So `templates/_layout/top.html` is rendered once per such combination (the navigation's bounded
cache), with a marker in each place that changes per request, and kept split at the markers. A page
then joins the kept parts with its own values:

- the CSRF token (the head's meta and the two forms),
- the page's `title`, `head` and `body_class` blocks (already rendered, escaped, by Jinja),
- its address (the language switch's `next`),
- the reader's name (the user menu).

Every value is escaped here as Jinja's autoescape would (`markupsafe.escape`; the blocks are Markup
already and pass unchanged), and the kept parts are split only from our own render, so nothing a
reader writes (a name, an address) can add or move a slot.
"""

from __future__ import annotations

import re

from flask import Flask, render_template, request
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from lms.web.navigation import NavCache, nav_key

#: The per-request values of the top, in the names top.html uses for them.
SLOTS = ("csrf", "title", "head", "body_class", "next", "name")
#: A slot's marker in the kept render: a private-use character, which neither the templates nor the
#: translations hold, around the slot's name.
_MARK = "\ue000"
_SPLIT = re.compile(f"{_MARK}({'|'.join(SLOTS)}){_MARK}")

#: The rendered top in parts: literal HTML at even positions, slot names at odd ones.
_Parts = tuple[str, ...]
_cache: NavCache[_Parts] = NavCache()


def _render_parts() -> _Parts:
    markers = {slot: Markup(f"{_MARK}{slot}{_MARK}") for slot in SLOTS}  # noqa: S704 - our own markers
    html = render_template("_layout/top.html", signed_in=current_user.is_authenticated, **markers)
    return tuple(_SPLIT.split(html))


def page_top(title: str, head: str, body_class: str) -> Markup:
    """The page's top, from the doctype to `<main>`, with this request's values in its slots."""
    user = current_user._get_current_object()  # once: each use of the proxy looks the user up again
    signed_in = bool(user.is_authenticated)
    key = (signed_in, *nav_key(user))  # the navigation's key and whether there is a menu at all
    parts = _cache.get(key)
    if parts is None:
        parts = _render_parts()
        _cache.put(key, parts)
    values = {
        "csrf": escape(generate_csrf()),
        "title": escape(title),
        "head": escape(head),
        "body_class": escape(body_class),
        "next": escape(request.full_path.rstrip("?")),
        "name": escape(user.display_name) if signed_in else Markup(""),
    }
    return Markup("".join(part if n % 2 == 0 else values[part] for n, part in enumerate(parts)))  # noqa: S704


def init_app(app: Flask) -> None:
    """Offer `page_top()` to templates (base.html)."""
    app.jinja_env.globals["page_top"] = page_top
