"""Sending a picture from a course's folder (learners' pages and the editor's preview share this)."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from flask import abort, current_app, send_file
from werkzeug.security import safe_join
from werkzeug.wrappers import Response

IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}


def send_course_image(slug: str, path: str, max_age: int) -> Response:
    """The picture at `path` inside `courses/<slug>/`, or 404 (outside the folder, missing, not an image)."""
    root = Path(current_app.config["LMS"].content_dir) / "courses" / slug
    full = safe_join(str(root), path)
    if full is None or not Path(full).is_file():
        abort(404)
    kind, _encoding = mimetypes.guess_type(full)
    if kind not in IMAGE_TYPES:
        abort(404)
    return send_file(full, mimetype=kind, max_age=max_age)
