"""Editing courses and lessons in the browser: validation, versions, order, and lost-update protection.

Concurrency: every edit form carries the `updated_at` of the row as it was loaded (`edit_token`).
Saving claims the row with a conditional UPDATE (`… WHERE id = :id AND updated_at = :token`); when
another save got there first no row matches and `Conflict` is raised, so the second editor is told
and nothing of theirs is written (the view keeps their text in the form). The claim takes the row
lock on PostgreSQL and SQLite's single writer, so two parallel saves can never both win.

Content hashes: an edited course and lesson get the hash the file loader would give the same content
(`CourseSpec.hash` / `LessonSpec.hash` via `content_export.course_spec`), so `lms content sync` sees
a row edited in the browser as different from the files (and the files, when synced, win).
A lesson edit changes the course's hash too (a course's hash covers its lessons), and so its
`updated_at`: a course settings form opened before the lesson edit has to be reloaded.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from lms.content.specs import LessonSpec
from lms.db import utcnow
from lms.domain import audit
from lms.domain.assignments.refreshers import RefresherRun, assign_refreshers
from lms.domain.authoring.content_export import course_spec
from lms.domain.curriculum.programme import load_schedule
from lms.domain.errors import N_, Conflict, DomainError
from lms.models import Course, CourseRevision, Lesson, Role, User

MAX_TITLE = 200
MAX_SUMMARY = 10_000
MAX_BODY = 200_000
MAX_MINUTES = 600
MAX_NOTE = 2_000
DEFAULT_DAYS = 15
TOPIC = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: A lesson's slug is its file name without `.md`, and the loader wants `NN-name.md`.
LESSON_SLUG = re.compile(r"^\d+-[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_LESSON_SLUG = 120

Kind = Literal["minor", "major"]
Direction = Literal["up", "down"]


def edit_token(row: Course | Lesson) -> str:
    """The version a form was loaded from (sent back on save to detect a concurrent edit)."""
    return row.updated_at.isoformat()


def _parse_token(token: str | None) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat((token or "").strip())
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise Conflict(N_("The form is out of date. Reload the page and make your change again."))
    return parsed


def _claim(
    session: Session, model: type[Course] | type[Lesson], row_id: int, token: str | None
) -> dt.datetime:
    """Take the row if it is still the version the form was loaded from; the new `updated_at`."""
    expected = _parse_token(token)
    now = utcnow()
    if now <= expected:  # keep the token strictly increasing even if the clock went back
        now = expected + dt.timedelta(microseconds=1)
    claimed = session.execute(
        update(model)
        .where(model.id == row_id, model.updated_at == expected)
        .values(updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(claimed, "rowcount", 0) != 1:
        raise Conflict(
            N_(
                "Someone else saved this since you opened it. Your text is kept below: copy it, "
                "reload the page to see their version, and make your change again."
            )
        )
    return now


# -- validation -----------------------------------------------------------------------------------


def _title(value: str | None, field: str = "title", required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise DomainError(N_("Give a title."), field)
    if len(text) > MAX_TITLE:
        raise DomainError(N_("At most %(n)s characters."), field, n=MAX_TITLE)
    return text


def _topics(values: Sequence[str]) -> list[str]:
    topics: list[str] = []
    for raw in values:
        topic = raw.strip()
        if not topic:
            continue
        if not TOPIC.match(topic) or len(topic) > 60:
            raise DomainError(
                N_("Topics are lowercase words joined by hyphens, like “after-sales” (not “%(topic)s”)."),
                "topics",
                topic=topic,
            )
        if topic not in topics:
            topics.append(topic)
    return topics


def programme_days(session: Session) -> int:
    """How many days the programme has (15 until a programme is loaded)."""
    schedule = load_schedule(session)
    return schedule.days if schedule is not None else DEFAULT_DAYS


def _day(session: Session, day: int | None) -> int | None:
    if day is None:
        return None
    days = programme_days(session)
    if not 1 <= day <= days:
        raise DomainError(N_("Pick a day from 1 to %(n)s, or leave it empty."), "day", n=days)
    return day


def _minutes(minutes: int) -> int:
    if not 0 <= minutes <= MAX_MINUTES:
        raise DomainError(N_("Minutes must be from 0 to %(n)s."), "minutes", n=MAX_MINUTES)
    return minutes


def _body(body: str | None) -> str:
    text = (body or "").replace("\r\n", "\n")
    if len(text) > MAX_BODY:
        raise DomainError(N_("The lesson is too long: at most %(n)s characters."), "body", n=MAX_BODY)
    return text


# -- hashes ---------------------------------------------------------------------------------------


def lesson_hash(lesson: Lesson) -> str:
    """The hash the loader gives a lesson with this content (its file is `<slug>.md`)."""
    english = {k: v for k, v in (("title", lesson.title_en), ("body", lesson.body_en)) if v}
    return LessonSpec(
        lesson.slug, f"{lesson.slug}.md", lesson.title, lesson.day, lesson.minutes, lesson.body, english
    ).hash


def _rehash(session: Session, course: Course) -> None:
    session.flush()
    session.refresh(course, ["lessons"])
    course.content_hash = course_spec(course).hash


# -- courses --------------------------------------------------------------------------------------


def update_course(
    session: Session,
    editor: User,
    course: Course,
    *,
    title: str,
    title_en: str | None,
    summary: str,
    summary_en: str | None = None,
    topics: Sequence[str],
    published: bool,
    refresher_on_major: bool,
    expected_updated_at: str | None,
) -> Course:
    """Save a course's settings, if nobody saved it since the form was loaded."""
    clean_title = _title(title)
    clean_en = _title(title_en, "title_en", required=False) or None
    clean_summary = (summary or "").strip()
    clean_summary_en = (summary_en or "").strip() or None
    for key, value in (("summary", clean_summary), ("summary_en", clean_summary_en or "")):
        if len(value) > MAX_SUMMARY:
            raise DomainError(N_("At most %(n)s characters."), key, n=MAX_SUMMARY)
    clean_topics = _topics(topics)
    before = _course_fields(course)
    course.updated_at = _claim(session, Course, course.id, expected_updated_at)
    course.title, course.title_en = clean_title, clean_en
    course.summary, course.summary_en = clean_summary, clean_summary_en
    course.topics = clean_topics
    course.published, course.refresher_on_major = bool(published), bool(refresher_on_major)
    _rehash(session, course)
    after = _course_fields(course)
    audit.record(
        session,
        "course.edit",
        actor=editor,
        target=course,
        before={k: v for k, v in before.items() if after[k] != v},
        after={k: v for k, v in after.items() if before[k] != v},
    )
    session.flush()
    return course


