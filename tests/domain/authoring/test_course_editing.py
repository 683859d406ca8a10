"""Editing courses and lessons: validation, versions and refreshers, lost-update protection, order."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.content.loader import check
from lms.domain.authoring import course_editing as editing
from lms.domain.authoring.content_export import course_spec
from lms.domain.errors import Conflict, DomainError
from lms.models import Assignment, AuditEvent, Course, CourseRevision, Lesson
from tests.concurrency import run_in_parallel
from tests.domain.assignments.test_refreshers import _learned
from tests.domain.curriculum.test_sync import _copy_curriculum, _sync
from tests.factories import CourseFactory, LessonFactory, UserFactory


@pytest.fixture
def course(db: Session) -> Course:
    found = CourseFactory(slug="returns")
    for n in range(3):
        LessonFactory(course=found, slug=f"0{n + 1}-part", title=f"Part {n + 1}", position=n)
    db.commit()
    return found


def _edit_course(db: Session, course: Course, **changes: object) -> Course:
    values: dict[str, object] = {
        "title": course.title,
        "title_en": course.title_en,
        "summary": course.summary,
        "topics": list(course.topics),
        "published": course.published,
        "refresher_on_major": course.refresher_on_major,
        "expected_updated_at": editing.edit_token(course),
    }
    values.update(changes)
    return editing.update_course(db, UserFactory(roles=["trainer"]), course, **values)  # type: ignore[arg-type]


def _edit_lesson(db: Session, lesson: Lesson, **changes: object) -> Lesson:
    values: dict[str, object] = {
        "title": lesson.title,
        "body": lesson.body,
        "day": lesson.day,
        "minutes": lesson.minutes,
        "expected_version": editing.edit_token(lesson),
    }
    values.update(changes)
    return editing.update_lesson(db, UserFactory(roles=["trainer"]), lesson, **values)  # type: ignore[arg-type]


def _audit_count(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(AuditEvent)) or 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "  "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"body": "x" * (editing.MAX_BODY + 1)}, "body"),
        ({"day": 0}, "day"),
        ({"day": 16}, "day"),
        ({"minutes": -1}, "minutes"),
        ({"minutes": 601}, "minutes"),
    ],
)
def test_bad_lesson_input_names_the_field_and_writes_nothing(
    db: Session, course: Course, changes: dict[str, object], field: str
) -> None:
    lesson = course.lessons[0]
    token, events = editing.edit_token(lesson), _audit_count(db)
    with pytest.raises(DomainError) as caught:
        _edit_lesson(db, lesson, **changes)
    assert caught.value.field == field and not isinstance(caught.value, Conflict)
    db.rollback()
    fresh = db.scalars(
        select(Lesson).where(Lesson.id == lesson.id).execution_options(populate_existing=True)
    ).one()
    assert editing.edit_token(fresh) == token and fresh.title == "Part 1"
    assert _audit_count(db) == events


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"title": ""}, "title"), ({"topics": ["After Sales"]}, "topics"), ({"topics": ["a_b"]}, "topics")],
)
def test_bad_course_input_names_the_field(
    db: Session, course: Course, changes: dict[str, object], field: str
) -> None:
    token = editing.edit_token(course)
    with pytest.raises(DomainError) as caught:
        _edit_course(db, course, **changes)
    assert caught.value.field == field
    db.rollback()
    fresh = db.scalars(
        select(Course).where(Course.id == course.id).execution_options(populate_existing=True)
    ).one()
    assert editing.edit_token(fresh) == token


def test_a_saved_edit_changes_the_row_its_hash_and_is_audited(db: Session, course: Course) -> None:
    lesson = course.lessons[1]
    _edit_lesson(db, lesson, title="Returns, step by step", body="# T\n\nNew **text**", day=None, minutes=30)
    db.commit()
    assert (lesson.title, lesson.day, lesson.minutes) == ("Returns, step by step", None, 30)
    assert lesson.content_hash == editing.lesson_hash(lesson) != "x"
    assert course.content_hash == course_spec(course).hash
    _edit_course(
        db, course, title="Returns", topics=["after-sales", "returns", "after-sales"], published=False
    )
    db.commit()
    assert course.topics == ["after-sales", "returns"] and course.published is False
    actions = set(db.scalars(select(AuditEvent.action)))
    assert {"lesson.edit", "course.edit"} <= actions


def test_second_editor_on_the_same_version_gets_a_conflict(db: Session, course: Course) -> None:
    lesson = course.lessons[0]
    loaded_by_both = editing.edit_token(lesson)
    _edit_lesson(db, lesson, body="first editor", expected_version=loaded_by_both)
    db.commit()
    with pytest.raises(Conflict):
        _edit_lesson(db, lesson, body="second editor", expected_version=loaded_by_both)
    db.rollback()
    fresh = db.scalars(
        select(Lesson).where(Lesson.id == lesson.id).execution_options(populate_existing=True)
    ).one()
    assert fresh.body == "first editor"
    # Reloading gives the new version, and saving from it works.
    _edit_lesson(db, fresh, body="second editor, merged", expected_version=editing.edit_token(fresh))
    db.commit()
    assert fresh.body == "second editor, merged"


def test_stale_course_form_is_refused(db: Session, course: Course) -> None:
    token = editing.edit_token(course)
    _edit_course(db, course, title="One", expected_updated_at=token)
    db.commit()
    with pytest.raises(Conflict):
        _edit_course(db, course, title="Two", expected_updated_at=token)
    with pytest.raises(Conflict):
        _edit_course(db, course, title="Two", expected_updated_at="garbage")


def test_parallel_saves_of_one_version_let_exactly_one_win(app: Flask, db: Session, course: Course) -> None:
    lesson_id, token = course.lessons[0].id, editing.edit_token(course.lessons[0])
    editor = UserFactory(roles=["trainer"])
    db.commit()

    def save(session: Session) -> None:
        lesson = session.get(Lesson, lesson_id)
        assert lesson is not None
        editing.update_lesson(
            session,
            session.merge(editor),
            lesson,
            title="T",
            body="b",
            day=1,
            minutes=5,
            expected_version=token,
        )

    errors = run_in_parallel(app, 4, save)
    assert len(errors) == 3 and all(isinstance(e, Conflict) for e in errors)
    assert (
        db.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "lesson.edit")) == 1
    )


def test_minor_and_major_bumps_record_revisions(db: Session, course: Course) -> None:
    trainer = UserFactory(roles=["trainer"])
    minor = editing.bump_version(db, trainer, course, "minor", "")
    db.commit()
    assert course.version == "1.1" and (minor.revision.major, minor.revision.from_version) == (False, "1.0")
    assert minor.refreshers is None
    with pytest.raises(DomainError) as caught:
        editing.bump_version(db, trainer, course, "major", "  ")
    assert caught.value.field == "note"
    db.rollback()
    major = editing.bump_version(db, trainer, course, "major", "New return rules")
    db.commit()
    assert course.version == "2.0"
    assert [
        (r.to_version, r.major, r.note)
        for r in db.scalars(select(CourseRevision).order_by(CourseRevision.id))
    ] == [
        ("1.1", False, ""),
        ("2.0", True, "New return rules"),
    ]
    assert major.revision.handled_at is not None  # refreshers were considered right away
    assert (
        db.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "course.revision"))
        == 2
    )


def test_a_double_submitted_bump_raises_the_version_once(db: Session, course: Course) -> None:
    trainer = UserFactory(roles=["trainer"])
    token = editing.edit_token(course)
    editing.bump_version(db, trainer, course, "major", "why", expected_updated_at=token)
    db.commit()
    with pytest.raises(Conflict):
        editing.bump_version(db, trainer, course, "major", "why", expected_updated_at=token)
    db.rollback()
    assert db.scalar(select(func.count()).select_from(CourseRevision)) == 1


def test_major_bump_assigns_refreshers_to_the_people_on_the_old_version(db: Session, tmp_path: Path) -> None:
    root = _copy_curriculum(tmp_path)
    _sync(db, root)
    reader, _other, _idle = _learned(db, "platform-rules")
    course = db.scalars(select(Course).where(Course.slug == "platform-rules")).one()
    course.refresher_on_major = True
    db.commit()
    bump = editing.bump_version(
        db, UserFactory(roles=["trainer"]), course, "major", "New dispute rules", due_days=7
    )
    db.commit()
    assert bump.refreshers is not None and bump.refreshers.assigned == 1
    assignment = db.scalars(select(Assignment)).one()
    assert assignment.user_id == reader and assignment.revision_id == bump.revision.id
    # The edited course no longer matches its files: a sync sees it as changed (and the files win).
    tree, problems = check(root)
    assert problems == []
    assert course.content_hash == course_spec(course).hash != tree.courses["platform-rules"].hash


def test_edited_rows_hash_as_the_loader_does(db: Session, tmp_path: Path) -> None:
    root = _copy_curriculum(tmp_path)
    _sync(db, root)
    tree, _problems = check(root)
    course = db.scalars(select(Course).where(Course.slug == "platform-rules")).one()
    file_hash = tree.courses["platform-rules"].hash
    assert course.content_hash == file_hash
    trainer = UserFactory(roles=["trainer"])
    lesson = course.lessons[0]
    editing.move_lesson(db, trainer, course, lesson, "down")
    assert course.content_hash != file_hash
    editing.move_lesson(db, trainer, course, lesson, "up")  # back as in the files: the same hash again
    assert course.content_hash == file_hash
    original = lesson.content_hash
    _edit_lesson(db, lesson, body=lesson.body + "\nMore.")
    assert lesson.content_hash != original and course.content_hash != file_hash
    _edit_lesson(db, lesson, body=lesson.body.removesuffix("\nMore."))
    assert (lesson.content_hash, course.content_hash) == (original, file_hash)


def test_lessons_move_and_new_ones_go_last(db: Session, course: Course) -> None:
    trainer = UserFactory(roles=["trainer"])
    first, second, third = course.lessons
    assert editing.move_lesson(db, trainer, course, third, "up")
    db.commit()
    assert [le.slug for le in sorted(course.lessons, key=lambda le: le.position)] == [
        "01-part",
        "03-part",
        "02-part",
    ]
    assert not editing.move_lesson(db, trainer, course, first, "up")
    assert editing.move_lesson(db, trainer, course, first, "down")
    db.commit()
    assert [le.position for le in (first, second, third)] == [1, 2, 0]
    added = editing.create_lesson(db, trainer, course, title="Refunds & Rückgabe")
    db.commit()
    assert added.slug == "04-refunds-ruckgabe" and added.position > second.position
    with pytest.raises(Conflict):
        editing.create_lesson(db, trainer, course, title="Again", slug="04-refunds-ruckgabe")
    db.rollback()
    with pytest.raises(DomainError) as caught:
        editing.create_lesson(db, trainer, course, title="Bad", slug="Refunds")
    assert caught.value.field == "slug"
