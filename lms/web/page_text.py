"""What markup built in Python asks for, looked up once per list: the request's catalogue, the
reader's language and the kept links — and the one place such markup is declared safe.

Used where a page's long lists are built in Python instead of Jinja (the Today page's lists, the go-live
checklist): the rules are Jinja's under autoescape — the catalogue's text is trusted, every value from
the data (titles, addresses, names, numbers) is escaped or written as a number.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import current_app, request
from markupsafe import Markup, escape

from lms.web.i18n import in_reader_language, page_reads_english, request_catalogue
from lms.web.links import PageLinks
from lms.web.template_translations import markup_format


class PageText:
    """The catalogue, the reader's language and the links of this request, for one list's items."""

    __slots__ = ("catalogue", "english", "link")

    def __init__(self) -> None:
        self.catalogue = request_catalogue()
        self.english = page_reads_english()
        self.link = PageLinks(current_app.extensions["lms.links"], request.script_root)

    def text(self, message: str, values: dict[str, Any] | None = None) -> Markup:
        """A catalogue text in the reader's language, its values escaped into it."""
        return markup_format(self.catalogue.ugettext(message), values or {})

    def title(self, thing: object) -> Markup:
        """A course's, lesson's, quiz's or requirement's title in the reader's language, escaped."""
        return escape(in_reader_language(thing, english=self.english))

    def href(self, endpoint: str, **values: Any) -> Markup:
        """An address of the app, escaped for an attribute."""
        return escape(self.link(endpoint, **values))


def joined(items: Iterable[str]) -> Markup:
    """List items built from escaped values and catalogue text, as one piece of markup."""
    return Markup("".join(items))  # noqa: S704 - every part is escaped or the catalogue's own text
