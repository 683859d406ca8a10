"""The Today page's three lists — today's lessons and quizzes, those left over from earlier days, the
courses with their progress — as markup built in Python (`lms/web/page_text.py`).

Rendered by Jinja, each item cost 5–10 µs (calls through the template context, attribute look-ups,
escapes, one at a time): 0.17 ms of the page's 1.5 ms for a learner on day 5 with nothing done.
"""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup

from lms.domain.curriculum.programme import CourseProgressRow, DueItem
from lms.domain.errors import N_
from lms.web.page_text import PageText, joined

QUIZ = N_("quiz")
DAY = N_("day %(n)s")
NOT_PASSED = N_("not passed yet")
LESSONS_DONE = N_("%(done)s of %(total)s lessons done")


def _item_link(page: PageText, item: DueItem) -> str:
    endpoint = "learn.lesson" if item.kind == "lesson" else "quiz.quiz"
    return f'<a href="{page.href(endpoint, **item.url_args)}">{page.title(item)}</a>'


def due_today(items: Iterable[DueItem]) -> Markup:
    """Today's lessons and quizzes: a tick when done, a badge on a quiz."""
    page = PageText()
    badge = f' <span class="badge">{page.text(QUIZ)}</span>'
    return joined(
        f"<li>{'✓ ' if item.done else ''}{_item_link(page, item)}{badge if item.kind == 'quiz' else ''}</li>"
        for item in items
    )


def left_over(items: Iterable[DueItem]) -> Markup:
    """Lessons and quizzes of earlier days not done yet: their day, and a quiz not passed yet."""
    page = PageText()
    failed = f" · {page.text(NOT_PASSED)}"
    return joined(
        f'<li class="overdue">{_item_link(page, item)} <span class="muted">'
        f"{page.text(DAY, {'n': item.day})}{failed if item.failed else ''}</span></li>"
        for item in items
    )


def course_rows(rows: Iterable[CourseProgressRow]) -> Markup:
    """Each course with its lessons done and a progress bar (in steps of 5 %)."""
    page = PageText()
    return joined(
        f'<li><a href="{page.href("learn.course", slug=row.course.slug)}">{page.title(row.course)}</a>'
        f' <span class="muted">{page.text(LESSONS_DONE, {"done": row.done, "total": row.total})}</span>'
        f'<div class="progress small"><span class="progress-bar w-{(row.percent // 5) * 5}"></span></div></li>'
        for row in rows
    )
