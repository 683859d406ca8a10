"""The Today page's lists built in Python: the same items Jinja wrote, each reader's language, every
value from the data escaped."""

from __future__ import annotations

from flask import Flask
from flask_babel import force_locale

from lms.domain.curriculum.programme import CourseProgressRow, DueItem, PlannedCourse
from lms.web.home.today_lists import course_rows, due_today, left_over

LESSON = DueItem(
    "lesson", 2, "皮料", {"slug": "warehouse-week", "lesson": "03-leather"}, True, title_en="Leather"
)
QUIZ = DueItem("quiz", 3, "<仓库周>测验", {"slug": "warehouse-week-check"}, False, failed=True)
COURSE = PlannedCourse(1, "house-rules", "店规", "House rules & <manners>", ())


def test_today_ticks_done_items_and_badges_quizzes(app: Flask) -> None:
    with app.test_request_context("/learn/"), force_locale("en"):
        html = str(due_today([LESSON, QUIZ]))
    assert html == (
        '<li>✓ <a href="/learn/courses/warehouse-week/lessons/03-leather">Leather</a></li>'
        '<li><a href="/learn/quizzes/warehouse-week-check">&lt;仓库周&gt;测验</a>'
        ' <span class="badge">quiz</span></li>'
    )


def test_left_over_items_show_their_day_and_a_quiz_not_passed(app: Flask) -> None:
    with app.test_request_context("/learn/"), force_locale("zh_Hans"):
        html = str(left_over([LESSON, QUIZ]))
    assert html == (
        '<li class="overdue"><a href="/learn/courses/warehouse-week/lessons/03-leather">皮料</a>'
        ' <span class="muted">第2天</span></li>'
        '<li class="overdue"><a href="/learn/quizzes/warehouse-week-check">&lt;仓库周&gt;测验</a>'
        ' <span class="muted">第3天 · 尚未通过</span></li>'
    )


def test_courses_show_lessons_done_and_a_bar_in_steps_of_five(app: Flask) -> None:
    with app.test_request_context("/learn/"), force_locale("en"):
        html = str(course_rows([CourseProgressRow(COURSE, 4, 6)]))
    assert html == (
        '<li><a href="/learn/courses/house-rules">House rules &amp; &lt;manners&gt;</a>'
        ' <span class="muted">4 of 6 lessons done</span>'
        '<div class="progress small"><span class="progress-bar w-65"></span></div></li>'
    )  # 67 % shown as 65
    with app.test_request_context("/learn/"), force_locale("zh_Hans"):
        assert '店规</a> <span class="muted">已完成4/6个课时</span>' in str(
            course_rows([CourseProgressRow(COURSE, 4, 6)])
        )
    with app.test_request_context("/learn/"), force_locale("en"):
        assert str(due_today([])) == str(left_over([])) == str(course_rows([])) == ""
