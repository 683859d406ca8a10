"""The bilingual format: `en` tables shape-checked against the Chinese, .en.md lessons, freshness warnings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from flask import Flask

from lms.content.loader import check
from lms.content.translations import LOCK, read_lock, stamp

FIXTURE = Path(__file__).parents[1] / "data" / "bilingual"


@pytest.fixture
def tree_root(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(FIXTURE, root)
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _messages(root: Path) -> tuple[list[str], list[str]]:
    tree, problems = check(root)
    return [str(p) for p in problems], [str(w) for w in tree.translation_warnings]


def test_the_fixture_is_clean_and_fully_translated(tree_root: Path) -> None:
    tree, problems = check(tree_root)
    assert problems == []
    assert tree.translation_warnings == []
    course = tree.courses["desk-basics"]
    assert course.title == "接待基本功"
    assert course.en == {
        "title": "Desk basics",
        "summary": "Answer first, check second: the 20-second first response and the holding reply.",
    }
    lesson = course.lessons[0]
    assert lesson.title == "20秒首响" and lesson.en["title"] == "The 20-second first response"
    assert lesson.en["body"].startswith("# The 20-second first response")
    quiz = tree.quizzes["desk-basics-check"]
    assert quiz.en["title"] == "Desk basics check"
    single = quiz.questions[0]
    assert single.body["choices"][0]["weight"] == 100  # the key stays with the Chinese
    assert single.en["choices"][1]["feedback"] == "A minute of silence loses the shopper."
    assert quiz.questions[1].en == {"text": "Orders paid before {{1}}:00 ship the same day."}
    assert quiz.questions[2].en["customer"] == "Do you still have the grey one?"
    ship, address = tree.faq
    assert ship.day == 2 and ship.key_points[0] == {"points": 2, "phrases": ["16点", "四点"]}
    assert address.steps[0] == "打开千牛工作台" and address.en["steps"][0] == "Open the Qianniu workbench"
    assert tree.products[0].en["misuse"] == ["Stuffed past 20 cm deep, it no longer fits a carry-on sizer"]
    assert tree.programme is not None
    assert [t.en["name"] for t in tree.programme.tiers] == ["Ordinary agent", "Advanced agent"]


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "quizzes/desk-basics-check.toml",
            'explanation = "Answer first, check second."\n',
            'explanation = "Answer first, check second."\npoints = 3\n',
            "quizzes/desk-basics-check.toml:23: `en.points` is not a translatable text of a single question",
        ),
        (
            "quizzes/desk-basics-check.toml",
            '  { text = "Check first and answer when you know, however long it takes", feedback = "A minute of silence loses the shopper." },\n]',
            "]",
            "quizzes/desk-basics-check.toml:23: `en.choices` has 1 items but the Chinese `choices` has 2",
        ),
        (
            "quizzes/desk-basics-check.toml",
            '{ text = "Send a holding reply within 20 seconds, then answer once checked", feedback',
            '{ text = "Send a holding reply within 20 seconds, then answer once checked", weight = 0, feedback',
            "quizzes/desk-basics-check.toml:24: `en.choices` item 1: `weight` is not translatable",
        ),
        (
            "quizzes/desk-basics-check.toml",
            'text = "Orders paid before {{1}}:00 ship the same day."',
            'text = "Orders paid before 16:00 ship the same day."',
            "quizzes/desk-basics-check.toml:34: `en.text` must keep the Chinese gap markers ({{1}})",
        ),
        (
            "courses/desk-basics/faq.toml",
            'question = "When will my order ship?"\n',
            'question = "When will my order ship?"\nphrasings = ["Ship today?"]\n',
            "courses/desk-basics/faq.toml:15: `en.phrasings` is not a translatable text of an FAQ entry",
        ),
        (
            "courses/desk-basics/course.toml",
            'title = "Desk basics"\n',
            'title = "Desk basics"\ntopics = ["x"]\n',
            "courses/desk-basics/course.toml:8: `en.topics` is not a translatable text of a course",
        ),
        (
            "courses/desk-basics/products.toml",
            'name = "36 L travel backpack"\n',
            'name = "36 L travel backpack"\ncare = "Hand-wash"\n',
            "courses/desk-basics/products.toml:10: `en.care` translates nothing: the item has no Chinese `care`",
        ),
        (
            "courses/program.toml",
            'name = "Ordinary agent"',
            'name = ""',
            "courses/program.toml:27: `en.name` is empty",
        ),
    ],
)
def test_an_ill_shaped_english_table_is_a_problem_with_its_line(
    tree_root: Path, file: str, old: str, new: str, expected: str
) -> None:
    _edit(tree_root / file, old, new)
    problems, _warnings = _messages(tree_root)
    assert any(p.startswith(expected) for p in problems), problems


def test_faq_extensions_are_checked(tree_root: Path) -> None:
    faq = tree_root / "courses/desk-basics/faq.toml"
    _edit(faq, 'kind = "reply"\nday = 2', 'kind = "reply"\nday = 0\nsteps = ["a", "b"]')
    _edit(faq, '{ points = 1, phrases = ["次日", "第二天"] }', "{ points = 0, phrases = [] }")
    problems, _warnings = _messages(tree_root)
    joined = "\n".join(problems)
    assert "faq.toml:4: `day` must be between 1 and 200 (is 0)" in joined
    assert 'faq.toml:5: only an operation entry (kind = "operation") has `steps`' in joined
    assert "key_points 2: `points` must be a number above 0" in joined
    assert "key_points 2: give at least one phrase" in joined


def test_an_english_lesson_without_its_chinese_lesson_is_a_problem(tree_root: Path) -> None:
    (tree_root / "courses/desk-basics/02-extra.en.md").write_text("# Extra\n", encoding="utf-8")
    problems, _warnings = _messages(tree_root)
    assert problems == [
        "courses/desk-basics/02-extra.en.md:1: 02-extra.en.md is the English of 02-extra.md, "
        "which course.toml does not list"
    ]


def test_an_english_lesson_with_another_structure_is_a_warning(tree_root: Path) -> None:
    _edit(tree_root / "courses/desk-basics/01-first-response.en.md", "## At the desk\n", "At the desk\n")
    problems, warnings = _messages(tree_root)
    assert problems == []
    assert any(
        w.startswith(
            "courses/desk-basics/01-first-response.en.md:8: the English lesson's structure differs from the "
            "Chinese: admonition !!! chat here, where the Chinese has heading ## (line 5)"
        )
        for w in warnings
    ), warnings


def test_missing_english_is_a_warning_with_path_and_line(tree_root: Path) -> None:
    (tree_root / "courses/desk-basics/01-first-response.en.md").unlink()
    quiz = tree_root / "quizzes/desk-basics-check.toml"
    _edit(quiz, '[questions.en]\ntext = "Reply to this shopper."\n', "[questions.en]\n")
    problems, warnings = _messages(tree_root)
    assert problems == []
    assert (
        "courses/desk-basics/01-first-response.md:1: no English version: write 01-first-response.en.md"
        in warnings
    )
    assert (
        "quizzes/desk-basics-check.toml:36: questions.stock-reply: the English version lacks `text`"
        in warnings
    )


def test_a_changed_chinese_text_makes_its_english_stale_until_stamped(tree_root: Path) -> None:
    quiz = tree_root / "quizzes/desk-basics-check.toml"
    _edit(quiz, 'explanation = "先回应再查询。"', 'explanation = "先回应，再查询。"')
    _problems, warnings = _messages(tree_root)
    assert warnings == [
        "quizzes/desk-basics-check.toml:11: questions.holding-reply-first: stale translation: the Chinese "
        "changed after the English was written; update the English, then run "
        "`lms content translations --stamp quizzes/desk-basics-check.toml`"
    ]
    # A change to a key (not a text) does not make the English stale.
    _edit(quiz, "weight = 100, feedback", "weight = 100.0, feedback")
    assert len(_messages(tree_root)[1]) == 1
    tree, _ = check(tree_root)
    stamp(tree_root, tree.translatable, ["quizzes/desk-basics-check.toml"])
    assert _messages(tree_root) == ([], [])
    assert "courses/program.toml" in read_lock(tree_root)  # other files' stamps are kept


def test_a_changed_lesson_is_stale(tree_root: Path) -> None:
    _edit(tree_root / "courses/desk-basics/01-first-response.md", "再去查。", "再去查库存。")
    _problems, warnings = _messages(tree_root)
    assert len(warnings) == 1 and warnings[0].startswith(
        "courses/desk-basics/01-first-response.md:1: stale translation"
    )


def test_legacy_zh_keys_map_to_chinese_with_an_english_overlay(tree_root: Path) -> None:
    # LEGACY SHIM test: remove with english.LEGACY_ZH once the shipped content is converted.
    course = tree_root / "courses/desk-basics/course.toml"
    _edit(
        course, 'title = "接待基本功"\n', 'title = "Desk basics, old style"\ntitle_zh = "接待基本功（旧）"\n'
    )
    _edit(course, '[en]\ntitle = "Desk basics"\n', "[en]\n")
    _edit(
        tree_root / "courses/program.toml",
        'name = "普通客服"\n[tiers.en]\nname = "Ordinary agent"\n',
        'name = "Ordinary"\nname_zh = "普通客服"\n',
    )
    tree, problems = check(tree_root)
    assert problems == []
    assert tree.courses["desk-basics"].title == "接待基本功（旧）"
    assert tree.courses["desk-basics"].en["title"] == "Desk basics, old style"
    assert tree.programme is not None
    assert (tree.programme.tiers[0].name, tree.programme.tiers[0].en) == ("普通客服", {"name": "Ordinary"})


def _run(app: Flask, *args: str):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=list(args))


def test_check_passes_with_warnings_unless_strict(app: Flask, tree_root: Path) -> None:
    app.config["LMS"].content_dir = tree_root
    (tree_root / LOCK).unlink()
    result = _run(app, "content", "check")
    assert result.exit_code == 0, result.output
    assert "Content is clean: 1 courses" in result.output and "13 translation warning(s)" in result.output
    assert (
        "quizzes/desk-basics-check.toml:11: warning: questions.holding-reply-first: the English version "
        "is not stamped" in result.stderr
    )
    strict = _run(app, "content", "check", "--strict-translations")
    assert strict.exit_code == 1
    assert "13 translation warning(s) (--strict-translations)" in strict.stderr
    status = _run(app, "content", "translations")
    assert "13 of 13 item(s) have English; 13 translation warning(s)." in status.output
    stamped = _run(app, "content", "translations", "--stamp", str(tree_root / "quizzes"))
    assert "Stamped 4 translated item(s) in courses/translations.lock." in stamped.output
    assert (
        "13 of 13 item(s) have English; 9 translation warning(s)."
        in _run(app, "content", "translations").stdout
    )
    _run(app, "content", "translations", "--stamp")
    assert _run(app, "content", "check", "--strict-translations").exit_code == 0
