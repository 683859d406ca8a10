"""Reading JSON request bodies: a body nested too deeply to parse is bad input, not a server error."""

from __future__ import annotations

from typing import Any

from flask.json.provider import DefaultJSONProvider


class AcademyJSONProvider(DefaultJSONProvider):
    """Flask's JSON, except that a body nested deeper than Python's recursion limit (a few thousand
    `[`) fails as malformed JSON does (ValueError: a 400, or None for `get_json(silent=True)`)
    instead of raising RecursionError out of the view (a 500)."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError("the JSON is nested too deeply") from None
