"""Grading every question type: partial credit, never below zero, clear response errors."""

from __future__ import annotations

import random

import pytest

from lms.content.normalise import normalise
from lms.content.questions import ResponseError, get_type
from lms.content.questions.reply import speed_share

SINGLE = {
    "choices": [
        {"text": "Alipay", "weight": 100, "feedback": "Right"},
        {"text": "The store", "weight": 0},
        {"text": "Half", "weight": 50},
    ]
}
MULTI = {"choices": [{"text": "a", "weight": 50}, {"text": "b", "weight": 50}, {"text": "c", "weight": -100}]}


def test_single_choice() -> None:
    t = get_type("single")
    assert t.grade(SINGLE, 2, {"choice": 0}).score == 2
    assert t.grade(SINGLE, 2, {"choice": 2}).score == 1
    assert t.grade(SINGLE, 2, {"choice": 0}).feedback == ["Right"]
    for bad in [
        {"choice": 3},
        {"choice": -1},
        {"choice": "0"},
        {"choice": True},
        {"choices": [0]},
        [0],
        None,
    ]:
        with pytest.raises(ResponseError):
            t.check_response(SINGLE, bad)


def test_multiple_choice_partial_and_never_negative() -> None:
    t = get_type("multiple")
    assert t.grade(MULTI, 1, {"choices": [0, 1]}).score == 1
    assert t.grade(MULTI, 1, {"choices": [0]}).score == 0.5
    assert t.grade(MULTI, 1, {"choices": [0, 2]}).score == 0
    assert t.grade(MULTI, 1, {"choices": []}).score == 0
    with pytest.raises(ResponseError):
        t.check_response(MULTI, {"choices": [0, 0]})
    with pytest.raises(ResponseError):
        t.check_response(MULTI, {"choices": [7]})


def test_public_views_carry_no_keys() -> None:
    for name, body in [("single", SINGLE), ("multiple", MULTI)]:
        view = get_type(name).public(body, random.Random(1))
        assert "weight" not in str(view) and "Right" not in str(view)
        assert sorted(o["index"] for o in view["options"]) == [0, 1, 2]
    ordering = get_type("ordering").public({"items": ["a", "b", "c"]}, None)
    assert [i["index"] for i in ordering["items"]] != [0, 1, 2]
    matching = get_type("matching").public(
        {"pairs": [{"left": "L1", "right": "R1"}, {"left": "L2", "right": "R2"}]}, None
    )
    assert "pairs" not in matching and len(matching["rights"]) == 2
    reply = get_type("reply").public(
        {
            "customer": "hi",
            "target_seconds": 20,
            "key_points": [{"points": 1, "phrases": ["secret"]}],
            "forbidden": [],
            "model_answer": "secret",
        },
        None,
    )
    assert "secret" not in str(reply)


def test_truefalse_feedback() -> None:
    t = get_type("truefalse")
    body = {"answer": False, "feedback_true": "No", "feedback_false": "Yes"}
    assert t.grade(body, 1, {"value": False}).score == 1
    assert t.grade(body, 1, {"value": True}).feedback == ["No"]


@pytest.mark.parametrize(
    ("typed", "score"),
    [("72 Hours", 1), ("７２ hours", 1), ("72，hours。", 1), ("三天", 1), ("3天", 0.5), ("48", 0)],
)
def test_short_answers_are_normalised(typed: str, score: float) -> None:
    body = {
        "answers": [
            {"text": "72 hours", "weight": 100},
            {"text": "三天", "weight": 100},
            {"text": "3天", "weight": 50},
        ]
    }
    assert get_type("short").grade(body, 1, {"text": typed}).score == score


def test_normalise_folds_width_case_and_punctuation() -> None:
    assert normalise("ＡＢＣ，“好”！") == normalise('abc,"好"!') == "abc好"


def test_short_pattern() -> None:
    body = {"answers": [{"text": "72", "weight": 100}], "pattern": r"^7\d\s*(h|小时)$"}
    assert get_type("short").grade(body, 1, {"text": "72 小时"}).score == 1


