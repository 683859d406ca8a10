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


def test_a_planted_superlative_in_a_copy_of_a_quiz_fails_the_check_with_its_line(
    app: Flask, tmp_path: Path
) -> None:
    from lms.config import PROJECT_ROOT

    shutil.copytree(PROJECT_ROOT / "courses", tmp_path / "courses")
    shutil.copytree(PROJECT_ROOT / "quizzes", tmp_path / "quizzes")
    quiz = tmp_path / "quizzes" / "tier-gold-exam.toml"
    lines = quiz.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines, 1) if "轮子在我们一年保修范围内" in line)
    lines[number - 1] = lines[number - 1].replace("一年保修范围内", "一年保修范围内，换新最划算")
    quiz.write_text("\n".join(lines), encoding="utf-8")
    app.config["LMS"].content_dir = tmp_path
    result = _run(app, "content", "check")
    assert result.exit_code == 1
    assert f"quizzes/tier-gold-exam.toml:{number}: the model answer of gold-reply-video-threat breaks the rule book: “最划算” (absolute-lowest-price" in result.output
    assert "1 problem(s) found" in result.output


def test_a_broken_rule_book_is_reported_and_sync_loads_nothing(app: Flask, db: Session, tmp_path: Path) -> None:
    (tmp_path / "courses").mkdir()
    (tmp_path / "courses" / "compliance.toml").write_text(
        'title = "T"\n[[rules]]\nid = "x"\ncategory = "absolute_term"\npatterns = ["(bad"]\nhint = "h"\nsource = "s"\n',
        encoding="utf-8",
    )
    app.config["LMS"].content_dir = tmp_path
    result = _run(app, "content", "sync")
    assert result.exit_code == 1 and "courses/compliance.toml:5: pattern '(bad' is not a valid RE2" in result.output
    assert "nothing was loaded" in result.output
    from lms.models import RuleBookVersion

    assert db.scalar(select(func.count()).select_from(RuleBookVersion)) == 0


def test_a_planted_superlative_in_a_lone_copy_of_a_quiz_is_named_with_its_line(
    app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "tier-gold-exam.toml"
    text = (PROJECT_ROOT / "quizzes" / "tier-gold-exam.toml").read_text(encoding="utf-8")
    copy.write_text(text.replace("一年保修范围内", "一年保修范围内，换新最划算"), encoding="utf-8")
    number = text[: text.index("轮子在我们一年保修范围内")].count("\n") + 1
    monkeypatch.chdir(tmp_path)
    result = _run(app, "content", "check", "tier-gold-exam.toml")
    assert result.exit_code == 1, result.output
    assert f"tier-gold-exam.toml:{number}: the model answer of gold-reply-video-threat breaks the rule book" in result.output


def test_check_on_a_broken_copy_elsewhere_reports_the_file_by_path_and_line(
    app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "working-copy"
    for area in ("courses", "quizzes"):
        shutil.copytree(PROJECT_ROOT / area, copy / area)
    quiz = copy / "quizzes" / "house-rules-check.toml"
    text = quiz.read_text(encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if row.startswith("pass_percent = 70"))
    quiz.write_text(text.replace("pass_percent = 70", "pass_percent = 170"))
    assert app.config["LMS"].content_dir != copy  # the configured folder stays the clean checkout
    monkeypatch.chdir(tmp_path)
    for named in ("working-copy", os.fspath(copy), "working-copy/quizzes/house-rules-check.toml"):
        result = _run(app, "content", "check", named)
        assert result.exit_code == 1, result.output
        where = f"working-copy/quizzes/house-rules-check.toml:{line}:"
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


def test_aiken_with_its_english_and_gift_export_keep_both_languages(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    chinese = tmp_path / "drill.txt"
    chinese.write_text("哪家快递免运费？\nA. 顺丰\nB. 圆通\nANSWER: B\n", encoding="utf-8")
    english = tmp_path / "drill.en.txt"
    english.write_text("Which courier is free?\nA. SF Express\nB. YTO\nANSWER: B\n", encoding="utf-8")
    result = _run(
        app, "content", "import-aiken", str(chinese), "--quiz", "courier-drill", "--english", str(english)
    )
    assert result.exit_code == 0, result.output
    version = db.scalars(select(Question)).one().current_version
    assert version.text == "哪家快递免运费？"
    assert version.en == {
        "text": "Which courier is free?",
        "choices": [{"text": "SF Express"}, {"text": "YTO"}],
    }
    out = tmp_path / "drill.gift"
    assert _run(app, "content", "export-gift", "--quiz", "courier-drill", "-o", str(out)).exit_code == 0
    assert (
        '// @lms:en {"choices": [{"text": "SF Express"}, {"text": "YTO"}], "text": "Which courier is free?"}'
        in (out.read_text(encoding="utf-8"))
    )
    english.write_text("Which courier is free?\nA. SF Express\nB. YTO\nANSWER: A\n", encoding="utf-8")
    refused = _run(app, "content", "import-aiken", str(chinese), "--quiz", "other", "--english", str(english))
    assert refused.exit_code == 1
    assert "English question 1 has other options or another ANSWER than the Chinese" in refused.output
