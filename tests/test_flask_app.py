"""The app's Flask class: hooks and views that are plain functions are called as they are."""

from __future__ import annotations

import functools

from flask import Flask


def _plain() -> str:
    return "plain"


async def _coroutine() -> str:
    return "async"


class _Hooks:
    def method(self) -> str:
        return "method"


def test_plain_functions_and_methods_are_returned_as_they_are(app: Flask) -> None:
    hooks = _Hooks()
    assert app.ensure_sync(_plain) is _plain
    assert app.ensure_sync(hooks.method) == hooks.method
    partial = functools.partial(_plain)  # no code of its own: Flask's own check
    assert app.ensure_sync(partial) is partial


def test_a_coroutine_function_still_goes_through_flasks_wrapping(app: Flask) -> None:
    # Flask wraps it with asgiref when installed; without it, Flask refuses it with its own message.
    try:
        wrapped = app.ensure_sync(_coroutine)
    except RuntimeError as err:
        assert "async" in str(err)
    else:
        assert wrapped is not _coroutine


def test_anything_but_a_plain_function_is_left_to_flask(app: Flask, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def marked() -> str:
        return "marked"

    marked._is_coroutine_marker = object()  # type: ignore[attr-defined] # inspect.markcoroutinefunction's mark
    asked: list[object] = []
    monkeypatch.setattr(Flask, "ensure_sync", lambda self, func: asked.append(func) or func)
    partial = functools.partial(_plain)
    for func in (_plain, _Hooks().method, partial, marked, _coroutine):
        app.ensure_sync(func)
    assert asked == [partial, marked, _coroutine]


def test_every_request_runs_its_hooks_and_view(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/healthz")  # a view, before_request hooks, after_request hooks
    assert response.status_code == 200
    assert response.headers["X-Request-Id"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
