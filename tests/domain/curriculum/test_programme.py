"""The programme's schedule as the lesson reader reads it: one value, agreeing with the whole schedule."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from lms.domain.curriculum.programme import load_schedule
from lms.domain.learning.lesson_pages import read_lesson_page
from lms.models import Programme
from tests.factories import CourseFactory, LessonFactory


def _a_lesson(db: Session) -> None:
    LessonFactory(course=CourseFactory(slug="rules"), slug="first")
    db.commit()


def test_before_the_curriculum_is_loaded_there_is_no_answer(db: Session) -> None:
    assert load_schedule(db) is None
    _a_lesson(db)
    page = read_lesson_page(db, "rules", "first")
    assert page.lesson.slug == "first" and page.work_ahead is None


@pytest.mark.parametrize(
    ("stored", "allowed"),
    [({"allow_work_ahead": True}, True), ({"allow_work_ahead": False}, False), ({}, True)],
)
def test_the_one_value_agrees_with_the_parsed_schedule(db: Session, stored: dict, allowed: bool) -> None:
    db.add(Programme(slug="onboarding", title="新人培训", spec={"days": 15, **stored}, content_hash="x"))
    db.commit()
    schedule = load_schedule(db)
    assert schedule is not None and schedule.allow_work_ahead is allowed
    # the lesson reader reads the same answer with the lesson, in the lesson's statement
    _a_lesson(db)
    assert read_lesson_page(db, "rules", "first").work_ahead is allowed


def test_today_lists_todays_items_and_earlier_ones_not_done_and_counts_every_item(db: Session) -> None:
    """Day 6 of a cohort: today's lessons and quizzes (done or not), the earlier ones not done yet
    (a quiz failed so far says so), and the progress over the whole programme."""
    import datetime as dt

    from sqlalchemy import select

    from lms.config import PROJECT_ROOT
    from lms.content.loader import check
    from lms.domain.curriculum.programme import today_view
    from lms.domain.curriculum.sync import sync_content
    from lms.models import Course, Lesson, LessonCompletion
    from tests.factories import CohortFactory, UserFactory, add_graded_attempt

    tree, problems = check(PROJECT_ROOT)
    assert problems == []
    sync_content(db, tree)
    today = dt.date(2026, 11, 24)  # a Tuesday
    user = UserFactory(cohort_id=CohortFactory(start_date=dt.date(2026, 11, 17)).id)  # day 6
    db.commit()
    before = today_view(db, user, today)
    assert before is not None and before.day == 6 and before.done_items == 0
    earlier = [i for i in before.overdue if i.kind == "lesson"][:2]
    passed_quiz, failed_quiz = (i for i in before.overdue if i.kind == "quiz")
    todays_lesson = next(i for i in before.today if i.kind == "lesson")
    for item in [*earlier, todays_lesson]:
        lesson = db.scalars(
            select(Lesson)
            .join(Course)
            .where(Course.slug == item.url_args["slug"], Lesson.slug == item.url_args["lesson"])
        ).one()
        db.add(LessonCompletion(user_id=user.id, lesson_id=lesson.id, course_version="1.0"))
    at = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
    add_graded_attempt(db, user, passed_quiz.url_args["slug"], at, percent=100.0)
    add_graded_attempt(db, user, failed_quiz.url_args["slug"], at, percent=10.0)
    db.commit()

    view = today_view(db, user, today)
    assert view is not None
    listed = {(i.kind, *i.url_args.values()): i for i in view.today + view.overdue}
    assert [i.url_args for i in view.today] == [i.url_args for i in before.today]  # done or not
    assert listed[("lesson", *todays_lesson.url_args.values())].done
    assert not any(("lesson", *i.url_args.values()) in listed for i in earlier)  # done: not overdue
    assert ("quiz", *passed_quiz.url_args.values()) not in listed
    failed = listed[("quiz", *failed_quiz.url_args.values())]
    assert failed.overdue and failed.failed and not failed.done
    assert len(view.overdue) == len(before.overdue) - 3
    assert all(i.overdue and i.day < 6 for i in view.overdue)
    assert [i.day for i in view.overdue] == sorted(i.day for i in view.overdue)
    schedule = load_schedule(db)
    assert schedule is not None
    every_lesson = sum(r.total for r in view.courses)
    assert view.total_items == before.total_items == every_lesson + len(schedule.quiz_days)
    assert view.done_items == 4  # three lessons and the passed quiz
    assert sum(r.done for r in view.courses) == 3


def test_without_a_start_date_no_day_is_counted(db: Session) -> None:
    """No cohort and no hiring date: day 0 whatever the date, nothing due or overdue, and every item
    still counted (the Today page says the programme has no start date yet)."""
    import datetime as dt

    from lms.config import PROJECT_ROOT
    from lms.content.loader import check
    from lms.domain.curriculum.programme import today_view
    from lms.domain.curriculum.sync import sync_content
    from tests.factories import UserFactory

    tree, _ = check(PROJECT_ROOT)
    sync_content(db, tree)
    user = UserFactory(hired_on=None)
    db.commit()
    for today in (dt.date(2026, 11, 24), dt.date(2026, 12, 24)):
        view = today_view(db, user, today)
        assert view is not None and not view.dated and not view.started and view.day == 0
        assert view.today == [] and view.overdue == [] and view.total_items > 0
    user.hired_on = dt.date(2026, 11, 17)
    db.commit()
    dated = today_view(db, user, dt.date(2026, 11, 24))
    assert dated is not None and dated.dated and dated.day == 6
