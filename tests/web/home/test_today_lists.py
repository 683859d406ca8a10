"""The Today page's lists built in Python: the same items Jinja wrote, each reader's language, every
value from the data escaped."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask
from flask_babel import force_locale

from lms.domain.curriculum.programme import CourseProgressRow, DueItem, PlannedCourse
from lms.web.home.today_lists import course_rows, due_today, left_over

LESSON = DueItem(
    "lesson", 2, "皮料", {"slug": "warehouse-week", "lesson": "03-leather"}, True, title_en="Leather"
)
QUIZ = DueItem("quiz", 3, "<仓库周>测验", {"slug": "warehouse-week-check"}, False, failed=True)
COURSE = PlannedCourse(1, "house-rules", "店规", "House rules & <manners>", ())
LESSON_LINK = '<a href="/learn/courses/warehouse-week/lessons/03-leather">'
QUIZ_LINK = '<a href="/learn/quizzes/warehouse-week-check">&lt;仓库周&gt;测验</a>'


def render(app: Flask, locale: str, build: Callable[[Iterable[Any]], object], items: list[Any]) -> str:
    with app.test_request_context("/learn/"), force_locale(locale):
        return str(build(items))


def test_today_ticks_done_items_and_badges_quizzes(app: Flask) -> None:
    assert render(app, "en", due_today, [LESSON, QUIZ]) == (
        f'<li>✓ {LESSON_LINK}Leather</a></li><li>{QUIZ_LINK} <span class="badge">quiz</span></li>'
    )


def test_left_over_items_show_their_day_and_a_quiz_not_passed(app: Flask) -> None:
    assert render(app, "zh_Hans", left_over, [LESSON, QUIZ]) == (
        f'<li class="overdue">{LESSON_LINK}皮料</a> <span class="muted">第2天</span></li>'
        f'<li class="overdue">{QUIZ_LINK} <span class="muted">第3天 · 尚未通过</span></li>'
    )


def test_courses_show_lessons_done_and_a_bar_in_steps_of_five(app: Flask) -> None:
    row = CourseProgressRow(COURSE, 4, 6)
    assert render(app, "en", course_rows, [row]) == (
        '<li><a href="/learn/courses/house-rules">House rules &amp; &lt;manners&gt;</a>'
        ' <span class="muted">4 of 6 lessons done</span>'
        '<div class="progress small"><span class="progress-bar w-65"></span></div></li>'
    )  # 67 % shown as 65
    assert '店规</a> <span class="muted">已完成4/6个课时</span>' in render(app, "zh_Hans", course_rows, [row])
    for build in (due_today, left_over, course_rows):
        assert render(app, "en", build, []) == ""
