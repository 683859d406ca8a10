"""Error pages in the site's own style (JSON under /api/); no stack trace reaches a user."""

from __future__ import annotations

import logging
import time

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.wrappers import Response

log = logging.getLogger(__name__)

HANDLED = (400, 401, 403, 404, 405, 409, 413, 422, 429, 500, 503)


def _titles() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Bad request"), _("The request could not be understood. Go back and try again.")),
        401: (_("Sign in needed"), _("Sign in to see this page.")),
        403: (
            _("Not allowed"),
            _(
                "Your account does not have access to this page. If you think it "
                "should, ask an administrator."
            ),
        ),
        404: (
            _("Page not found"),
            _("There is nothing at this address. It may have moved, or the link may be mistyped."),
        ),
        405: (_("Not allowed"), _("This page does not accept that kind of request.")),
        409: (_("Conflict"), _("Someone changed this at the same time. Reload and try again.")),
        413: (_("Too large"), _("The upload is larger than the site accepts.")),
        422: (_("Cannot process"), _("The request was understood but its content is not valid.")),
        429: (_("Too many attempts"), _("Too many requests in a short time. Wait a moment and try again.")),
        500: (
            _("Something went wrong"),
            _("An unexpected error happened on our side. It has been logged; try again in a moment."),
        ),
        503: (
            _("Temporarily unavailable"),
            _(
                "The service is down for a moment (maintenance or "
                "an unreachable database). Try again shortly."
            ),
        ),
    }


def _retry_after() -> int | None:
    """Seconds until the limit that was hit resets (Flask-Limiter knows which one it was)."""
    from lms.extensions import limiter

    current = limiter.current_limit
    if current is None:
        return None
    return max(1, int(current.reset_at - time.time()))


def _extra_headers(error: HTTPException) -> dict[str, str]:
    """Headers the error carries besides its body (Allow on a 405, for instance)."""
    return {k: v for k, v in error.get_headers() if k.lower() != "content-type"}


def render_error(error: HTTPException) -> tuple[Response | str, int, dict[str, str]]:
    """An error page (or JSON body) for an HTTP error."""
    code = error.code or 500
    title, message = _titles().get(code, (error.name, error.description or ""))
    detail = None
    if isinstance(error, CSRFError):
        message = _(
            "The form had expired or was sent from another page, so it was not "
            "accepted (a protection against forged requests). Go back, reload the page "
            "and send it again."
        )
    elif code == 413:
        detail = None
    elif code in (400, 422) and error.description and getattr(error, "lms_detail", False):
        detail = error.description
    retry = _retry_after() if code == 429 else None
    if request.path.startswith("/api/"):
        body: dict[str, object] = {"code": error.name.lower().replace(" ", "_"), "message": message}
        resp = jsonify(error=body)
        resp.status_code = code
        if retry:
            resp.headers["Retry-After"] = str(retry)
        return resp, code, _extra_headers(error)
    html = render_template(
        "errors/error.html", code=code, title=title, message=message, detail=detail, retry=retry
    )
    return html, code, _extra_headers(error)


def internal_error(error: Exception) -> tuple[Response | str, int, dict[str, str]]:
    """Log the real error; show the visitor a friendly page."""
    original = getattr(error, "original_exception", error)
    if not isinstance(original, HTTPException):
        log.exception("unhandled error on %s %s", request.method, request.path, exc_info=original)
    return render_error(InternalServerError())


def init_app(app: Flask) -> None:
    """Register the handlers."""
    for code in HANDLED:
        if code == 500:
            continue
        app.register_error_handler(code, render_error)
    app.register_error_handler(500, internal_error)
