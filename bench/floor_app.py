"""The academy with four endpoints that do nothing of their own, served only by `make bench`.

They measure the floor every page of the table stands on, so a page's ratio can be read as "floor +
its own work" (`gunicorn bench.floor_app:app`, the same settings as the app):

- `/bench-floor/public`: a public page answering the ceiling's small HTML (the app's request
  handling: access check, rate limits, security headers, request id, teardown);
- `/bench-floor/signed-in`: the same for a signed-in reader (the session cookie, the user's row with
  roles and open assignments, the database session's begin and end);
- `/bench-floor/layout`: a signed-in page rendering only the shared layout (base.html with a line of
  content: navigation, language switch, user menu, CSRF tokens);
- `/api/bench-floor`: an API call with a token answering a small JSON document (the token's row
  with its user and roles).

They live here, not in `lms/`: the app a contact centre runs has no such pages.
"""

from __future__ import annotations

from flask import jsonify, render_template
from jinja2 import Template
from werkzeug.wrappers import Response

from lms import create_app
from lms.access import public, signed_in

PAGE = "<!doctype html><title>ping</title><p>pong</p>"  # what the ceiling's GET /ping answers

app = create_app()
_layout: list[Template] = []


@app.get("/bench-floor/public")
@public
def floor_public() -> str:
    """Nothing but the app's request handling."""
    return PAGE


@app.get("/bench-floor/signed-in")
@signed_in
def floor_signed_in() -> str:
    """Nothing but the app's request handling for a signed-in reader."""
    return PAGE


@app.get("/bench-floor/layout")
@signed_in
def floor_layout() -> str:
    """The shared layout around one line."""
    if not _layout:  # compiled in a request, so in the reader's language as every page is
        _layout.append(
            app.jinja_env.from_string(
                "{% extends 'base.html' %}{% block title %}ping{% endblock %}"
                "{% block content %}<p>pong</p>{% endblock %}"
            )
        )
    return render_template(_layout[0])


@app.get("/api/bench-floor")
@signed_in
def floor_api() -> Response:
    """An API call's handling with a token."""
    return jsonify(received=None)
