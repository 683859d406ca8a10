"""Sending a picture from a course's folder (learners' pages and the editor's preview share this)."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from flask import abort, current_app, request, send_file
from werkzeug.security import safe_join
from werkzeug.wrappers import Response

from lms.db import db_session
from lms.domain.authoring.course_files import image_by_path

IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}


#: An uploaded picture's name never changes its bytes, so browsers and proxies may keep it a year.
UPLOAD_MAX_AGE = 365 * 24 * 3600


def send_course_image(slug: str, path: str, max_age: int) -> Response:
    """The picture at `path` inside `courses/<slug>/` (a shipped file, else an upload kept in the
    database), or 404 (outside the folder, missing, not an image)."""
    root = Path(current_app.config["LMS"].content_dir) / "courses" / slug
    full = safe_join(str(root), path)
    if full is None:
        abort(404)
    if not Path(full).is_file():
        uploaded = image_by_path(db_session(), slug, path)
        if uploaded is None:
            abort(404)
        response = Response(bytes(uploaded.data), mimetype=uploaded.mimetype)
        response.set_etag(uploaded.sha256)
        response.cache_control.public = True
        response.cache_control.max_age = UPLOAD_MAX_AGE
        response.cache_control.immutable = True
        return response.make_conditional(request)
    kind, _encoding = mimetypes.guess_type(full)
    if kind not in IMAGE_TYPES:
        abort(404)
    return send_file(full, mimetype=kind, max_age=max_age)
