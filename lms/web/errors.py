"""Error pages in the site's own style (JSON under /api/); no stack trace reaches a user.

Two rules keep the error path standing when the rest is not:

1. When the database is what failed (connection refused, read-only, a lock not granted in time),
   the answer is a 503 with Retry-After that needs no database: no current user, no roles in the
   layout, the language from the cookie or the browser. Saved answers are safe: the failed
   request's transaction rolled back, and everything committed before it is untouched.
2. Every 500 and 503 carries an incident id — on the page, in the JSON (`error.incident`), in the
   X-Request-Id header and in the log line with the traceback — so a learner's screenshot leads an
   admin to the log. Behind a configured proxy (LMS_PROXY_FIX) the proxy's X-Request-Id is the id.
"""

from __future__ import annotations

import logging
import re
import secrets
import sqlite3
import time
from typing import Any

from flask import Flask, current_app, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from lms.web import security_log

log = logging.getLogger(__name__)

HANDLED = (400, 401, 403, 404, 405, 409, 413, 422, 429, 500, 503)
#: How long a client should wait before retrying when the database is unavailable: long enough
#: for a lock to clear or a restarted database to accept connections, short enough for a learner.
RETRY_AFTER_SECONDS = 30
#: A request id we accept from the proxy: the usual shapes (hex, UUID, nginx's $request_id).
REQUEST_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{7,127}$")
#: SQLite's primary result codes that mean "not now" rather than "a bug": BUSY, LOCKED, READONLY,
#: IOERR, FULL, CANTOPEN, PROTOCOL.
SQLITE_UNAVAILABLE = {5, 6, 8, 10, 13, 14, 15}
#: PostgreSQL SQLSTATEs that mean the same: a read-only transaction (a standby, or
#: default_transaction_read_only), a lock not granted in time, a serialization failure or deadlock
#: (retrying works), and whole classes 08 (connection), 53 (resources), 57 (operator intervention,
#: statement timeout), 58 (system).
PG_UNAVAILABLE = {"25006", "55P03", "40001", "40P01"}
PG_UNAVAILABLE_CLASSES = {"08", "53", "57", "58"}


def request_id() -> str:
    """This request's id: the proxy's X-Request-Id when a proxy is configured and it looks sane, else new."""
    rid = g.get("request_id")
    if rid is None:
        sent = request.headers.get("X-Request-Id", "")
        trusted = current_app.config["LMS"].proxy_fix and REQUEST_ID.match(sent)
        rid = sent if trusted else secrets.token_hex(8)
        g.request_id = rid
    return str(rid)


def database_unavailable(error: BaseException) -> bool:
    """Whether an exception means the database cannot serve us now (503), not a bug (500)."""
    if isinstance(error, sa_exc.TimeoutError):  # no pooled connection in time
        return True
    if not isinstance(error, sa_exc.DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    orig = error.orig
    if isinstance(orig, sqlite3.Error):
        code = getattr(orig, "sqlite_errorcode", None)
        return code is not None and (code & 0xFF) in SQLITE_UNAVAILABLE
    sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if sqlstate:
        return sqlstate in PG_UNAVAILABLE or sqlstate[:2] in PG_UNAVAILABLE_CLASSES
    # No SQLSTATE at all: the server was never reached (refused, unknown host, timed out).
    return isinstance(error, sa_exc.OperationalError)


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
    }


def _incident_text(code: int, database: bool) -> tuple[str, str, str | None]:
    """Title, message and the reassurance line of a 500 or 503 page."""
    if code == 503 and database:
        return (
            _("Temporarily unavailable"),
            _(
                "The database is not answering right now, so this could not be done. "
                "Try again in a minute or two."
            ),
            _(
                "Your saved answers are safe: everything saved before this moment is kept. Only the "
                "change you just made may not have been saved — go back and save it again in a moment."
            ),
        )
    if code == 503:
        return (
            _("Temporarily unavailable"),
            _("The service is down for a moment (maintenance). Try again shortly."),
            _("Your saved answers are safe: everything saved before this moment is kept."),
        )
    return (
        _("Something went wrong"),
        _("An unexpected error happened on our side. It has been logged; try again in a moment."),
        None,
    )


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
    if code in (500, 503):
        return incident_response(code, error)
    title, message = _titles().get(code, (error.name, error.description or ""))
    detail = None
    if isinstance(error, CSRFError):
        message = _(
            "The form had expired or was sent from another page, so it was not "
            "accepted (a protection against forged requests). Go back, reload the page "
            "and send it again."
        )
    elif code in (400, 422) and error.description and getattr(error, "lms_detail", False):
        detail = error.description
    _note_refusal(code, error)
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


