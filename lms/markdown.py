"""The one way Markdown becomes HTML: a fixed set of extensions, then nh3 sanitising."""

from __future__ import annotations

import functools
import re

import markdown as md
import nh3
from markupsafe import Markup

EXTENSIONS = ["tables", "fenced_code", "admonition", "def_list", "footnotes", "sane_lists", "attr_list"]

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "kbd",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
    "mark",
    "small",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "div": {"class"},
    "p": {"class"},
    "span": {"class"},
    "code": {"class"},
    "th": {"align", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
    "ol": {"start"},
    "li": {"id"},
    "sup": {"id"},
}
_SAFE_CLASS = re.compile(
    r"^(admonition|admonition-title|note|tip|warning|danger|example|important|"
    r"footnote|footnote-ref|footnote-backref|language-[\w-]+)$"
)


def _filter_attribute(tag: str, attr: str, value: str) -> str | None:
    if attr == "class":
        kept = [c for c in value.split() if _SAFE_CLASS.match(c)]
        return " ".join(kept) or None
    return value


def sanitise_html(html: str) -> str:
    """Strip everything but a small set of tags and attributes (no scripts, handlers, styles)."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        attribute_filter=_filter_attribute,
        strip_comments=True,
    )


_LEADING_H1 = re.compile(r"\A\s*#\s[^\n]*\n")


def render_markdown(text: str, *, image_base: str | None = None, drop_title: bool = False) -> Markup:
    """Markdown to safe HTML; relative images resolve against `image_base`.

    `drop_title` removes a leading `# Title` line, for pages that show the title themselves.
    """
    return Markup(_render(text or "", image_base, drop_title))  # noqa: S704 - sanitised in _render


@functools.lru_cache(maxsize=1024)
def _render(text: str, image_base: str | None, drop_title: bool) -> str:
    # Lessons change rarely and are read often: rendering is cached by the exact text.
    if drop_title:
        text = _LEADING_H1.sub("", text or "", count=1)
    html = md.markdown(text or "", extensions=EXTENSIONS, output_format="html")
    if image_base:
        base = image_base.rstrip("/") + "/"
        html = re.sub(
            r'(<img\b[^>]*\bsrc=")(?![a-z]+:|/)([^"]+)"',
            lambda m: f'{m.group(1)}{base}{m.group(2)}"',
            html,
        )
    return _scrolling_tables(sanitise_html(html))


def _scrolling_tables(html: str) -> str:
    """Each table in a box that scrolls sideways on its own, so a wide table never widens the page.

    Done after sanitising, where every table tag is a bare `<table>` and tags are balanced.
    """
    return html.replace("<table>", '<div class="table-wrap"><table>').replace("</table>", "</table></div>")


def render_inline(text: str) -> Markup:
    """Markdown for a short text shown inline (a question, an option): no wrapping paragraph."""
    html = str(render_markdown(text))
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)  # noqa: S704 - already sanitised
