"""Loading the curriculum: idempotent, versioned questions, revision events, one transaction."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.domain.curriculum.sync import sync_content
from lms.models import (
    Course,
    CourseRevision,
    FaqEntry,
    Lesson,
    Product,
    Programme,
    Question,
    QuestionVersion,
    Quiz,
)


def _copy_curriculum(tmp_path: Path) -> Path:
    for name in ("courses", "quizzes"):
        shutil.copytree(PROJECT_ROOT / name, tmp_path / name)
    return tmp_path


def _sync(db: Session, root: Path):  # type: ignore[no-untyped-def]
    tree, problems = check(root)
    assert problems == []
    report = sync_content(db, tree)
    db.commit()
    return report


def test_the_shipped_curriculum_loads_and_a_second_sync_changes_nothing(db: Session, tmp_path: Path) -> None:
    root = _copy_curriculum(tmp_path)
    first = _sync(db, root)
    assert first.counts["courses"]["created"] == len(check(root)[0].courses) == 7
    assert db.scalar(select(func.count()).select_from(Lesson)) >= 30
    assert db.scalar(select(func.count()).select_from(QuestionVersion)) >= 220
    assert db.scalar(select(func.count()).select_from(FaqEntry)) >= 60
    assert db.scalar(select(func.count()).select_from(Product)) >= 20
    assert db.scalars(select(Programme)).one().spec["days"] == 15
    second = _sync(db, root)
    assert not second.changed
    assert all(c["created"] == c["updated"] == c["removed"] == 0 for c in second.counts.values())


def test_editing_a_question_makes_a_new_version_and_keeps_the_old(db: Session, tmp_path: Path) -> None:
    root = _copy_curriculum(tmp_path)
    _sync(db, root)
    quiz_file = root / "quizzes" / "house-rules-check.toml"
    quiz_file.write_text(
        quiz_file.read_text(encoding="utf-8").replace(
            "顾客发来一条新的咨询，店规要求你在多少秒内做出第一次回复？",
            "新咨询的首次回复，店规要求在几秒之内？",
        ),
        encoding="utf-8",
    )
    report = _sync(db, root)
    assert report.counts["questions"]["updated"] == 1
    question = db.scalars(
        select(Question)
        .join(Quiz)
        .where(Quiz.slug == "house-rules-check", Question.key == "first-reply-seconds")
    ).one()
    assert [v.number for v in question.versions] == [1, 2]
    assert question.current_version.text.startswith("新咨询的首次回复")
    assert question.versions[0].text.startswith("顾客发来一条新的咨询")


def test_removed_questions_and_lessons_are_retired_not_deleted(db: Session, tmp_path: Path) -> None:
    root = _copy_curriculum(tmp_path)
    _sync(db, root)
    course_file = root / "courses" / "house-rules" / "course.toml"
    text = course_file.read_text(encoding="utf-8")
    start = text.index('[[lessons]]\nfile = "05-returns-and-exchanges.md"')
    end = text.index("[[lessons]]", start + 1)
    course_file.write_text(text[:start] + text[end:], encoding="utf-8")
    (course_file.parent / "05-returns-and-exchanges.md").unlink()
    (course_file.parent / "05-returns-and-exchanges.en.md").unlink()
    report = _sync(db, root)
    assert report.counts["lessons"]["removed"] == 1
    lesson = db.scalars(select(Lesson).where(Lesson.slug == "05-returns-and-exchanges")).one()
    assert lesson.active is False


def test_a_major_version_bump_records_a_revision(db: Session, tmp_path: Path) -> None:
    root = _copy_curriculum(tmp_path)
    _sync(db, root)
    course_file = root / "courses" / "platform-rules" / "course.toml"
    text = course_file.read_text(encoding="utf-8")
    shipped = re.search(r'^version = "([0-9.]+)"', text, flags=re.MULTILINE).group(1)  # type: ignore[union-attr]
    course_file.write_text(text.replace(f'version = "{shipped}"', 'version = "3.0"'), encoding="utf-8")
    report = _sync(db, root)
    revision = db.scalars(select(CourseRevision)).one()
    assert (revision.from_version, revision.to_version, revision.major) == (shipped, "3.0", True)
    assert report.revisions == [f"platform-rules {shipped} → 3.0 (major)"]
    assert db.scalars(select(Course).where(Course.slug == "platform-rules")).one().version == "3.0"
