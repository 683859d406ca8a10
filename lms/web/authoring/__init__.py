"""Authoring in the browser, for trainers and admins: GIFT/Aiken upload, export back to files."""

from __future__ import annotations

from flask import Blueprint

from lms.access import roles_required
from lms.models import Role

bp = Blueprint("authoring", __name__)
authors = roles_required(Role.TRAINER, Role.ADMIN)

from lms.web.authoring import export_views, import_views  # noqa: E402, F401 - add their routes to bp
