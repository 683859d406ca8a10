"""Rate limits, declared per view with `limited(...)`; only the views that declare one pay to check it.

Flask-Limiter's automatic check walks every request through its exemption and limit resolution,
although only sign-in, password reset and certificate verification have limits: about 0.07 ms of
CPU on every request (measured on the lesson reader and /healthz, in-process, hook on and off in
turns). The limiter is built with `auto_check=False`; the hook here asks it to check only on a view
that declared a limit, after access control, where the decorator used to check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import Flask, current_app, request

from lms.extensions import limiter

F = TypeVar("F", bound=Callable[..., Any])

#: Set on a view by `limited`: the before-request hook checks only views that carry it.
MARK = "lms_rate_limited"


def limited(limit_value: str | Callable[[], str], **options: Any) -> Callable[[F], F]:
    """`@limiter.limit(...)` that the request hook knows to check (stack several for several limits)."""
    decorate = limiter.limit(limit_value, **options)

    def wrap(view: F) -> F:
        wrapped = decorate(view)
        setattr(wrapped, MARK, True)
        return cast(F, wrapped)

    return wrap


def check_declared_limits() -> None:
    """before_request: on a view that declared limits, check them (429 when one is exceeded)."""
    view = current_app.view_functions.get(request.endpoint or "")
    if view is not None and getattr(view, MARK, False):
        limiter.check()


def init_app(app: Flask) -> None:
    """Check declared limits after access control (register after `enforce_access`)."""
    app.before_request(check_declared_limits)
