"""Export: the database written back to course and quiz files reads back as the very same content."""

from __future__ import annotations

import io
import shutil
import tomllib
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.config import PROJECT_ROOT
from lms.content.aiken import parse_aiken
from lms.content.gift import parse_gift
from lms.content.loader import check
from lms.content.specs import ContentTree
from lms.domain.authoring.content_export import Export, export_course, export_quiz
from lms.domain.authoring.question_import import import_questions
from lms.domain.curriculum.sync import sync_content
from lms.domain.errors import NotFound
from lms.models import Quiz
from tests.factories import CourseFactory, LessonFactory


def _load_shipped(db: Session, tmp_path: Path) -> tuple[Path, ContentTree]:
    source = tmp_path / "source"
    for name in ("courses", "quizzes"):
        shutil.copytree(PROJECT_ROOT / name, source / name)
    tree, problems = check(source)
    assert problems == []
    sync_content(db, tree)
    db.commit()
    return source, tree


def _write(export: Export, root: Path) -> None:
    for path, data in export.files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def _copy_files_the_database_does_not_hold(source: Path, out: Path) -> None:
    for path in [source / "courses" / "program.toml", *(source / "courses").glob("*/faq.toml")]:
        target = out / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    for path in (source / "courses").glob("*/products.toml"):
        shutil.copy(path, out / path.relative_to(source))


def test_exporting_every_course_and_quiz_reads_back_the_same_content(db: Session, tmp_path: Path) -> None:
    source, tree = _load_shipped(db, tmp_path)
    files: dict[str, bytes] = {}
    notes: list[str] = []
    for slug in tree.courses:
        export = export_course(db, slug, assets=source / "courses" / slug)
        files.update(export.files)
        notes += export.notes
    for slug in tree.quizzes:
        export = export_quiz(db, slug)
        for path, data in export.files.items():
            assert files.get(path, data) == data, f"{path} differs between course and quiz export"
        files.update(export.files)
        notes += export.notes
    assert notes == []
    out = tmp_path / "out"
    _write(Export(files), out)
    _copy_files_the_database_does_not_hold(source, out)

    back, problems = check(out)

    assert [str(p) for p in problems] == []
    assert sorted(back.courses) == sorted(tree.courses)
    for slug, course in tree.courses.items():
        assert [lesson.hash for lesson in back.courses[slug].lessons] == [
            lesson.hash for lesson in course.lessons
        ]
        assert back.courses[slug].hash == course.hash, slug
    assert sorted(back.quizzes) == sorted(tree.quizzes)
    for slug, quiz in tree.quizzes.items():
        assert [q.hash for q in back.quizzes[slug].questions] == [q.hash for q in quiz.questions], slug
        assert back.quizzes[slug].hash == quiz.hash, slug
    assert back.quizzes["gift-sample"].source_format == "gift"
    assert sorted(back.scenarios) == sorted(tree.scenarios)  # practice chats go with their course
    assert all(back.scenarios[s].hash == tree.scenarios[s].hash for s in tree.scenarios)
    assert back.programme == tree.programme
    # Loading the exported files into the database they came from changes nothing.
    assert not sync_content(db, back).changed


def test_a_course_export_holds_its_lessons_and_quizzes_and_unpacks_at_the_content_root(
    db: Session, tmp_path: Path
) -> None:
    _load_shipped(db, tmp_path)
    export = export_course(db, "house-rules")
    names = zipfile.ZipFile(io.BytesIO(export.as_zip())).namelist()
    assert "courses/house-rules/course.toml" in names
    assert "courses/house-rules/01-service-standard.md" in names
    assert {"quizzes/house-rules-check.toml", "quizzes/house-rules-exam.toml"} <= set(names)
    assert not any(name.startswith("quizzes/platform-rules") for name in names)
    course_toml = export.files["courses/house-rules/course.toml"].decode()
    # Chinese first, the English beside it (the legacy title_zh became the main title).
    assert course_toml.startswith('title = "店规：行者的服务标准"\n')
    assert '[en]\ntitle = "House rules: how we serve at Xingzhe"' in course_toml
    assert tomllib.loads(course_toml)["lessons"][0]["file"] == "01-service-standard.md"


