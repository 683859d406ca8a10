"""`lms content check`: every problem reported with its file and real line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from lms.content.loader import check

COURSE = """\
title = "House rules"
summary = "Our system."
version = "1.0"
topics = ["templates"]

[[lessons]]
file = "01-standard.md"
title = "The standard"
day = 2
minutes = 20
"""

QUIZ = """\
title = "House rules check"
course = "house-rules"
pass_percent = 70

[[questions]]
id = "first-reply"
type = "numeric"
text = "Seconds?"
answers = [ { value = 20, tolerance = 0, weight = 100 } ]
"""

PROGRAMME = """\
title = "Onboarding"
days = 3

[[courses]]
course = "house-rules"
first_day = 1
last_day = 3

[[quizzes]]
quiz = "house-rules-check"
day = 3

[go_live]
quizzes = ["house-rules-check"]
courses = ["house-rules"]
trainer_signoff = true
"""


def make_tree(root: Path, *, course: str = COURSE, quiz: str = QUIZ, programme: str = PROGRAMME) -> Path:
    (root / "courses" / "house-rules").mkdir(parents=True)
    (root / "quizzes").mkdir()
    (root / "courses" / "program.toml").write_text(programme, encoding="utf-8")
    (root / "courses" / "house-rules" / "course.toml").write_text(course, encoding="utf-8")
    (root / "courses" / "house-rules" / "01-standard.md").write_text("# The standard\n\nAnswer in 20 s.\n")
    (root / "quizzes" / "house-rules-check.toml").write_text(quiz, encoding="utf-8")
    return root


def problems_of(root: Path) -> list[str]:
    return [str(p) for p in check(root)[1]]


def test_a_clean_tree_has_no_problems(tmp_path: Path) -> None:
    tree, problems = check(make_tree(tmp_path))
    assert problems == []
    assert tree.summary().startswith("1 courses, 1 lessons, 1 quizzes, 1 questions")


def test_toml_syntax_errors_have_their_line(tmp_path: Path) -> None:
    make_tree(tmp_path, quiz=QUIZ + '\n[[questions]]\nid = "broken\n')
    found = problems_of(tmp_path)
    assert len(found) == 1 and found[0].startswith("quizzes/house-rules-check.toml:12: not valid TOML")


def test_unknown_keys_and_wrong_types_point_at_their_lines(tmp_path: Path) -> None:
    quiz = QUIZ.replace("pass_percent = 70", 'pass_percent = "seventy"\ncolour = "red"')
    make_tree(tmp_path, quiz=quiz)
    found = problems_of(tmp_path)
    assert "quizzes/house-rules-check.toml:3: `pass_percent` must be a whole number" in found
    assert "quizzes/house-rules-check.toml:4: unknown key `colour`" in found


def test_question_problems_are_on_the_question_lines(tmp_path: Path) -> None:
    quiz = QUIZ + textwrap.dedent("""
        [[questions]]
        id = "first-reply"
        type = "single"
        text = "Pick one"
        choices = [ { text = "A", weight = 50 }, { text = "B", weight = 0 } ]

        [[questions]]
        id = "order"
        type = "multiple"
        text = "Pick"
        choices = [ { text = "A", weight = 40 }, { text = "B", weight = 40 } ]

        [[questions]]
        id = "mystery"
        type = "riddle"
        text = "?"
        """)
    make_tree(tmp_path, quiz=quiz)
    found = problems_of(tmp_path)
    assert any(
        p.startswith("quizzes/house-rules-check.toml:12: question id 'first-reply' is used twice")
        for p in found
    ), found
    assert "quizzes/house-rules-check.toml:15: exactly one choice must have weight 100 (none has)" in found
    assert any(
        p.startswith("quizzes/house-rules-check.toml:21: the positive weights add up to 80") for p in found
    ), found
    assert any(
        p.startswith("quizzes/house-rules-check.toml:25: unknown question type 'riddle'") for p in found
    ), found


def test_missing_answer_and_bad_pattern(tmp_path: Path) -> None:
    quiz = QUIZ + textwrap.dedent("""
        [[questions]]
        id = "no-key"
        type = "short"
        text = "Type it"
        answers = [ { text = "x", weight = 50 } ]
        pattern = "([unclosed"
        """)
    make_tree(tmp_path, quiz=quiz)
    found = problems_of(tmp_path)
    assert any("`pattern` is not a valid regular expression" in p and ":16:" in p for p in found), found


def test_cloze_gaps_must_match_the_text(tmp_path: Path) -> None:
    quiz = QUIZ + textwrap.dedent("""
        [[questions]]
        id = "gaps"
        type = "cloze"
        text = "Return within {{1}} hours and {{3}} days."
        gaps = [ { answers = ["72"] }, { answers = ["7"] } ]
        """)
    make_tree(tmp_path, quiz=quiz)
    assert any("the text has gaps [1, 3]" in p for p in problems_of(tmp_path))


def test_a_missing_lesson_file_and_an_unknown_course(tmp_path: Path) -> None:
    course = COURSE.replace("01-standard.md", "09-nowhere.md")
    quiz = QUIZ.replace('course = "house-rules"', 'course = "nope"')
    make_tree(tmp_path, course=course, quiz=quiz)
    found = problems_of(tmp_path)
    assert "courses/house-rules/course.toml:7: lesson file 09-nowhere.md does not exist" in found
    assert "quizzes/house-rules-check.toml:2: quiz points at unknown course 'nope'" in found


def test_programme_days_and_references(tmp_path: Path) -> None:
    programme = PROGRAMME.replace("last_day = 3", "last_day = 9").replace(
        'quizzes = ["house-rules-check"]', 'quizzes = ["ghost-exam"]'
    )
    make_tree(tmp_path, programme=programme)
    found = problems_of(tmp_path)
    assert "courses/program.toml:7: `last_day` must be between 1 and 3 (is 9)" in found
    assert any(
        p.startswith("courses/program.toml:") and "go-live requires unknown quiz 'ghost-exam'" in p
        for p in found
    )


def test_lesson_day_outside_its_course_days(tmp_path: Path) -> None:
    programme = PROGRAMME.replace("first_day = 1\nlast_day = 3", "first_day = 3\nlast_day = 3")
    make_tree(tmp_path, programme=programme)
    assert any(
        "lesson 01-standard.md is on day 2, outside the course's days 3–3" in p for p in problems_of(tmp_path)
    )


def test_draw_pools_must_be_big_enough(tmp_path: Path) -> None:
    quiz = QUIZ.replace("pass_percent = 70", 'pass_percent = 70\ndraw = [ { tags = ["rare"], count = 2 } ]')
    make_tree(tmp_path, quiz=quiz)
    assert any("asks for 2 questions but only 0 have those tags" in p for p in problems_of(tmp_path))


def test_check_can_be_limited_to_paths(tmp_path: Path) -> None:
    quiz = QUIZ.replace("pass_percent = 70", "pass_percent = 700")
    make_tree(tmp_path, quiz=quiz)
    _tree, only_courses = check(tmp_path, [str(tmp_path / "courses")])
    assert only_courses == []
    _tree, only_quiz = check(tmp_path, [str(tmp_path / "quizzes" / "house-rules-check.toml")])
    assert len(only_quiz) == 1


@pytest.mark.parametrize("bad", ["\ufeff" + QUIZ, QUIZ.replace("\n", "\r\n")])
def test_bom_and_crlf_are_normal_input(tmp_path: Path, bad: str) -> None:
    make_tree(tmp_path, quiz=bad)
    assert problems_of(tmp_path) == []
