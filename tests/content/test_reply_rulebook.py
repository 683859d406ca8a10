"""Reply grading with the rule book, chat messages, the completion target and the review's highlights."""

from __future__ import annotations

from typing import Any

import pytest

from lms.config import PROJECT_ROOT
from lms.content.problems import Problems
from lms.content.questions import ResponseError, get_type
from lms.content.questions.reply import (
    COMPLETE_SHARE,
    FIRST_SHARE,
    WARN_PENALTY,
    complete_target,
    messages_of,
)
from lms.content.rulebook import RuleBook, compiled, read_rulebook

REPLY: dict[str, Any] = {
    "customer": "这个包是真皮的吗？",
    "target_seconds": 20,
    "key_points": [
        {"points": 2, "phrases": ["头层", "full-grain"]},
        {"points": 1, "phrases": ["保修", "warranty"]},
    ],
    "forbidden": [{"penalty": 1, "phrases": ["便宜给你"]}],
    "model_answer": "这款是头层牛皮，五金一年保修。",
}


@pytest.fixture(scope="module")
def book() -> RuleBook:
    spec = read_rulebook(PROJECT_ROOT / "courses" / "compliance.toml", PROJECT_ROOT, Problems())
    assert spec is not None
    return compiled(spec)


def grade(response: Any, book: RuleBook | None, elapsed: float | None = None, body: dict[str, Any] = REPLY):
    points = float(sum(g["points"] for g in body["key_points"]))
    return get_type("reply").grade(body, points, response, elapsed_seconds=elapsed, book=book)


def test_a_block_hit_fails_the_content_whatever_else_is_right(book: RuleBook) -> None:
    result = grade({"text": "这款是头层牛皮，一年保修，质量最好"}, book, 5)
    assert result.score == 0 and result.detail["blocked"] and not result.needs_review
    (note,) = [f for f in result.feedback if "Red line" in f]
    assert "“最好”" in note and "absolute-best" in note and "口碑很好" in note and "广告法" in note


def test_without_the_book_the_same_reply_scores(book: RuleBook) -> None:
    assert grade({"text": "这款是头层牛皮，一年保修，质量最好"}, None, 5).score == 3


def test_a_warn_hit_costs_a_share(book: RuleBook) -> None:
    result = grade({"text": "这款是头层牛皮，一年保修，最美的一款"}, book, 5)
    assert result.score == pytest.approx(3 * (1 - WARN_PENALTY))
    assert result.detail["rule_hits"][0]["rule"] == "absolute-zui"


def test_the_question_forbidden_list_still_counts(book: RuleBook) -> None:
    assert grade({"text": "头层牛皮一年保修，便宜给你"}, book, 5).score == 2


def test_a_negated_key_point_earns_nothing(book: RuleBook) -> None:
    result = grade({"text": "这款不是头层牛皮，一年保修"}, book, 5)
    assert result.detail["key_points_met"] == [1]
    assert any("only negated" in f for f in result.feedback)


def test_the_first_message_is_timed_and_the_whole_reply_has_its_own_target(book: RuleBook) -> None:
    quick_then_full = {
        "messages": [
            {"text": "亲，在的，我帮您查一下哦", "seconds": 8},
            {"text": "这款是头层牛皮，五金一年保修", "seconds": 45},
        ]
    }
    assert grade(quick_then_full, book).score == 3  # the holding line keeps the speed share
    slow_first = {"messages": [{"text": "这款是头层牛皮，五金一年保修", "seconds": 40}]}
    assert grade(slow_first, book).score == pytest.approx(3 * (1 - FIRST_SHARE * 0.5))
    very_late = {
        "messages": [{"text": "亲，稍等", "seconds": 5}, {"text": "头层牛皮，一年保修", "seconds": 180}]
    }
    assert grade(very_late, book).score == pytest.approx(3 * (1 - COMPLETE_SHARE))
    assert complete_target(REPLY) == 60
    long_answer = {**REPLY, "model_answer": "头层牛皮" * 30 + "保修"}
    assert complete_target(long_answer) == 122
    assert complete_target({**REPLY, "complete_seconds": 90}) == 90


def test_response_shapes() -> None:
    reply = get_type("reply")
    reply.check_response(REPLY, {"text": "亲"})
    reply.check_response(REPLY, {"messages": ["亲，在的", "头层牛皮"]})
    for bad in (
        {"messages": []},
        {"messages": "x"},
        {"messages": [1]},
        {"messages": [{"text": "x", "seconds": 1}]},
        {"messages": ["x"] * 31},
        {"text": "x", "messages": ["x"]},
    ):
        with pytest.raises(ResponseError):
            reply.check_response(REPLY, bad)
    assert [m.text for m in messages_of({"messages": ["a", "b"]})] == ["a", "b"]


def test_ordered_key_points() -> None:
    body = {**REPLY, "ordered": True, "key_points": [{"points": 1, "phrases": ["亲"]}, *REPLY["key_points"]]}
    assert grade({"text": "亲，头层牛皮，一年保修"}, None, body=body).score == 4
    assert grade({"text": "头层牛皮，一年保修，亲"}, None, body=body).score < 4


def test_the_review_highlights_what_matched_where(book: RuleBook) -> None:
    response = {
        "messages": [{"text": "亲，稍等", "seconds": 4}, {"text": "头层牛皮，加微信聊", "seconds": 30}]
    }
    review = get_type("reply").review(REPLY, response, book)
    assert review["blocked"] and review["rule_hits"][0]["words"] == "加微信"
    first, second = review["messages"]
    assert first["seconds"] == 4 and second["seconds"] == 30
    marks = {run["text"]: run["mark"] for run in second["runs"] if run["mark"]}
    assert marks == {"头层": "key", "加微信": "block"}
    assert "".join(run["text"] for run in second["runs"]) == "头层牛皮，加微信聊"


def test_parse_reads_the_new_keys() -> None:
    found: list[str] = []
    body = get_type("reply").parse(
        {**REPLY, "ordered": True, "complete_seconds": 90}, lambda m, *at: found.append(m)
    )
    assert found == [] and body["ordered"] is True and body["complete_seconds"] == 90
    get_type("reply").parse(
        {**REPLY, "ordered": "yes", "complete_seconds": 5}, lambda m, *at: found.append(m)
    )
    assert any("`ordered`" in m for m in found) and any("`complete_seconds`" in m for m in found)
