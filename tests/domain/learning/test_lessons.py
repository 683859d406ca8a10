"""Lesson rules: where a learner goes on to once a lesson is read."""

from __future__ import annotations

from lms.domain.learning.lessons import CourseProgress, LessonStatus
from lms.models import Course, Lesson


def _progress(done: str) -> tuple[CourseProgress, list[Lesson]]:
    """A course of len(done) lessons in order; `done` marks each lesson done (x) or not (.)."""
    lessons = [Lesson(id=n, slug=f"0{n}-step", position=n) for n in range(1, len(done) + 1)]
    statuses = [LessonStatus(lesson, mark == "x") for lesson, mark in zip(lessons, done, strict=True)]
    return CourseProgress(Course(id=1, slug="c"), statuses), lessons


def test_next_to_read_is_the_next_undone_lesson_after_the_one_just_read() -> None:
    progress, lessons = _progress("xx..")
    assert progress.next_to_read(lessons[1]) is lessons[2]
    progress, lessons = _progress("x.x.")  # lesson 3 read out of order: lesson 4 comes next, not 2
    assert progress.next_to_read(lessons[2]) is lessons[3]
    progress, lessons = _progress("xx.xx.")  # done lessons after it are passed over
    assert progress.next_to_read(lessons[1]) is lessons[2]
    assert progress.next_to_read(lessons[3]) is lessons[5]


def test_next_to_read_goes_back_to_what_was_skipped_when_nothing_is_left_after() -> None:
    progress, lessons = _progress(".x.x")
    assert progress.next_to_read(lessons[3]) is lessons[0]


def test_next_to_read_is_none_once_every_lesson_is_done() -> None:
    progress, lessons = _progress("xxx")
    assert progress.next_to_read(lessons[2]) is None
    assert progress.next_to_read(lessons[0]) is None


def test_a_lesson_no_longer_in_the_course_starts_from_the_beginning() -> None:
    progress, _lessons = _progress("x..")
    retired = Lesson(id=99, slug="99-old", position=9)
    assert progress.next_to_read(retired) is progress.lessons[1].lesson
