"""What every form view shares: showing a domain error beside the field it concerns."""

from __future__ import annotations

from flask import flash
from flask_babel import gettext
from flask_wtf import FlaskForm

from lms.domain.errors import DomainError


def translate_error(err: DomainError) -> str:
    """The error's message in the reader's language."""
    return gettext(err.message, **err.params)


def apply_domain_error(form: FlaskForm, err: DomainError) -> None:
    """Attach the error to its field, or flash it when it concerns the whole form."""
    message = translate_error(err)
    field = getattr(form, err.field, None) if err.field else None
    if field is not None:
        field.errors = [*field.errors, message] if isinstance(field.errors, list) else [message]
    else:
        flash(message, "error")