def _course_fields(course: Course) -> dict[str, Any]:
    return {
        "title": course.title,
        "title_en": course.title_en,
        "summary": course.summary,
        "summary_en": course.summary_en,
        "topics": list(course.topics or []),
        "published": course.published,
        "refresher_on_major": course.refresher_on_major,
    }


@dataclass
class Bump:
    """A version change and the refreshers it assigned."""

    revision: CourseRevision
    refreshers: RefresherRun | None


def bump_version(
    session: Session,
    editor: User,
    course: Course,
    kind: str,
    note: str,
    *,
    expected_updated_at: str | None = None,
    due_days: int = 14,
    now: dt.datetime | None = None,
) -> Bump:
    """Raise the version (minor: x.y+1; major: x+1.0, with a change note) and record the revision.

    A major revision assigns refresher training (when the course asks for it) right away. With
    `expected_updated_at` a double submit bumps once: the second one is a Conflict.
    """
    if kind not in ("minor", "major"):
        raise DomainError(N_("Choose a minor or a major change."), "kind")
    clean_note = (note or "").strip()
    if kind == "major" and not clean_note:
        raise DomainError(N_("Say what changed: learners see this note with their refresher."), "note")
    if len(clean_note) > MAX_NOTE:
        raise DomainError(N_("At most %(n)s characters."), "note", n=MAX_NOTE)
    if expected_updated_at is not None:
        course.updated_at = _claim(session, Course, course.id, expected_updated_at)
    old = course.version
    if kind == "major":
        course.version_major, course.version_minor = course.version_major + 1, 0
    else:
        course.version_minor += 1
    revision = CourseRevision(
        course=course, from_version=old, to_version=course.version, major=kind == "major", note=clean_note
    )
    session.add(revision)
    _rehash(session, course)
    audit.record(
        session,
        "course.revision",
        actor=editor,
        target=course,
        before={"version": old},
        after={"version": course.version, "major": revision.major, "note": clean_note},
    )
    session.flush()
    run = assign_refreshers(session, now or utcnow(), due_days) if revision.major else None
    return Bump(revision, run)


# -- lessons --------------------------------------------------------------------------------------


def update_lesson(
    session: Session,
    editor: User,
    lesson: Lesson,
    *,
    title: str,
    body: str,
    day: int | None,
    minutes: int,
    expected_version: str | None,
    title_en: str | None = None,
    body_en: str | None = None,
) -> Lesson:
    """Save a lesson, if nobody saved it since the form was loaded.

    `title_en` / `body_en` are its English version: None leaves it as it is, "" removes it.
    """
    clean_title = _title(title)
    clean_body = _body(body)
    clean_title_en = _title(title_en, "title_en", required=False) if title_en is not None else None
    clean_body_en = _body(body_en) if body_en is not None else None
    clean_day = _day(session, day)
    clean_minutes = _minutes(minutes)
    before = {
        "title": lesson.title,
        "day": lesson.day,
        "minutes": lesson.minutes,
        "hash": lesson.content_hash,
    }
    lesson.updated_at = _claim(session, Lesson, lesson.id, expected_version)
    lesson.title, lesson.body, lesson.day, lesson.minutes = clean_title, clean_body, clean_day, clean_minutes
    if title_en is not None:
        lesson.title_en = clean_title_en or None
    if body_en is not None:
        lesson.body_en = clean_body_en if (clean_body_en or "").strip() else None
    lesson.content_hash = lesson_hash(lesson)
    _rehash(session, lesson.course)
    audit.record(
        session,
        "lesson.edit",
        actor=editor,
        target=lesson,
        before=before,
        after={
            "title": lesson.title,
            "day": lesson.day,
            "minutes": lesson.minutes,
            "hash": lesson.content_hash,
        },
    )
    session.flush()
    return lesson


