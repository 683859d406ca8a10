"""What every form view shares: showing a domain error beside the field it concerns."""

from __future__ import annotations

from collections.abc import Mapping

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


#: The largest id an integer column holds; larger numbers in a form are treated as "no such thing".
MAX_ID = 2**31 - 1


def form_int(source: Mapping[str, str], name: str, *, low: int = 0, high: int = MAX_ID) -> int | None:
    """A whole number from a form or query string, or None when missing, malformed or out of range
    (a huge id is then a plain "not found", never a database overflow)."""
    raw = (source.get(name) or "").strip()
    if not raw.removeprefix("-").isdecimal() or len(raw) > 12:
        return None
    value = int(raw)
    return value if low <= value <= high else None
