"""Typed answers: short answer, cloze, essay and the chat reply."""

from __future__ import annotations

from typing import Any

import pytest

from lms.content.questions import ResponseError, get_type
from lms.content.questions.reply import COMPLETE_SHARE, FIRST_SHARE, MIN_CHARACTERS, SPEED_SHARE, speed_share


def problems(type_name: str, raw: dict[str, Any]) -> list[str]:
    found: list[str] = []
    get_type(type_name).parse(raw, lambda message, *at: found.append(message))
    return found


# -- short ----------------------------------------------------------------------------------------

SHORT = {
    "answers": [
        {"text": "72 hours", "weight": 100},
        {"text": "三天", "weight": 100, "feedback": "Right, 72 hours."},
        {"text": "3天", "weight": 50, "feedback": "Say 72 hours."},
    ],
    "other_feedback": "The window is 72 hours.",
}


@pytest.mark.parametrize(
    ("typed", "score", "feedback"),
    [
        ("72 Hours", 1, []),
        ("７２ ｈｏｕｒｓ", 1, []),
        ("72，hours。", 0, ["The window is 72 hours."]),  # the comma makes it another answer
        ("  72   hours. ", 1, []),
        ("三天", 1, ["Right, 72 hours."]),
        ("3 天", 0.5, ["Say 72 hours."]),
        ("48", 0, ["The window is 72 hours."]),
        ("", 0, ["The window is 72 hours."]),
    ],
)
def test_short_answers_are_normalised(typed: str, score: float, feedback: list[str]) -> None:
    grade = get_type("short").grade(SHORT, 1, {"text": typed})
    assert (grade.score, grade.feedback) == (score, feedback)


def test_short_pattern_gives_full_credit() -> None:
    body = {"answers": [{"text": "72", "weight": 100}], "pattern": r"(72|七十二)\s*(h|hours?|小时)"}
    t = get_type("short")
    assert [
        t.grade(body, 1, {"text": s}).score
        for s in ["72 小时", "72H", "72 hours.", "７２ hours", "172 hours"]
    ] == [
        1,
        1,
        1,
        1,
        0,
    ]
    assert t.grade(body, 1, {"text": "72 小时"}).detail == {"matched": "pattern"}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"answers": [{"text": "x", "weight": 50}]}, "no answer has weight 100"),
        (
            {"answers": [{"text": "x"}], "pattern": "([unclosed"},
            "`pattern` is not a valid regular expression",
        ),
        ({"answers": [{"text": "Yes"}, {"text": "yes."}]}, "answers 1 and 2 are the same once normalised"),
        ({"answers": [{"text": "  "}]}, "answer 1 needs a `text`"),
        ({}, "missing `answers`"),
        ({"answers": [{"text": "x", "right": True}]}, "unknown key `right`"),
    ],
)
def test_short_problems(raw: dict[str, Any], message: str) -> None:
    assert any(message in m for m in problems("short", raw)), problems("short", raw)


def test_short_pattern_alone_is_enough() -> None:
    assert problems("short", {"pattern": r"\d+"}) == []


def test_short_response_shape() -> None:
    t = get_type("short")
    for bad in [{"text": 72}, {"text": "x" * 501}, {"answer": "x"}, "x"]:
        with pytest.raises(ResponseError):
            t.check_response(SHORT, bad)
    assert t.public(SHORT, None) == {"max_length": 500}


# -- cloze ----------------------------------------------------------------------------------------

CLOZE_TEXT = "A return must be requested within {{1}} hours of signing; the law allows {{2}} days."
CLOZE = {"gaps": [{"answers": ["72"]}, {"answers": ["7", "seven", "七"]}]}


def test_cloze_per_gap() -> None:
    t = get_type("cloze")
    assert problems("cloze", {**CLOZE, "text": CLOZE_TEXT}) == []
    assert t.grade(CLOZE, 2, {"gaps": ["72", "七"]}).score == 2
    assert t.grade(CLOZE, 2, {"gaps": ["72", ""]}).score == 1
    assert t.grade(CLOZE, 2, {"gaps": [" Seven ", "72"]}).detail == {"right_gaps": []}
    assert t.review(CLOZE, {"gaps": ["72", "8"]})["right_gaps"] == [0]
    assert t.public(CLOZE, None)["gaps"] == 2


@pytest.mark.parametrize(
    ("text", "gaps", "message"),
    [
        ("Within {{1}} and {{3}}.", CLOZE["gaps"], "the text has {{1}}, {{3}} but `gaps` lists 2"),
        ("Within {{1}} and {{1}}.", CLOZE["gaps"], "the text has {{1}}, {{1}}"),
        ("No gaps.", CLOZE["gaps"], "the text has no gaps"),
        ("Only {{1}}.", [{"answers": []}], "gap 1 needs at least one answer"),
        ("Only {{1}}.", [{"answer": ["x"]}], "unknown key `answer`"),
    ],
)
def test_cloze_gap_numbers_must_match(text: str, gaps: list[Any], message: str) -> None:
    assert any(message in m for m in problems("cloze", {"text": text, "gaps": gaps})), problems(
        "cloze", {"text": text, "gaps": gaps}
    )