def test_questions_imported_in_the_browser_are_exported(db: Session, tmp_path: Path) -> None:
    source, _tree = _load_shipped(db, tmp_path)
    aiken, problems = parse_aiken(
        "Who pays the return postage for a defect?\nA. The buyer\nB. The store\nANSWER: B\n"
    )
    assert problems == []
    # Every GIFT question type, with its title, category and format, into a TOML quiz.
    gift, problems = parse_gift((source / "quizzes" / "gift-sample.gift").read_text(encoding="utf-8"))
    assert problems == []
    import_questions(db, "house-rules-check", aiken + gift)
    db.commit()
    _write(export_quiz(db, "house-rules-check"), source)  # unpacked over the checkout

    back, problems = check(source)

    assert [str(p) for p in problems] == []
    quiz = back.quizzes["house-rules-check"]
    imported = quiz.questions[-len(aiken + gift) :]
    assert imported[0].id == "who-pays-the-return-postage-for-a-defect"
    assert [q.hash for q in imported] == [q.hash for q in aiken + gift]
    stored = db.scalars(select(Quiz).where(Quiz.slug == "house-rules-check")).one()
    assert [q.key for q in stored.questions if q.active] == [q.id for q in quiz.questions]


def test_a_gift_quiz_whose_setting_gift_cannot_hold_is_written_as_toml(db: Session, tmp_path: Path) -> None:
    _load_shipped(db, tmp_path)
    quiz = db.scalars(select(Quiz).where(Quiz.slug == "gift-sample")).one()
    quiz.description = "Two lines\nof description."
    db.commit()
    export = export_quiz(db, "gift-sample")
    assert list(export.files) == ["quizzes/gift-sample.toml"]
    assert "remove quizzes/gift-sample.gift" in export.notes[0]
    assert (
        'description = """\nTwo lines\nof description."""'
        in export.files["quizzes/gift-sample.toml"].decode()
    )


def test_lesson_pictures_come_from_the_content_folder_and_a_missing_one_is_noted(
    db: Session, tmp_path: Path
) -> None:
    course = CourseFactory(slug="care", title="Care")
    LessonFactory(
        course=course, slug="01-leather", body="# Leather\n\n![oiled](images/oil.png)\n![gone](gone.png)\n"
    )
    db.commit()
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "oil.png").write_bytes(b"\x89PNG")

    export = export_course(db, "care", assets=tmp_path)

    assert export.files["courses/care/images/oil.png"] == b"\x89PNG"
    assert export.notes == ["courses/care/01-leather.md: the picture gone.png is not in the content folder"]
    assert zipfile.ZipFile(io.BytesIO(export.as_zip())).comment.decode() == export.notes[0]


@pytest.mark.parametrize("slug", ["no-such-thing", "../etc", "Bad Slug"])
def test_unknown_courses_and_quizzes_are_not_found(db: Session, slug: str) -> None:
    with pytest.raises(NotFound):
        export_course(db, slug)
    with pytest.raises(NotFound):
        export_quiz(db, slug)


def test_a_bilingual_course_and_quiz_export_as_the_same_files(db: Session, tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(PROJECT_ROOT / "tests" / "data" / "bilingual", source)
    tree, problems = check(source)
    assert problems == [] and tree.translation_warnings == []
    sync_content(db, tree)
    db.commit()
    out = tmp_path / "out"
    _write(export_course(db, "desk-basics"), out)
    for name in ("program.toml", "translations.lock", "desk-basics/faq.toml", "desk-basics/products.toml"):
        shutil.copy(source / "courses" / name, out / "courses" / name)
    exported = (out / "courses/desk-basics/01-first-response.en.md").read_text(encoding="utf-8")
    assert exported == (source / "courses/desk-basics/01-first-response.en.md").read_text(encoding="utf-8")
    back, problems = check(out)
    assert problems == []
    assert back.translation_warnings == []  # same Chinese, so the stamps still hold
    assert back.courses["desk-basics"] == tree.courses["desk-basics"]
    assert back.courses["desk-basics"].hash == tree.courses["desk-basics"].hash
    quiz = back.quizzes["desk-basics-check"]
    assert quiz == tree.quizzes["desk-basics-check"]
    assert [q.en for q in quiz.questions] == [q.en for q in tree.quizzes["desk-basics-check"].questions]
    assert not sync_content(db, back).changed


def test_a_bilingual_gift_quiz_exports_as_gift_with_its_english(db: Session, tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(PROJECT_ROOT / "tests" / "data" / "bilingual", source)
    tree, _problems = check(source)
    sync_content(db, tree)
    db.commit()
    quiz = db.scalars(select(Quiz).where(Quiz.slug == "desk-basics-check")).one()
    quiz.source_format = "gift"
    db.commit()
    export = export_quiz(db, "desk-basics-check")
    text = export.files["quizzes/desk-basics-check.gift"].decode()
    assert "// @lms:en " in text and "// @en: " in text
    (source / "quizzes" / "desk-basics-check.toml").unlink()
    (source / "quizzes" / "desk-basics-check.gift").write_text(text, encoding="utf-8")
    back, problems = check(source)
    assert problems == []
    assert back.quizzes["desk-basics-check"].en == tree.quizzes["desk-basics-check"].en
    assert [q.en for q in back.quizzes["desk-basics-check"].questions] == [
        q.en for q in tree.quizzes["desk-basics-check"].questions
    ]
