"""`link()`: `url_for` for the addresses a page lists many of, each built once per process.

The Today page links 20–40 lessons, quizzes and courses on every view, and Flask's `url_for` costs
about 6 µs a link (endpoint lookup, URL defaults, converters, quoting). The same few hundred
curriculum addresses are asked for over and over, and an address depends only on the endpoint, its
values and the URL root the app is served under — so each is built once and kept (bounded: the kept
addresses are dropped when there are more than MAX).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, request, url_for

#: Kept addresses per app before they are all dropped (a curriculum has a few hundred).
MAX = 4096


def link(endpoint: str, **values: Any) -> str:
    """The address of `endpoint` with these values, as `url_for` builds it (path only)."""
    kept: dict[tuple[object, ...], str] = current_app.extensions["lms.links"]
    key = (request.script_root, endpoint, *sorted(values.items()))
    try:
        found = kept.get(key)
    except TypeError:  # a value that cannot be a key (a list …): never kept
        found = None
    if found is not None:
        return found  # only plain addresses are ever kept (below), so a hit needs no check
    if any(not isinstance(v, str | int) for v in values.values()) or any(k.startswith("_") for k in values):
        return url_for(endpoint, **values)  # anchors, external URLs, odd values: not kept
    found = url_for(endpoint, **values)
    if len(kept) >= MAX:
        kept.clear()
    kept[key] = found
    return found


def init_app(app: Flask) -> None:
    """Offer `link()` to templates."""
    app.extensions["lms.links"] = {}
    app.jinja_env.globals["link"] = link