def test_numeric_tolerance_and_ranges() -> None:
    t = get_type("numeric")
    body = {
        "answers": [
            {"value": 1822, "tolerance": 0, "weight": 100},
            {"value": 1822, "tolerance": 2, "weight": 50},
        ],
        "other_feedback": "Way off",
    }
    assert t.grade(body, 1, {"value": 1822}).score == 1
    assert t.grade(body, 1, {"value": 1823.5}).score == 0.5
    assert t.grade(body, 1, {"value": 1900}).feedback == ["Way off"]
    assert (
        get_type("numeric")
        .grade({"answers": [{"min": 3.141, "max": 3.142, "weight": 100}]}, 1, {"value": 3.1415})
        .score
        == 1
    )
    with pytest.raises(ResponseError):
        t.check_response(body, {"value": float("nan")})


def test_matching_partial_credit() -> None:
    body = {
        "pairs": [
            {"left": "a", "right": "1"},
            {"left": "b", "right": "2"},
            {"left": "c", "right": "3"},
            {"left": "d", "right": "4"},
        ],
        "distractors": ["5"],
    }
    t = get_type("matching")
    assert t.grade(body, 4, {"pairs": {"0": 0, "1": 1, "2": 3, "3": 2}}).score == 2
    with pytest.raises(ResponseError):
        t.check_response(body, {"pairs": {"0": 1, "1": 1}})
    with pytest.raises(ResponseError):
        t.check_response(body, {"pairs": {"9": 0}})


def test_ordering_by_neighbouring_pairs() -> None:
    t = get_type("ordering")
    body = {"items": ["a", "b", "c", "d"]}
    assert t.grade(body, 3, {"order": [0, 1, 2, 3]}).score == 3
    assert t.grade(body, 3, {"order": [0, 1, 3, 2]}).score == 1
    assert t.grade(body, 3, {"order": [3, 2, 1, 0]}).score == 0
    with pytest.raises(ResponseError):
        t.check_response(body, {"order": [0, 1, 2]})


def test_cloze_per_gap() -> None:
    body = {"gaps": [{"answers": ["72"]}, {"answers": ["7", "seven", "七"]}]}
    t = get_type("cloze")
    assert t.grade(body, 2, {"gaps": ["72", "七"]}).score == 2
    assert t.grade(body, 2, {"gaps": ["72", ""]}).score == 1
    with pytest.raises(ResponseError):
        t.check_response(body, {"gaps": ["72"]})


def test_essay_needs_review() -> None:
    grade = get_type("essay").grade({}, 4, {"text": "My answer"})
    assert grade.needs_review and grade.score == 0


REPLY = {
    "customer": "能便宜点吗？",
    "target_seconds": 20,
    "key_points": [
        {"points": 2, "phrases": ["头层", "full-grain"]},
        {"points": 1, "phrases": ["保修", "warranty"]},
    ],
    "forbidden": [{"penalty": 2, "phrases": ["便宜给你", "最好"]}],
}


def test_reply_scoring_key_points_penalties_and_speed() -> None:
    t = get_type("reply")
    full = t.grade(REPLY, 3, {"text": "这款是头层牛皮，一年保修"}, elapsed_seconds=12)
    assert full.score == 3 and not full.needs_review
    slow = t.grade(REPLY, 3, {"text": "Full-grain leather with a warranty"}, elapsed_seconds=40)
    assert slow.score == pytest.approx(3 * 0.75)
    penalised = t.grade(REPLY, 3, {"text": "头层牛皮，最好的，便宜给你"}, elapsed_seconds=5)
    assert penalised.score == 0  # 2 − 2, never below zero
    unknown = t.grade(REPLY, 3, {"text": "亲，您好，请稍等我查一下"}, elapsed_seconds=5)
    assert unknown.needs_review and unknown.score == 0


def test_speed_share_bounds() -> None:
    assert speed_share(None, 20) == 1 and speed_share(20, 20) == 1
    assert speed_share(60, 20) == 0.5 and speed_share(600, 20) == 0.5
