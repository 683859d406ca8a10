"""Who may use which view. Every view declares it; undeclared views are refused (deny by default)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, abort, current_app, g, jsonify, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from lms.models import Role

F = TypeVar("F", bound=Callable[..., Any])

PUBLIC = "public"
SIGNED_IN = "signed-in"
ACCESS_ATTR = "_lms_access"


def public(view: F) -> F:
    """Anyone may use this view, signed in or not."""
    setattr(view, ACCESS_ATTR, PUBLIC)
    return view


def signed_in(view: F) -> F:
    """Any signed-in user may use this view."""
    setattr(view, ACCESS_ATTR, SIGNED_IN)
    return view


def roles_required(*roles: Role) -> Callable[[F], F]:
    """Signed-in users holding at least one of these roles may use this view."""
    if not roles:
        raise ValueError("name at least one role")

    def decorate(view: F) -> F:
        setattr(view, ACCESS_ATTR, frozenset(str(r) for r in roles))
        return view

    return decorate


def declared_access(app: Flask, endpoint: str) -> object:
    """What the view behind an endpoint declares (None when it declares nothing)."""
    if endpoint == "static":
        return PUBLIC
    view = app.view_functions.get(endpoint)
    return getattr(view, ACCESS_ATTR, None)


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def enforce_access() -> Response | None:
    """before_request: apply the current view's declaration; refuse views with none."""
    endpoint = request.endpoint
    if endpoint is None:  # 404 / 405: let the error handlers answer
        return None
    access = declared_access(current_app, endpoint)
    if access is None:
        abort(403)
    if access == PUBLIC:
        return None
    if not current_user.is_authenticated:
        if _wants_json():
            resp = jsonify(error={"code": "unauthorized", "message": "Sign in or send a token."})
            resp.status_code = 401
            return resp
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if access == SIGNED_IN:
        return None
    assert isinstance(access, frozenset)
    if not current_user.has_role(*access):
        abort(403)
    token = g.get("api_token")
    if token is not None and token.scope != "staff" and not (access & {"learner"}):
        abort(403)  # a learner-scoped token never acts as staff, whoever holds it
    return None
