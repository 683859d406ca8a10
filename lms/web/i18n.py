"""Languages: English and Simplified Chinese; the choice follows the user, then the session."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, g, redirect, request, session
from flask_babel import format_date, format_datetime, format_timedelta, get_locale
from flask_login import current_user
from werkzeug.wrappers import Response

from lms.access import public
from lms.db import db_session
from lms.extensions import babel
from lms.models.people import LOCALES
from lms.web.redirects import safe_next

LANGUAGE_NAMES = {"en": "English", "zh_Hans": "简体中文"}

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    """The signed-in user's language, else the visitor's choice, else the browser's.

    On an error page that must not touch the database (`g.lms_degraded`), the user is not looked
    up: the choice kept in the session cookie (set at sign-in) or the browser's language decides.
    """
    if not g.get("lms_degraded") and current_user.is_authenticated and current_user.locale in LOCALES:
        locale: str = current_user.locale
        return locale
    chosen = session.get("locale")
    if chosen in LOCALES:
        return str(chosen)
    best = request.accept_languages.best_match(["en", "zh", "zh-CN", "zh-Hans"])
    if best and best.startswith("zh"):
        return "zh_Hans"
    default: str = current_app.config["LMS"].default_locale
    return default if default in LOCALES else "en"


@bp.post("/language")
@public
def switch_language() -> Response:
    """Remember the chosen language (on the account when signed in) and go back."""
    locale = request.form.get("locale", "")
    if locale in LOCALES:
        session["locale"] = locale
        if current_user.is_authenticated:
            current_user.locale = locale
            db_session().commit()
    return redirect(safe_next(request.form.get("next")) or "/")


def format_number(value: float | int | None) -> str:
    """A score or percent for people: 3 not 3.0, 87.5, at most two decimals."""
    if value is None:
        return "—"
    return f"{round(float(value), 2):g}"


def title_for(thing: object) -> str:
    """A course's or quiz's title in the reader's language (title_zh when Chinese and written)."""
    title = str(getattr(thing, "title", ""))
    chinese = getattr(thing, "title_zh", None)
    return str(chinese) if chinese and str(get_locale()) == "zh_Hans" else title


def label_for(thing: object) -> str:
    """A checklist item's text in the reader's language (label_zh when Chinese and written)."""
    label = str(getattr(thing, "label", ""))
    chinese = getattr(thing, "label_zh", None)
    return str(chinese) if chinese and str(get_locale()) == "zh_Hans" else label


def init_app(app: Flask) -> None:
    """Bind Flask-Babel and the language switcher."""
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters["num"] = format_number
    app.register_blueprint(bp)
    app.jinja_env.globals.update(
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        format_date=format_date,
        format_datetime=format_datetime,
        format_timedelta=format_timedelta,
        get_locale=get_locale,
        title_for=title_for,
        label_for=label_for,
    )
