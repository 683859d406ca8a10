"""Languages: English and Simplified Chinese; the choice follows the user, then the session."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, current_app, g, has_request_context, redirect, request, session
from flask_babel import format_date, format_datetime, format_timedelta, get_locale, get_translations
from flask_login import current_user
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from werkzeug.wrappers import Response

from lms.access import public
from lms.db import db_session
from lms.extensions import babel
from lms.models.people import LOCALES
from lms.web.labels import label
from lms.web.redirects import safe_next
from lms.web.template_translations import FORMAT, format_translated, markup_format

LANGUAGE_NAMES = {"en": "English", "zh_Hans": "简体中文"}

bp = Blueprint("i18n", __name__)


#: The cookie that remembers the language chosen on this browser (for a year).
LOCALE_COOKIE = "lms_locale"
LOCALE_COOKIE_AGE = 365 * 24 * 3600


def select_locale() -> str:
    """The user's saved language, else the one chosen on this browser, else the browser's own.

    A first visit follows Accept-Language (a zh-CN browser sees Chinese); a choice made with the
    language switcher is remembered in a cookie and, when signed in, on the account. On an error
    page that must not touch the database (`g.lms_degraded`), the user is not looked up: the
    cookies or the browser's language decide.
    """
    if not g.get("lms_degraded"):
        user = current_user._get_current_object()  # once: each use of the proxy looks the user up again
        if user.is_authenticated and user.locale in LOCALES:
            locale: str = user.locale
            return locale
    for chosen in (request.cookies.get(LOCALE_COOKIE), session.get("locale")):
        if chosen in LOCALES:
            return str(chosen)
    best = request.accept_languages.best_match(["en", "zh", "zh-CN", "zh-Hans", "zh-SG"])
    if best and best.startswith("zh"):
        return "zh_Hans"
    default: str = current_app.config["LMS"].default_locale
    return default if default in LOCALES else "en"


@bp.post("/language")
@public
def switch_language() -> Response:
    """Remember the chosen language (in a cookie, and on the account when signed in) and go back."""
    locale = request.form.get("locale", "")
    response = redirect(safe_next(request.form.get("next")) or "/")
    if locale in LOCALES:
        session["locale"] = locale
        response.set_cookie(
            LOCALE_COOKIE,
            locale,
            max_age=LOCALE_COOKIE_AGE,
            secure=request.is_secure,
            httponly=True,
            samesite="Lax",
        )
        if current_user.is_authenticated:
            current_user.locale = locale
            db_session().commit()
    return response


def format_number(value: float | int | None) -> str:
    """A score or percent for people: 3 not 3.0, 87.5, at most two decimals."""
    if value is None:
        return "—"
    return f"{round(float(value), 2):g}"


def reads_english() -> bool:
    """Whether the interface language is English (the curriculum then shows its English versions)."""
    return str(get_locale()) == "en"


def in_reader_language(thing: Any, field: str = "title", *, english: bool | None = None) -> str:
    """A curriculum text in the reader's language: the Chinese, or its English when reading English
    (`english`: the caller knows which, else the current locale decides).

    The English is the row's `<field>_en` column or its `en` overlay (a dict); the Chinese is the
    fallback when no English is written. `thing` may be a row or a dict.
    """
    # Written out for rows and dicts alike (a page asks for up to 60 titles).
    is_dict = isinstance(thing, dict)
    chinese = (thing.get(field) if is_dict else getattr(thing, field, None)) or ""
    if not (reads_english() if english is None else english):
        return str(chinese)
    key = f"{field}_en"
    english = thing.get(key) if is_dict else getattr(thing, key, None)
    if not english:
        overlay = thing.get("en") if is_dict else getattr(thing, "en", None)
        english = overlay.get(field) if isinstance(overlay, dict) else None
    return str(english or chinese)


def title_for(thing: object) -> str:
    """A course's, lesson's or quiz's title in the reader's language."""
    return in_reader_language(thing, "title")


def label_for(thing: object) -> str:
    """A checklist item's text in the reader's language (label_zh when Chinese and written)."""
    label = str(getattr(thing, "label", ""))
    chinese = getattr(thing, "label_zh", None)
    return str(chinese) if chinese and str(get_locale()) == "zh_Hans" else label


def page_reads_english() -> bool:
    """reads_english(), looked up once per request as the catalogue is (for templates rendered
    outside a page's context, and for markup built in Python)."""
    found = g.get("lms_reads_english")
    if found is None:
        found = g.lms_reads_english = reads_english()
    return bool(found)


def _page_title_for(thing: object) -> str:
    """title_for() in templates rendered outside a page's context."""
    return in_reader_language(thing, "title", english=page_reads_english())


def _page_in_reader_language(thing: Any, field: str = "title") -> str:
    """tr() in templates rendered outside a page's context."""
    return in_reader_language(thing, field, english=page_reads_english())


class ReaderLanguage:
    """`title_for`, `tr` and `reads_english` for one page's render, with the language decided once,
    when first asked (a page that shows no curriculum text never asks).

    A page lists up to 60 titles; finding the language again for each (through `g`, a request-local
    proxy, about 0.8 µs a look-up) cost more than choosing the title. Made once per render by the
    context processor below."""

    __slots__ = ("_english",)

    def __init__(self) -> None:
        self._english: bool | None = None

    def reads_english(self) -> bool:
        english = self._english
        if english is None:
            english = self._english = page_reads_english()
        return english

    def title_for(self, thing: object) -> str:
        return in_reader_language(thing, "title", english=self.reads_english())

    def tr(self, thing: Any, field: str = "title") -> str:
        return in_reader_language(thing, field, english=self.reads_english())


def _reader_language() -> dict[str, Any]:
    """Context processor: this render's `title_for`, `tr`, `reads_english`, `_` and `gettext` (the globals serve
    templates rendered without a request, and macros imported without the page's context)."""
    if not has_request_context():
        return {}
    reader = ReaderLanguage()
    translate = PageTranslations()
    return {
        "title_for": reader.title_for,
        "tr": reader.tr,
        "reads_english": reader.reads_english,
        "_": translate,
        "gettext": translate,
    }


def request_catalogue() -> Any:
    """The request's translations (Flask-Babel's), looked up on first use in the request."""
    found = g.get("lms_catalogue")
    if found is None:
        found = g.lms_catalogue = get_translations()
    return found


@pass_eval_context
def _translate(eval_ctx: EvalContext, message: str, **variables: Any) -> str:
    """A template's `_("…", name=value)`: the request's translation, as markup under autoescape with
    the values escaped into it, and always %-formatted (`%%` is a percent sign) — what Jinja's
    newstyle gettext does."""
    return _formatted(eval_ctx, request_catalogue().ugettext(message), variables)


def _formatted(eval_ctx: EvalContext, text: str, variables: dict[str, Any]) -> str:
    if eval_ctx.autoescape:
        return markup_format(text, variables)  # our own catalogue, trusted; the values escaped
    return text % variables


class PageTranslations:
    """`_()` and `gettext()` for one page's render (as `_translate`), with the request's catalogue
    looked up once, when first needed, instead of once per string (the texts a template translates
    at run time: labels and details chosen by the page's data, 20–30 on the Today page; a page with
    none never looks it up)."""

    __slots__ = ("catalogue",)
    #: Jinja passes the evaluation context, as to `_translate` (`pass_eval_context`).
    jinja_pass_arg = _translate.jinja_pass_arg  # type: ignore[attr-defined]

    def __init__(self) -> None:
        self.catalogue: Any = None

    def __call__(self, eval_ctx: EvalContext, message: str, **variables: Any) -> str:
        catalogue = self.catalogue
        if catalogue is None:
            catalogue = self.catalogue = request_catalogue()
        return _formatted(eval_ctx, catalogue.ugettext(message), variables)


def init_app(app: Flask) -> None:
    """Bind Flask-Babel and the language switcher."""
    babel.init_app(app, locale_selector=select_locale)
    # Templates translate through the request's catalogue, looked up once per request: Flask-Babel's
    # own callables look up the locale and the catalogue again for each of the 20–80 strings a page
    # translates (a third of the shared layout's cost). A request has one language: the one place
    # that switches mid-request (e-mail, `force_locale`) translates in Python, not in templates.
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: request_catalogue().ugettext(s),
        ngettext=lambda s, p, n: request_catalogue().ungettext(s, p, n),
        pgettext=lambda c, s: request_catalogue().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_catalogue().unpgettext(c, s, p, n),
        newstyle=True,
    )
    # `_()` and `gettext()` are what nearly every translated string of a page goes through (70 on the
    # Today page): Jinja's newstyle gettext, in one call instead of three (its alias resolves
    # `gettext`, which calls the callable above, each through the template context).
    app.jinja_env.globals["_"] = app.jinja_env.globals["gettext"] = _translate
    # What `_("…", name=…)` becomes once its text is translated at compile time (template_translations).
    app.jinja_env.globals[FORMAT] = format_translated
    app.jinja_env.filters["num"] = format_number
    app.jinja_env.filters["label"] = label
    app.register_blueprint(bp)
    app.jinja_env.globals.update(
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        format_date=format_date,
        format_datetime=format_datetime,
        format_timedelta=format_timedelta,
        get_locale=get_locale,
        title_for=_page_title_for,
        tr=_page_in_reader_language,
        reads_english=page_reads_english,
        label_for=label_for,
    )
    app.context_processor(_reader_language)