def test_cloze_response_shape() -> None:
    for bad in [{"gaps": ["72"]}, {"gaps": ["72", 7]}, {"gaps": "72,7"}, {"gap": ["72", "7"]}]:
        with pytest.raises(ResponseError):
            get_type("cloze").check_response(CLOZE, bad)


# -- essay ----------------------------------------------------------------------------------------


def test_essay_always_needs_review_with_score_zero() -> None:
    t = get_type("essay")
    for text in ["My considered answer", ""]:
        grade = t.grade({"rubric": "names the misuse"}, 4, {"text": text})
        assert grade.needs_review and grade.score == 0 and grade.max == 4
    assert t.manual and t.key_response({}) is None
    assert problems("essay", {"rubric": 3}) == ["`rubric` must be text"]


# -- reply ----------------------------------------------------------------------------------------

REPLY = {
    "customer": "能便宜点吗？别家才卖199。",
    "target_seconds": 20,
    "key_points": [
        {"points": 2, "phrases": ["头层", "full-grain"]},
        {"points": 1, "phrases": ["保修", "warranty"]},
    ],
    "forbidden": [{"penalty": 2, "phrases": ["便宜给你", "最好"]}],
    "model_answer": "这款是头层牛皮，五金一年保修。",
}


def test_reply_parses_and_defaults_points_to_the_key_points() -> None:
    t = get_type("reply")
    assert problems("reply", REPLY) == []
    assert t.default_points(REPLY) == 3
    assert t.public(REPLY, None) == {"customer": REPLY["customer"], "target_seconds": 20, "complete_seconds": 60}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({**REPLY, "model_answer": "这款是头层牛皮。"}, "the model answer misses key point 2"),
        ({**REPLY, "model_answer": "头层牛皮，全网最好，保修"}, "the model answer uses forbidden group 1"),
        ({**REPLY, "forbidden": [{"penalty": 1, "phrases": ["保修"]}]}, "is both a key point and forbidden"),
        ({**REPLY, "key_points": []}, "give at least one key point"),
        ({**REPLY, "key_points": [{"points": 0, "phrases": ["x"]}]}, "`points` must be a number above 0"),
        ({**REPLY, "target_seconds": 0}, "`target_seconds` must be a number of seconds above 0"),
        ({**REPLY, "forbidden": [{"penalty": 1, "phrases": []}]}, "give at least one phrase"),
        ({k: v for k, v in REPLY.items() if k != "customer"}, "missing `customer`"),
    ],
)
def test_reply_problems(raw: dict[str, Any], message: str) -> None:
    assert any(message in m for m in problems("reply", raw)), problems("reply", raw)


def test_reply_scoring_key_points_penalties_and_speed() -> None:
    t = get_type("reply")
    full = t.grade(REPLY, 3, {"text": "这款是头层牛皮，一年保修"}, elapsed_seconds=12)
    assert full.score == 3 and not full.needs_review and full.detail["key_points_met"] == [0, 1]
    half = t.grade(REPLY, 3, {"text": "Full-grain leather, made to last."}, elapsed_seconds=20)
    assert half.score == 2 and not half.needs_review
    slow = t.grade(REPLY, 3, {"text": "Full-grain leather with a warranty"}, elapsed_seconds=40)
    assert slow.score == pytest.approx(3 * (1 - 0.35 * 0.5)) and "40 s" in slow.feedback[0]
    penalised = t.grade(REPLY, 3, {"text": "头层牛皮，最好的，便宜给你"}, elapsed_seconds=5)
    assert penalised.score == 0 and penalised.detail["forbidden_used"] == [0]  # 2 − 2, never below zero
    assert "forbids: 便宜给你, 最好" in penalised.feedback[0]


def test_reply_needs_review_when_the_rubric_cannot_judge() -> None:
    t = get_type("reply")
    unmatched = t.grade(REPLY, 3, {"text": "亲，您好，请稍等我查一下"}, elapsed_seconds=5)
    assert unmatched.needs_review and unmatched.score == 0
    tiny = t.grade(REPLY, 3, {"text": "头层"}, elapsed_seconds=5)
    assert tiny.needs_review and tiny.score == 2  # scored, but too short to trust
    assert len("头层") < MIN_CHARACTERS
    blank = t.grade(REPLY, 3, {"text": "   "}, elapsed_seconds=5)
    assert blank.score == 0 and not blank.needs_review and blank.feedback == ["No reply was written."]


def test_reply_review_shows_what_was_met() -> None:
    review = get_type("reply").review(REPLY, {"text": "头层牛皮，最好"})
    assert review["key_points_met"] == [0] and review["forbidden_used"] == [0]
    assert review["model_answer"] == REPLY["model_answer"]


@pytest.mark.parametrize(
    ("elapsed", "share"),
    [(None, 1.0), (0, 1.0), (20, 1.0), (30, 0.9125), (40, 0.825), (60, 0.65), (600, 0.65)],
)
def test_speed_share_rule(elapsed: float | None, share: float) -> None:
    assert speed_share(elapsed, 20) == pytest.approx(share)
    assert speed_share(10**9, 20) == pytest.approx(1 - FIRST_SHARE)
    assert FIRST_SHARE + COMPLETE_SHARE == SPEED_SHARE