def _ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return "-".join(re.findall(r"[a-z0-9]+", plain))[:60].strip("-") or "lesson"


def _active(course: Course) -> list[Lesson]:
    return sorted((le for le in course.lessons if le.active), key=lambda le: (le.position, le.id))


def create_lesson(
    session: Session,
    editor: User,
    course: Course,
    *,
    title: str,
    slug: str | None = None,
    body: str = "",
    day: int | None = None,
    minutes: int = 0,
) -> Lesson:
    """Add a lesson at the end of the course; without a slug one is made: `NN-words-of-the-title`."""
    clean_title = _title(title)
    clean_body = _body(body)
    clean_day = _day(session, day)
    clean_minutes = _minutes(minutes)
    taken = set(session.scalars(select(Lesson.slug).where(Lesson.course_id == course.id)))
    if slug is None or not slug.strip():
        number = len(_active(course)) + 1
        base = _ascii_slug(clean_title)
        slug = f"{number:02d}-{base}"
        while slug in taken:
            number += 1
            slug = f"{number:02d}-{base}"
    slug = slug.strip()
    if not LESSON_SLUG.match(slug) or len(slug) > MAX_LESSON_SLUG:
        raise DomainError(
            N_("A lesson's short name is a number, a hyphen and lowercase words, like “04-returns”."), "slug"
        )
    if slug in taken:
        raise Conflict(N_("This course already has a lesson called %(slug)s."), "slug", slug=slug)
    position = (
        session.scalar(select(func.max(Lesson.position)).where(Lesson.course_id == course.id)) or 0
    ) + 1
    lesson = Lesson(
        slug=slug,
        title=clean_title,
        body=clean_body,
        day=clean_day,
        minutes=clean_minutes,
        position=position,
        active=True,
    )
    course.lessons.append(lesson)
    lesson.content_hash = lesson_hash(lesson)
    _rehash(session, course)
    audit.record(
        session, "lesson.create", actor=editor, target=lesson, after={"slug": slug, "title": clean_title}
    )
    session.flush()
    return lesson


def move_lesson(session: Session, editor: User, course: Course, lesson: Lesson, direction: str) -> bool:
    """Move an active lesson one place up or down; positions become 0..n-1. False when it cannot move."""
    if direction not in ("up", "down"):
        raise DomainError(N_("Move a lesson up or down."), "direction")
    order = _active(course)
    if lesson not in order:
        return False
    index = order.index(lesson)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(order):
        return False
    order[index], order[other] = order[other], order[index]
    for position, item in enumerate(order):
        item.position = position
    _rehash(session, course)
    audit.record(
        session,
        "lesson.move",
        actor=editor,
        target=lesson,
        after={"direction": direction, "position": lesson.position},
    )
    session.flush()
    return True


def set_lesson_active(session: Session, editor: User, course: Course, lesson: Lesson, active: bool) -> None:
    """Take a lesson out of the course (kept, with learners' completions) or put it back at the end."""
    if not editor.has_role(Role.TRAINER, Role.ADMIN):
        raise DomainError(N_("Only trainers and administrators edit courses."))
    if lesson.active == active:
        return
    lesson.active = active
    if active:
        lesson.position = max((le.position for le in _active(course) if le is not lesson), default=-1) + 1
    _rehash(session, course)
    audit.record(session, "lesson.restore" if active else "lesson.remove", actor=editor, target=lesson)
    session.flush()


COURSE_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


def create_course(session: Session, editor: User, *, slug: str, title: str, topics: Sequence[str]) -> Course:
    """A new, unpublished course at version 1.0 (add lessons, then publish)."""
    if not editor.has_role(Role.TRAINER, Role.ADMIN):
        raise DomainError(N_("Only trainers and administrators edit courses."))
    slug = (slug or "").strip()
    if not COURSE_SLUG.match(slug):
        raise DomainError(N_("A course's short name is lowercase letters, digits and dashes."), "slug")
    if session.scalar(select(Course.id).where(Course.slug == slug)) is not None:
        raise Conflict(N_("A course called %(slug)s exists already."), "slug", slug=slug)
    course = Course(
        slug=slug,
        title=_title(title),
        topics=_topics(topics),
        published=False,
        refresher_on_major=True,
        version_major=1,
        version_minor=0,
    )
    session.add(course)
    session.flush()
    course.content_hash = course_spec(course).hash
    audit.record(session, "course.create", actor=editor, target=course, after={"slug": slug})
    return course
