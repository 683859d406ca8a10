"""`check_paths`: a named path is checked in its own curriculum, whatever the configured folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from lms.content.named_paths import PathRefused, check_paths
from tests.content.test_loader import QUIZ, make_tree

BROKEN_QUIZ = QUIZ.replace("pass_percent = 70", "pass_percent = 700")
PASS_PERCENT = "`pass_percent` must be between 0 and 100 (is 700)"


def shown(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(p) for p in result.problems]


def test_paths_inside_the_content_folder_keep_root_relative_names(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "content", {"quizzes/house-rules-check.toml": BROKEN_QUIZ})
    assert shown(check_paths(root, [root / "courses"], cwd=tmp_path)) == []
    expected = [f"quizzes/house-rules-check.toml:3: {PASS_PERCENT}"]
    assert shown(check_paths(root, [root / "quizzes" / "house-rules-check.toml"], cwd=tmp_path)) == expected
    assert shown(check_paths(root, ["quizzes"], cwd=tmp_path)) == expected  # relative to the content root


def test_another_curriculum_is_checked_whole_and_named_from_the_working_directory(tmp_path: Path) -> None:
    configured = make_tree(tmp_path / "configured")
    make_tree(tmp_path / "work" / "copy", {"quizzes/house-rules-check.toml": BROKEN_QUIZ})
    result = check_paths(configured, ["copy"], cwd=tmp_path / "work")
    assert shown(result) == [f"copy/quizzes/house-rules-check.toml:3: {PASS_PERCENT}"]
    assert result.checked[0][0] == "copy"
    assert result.warnings and all(str(w).startswith("copy/") for w in result.warnings)  # no English yet
    strict = check_paths(configured, ["copy/quizzes"], cwd=tmp_path / "work", strict_translations=True)
    assert len(strict.warnings) > len([w for w in result.warnings if w.path.startswith("copy/quizzes/")])
    outside = check_paths(configured, [tmp_path / "work" / "copy"], cwd=configured)
    assert shown(outside) == [
        f"{(tmp_path / 'work' / 'copy').resolve()}/quizzes/house-rules-check.toml:3: {PASS_PERCENT}"
    ]


def test_a_file_in_another_curriculum_gets_its_context(tmp_path: Path) -> None:
    configured = tmp_path / "configured"
    (configured / "quizzes").mkdir(parents=True)
    copy = make_tree(tmp_path / "copy", {"courses/house-rules/01-standard.md": None})
    # The quiz names a course that exists only in its own curriculum: not a problem.
    assert shown(check_paths(configured, [copy / "quizzes" / "practice.gift"], cwd=tmp_path)) == []
    # The missing lesson is reported against the course that lists it, not elsewhere.
    course = shown(check_paths(configured, [copy / "courses" / "house-rules"], cwd=tmp_path))
    assert course == ["copy/courses/house-rules/course.toml:7: lesson file 01-standard.md does not exist"]
    assert shown(check_paths(configured, [copy / "quizzes"], cwd=tmp_path)) == []


def test_a_lone_quiz_is_checked_against_the_configured_curriculum(tmp_path: Path) -> None:
    configured = make_tree(tmp_path / "configured")
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    (drafts / "house-rules-check.toml").write_text(BROKEN_QUIZ, encoding="utf-8")
    (drafts / "orphan.toml").write_text(QUIZ.replace('course = "house-rules"', 'course = "nowhere"'))
    result = check_paths(configured, ["drafts/house-rules-check.toml", "drafts/orphan.toml"], cwd=tmp_path)
    assert shown(result) == [
        f"drafts/house-rules-check.toml:3: {PASS_PERCENT}",
        "drafts/orphan.toml:2: the quiz belongs to unknown course 'nowhere'",
    ]
    # The lone quiz replaced its namesake, in either format; the configured folder is untouched.
    (drafts / "practice.toml").write_text(QUIZ)
    assert shown(check_paths(configured, [drafts / "practice.toml"], cwd=tmp_path)) == []
    assert sorted(p.name for p in (configured / "quizzes").iterdir()) == [
        "house-rules-check.toml",
        "practice.gift",
    ]


def test_a_lone_course_folder_and_a_file_in_it(tmp_path: Path) -> None:
    configured = make_tree(tmp_path / "configured")
    work = make_tree(tmp_path / "work")
    lone = tmp_path / "house-rules"
    (work / "courses" / "house-rules").rename(lone)
    (lone / "02-handover.md").write_text("\n")
    (lone / "03-extra.md").write_text("# Extra\n")
    assert shown(check_paths(configured, [lone], cwd=tmp_path)) == [
        "house-rules/02-handover.md:1: the lesson is empty",
        "house-rules/03-extra.md:1: 03-extra.md is not listed in course.toml: learners never see it",
    ]
    assert shown(check_paths(configured, [lone / "02-handover.md"], cwd=tmp_path)) == [
        "house-rules/02-handover.md:1: the lesson is empty"
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing", "missing: no such file or folder"),
        ("empty", "empty: holds no courses/ or quizzes/ folder and is not a course folder"),
        ("notes.txt", "notes.txt: not curriculum content"),
    ],
)
def test_what_cannot_be_checked_is_refused(tmp_path: Path, name: str, message: str) -> None:
    configured = make_tree(tmp_path / "configured")
    (tmp_path / "empty").mkdir()
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(PathRefused, match=message):
        check_paths(configured, [name], cwd=tmp_path)
