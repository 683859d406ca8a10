"""The main navigation, kept per process.

It is the same for everyone who holds the same roles, reads the same language, is on the same
page and has the same number of open assignments, and building it was the shared layout's largest
cost (18 links, 17 translated names — about half of what the layout costs every page). It is
rendered once for each such combination (`templates/_main_nav.html`) and reused; the least recently
used combinations are dropped past a bound. Nothing in it is personal beyond the open count, which
is part of the key: the layout's per-person parts (the CSRF tokens, the name) stay in base.html.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Generic, NamedTuple, TypeVar

from flask import Flask, render_template, request
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from lms.db import db_session
from lms.domain.assignments.assigning import open_count
from lms.models import Role, User
from lms.models.people import STAFF_ROLES

#: Combinations kept (languages × role sets × pages × counts); a few dozen are in use at a time.
SIZE = 512

#: What a rendered piece is kept by (the navigation: language, URL root, roles, page, open count).
_Key = tuple[object, ...]
#: What is kept: rendered markup, or a rendered page top in parts (`page_shell`).
V = TypeVar("V")


class NavCache(Generic[V]):
    """Rendered pieces by key, least recently used dropped first; safe across threads."""

    def __init__(self, size: int = SIZE) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._saved: OrderedDict[_Key, V] = OrderedDict()

    def get(self, key: _Key) -> V | None:
        with self._lock:
            found = self._saved.get(key)
            if found is not None:
                self._saved.move_to_end(key)
            return found

    def put(self, key: _Key, nav: V) -> None:
        with self._lock:
            self._saved[key] = nav
            self._saved.move_to_end(key)
            while len(self._saved) > self.size:
                self._saved.popitem(last=False)


_cache: NavCache[Markup] = NavCache()


class NavKey(NamedTuple):
    """What the navigation depends on: everything else in it is the same for every reader."""

    locale: str
    script_root: str
    roles: tuple[str, ...]
    endpoint: str
    n_open: int


def nav_key(user: object) -> NavKey:
    """The navigation's key for this reader on this page (a visitor: no roles, no count). The page
    top (`page_shell`) keeps the navigation inside it, so it is kept by this key too: one place
    decides what the navigation depends on."""
    roles: tuple[str, ...] = ()
    n_open = 0
    if isinstance(user, User):  # flask-login's visitor is not one
        roles = tuple(sorted(user.role_names))
        n_open = open_count(db_session(), user.id) if Role.LEARNER.value in roles else 0
    return NavKey(str(get_locale()), request.script_root, roles, request.endpoint or "", n_open)


def main_nav() -> Markup:
    """The signed-in reader's navigation (rendered, or reused from an earlier identical one)."""
    key = nav_key(current_user._get_current_object())
    nav = _cache.get(key)
    if nav is None:
        html = render_template(
            "_main_nav.html",
            ep=key.endpoint,
            roles=key.roles,
            staff=bool(STAFF_ROLES & set(key.roles)),
            n_open=key.n_open,
        )
        nav = Markup(html)  # noqa: S704 - a template's output, escaped by Jinja's autoescape
        _cache.put(key, nav)
    return nav


def init_app(app: Flask) -> None:
    """Offer `main_nav()` to templates."""
    app.jinja_env.globals["main_nav"] = main_nav
