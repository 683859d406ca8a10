"""Templates whose render starts from the globals as one plain dict, not Jinja's ChainMap.

Jinja keeps a template's globals as `ChainMap(template's own, environment's)`, so a change to the
environment's globals is seen by templates already loaded. Every render copies them into the new
context (`dict(globals, **values)`) and again into a set of their names; on a ChainMap each copy looks
every one of the ~40 names up in Python, one map after the other: about 14 µs of a page's render
(measured: 13.7 µs a context with Jinja's copy, 2.2 µs from a plain dict).

Here the maps are merged into one dict first, with the same precedence (the template's own over the
environment's), on every render — so a global added later is still seen — and Jinja copies that at C
speed. Nothing else about a render changes.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping, MutableMapping
from typing import Any

from jinja2 import Template
from jinja2.runtime import Context, new_context


def flat_globals(found: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """The globals as one dict, earlier maps winning as ChainMap's look-up does."""
    if not isinstance(found, ChainMap):
        return found
    merged: dict[str, Any] = {}
    for layer in reversed(found.maps):
        merged.update(layer)
    return merged


class FlatGlobalsTemplate(Template):
    """A template that hands its render's context the globals as a plain dict."""

    def new_context(
        self,
        vars: dict[str, Any] | None = None,  # noqa: A002 - Jinja's signature
        shared: bool = False,
        locals: Mapping[str, Any] | None = None,  # noqa: A002 - Jinja's signature
    ) -> Context:
        return new_context(
            self.environment, self.name, self.blocks, vars, shared, flat_globals(self.globals), locals
        )
