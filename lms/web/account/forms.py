"""Account forms: personal access tokens."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length


class TokenForm(FlaskForm):
    """Name a new token (and, for staff, its scope)."""

    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=80)],
        description=_l("Where it is used, e.g. “phone app” or “seat allocation”."),
    )
    scope = SelectField(
        _l("Scope"), choices=[("learner", _l("my own learning")), ("staff", _l("staff: read agents' status"))]
    )
