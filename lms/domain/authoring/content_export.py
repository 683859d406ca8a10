"""Writing courses and quizzes from the database back to the files the loader reads.

A course becomes `courses/<slug>/course.toml`, one Markdown file per active lesson, its practice
chats (`scenarios/<slug>.toml`, as written) and the files of its quizzes; a quiz becomes `quizzes/<slug>.toml`, or `quizzes/<slug>.gift` when it came from a GIFT
file (GIFT export reads every question back, so nothing is lost). Reading the files again gives the
same specs, hash for hash, as the database holds: export, then `lms content sync`, changes nothing.

The rule book (`courses/compliance.toml`) goes with every course, as the newest version's file
text. The database does not record which course folder holds the script library (`faq.toml`) or the
product sheet (`products.toml`), so they are not exported; a lesson's pictures are copied from the
content folder when it has them, and a missing one is noted.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from lms.content.courses import IMAGE
from lms.content.gift import export_gift
from lms.content.questions import REGISTRY
from lms.content.questions.base import number_of
from lms.content.quizzes import QUIZ_SETTINGS
from lms.content.specs import CourseSpec, LessonSpec, QuestionSpec, QuizSpec
from lms.domain.authoring.course_files import uploaded_images
from lms.domain.curriculum.rulebook import newest_version
from lms.domain.errors import N_, DomainError, NotFound
from lms.models import Course, Question, Quiz, Scenario

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
PUBLISHED_FALSE = re.compile(r"^published = false$", re.MULTILINE)
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,150}$")


@dataclass
class Export:
    """Files by their path relative to the content root, and what the files could not hold."""

    files: dict[str, bytes] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add(self, path: str, text: str) -> None:
        self.files[path] = text.encode("utf-8")

    def as_zip(self) -> bytes:
        """The files as a zip to unpack at the content root; the notes as its comment."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(self.files):
                archive.writestr(path, self.files[path])
            archive.comment = "\n".join(self.notes).encode("utf-8")[:65535]
        return buffer.getvalue()


# -- database → specs ---------------------------------------------------------------------------


def _english(**values: Any) -> dict[str, Any]:
    """The English overlay of a row: its written `*_en` values only."""
    return {key: value for key, value in values.items() if value}


def course_spec(course: Course) -> CourseSpec:
    """A course and its active lessons, as the loader would read them from its folder."""
    return CourseSpec(
        slug=course.slug,
        title=course.title,
        en=_english(title=course.title_en, summary=course.summary_en),
        summary=course.summary or "",
        version=(course.version_major, course.version_minor),
        topics=tuple(course.topics or ()),
        refresher_on_major=course.refresher_on_major,
        published=course.published,
        lessons=tuple(
            LessonSpec(
                lesson.slug,
                f"{lesson.slug}.md",
                lesson.title,
                lesson.day,
                lesson.minutes,
                lesson.body,
                _english(title=lesson.title_en, body=lesson.body_en),
            )
            for lesson in course.lessons
            if lesson.active
        ),
    )


def quiz_spec(quiz: Quiz) -> QuizSpec:
    """A quiz (its course and questions' current versions loaded) as the loader would read it."""
    questions = []
    for question in quiz.questions:
        version = question.current_version
        if not question.active or version is None:
            continue
        questions.append(
            QuestionSpec(
                question.key,
                version.type,
                version.text,
                version.points,
                tuple(version.tags or ()),
                version.explanation or "",
                dict(version.body),
                en=dict(version.en or {}),
            )
        )
    return QuizSpec(
        slug=quiz.slug,
        title=quiz.title,
        en=_english(title=quiz.title_en, description=quiz.description_en),
        course=quiz.course.slug if quiz.course is not None else None,
        description=quiz.description or "",
        pass_percent=quiz.pass_percent,
        max_attempts=quiz.max_attempts,
        cooldown_minutes=quiz.cooldown_minutes,
        time_limit_minutes=quiz.time_limit_minutes,
        grading=quiz.grading,
        shuffle=quiz.shuffle,
        review=quiz.review,
        gates=tuple(quiz.gates or ()),
        draw=tuple(dict(pool) for pool in quiz.draw) if quiz.draw is not None else None,
        published=quiz.published,
        source_format=quiz.source_format,
        questions=tuple(questions),
    )


