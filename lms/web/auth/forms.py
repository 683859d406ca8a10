"""Sign-in and password forms (change, forgot, reset)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from lms.domain.accounts.passwords import MAX_LENGTH, MIN_LENGTH

PASSWORD_LENGTH = _l("The password must be at least %(min)d and at most %(max)d characters long.")


class LoginForm(FlaskForm):
    """Username and password."""

    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=80)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=MAX_LENGTH)])
    remember = BooleanField(_l("Keep me signed in on this computer"))
    next = HiddenField()


class ChangePasswordForm(FlaskForm):
    """The current password, and the new one twice."""

    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=MIN_LENGTH, max=MAX_LENGTH, message=PASSWORD_LENGTH)],
        description=_l("At least %(n)s characters, and not your username.", n=MIN_LENGTH),
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The two passwords differ."))],
    )


class ForgotPasswordForm(FlaskForm):
    """Whose password: a username or an email address."""

    account = StringField(
        _l("Username or email address"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("The link goes to the email address your account has."),
    )


class ResetPasswordForm(FlaskForm):
    """The new password, twice."""

    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=MIN_LENGTH, max=MAX_LENGTH, message=PASSWORD_LENGTH)],
        description=_l("At least %(n)s characters, and not your username.", n=MIN_LENGTH),
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )
