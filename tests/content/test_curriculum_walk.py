"""The Chinese-first walk (`lms content check --strict-translations`) over small fixture curricula."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lms.content.chat import chat_lines, latin_words
from lms.content.curriculum_walk import walk
from lms.content.loader import check

FIXTURE = Path(__file__).parents[1] / "data" / "bilingual"
PROJECT = Path(__file__).parents[2]


@pytest.fixture
def tree_root(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(FIXTURE, root)
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _walk(root: Path) -> list[str]:
    tree, problems = check(root)
    assert problems == []
    return [str(p) for p in walk(tree)]


def test_the_fixture_walks_clean(tree_root: Path) -> None:
    assert _walk(tree_root) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("亲，BG-CB-059这款是16 oz的帆布，23 × 18 × 6 cm，280g。", []),
        ("亲，36L的包能放15.6寸的电脑，PU皮的提手，TSA锁，A4文件也能放。", []),
        (
            "亲，our briefcases take laptops up to 14 寸哦",
            ["our", "briefcases", "take", "laptops", "up", "to"],
        ),
        ("加我VX聊", ["VX"]),
        ("L码的好看", ["L"]),  # a unit only after a number
    ],
)
def test_latin_words_allow_only_product_codes_units_and_the_allowlist(text: str, found: list[str]) -> None:
    assert latin_words(text) == found


def test_chat_lines_are_read_with_their_speakers_and_lines() -> None:
    lines = chat_lines(
        '正文\n\n!!! chat "在岗应答"\n    顾客：有货吗？\n\n    客服：亲，有的。\n    第二句。\n\n后文\n'
    )
    assert [(c.line, c.speaker, c.text) for c in lines] == [
        (4, "顾客", "有货吗？"),
        (6, "客服", "亲，有的。 第二句。"),
    ]


def test_english_in_an_agent_line_is_found_with_its_line(tree_root: Path) -> None:
    _edit(tree_root / "courses/desk-basics/01-first-response.md", "稍等30秒哦。", "稍等30秒哦, thanks。")
    found = _walk(tree_root)
    assert found[1:] == [
        "courses/desk-basics/01-first-response.md:10: the 客服 line holds Latin-script words (thanks): "
        "a chat line is sendable Chinese (only product codes and units may be Latin)"
    ]
    assert "stale translation" in found[0]


def test_a_wrong_example_line_is_not_checked_but_a_line_without_speaker_is(tree_root: Path) -> None:
    # The fixture's 反面示例 block holds "please wait" under 错误示范： and walks clean.
    _edit(tree_root / "courses/desk-basics/01-first-response.md", "    顾客：36升", "    36升")
    assert _walk(tree_root)[1:] == [
        "courses/desk-basics/01-first-response.md:8: a chat block paragraph needs a speaker: 顾客：, 客服： "
        "(or 错误示范： in a 反面示例 block)"
    ]


def test_reply_questions_and_faq_answers_are_chat_lines(tree_root: Path) -> None:
    _edit(
        tree_root / "quizzes/desk-basics-check.toml",
        'customer = "灰色的还有货吗？"',
        'customer = "grey 还有货吗？"',
    )
    _edit(tree_root / "courses/desk-basics/faq.toml", "次日发出哦。", "次日发出哦 (next day)。")
    found = _walk(tree_root)
    assert any(
        f.startswith("quizzes/desk-basics-check.toml:36: question stock-reply: `customer` holds Latin")
        for f in found
    )
    assert any(
        f.startswith("courses/desk-basics/faq.toml:1: FAQ entry ship-when: `answer` holds Latin")
        for f in found
    )
    assert len(found) == 4  # and the two items' English are now stale


def test_an_item_still_in_english_is_not_chinese(tree_root: Path) -> None:
    _edit(tree_root / "courses/desk-basics/course.toml", 'title = "20秒首响"', 'title = "First response"')
    found = _walk(tree_root)
    assert (
        "courses/desk-basics/course.toml:10: lesson 01-first-response.md: `title` is not Chinese: 'First response'"
        in found
    )


def test_a_lesson_written_in_english_is_found(tree_root: Path) -> None:
    lesson = tree_root / "courses/desk-basics/01-first-response.md"
    lesson.write_text(
        (tree_root / "courses/desk-basics/01-first-response.en.md").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    found = _walk(tree_root)
    assert any("the lesson is not written in Chinese" in f for f in found)


def test_missing_and_stale_english_are_part_of_the_walk(tree_root: Path) -> None:
    (tree_root / "courses/translations.lock").unlink()
    found = _walk(tree_root)
    assert len(found) == 13 and all("not stamped" in f for f in found)


def test_the_shipped_curriculum_is_chinese_first_and_fully_translated() -> None:
    tree, problems = check(PROJECT)
    assert problems == []
    assert [str(p) for p in walk(tree)] == []