# -- specs → file text --------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """JSON-like content as TOML can hold it: tuples as lists, no null values."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _toml(data: dict[str, Any]) -> str:
    return tomli_w.dumps(_plain(data), multiline_strings=True, indent=2)


def course_toml(spec: CourseSpec) -> str:
    """The course.toml of a course."""
    data: dict[str, Any] = {"title": spec.title}
    if spec.summary:
        data["summary"] = spec.summary
    data["version"] = spec.version_text
    if spec.topics:
        data["topics"] = list(spec.topics)
    data["refresher_on_major"] = spec.refresher_on_major
    data["published"] = spec.published
    lessons = []
    for lesson in spec.lessons:
        entry: dict[str, Any] = {"file": lesson.file, "title": lesson.title}
        if lesson.day is not None:
            entry["day"] = lesson.day
        entry["minutes"] = lesson.minutes
        if lesson.en.get("title"):
            entry["en"] = {"title": lesson.en["title"]}  # the body's English is the .en.md file
        lessons.append(entry)
    data["lessons"] = lessons
    if spec.en:
        data["en"] = dict(spec.en)
    return _toml(data)


def question_table(question: QuestionSpec) -> dict[str, Any]:
    """One `[[questions]]` table: the common keys (defaults left out), then the type's own."""
    table: dict[str, Any] = {"id": question.id, "type": question.type, "text": question.text}
    if question.points != REGISTRY[question.type].default_points(question.body):
        table["points"] = number_of(question.points)
    if question.tags:
        table["tags"] = list(question.tags)
    if question.explanation:
        table["explanation"] = question.explanation
    table.update(question.body)
    if question.en:
        table["en"] = dict(question.en)
    return table


def _settings(spec: QuizSpec) -> dict[str, Any]:
    values = spec.settings()
    return {key: values[key] for key in QUIZ_SETTINGS}


def quiz_toml(spec: QuizSpec) -> str:
    """A quiz as `quizzes/<slug>.toml`."""
    data: dict[str, Any] = {}
    for key, value in _settings(spec).items():
        if value is None or (key in ("description", "gates") and not value):
            continue
        data[key] = list(value) if isinstance(value, tuple) else value
    if spec.en:
        data["en"] = dict(spec.en)
    data["questions"] = [question_table(q) for q in spec.questions]
    return _toml(data)


def _one_line(value: Any) -> bool:
    """Whether a setting survives a `// @key: value` line unchanged."""
    if isinstance(value, str):
        return value == " ".join(value.split())
    if isinstance(value, tuple):
        return all(isinstance(v, dict) or (_one_line(v) and "," not in v) for v in value)
    return True


def quiz_file(spec: QuizSpec) -> tuple[str, str, str | None]:
    """The quiz's file name and text (GIFT if it came from GIFT and fits), and a note if any."""
    if spec.source_format == "gift":
        settings = _settings(spec)
        if spec.en:
            settings["en"] = dict(spec.en)
        if all(_one_line(v) for v in settings.values()):
            return f"{spec.slug}.gift", export_gift(list(spec.questions), settings), None
        note = (
            f"quizzes/{spec.slug}: a setting runs over several lines, which GIFT cannot hold; "
            f"written as quizzes/{spec.slug}.toml (remove quizzes/{spec.slug}.gift)"
        )
        return f"{spec.slug}.toml", quiz_toml(spec), note
    return f"{spec.slug}.toml", quiz_toml(spec), None


# -- the exports --------------------------------------------------------------------------------


def _quizzes(session: Session, *conditions: Any) -> list[Quiz]:
    return list(
        session.scalars(
            select(Quiz)
            .where(*conditions)
            .order_by(Quiz.slug)
            .options(
                selectinload(Quiz.course),
                selectinload(Quiz.questions).selectinload(Question.current_version),
            )
        )
    )


