"""The shipped curriculum stays clean and complete (the issue's minimums are checked here)."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.content.questions import REGISTRY
from lms.content.rulebook import compiled


@pytest.fixture(scope="module")
def tree():
    found, problems = check(PROJECT_ROOT)
    assert [str(p) for p in problems] == []
    return found


def test_content_check_is_clean_on_the_shipped_files(tree) -> None:
    assert tree.programme is not None and tree.programme.days == 15


def test_seven_courses_over_fifteen_days(tree) -> None:
    days = {c.course: (c.first_day, c.last_day) for c in tree.programme.courses}
    assert days == {
        "warehouse-week": (1, 5),
        "platform-rules": (6, 7),
        "house-rules": (8, 9),
        "faq-mastery": (10, 11),
        "value-talk": (12, 13),
        "assessment-kpi": (14, 14),
        "desk-ready": (14, 15),
    }


def _words(text: str) -> int:
    # Chinese runs count per character pair, the rest by whitespace.
    latin = len(re.findall(r"[A-Za-z0-9'’-]+", text))
    han = len(re.findall(r"[\u4e00-\u9fff]", text)) // 2
    return latin + han


def test_at_least_thirty_lessons_of_three_hundred_words(tree) -> None:
    lessons = [lesson for course in tree.courses.values() for lesson in course.lessons]
    assert len(lessons) >= 30
    short = {lesson.file: _words(lesson.body) for lesson in lessons if _words(lesson.body) < 300}
    assert short == {}


def test_quizzes_questions_and_types(tree) -> None:
    questions = [q for quiz in tree.quizzes.values() for q in quiz.questions]
    assert len(tree.quizzes) >= 14
    assert len(questions) >= 220
    types = Counter(q.type for q in questions)
    assert set(types) == set(REGISTRY), f"types not used: {set(REGISTRY) - set(types)}"
    assert types["reply"] >= 25


def test_every_gating_course_has_a_go_live_exam_and_every_tier_an_exam(tree) -> None:
    go_live = set(tree.programme.go_live.quizzes)
    for quiz in go_live:
        assert "go-live" in tree.quizzes[quiz].gates
    for tier in tree.programme.tiers[1:]:
        assert f"tier:{tier.slug}" in tree.quizzes[tier.exam].gates


def test_faq_library_and_products(tree) -> None:
    assert len(tree.faq) >= 60
    assert {e.kind for e in tree.faq} == {"reply", "operation"}
    assert all(1 <= len(e.phrasings) <= 3 for e in tree.faq)
    assert len(tree.products) >= 20
    prices = sorted(p.price for p in tree.products if p.sku.startswith("BG-"))
    assert prices[-1] == 399


def test_every_reply_model_answer_scores_full_marks(tree) -> None:
    """The key the trainers wrote must accept their own model answer (no self-contradicting rubric)."""
    reply = REGISTRY["reply"]
    for quiz in tree.quizzes.values():
        for q in quiz.questions:
            if q.type != "reply":
                continue
            grade = reply.grade(
                q.body, q.points, {"text": q.body["model_answer"]}, elapsed_seconds=5, book=compiled(tree.rulebook)
            )
            assert grade.score == pytest.approx(q.points), (quiz.slug, q.id, grade.detail)


def test_the_shipped_curriculum_is_clean_against_the_rule_book(tree) -> None:
    """Every model answer, FAQ answer and sendable lesson line passes the rule book's red lines."""
    lines = tree.sendable
    kinds = Counter(line.what.split(" of ")[0] for line in lines)
    assert kinds["model answer"] >= 30 and kinds["answer"] >= 60 and kinds["chat line"] >= 60
    book = compiled(tree.rulebook)
    assert [(line.path, line.line, h.words) for line in lines for h in book.blocking(line.text)] == []
