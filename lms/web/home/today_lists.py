"""The Today page's three lists — today's lessons and quizzes, those left over from earlier days, the
courses with their progress — as markup built in Python.

Rendered by Jinja, each item cost 5–10 µs (calls through the template context, attribute look-ups,
escapes, one at a time): 0.17 ms of the page's 1.5 ms for a learner on day 5 with nothing done. The
rules are Jinja's under autoescape: the catalogue's text is trusted, every value from the data
(titles, addresses, numbers) is escaped or written as a number.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app, request
from markupsafe import Markup, escape

from lms.domain.curriculum.programme import CourseProgressRow, DueItem
from lms.domain.errors import N_
from lms.web.i18n import in_reader_language, page_reads_english, request_catalogue
from lms.web.links import PageLinks
from lms.web.template_translations import markup_format

QUIZ = N_("quiz")
DAY = N_("day %(n)s")
NOT_PASSED = N_("not passed yet")
LESSONS_DONE = N_("%(done)s of %(total)s lessons done")


class _Page:
    """What every item of one list asks for: the catalogue, the reader's language, the links."""

    __slots__ = ("catalogue", "english", "link")

    def __init__(self) -> None:
        self.catalogue = request_catalogue()
        self.english = page_reads_english()
        self.link = PageLinks(current_app.extensions["lms.links"], request.script_root)

    def text(self, message: str, **values: object) -> Markup:
        return markup_format(self.catalogue.ugettext(message), values)

    def item_link(self, item: DueItem) -> str:
        endpoint = "learn.lesson" if item.kind == "lesson" else "quiz.quiz"
        href = escape(self.link(endpoint, **item.url_args))
        return f'<a href="{href}">{escape(in_reader_language(item, english=self.english))}</a>'


def due_today(items: Iterable[DueItem]) -> Markup:
    """Today's lessons and quizzes: a tick when done, a badge on a quiz."""
    page = _Page()
    badge = f' <span class="badge">{page.text(QUIZ)}</span>'
    return Markup(  # noqa: S704 - escaped values and trusted catalogue text
        "".join(
            f"<li>{'✓ ' if item.done else ''}{page.item_link(item)}{badge if item.kind == 'quiz' else ''}</li>"
            for item in items
        )
    )


def left_over(items: Iterable[DueItem]) -> Markup:
    """Lessons and quizzes of earlier days not done yet: their day, and a quiz not passed yet."""
    page = _Page()
    failed = f" · {page.text(NOT_PASSED)}"
    return Markup(  # noqa: S704 - escaped values and trusted catalogue text
        "".join(
            f'<li class="overdue">{page.item_link(item)} <span class="muted">'
            f"{page.text(DAY, n=item.day)}{failed if item.failed else ''}</span></li>"
            for item in items
        )
    )


def course_rows(rows: Iterable[CourseProgressRow]) -> Markup:
    """Each course with its lessons done and a progress bar (in steps of 5 %)."""
    page = _Page()
    items = []
    for row in rows:
        href = escape(page.link("learn.course", slug=row.course.slug))
        title = escape(in_reader_language(row.course, english=page.english))
        done = page.text(LESSONS_DONE, done=row.done, total=row.total)
        bar = (row.percent // 5) * 5
        items.append(
            f'<li><a href="{href}">{title}</a> <span class="muted">{done}</span>'
            f'<div class="progress small"><span class="progress-bar w-{bar}"></span></div></li>'
        )
    return Markup("".join(items))  # noqa: S704 - escaped values and trusted catalogue text