def _add_quiz(export: Export, quiz: Quiz) -> None:
    spec = quiz_spec(quiz)
    name, text, note = quiz_file(spec)
    export.add(f"quizzes/{name}", text)
    if note:
        export.notes.append(note)
    if not spec.questions:
        export.notes.append(f"quizzes/{name}: the quiz has no questions; the file loads once it has some")


def export_quiz(session: Session, slug: str) -> Export:
    """One quiz as its file."""
    found = _quizzes(session, Quiz.slug == slug) if SLUG.match(slug) else []
    if not found:
        raise NotFound(N_("No such quiz."))
    export = Export()
    _add_quiz(export, found[0])
    return export


def _picture(folder: Path | None, target: str) -> tuple[str, bytes] | None:
    """A picture a lesson shows, by its path inside the course folder, if the folder has it."""
    if folder is None:
        return None
    path = (folder / target.split("#")[0].split("?")[0]).resolve()
    if not path.is_relative_to(folder) or not path.is_file():
        return None
    return path.relative_to(folder).as_posix(), path.read_bytes()


def _pictures(export: Export, spec: CourseSpec, assets: Path | None, uploaded: dict[str, bytes]) -> None:
    """Copy the pictures lessons show from the course folder (when the content folder has them) or
    from the uploads kept in the database."""
    folder = assets.resolve() if assets is not None else None
    for lesson in spec.lessons:
        for target in sorted(set(IMAGE.findall(lesson.body))):
            if re.match(r"^(https?:|data:|/)", target):
                continue
            found = _picture(folder, target)
            clean = target.split("#")[0].split("?")[0]
            if found is None and clean in uploaded:
                found = (clean, uploaded[clean])
            if found is None:
                export.notes.append(
                    f"courses/{spec.slug}/{lesson.file}: the picture {target} is not in the content folder"
                )
            else:
                export.files[f"courses/{spec.slug}/{found[0]}"] = found[1]


def export_course(session: Session, slug: str, assets: Path | None = None) -> Export:
    """A course folder (course.toml and lessons) and its quizzes; pictures from `assets`."""
    course = (
        session.scalars(
            select(Course).where(Course.slug == slug).options(selectinload(Course.lessons))
        ).one_or_none()
        if SLUG.match(slug)
        else None
    )
    if course is None:
        raise NotFound(N_("No such course."))
    spec = course_spec(course)
    for lesson in spec.lessons:
        if not SAFE_NAME.match(lesson.slug):
            raise DomainError(
                N_("The lesson %(lesson)s has no name a file can have."), "lesson", lesson=lesson.slug
            )
    export = Export()
    export.add(f"courses/{slug}/course.toml", course_toml(spec))
    for lesson in spec.lessons:
        export.add(f"courses/{slug}/{lesson.file}", lesson.body)
        if lesson.en.get("body"):
            export.add(f"courses/{slug}/{lesson.slug}.en.md", lesson.en["body"])
    _pictures(export, spec, assets, uploaded_images(session, slug))
    for quiz in _quizzes(session, Quiz.course_id == course.id):
        _add_quiz(export, quiz)
    for scenario in session.scalars(
        select(Scenario)
        .where(Scenario.course_id == course.id, Scenario.active.is_(True))
        .options(joinedload(Scenario.current_version))  # one query, with or without scenarios
    ):
        version = scenario.current_version
        if version is not None and version.source_text and SLUG.match(scenario.slug):
            # A practice chat goes back as written; a browser draft published since says so.
            text = (
                PUBLISHED_FALSE.sub("published = true", version.source_text)
                if scenario.published
                else version.source_text
            )
            export.add(f"courses/{slug}/scenarios/{scenario.slug}.toml", text)
    rulebook = newest_version(session)
    if rulebook is not None and rulebook.source_text:
        # The rule book travels with the curriculum, exactly as it was written.
        export.add("courses/compliance.toml", rulebook.source_text)
    return export
