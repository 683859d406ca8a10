"""A JSON body nested too deeply to parse is answered as malformed JSON: a 400, never a 500."""

from __future__ import annotations

from flask import Flask

DEEP = "[" * 5000 + "]" * 5000


def test_a_body_nested_too_deeply_is_bad_json(app: Flask) -> None:
    with app.test_request_context(data=DEEP, content_type="application/json"):
        from flask import request

        assert request.get_json(silent=True) is None
    assert app.json.loads('{"value": [1, [2]]}') == {"value": [1, [2]]}  # the rest unchanged
