"""`lms content …`: check, sync, GIFT and Aiken import/export."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.models import Question, Quiz


def _run(app: Flask, *args: str):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=list(args))


def test_check_is_clean_on_the_shipped_content(app: Flask) -> None:
    result = _run(app, "content", "check")
    assert result.exit_code == 0, result.output
    assert "Content is clean: 6 courses" in result.output


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


def test_sync_loads_then_reports_unchanged(app: Flask, db: Session) -> None:
    first = _run(app, "content", "sync")
    assert first.exit_code == 0, first.output
    assert "questions: 274 created" in first.output
    second = _run(app, "content", "sync")
    assert "questions: 0 created, 0 updated, 274 unchanged" in second.output


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
