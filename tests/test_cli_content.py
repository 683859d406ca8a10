"""`lms content …`: check, sync, GIFT and Aiken import/export."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.models import Question, Quiz


def _run(app: Flask, *args: str):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=list(args))


def test_check_is_clean_on_the_shipped_content(app: Flask) -> None:
    result = _run(app, "content", "check")
    assert result.exit_code == 0, result.output
    courses = len(check(PROJECT_ROOT)[0].courses)
    assert f"Content is clean: {courses} courses" in result.output


def test_check_reports_a_broken_file_precisely(app: Flask, tmp_path: Path) -> None:
    (tmp_path / "quizzes").mkdir()
    (tmp_path / "quizzes" / "broken.toml").write_text(
        'title = "x"\npass_percent = 120\n[[questions]]\nid = "a"\ntype = "single"\ntext = "?"\n'
    )
    app.config["LMS"].content_dir = tmp_path
    result = _run(app, "content", "check")
    assert result.exit_code == 1
    assert "quizzes/broken.toml:2: `pass_percent` must be between 0 and 100 (is 120)" in result.output
    assert "quizzes/broken.toml:3: missing `choices`" in result.output


def test_check_on_a_broken_copy_elsewhere_reports_the_file_by_path_and_line(
    app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "working-copy"
    for area in ("courses", "quizzes"):
        shutil.copytree(PROJECT_ROOT / area, copy / area)
    quiz = copy / "quizzes" / "house-rules-check.toml"
    quiz.write_text(quiz.read_text(encoding="utf-8").replace("pass_percent = 70", "pass_percent = 170"))
    assert app.config["LMS"].content_dir != copy  # the configured folder stays the clean checkout
    monkeypatch.chdir(tmp_path)
    for named in ("working-copy", os.fspath(copy), "working-copy/quizzes/house-rules-check.toml"):
        result = _run(app, "content", "check", named)
        assert result.exit_code == 1, result.output
        where = "working-copy/quizzes/house-rules-check.toml:9:"
        assert f"{where} `pass_percent` must be between 0 and 100 (is 170)" in result.output
        assert "1 problem(s) found" in result.output
    clean = _run(app, "content", "check", "working-copy/courses")
    assert clean.exit_code == 0, clean.output
    courses = len(check(PROJECT_ROOT)[0].courses)
    assert f"Content is clean: working-copy/courses (in a curriculum of {courses} courses" in clean.output


def test_check_refuses_a_path_that_does_not_exist(app: Flask, tmp_path: Path) -> None:
    result = _run(app, "content", "check", str(tmp_path / "nowhere"))
    assert result.exit_code == 1
    assert f"Error: {tmp_path / 'nowhere'}: no such file or folder" in result.output
    assert "clean" not in result.output


def test_sync_loads_then_reports_unchanged(app: Flask, db: Session) -> None:
    tree, _problems = check(PROJECT_ROOT)
    questions = sum(len(quiz.questions) for quiz in tree.quizzes.values())
    first = _run(app, "content", "sync")
    assert first.exit_code == 0, first.output
    assert f"questions: {questions} created" in first.output
    second = _run(app, "content", "sync")
    assert f"questions: 0 created, 0 updated, {questions} unchanged" in second.output


def test_gift_import_and_export(app: Flask, db: Session, tmp_path: Path) -> None:
    gift = tmp_path / "extra.gift"
    gift.write_text(
        "::cutoff:: Orders paid before which hour ship today?{#16}\n\n::law::Seven-day return?{T}\n",
        encoding="utf-8",
    )
    result = _run(app, "content", "import-gift", str(gift), "--quiz", "extra-practice")
    assert result.exit_code == 0, result.output
    assert "2 new" in result.output
    quiz = db.scalars(select(Quiz).where(Quiz.slug == "extra-practice")).one()
    assert quiz.published is False  # a trainer reviews an imported quiz before learners see it
    out = tmp_path / "out.gift"
    exported = _run(app, "content", "export-gift", "--quiz", "extra-practice", "-o", str(out))
    assert exported.exit_code == 0
    assert "::cutoff::" in out.read_text(encoding="utf-8")
    again = _run(app, "content", "import-gift", str(out), "--quiz", "extra-practice")
    assert "2 unchanged" in again.output


def test_a_gift_file_with_errors_imports_nothing(app: Flask, db: Session, tmp_path: Path) -> None:
    gift = tmp_path / "bad.gift"
    gift.write_text("::ok:: Fine {#1}\n\n::bad:: Broken {=a ~b\n", encoding="utf-8")
    result = _run(app, "content", "import-gift", str(gift), "--quiz", "x")
    assert result.exit_code == 1 and "bad.gift:3:" in result.output
    assert db.scalar(select(func.count()).select_from(Question)) == 0


def test_aiken_import(app: Flask, db: Session, tmp_path: Path) -> None:
    aiken = tmp_path / "q.txt"
    aiken.write_text("Which courier is free?\nA. SF Express\nB. YTO\nANSWER: B\n", encoding="utf-8")
    result = _run(app, "content", "import-aiken", str(aiken), "--quiz", "couriers")
    assert result.exit_code == 0, result.output
    assert db.scalar(select(func.count()).select_from(Question)) == 1
