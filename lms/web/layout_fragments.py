"""Parts of the shared layout that are the same for every reader of one language, kept per process.

Every page extends base.html, and its links (the style sheet and scripts, the brand, the user
menu) and their translated names cost a `url_for` and a translation each on every request — more
than a short page's own content. They depend only on the language, the URL root the app is served
under and whether the reader is a learner, so each is rendered once per such combination from
`templates/_layout/<name>.html` and reused (the navigation's bounded cache). Nothing personal is in
them: the reader's name, the CSRF tokens and the page's own address stay in base.html.
"""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from lms.models import Role
from lms.web.navigation import NavCache

#: The fragments base.html uses.
NAMES = frozenset({"assets", "brand", "user_links", "footer"})

_cache: NavCache[Markup] = NavCache()


def layout_fragment(name: str) -> Markup:
    """A fragment of the layout (rendered, or reused from an earlier identical one)."""
    if name not in NAMES:
        raise ValueError(f"no layout fragment {name!r}")
    user = current_user._get_current_object()  # once: each use of the proxy looks the user up again
    learner = bool(user.is_authenticated and user.has_role(Role.LEARNER))
    key = (name, str(get_locale()), request.script_root, learner)
    found = _cache.get(key)
    if found is None:
        html = render_template(f"_layout/{name}.html", learner=learner)
        found = Markup(html)  # noqa: S704 - a template's output, escaped by Jinja's autoescape
        _cache.put(key, found)
    return found


def init_app(app: Flask) -> None:
    """Offer `layout_fragment()` to templates."""
    app.jinja_env.globals["layout_fragment"] = layout_fragment
