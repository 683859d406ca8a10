"""`link()`: `url_for` for the addresses a page lists many of, each built once per process.

The Today page links 20–40 lessons, quizzes and courses on every view, and Flask's `url_for` costs
about 6 µs a link (endpoint lookup, URL defaults, converters, quoting). The same few hundred
curriculum addresses are asked for over and over, and an address depends only on the endpoint, its
values and the URL root the app is served under — so each is built once and kept (bounded: the kept
addresses are dropped when there are more than MAX).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, has_request_context, request, url_for

#: Kept addresses per app before they are all dropped (a curriculum has a few hundred).
MAX = 4096


def link(endpoint: str, **values: Any) -> str:
    """The address of `endpoint` with these values, as `url_for` builds it (path only)."""
    return PageLinks(current_app.extensions["lms.links"], request.script_root)(endpoint, **values)


class PageLinks:
    """`link()` for one page's render, with the kept addresses and the URL root looked up once.

    Each look-up through Flask's request-local proxies (`current_app`, `request`) costs about 0.8 µs,
    more than finding a kept address; a page renders 20–50 links, so the templates get this, made
    once per render (`_page_links`), as their `link`."""

    __slots__ = ("_kept", "_root")

    def __init__(self, kept: dict[tuple[object, ...], str], root: str) -> None:
        self._kept = kept
        self._root = root

    def __call__(self, endpoint: str, **values: Any) -> str:
        for name, value in values.items():
            # Only text and whole numbers are kept, by their exact type: 1, 1.0 and True are equal
            # keys of a dict but three different addresses.
            if (type(value) is not str and type(value) is not int) or name.startswith("_"):
                return url_for(endpoint, **values)  # anchors, external URLs, odd values: not kept
        key = (self._root, endpoint, *sorted(values.items()))
        kept = self._kept
        found = kept.get(key)
        if found is None:
            found = url_for(endpoint, **values)
            if len(kept) >= MAX:
                kept.clear()
            kept[key] = found
        return found


def _page_links() -> dict[str, Any]:
    """Context processor: this render's `link` (the global one serves templates rendered without a
    request's context, and macros imported without the page's context)."""
    if not has_request_context():
        return {}
    return {"link": PageLinks(current_app.extensions["lms.links"], request.script_root)}


def init_app(app: Flask) -> None:
    """Offer `link()` to templates."""
    app.extensions["lms.links"] = {}
    app.jinja_env.globals["link"] = link
    app.context_processor(_page_links)
