"""Editing courses and lessons in the browser (trainers and admins), mounted at /author/edit."""

from __future__ import annotations

from flask import Blueprint

from lms.access import roles_required
from lms.models import Role

bp = Blueprint("editing", __name__)
editors = roles_required(Role.TRAINER, Role.ADMIN)

from lms.web.editing import views  # noqa: E402, F401 - adds its routes to bp
