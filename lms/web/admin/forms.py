"""Admin forms: users, stores, cohorts, the audit filter."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    widgets,
)
from wtforms.validators import DataRequired, Length, Optional

from lms.domain.accounts.passwords import MAX_LENGTH, MIN_LENGTH

PASSWORD_LENGTH = _l("The password must be at least %(min)d and at most %(max)d characters long.")


class CheckboxesField(SelectMultipleField):
    """A multiple choice shown as checkboxes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def role_choices() -> list[tuple[str, str]]:
    """The roles with their translated names."""
    return [
        ("learner", str(_l("Learner"))),
        ("trainer", str(_l("Trainer"))),
        ("qc", str(_l("Quality control"))),
        ("admin", str(_l("Administrator"))),
    ]


class UserForm(FlaskForm):
    """Create or edit a user."""

    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=40)])
    display_name = StringField(_l("Display name"), validators=[DataRequired(), Length(max=80)])
    email = EmailField(_l("Email"), validators=[Optional(), Length(max=200)])
    roles = CheckboxesField(_l("Roles"), choices=[])
    locale = SelectField(_l("Language"), choices=[("en", "English"), ("zh_Hans", "简体中文")])
    hired_on = DateField(_l("Hired on"), validators=[Optional()])
    cohort = SelectField(_l("Cohort"), choices=[], validate_choice=False)
    main_store = SelectField(_l("Main store"), choices=[], validate_choice=False)
    other_stores = CheckboxesField(_l("Other stores (at most two)"), choices=[], validate_choice=False)
    password = PasswordField(
        _l("Initial password"),
        validators=[Optional(), Length(min=MIN_LENGTH, max=MAX_LENGTH, message=PASSWORD_LENGTH)],
        description=_l(
            "At least %(n)s characters. Give it to the person in person; they "
            "can change it after signing in.",
            n=MIN_LENGTH,
        ),
    )


class PasswordResetForm(FlaskForm):
    """An admin sets a new password for someone."""

    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=MIN_LENGTH, max=MAX_LENGTH, message=PASSWORD_LENGTH)],
    )


class ConfirmForm(FlaskForm):
    """A button that needs only the CSRF token."""


class StoreForm(FlaskForm):
    """Create or edit a store."""

    name = StringField(_l("Store name"), validators=[DataRequired(), Length(max=80)])
    code = StringField(
        _l("Code"),
        validators=[Optional(), Length(max=20)],
        description=_l(
            "Optional, e.g. XZ-TMALL: 2–20 letters, digits or dashes. KPI files may name the store by it; it survives a rename."
        ),
    )
    platform = SelectField(
        _l("Platform"),
        choices=[
            ("tmall", "Tmall 天猫"),
            ("taobao", "Taobao 淘宝"),
            ("jd", "JD.com 京东"),
            ("pdd", "Pinduoduo 拼多多"),
            ("douyin", "Douyin 抖音"),
        ],
    )


class CohortForm(FlaskForm):
    """Create or edit a cohort."""

    name = StringField(_l("Cohort name"), validators=[DataRequired(), Length(max=80)])
    start_date = DateField(_l("Start date"), validators=[DataRequired()])
    trainer = SelectField(_l("Trainer"), choices=[], validate_choice=False)


class AuditFilterForm(FlaskForm):
    """Filter the audit log (a GET form: no CSRF needed)."""

    class Meta:
        csrf = False

    action = StringField(_l("Action"), validators=[Optional(), Length(max=60)])
    actor = StringField(_l("Who (username)"), validators=[Optional(), Length(max=40)])
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("Until"), validators=[Optional()])
    active = BooleanField()