def _note_refusal(code: int, error: HTTPException) -> None:
    """Refusals that matter to security go to the security log (counted, not one row each)."""
    if isinstance(error, CSRFError):
        security_log.note("csrf")
    elif code == 403:
        security_log.note("forbidden")
    elif code == 429:
        security_log.note("throttled", subject=_throttled_account())


def _throttled_account() -> str:
    """The account a breached per-account limit protects (sign-in, reset link), or "" for an address limit.

    Only then is it part of the security log's row: someone cycling through usernames from one
    address hits the address limit, and stays one row.
    """
    from lms.extensions import limiter

    current = limiter.current_limit
    for arg in current.request_args if current is not None else []:
        kind, _, account = str(arg).partition(":")
        if kind in ("user", "reset") and account:
            return account
    return ""


def _bare_page(code: int, title: str, message: str, reassurance: str | None, incident: str) -> str:
    """The incident page, rendered without context processors: no current user, no database."""
    context: dict[str, Any] = {
        "code": code,
        "title": title,
        "message": message,
        "reassurance": reassurance,
        "incident": incident,
        "retry": RETRY_AFTER_SECONDS if code == 503 else None,
    }
    try:
        return current_app.jinja_env.get_template("errors/incident.html").render(**context)
    except Exception:  # the error page itself must not fail: fall back to plain HTML
        log.exception("incident %s: the error page could not be rendered", incident)
        return (
            f"<!doctype html><title>{escape(title)}</title><h1>{escape(title)}</h1>"
            f"<p>{escape(message)}</p><p>Incident {escape(incident)}</p>"
        )


def incident_response(
    code: int, error: BaseException | None, *, database: bool = False
) -> tuple[Response | str, int, dict[str, str]]:
    """A 500 or 503 with an incident id, built without touching the database."""
    g.lms_degraded = True  # from here on, nothing in this request asks the database (see i18n)
    incident = request_id()
    if error is not None and not isinstance(error, HTTPException):
        log.error(
            "incident %s: %s on %s %s",
            incident,
            "database unavailable" if database else "unhandled error",
            request.method,
            request.path,
            exc_info=error,
        )
    else:
        log.warning("incident %s: %s on %s %s", incident, code, request.method, request.path)
    title, message, reassurance = _incident_text(code, database)
    headers = {"X-Request-Id": incident}
    if code == 503:
        headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    if request.path.startswith("/api/"):
        body = {
            "code": "unavailable" if code == 503 else "internal_error",
            "message": message,
            "incident": incident,
        }
        resp = jsonify(error=body)
        resp.status_code = code
        return resp, code, headers
    if request.headers.get("HX-Request") == "true":
        # htmx (the quiz's autosave) swaps this line into the page's status area.
        line = _("Not saved: %(message)s (incident %(id)s)", message=message, id=incident)
        return f'<span class="error">{escape(line)}</span>', code, headers
    return _bare_page(code, title, message, reassurance, incident), code, headers


def internal_error(error: Exception) -> tuple[Response | str, int, dict[str, str]]:
    """Log the real error with an incident id; show the visitor a page that needs no database."""
    original = getattr(error, "original_exception", None) or error
    if isinstance(original, HTTPException):
        return incident_response(original.code or 500, original)
    if database_unavailable(original):
        return incident_response(503, original, database=True)
    return incident_response(500, original)


def database_error(error: sa_exc.SQLAlchemyError) -> tuple[Response | str, int, dict[str, str]]:
    """The database could not serve the request: 503 "try again", not a 500 (bugs still raise)."""
    if not database_unavailable(error):
        raise error  # a bug, not an outage: the usual 500 path (or the test) gets it
    return incident_response(503, error, database=True)


def add_request_id(response: Response) -> Response:
    """Every response says which request it answered (the id an incident is logged under)."""
    response.headers.setdefault("X-Request-Id", request_id())
    return response


def init_app(app: Flask) -> None:
    """Register the handlers."""
    for code in HANDLED:
        if code == 500:
            continue
        app.register_error_handler(code, render_error)
    app.register_error_handler(500, internal_error)
    app.register_error_handler(sa_exc.DBAPIError, database_error)
    app.register_error_handler(sa_exc.TimeoutError, database_error)
    app.after_request(add_request_id)

