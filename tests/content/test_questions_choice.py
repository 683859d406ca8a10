"""Single choice, multiple choice and true/false: parse, show, check, grade, review."""

from __future__ import annotations

import random
from typing import Any

import pytest

from lms.content.questions import ResponseError, get_type

SINGLE = {
    "choices": [
        {"text": "Paid, awaiting shipment", "weight": 100, "feedback": "Right: Alipay holds the money."},
        {"text": "Awaiting payment", "weight": 0, "feedback": "That is before payment."},
        {"text": "Shipped", "weight": 50},
        {"text": "Trade closed", "weight": -50},
    ]
}
MULTIPLE = {
    "choices": [
        {"text": "Custom-engraved wallets", "weight": 50},
        {"text": "Fresh fruit", "weight": 50},
        {"text": "A canvas tote", "weight": -50, "feedback": "Ordinary goods can be returned."},
        {"text": "Socks", "weight": 0},
    ]
}


def problems(type_name: str, raw: dict[str, Any]) -> list[tuple[str, tuple[Any, ...]]]:
    found: list[tuple[str, tuple[Any, ...]]] = []
    get_type(type_name).parse(raw, lambda message, *at: found.append((message, at)))
    return found


# -- single ---------------------------------------------------------------------------------------


def test_single_parses_clean_and_keeps_the_body_as_written() -> None:
    assert problems("single", SINGLE) == []
    assert get_type("single").parse(SINGLE, lambda *_: None) == SINGLE


@pytest.mark.parametrize(
    ("raw", "message", "at"),
    [
        ({"choices": [{"text": "a", "weight": 50}, {"text": "b"}]}, "no choice has weight 100", ("choices",)),
        (
            {"choices": [{"text": "a", "weight": 100}, {"text": "b", "weight": 100}]},
            "choices 1, 2 all have weight 100",
            ("choices", 1),
        ),
        ({"choices": [{"text": "a", "weight": 100}]}, "give at least two choices", ("choices",)),
        ({}, "missing `choices`", ()),
        ({"choices": "a, b"}, "`choices` must be a list of tables", ("choices",)),
        (
            {"choices": [{"text": "a", "weight": 100}, {"text": "a", "weight": 0}]},
            "have the same text",
            ("choices", 1),
        ),
        (
            {"choices": [{"text": "a", "weight": 100}, {"text": "b", "weight": 150}]},
            "between -100 and 100",
            ("choices", 1),
        ),
        (
            {"choices": [{"text": "a", "weight": 100}, {"text": "b", "weight": "x"}]},
            "must be a number",
            ("choices", 1),
        ),
        (
            {"choices": [{"text": "a", "weight": 100}, {"text": "b", "right": True}]},
            "unknown key `right`",
            ("choices", 1),
        ),
        (
            {"choices": [{"text": "a", "weight": 100}, {"weight": 0}]},
            "choice 2 needs a `text`",
            ("choices", 1),
        ),
        ({"choices": [{"text": "a", "weight": 100}, "b"]}, "must be a table", ("choices", 1)),
    ],
)
def test_single_problems_name_their_place(raw: dict[str, Any], message: str, at: tuple[Any, ...]) -> None:
    found = problems("single", raw)
    assert any(message in m and where == at for m, where in found), found


def test_single_public_view_has_no_key_and_keeps_file_positions() -> None:
    t = get_type("single")
    view = t.public(SINGLE, random.Random(3))
    assert set(view) == {"options"}
    assert all(set(o) == {"index", "text"} for o in view["options"])
    assert sorted(o["index"] for o in view["options"]) == [0, 1, 2, 3]
    assert {o["index"]: o["text"] for o in view["options"]} == {
        i: c["text"] for i, c in enumerate(SINGLE["choices"])
    }
    assert [o["index"] for o in t.public(SINGLE, None)["options"]] == [0, 1, 2, 3]  # no shuffle asked
    orders = {
        tuple(o["index"] for o in t.public(SINGLE, random.Random(seed))["options"]) for seed in range(20)
    }
    assert len(orders) > 1  # shuffling does shuffle
    assert t.public(SINGLE, random.Random(7)) == t.public(SINGLE, random.Random(7))  # and is reproducible


@pytest.mark.parametrize(("choice", "score"), [(0, 2.0), (1, 0.0), (2, 1.0), (3, 0.0)])
def test_single_grades_by_weight_never_below_zero(choice: int, score: float) -> None:
    assert get_type("single").grade(SINGLE, 2, {"choice": choice}).score == score


def test_single_feedback_and_review() -> None:
    t = get_type("single")
    grade = t.grade(SINGLE, 1, {"choice": 1})
    assert grade.feedback == ["That is before payment."] and grade.max == 1 and not grade.needs_review
    review = t.review(SINGLE, {"choice": 1})
    assert review["right"] == [0] and review["chosen"] == [1] and review["choices"][0]["feedback"]
    assert t.review(SINGLE)["right"] == [0]  # the web layer calls it without a response
    assert t.grade(SINGLE, 1, t.key_response(SINGLE)).score == 1


@pytest.mark.parametrize(
    "bad",
    [
        {"choice": 4},
        {"choice": -1},
        {"choice": "0"},
        {"choice": True},
        {"choice": 1.0},
        {"choices": [0]},
        {"choice": 0, "x": 1},
        [0],
        None,
        0,
    ],
)
def test_single_rejects_foreign_shapes(bad: Any) -> None:
    with pytest.raises(ResponseError) as err:
        get_type("single").check_response(SINGLE, bad)
    assert err.value.field in ("choice", "response") and err.value.message


def test_response_error_carries_field_then_message() -> None:
    err = ResponseError("choice", "is not a position")
    assert (err.field, err.message) == ("choice", "is not a position") and "choice" in str(err)


# -- multiple -------------------------------------------------------------------------------------


def test_multiple_weights_must_add_up_to_100() -> None:
    assert problems("multiple", MULTIPLE) == []
    thirds = {"choices": [{"text": t, "weight": 33.33333} for t in "abc"]}
    assert problems("multiple", thirds) == []  # Moodle's thirds are close enough
    short = {"choices": [{"text": "a", "weight": 40}, {"text": "b", "weight": 40}]}
    assert any("add up to 80, not 100" in m for m, _ in problems("multiple", short))
    over = {"choices": [{"text": "a", "weight": 60}, {"text": "b", "weight": 60}]}
    assert any("add up to 120" in m for m, _ in problems("multiple", over))


@pytest.mark.parametrize(
    ("chosen", "score"),
    [
        ([0, 1], 1.0),
        ([0], 0.5),
        ([1, 0], 1.0),
        ([0, 2], 0.0),
        ([0, 1, 2], 0.5),
        ([2], 0.0),
        ([], 0.0),
        ([3], 0.0),
    ],
)
def test_multiple_partial_credit_never_below_zero(chosen: list[int], score: float) -> None:
    assert get_type("multiple").grade(MULTIPLE, 1, {"choices": chosen}).score == score


def test_multiple_feedback_review_and_key() -> None:
    t = get_type("multiple")
    assert t.grade(MULTIPLE, 1, {"choices": [2]}).feedback == ["Ordinary goods can be returned."]
    assert t.review(MULTIPLE, {"choices": [3, 0]})["chosen"] == [0, 3]
    assert t.review(MULTIPLE)["right"] == [0, 1]
    assert t.key_response(MULTIPLE) == {"choices": [0, 1]}


@pytest.mark.parametrize(
    "bad", [{"choices": [0, 0]}, {"choices": [9]}, {"choices": "0,1"}, {"choices": [True]}, {"choice": 0}, {}]
)
def test_multiple_rejects_duplicates_and_foreign_positions(bad: Any) -> None:
    with pytest.raises(ResponseError):
        get_type("multiple").check_response(MULTIPLE, bad)


# -- true/false -----------------------------------------------------------------------------------

TF = {"answer": False, "feedback_true": "No: made-to-order goods are excluded.", "feedback_false": "Right."}


def test_truefalse() -> None:
    t = get_type("truefalse")
    assert problems("truefalse", TF) == []
    assert t.grade(TF, 2, {"value": False}).score == 2
    wrong = t.grade(TF, 2, {"value": True})
    assert wrong.score == 0 and wrong.feedback == ["No: made-to-order goods are excluded."]
    assert t.public(TF, random.Random(1)) == {}
    assert t.key_response(TF) == {"value": False}
    assert any("`answer` must be true or false" in m for m, _ in problems("truefalse", {"answer": "no"}))
    assert any("`answer` must be true or false" in m for m, _ in problems("truefalse", {}))
    for bad in [{"value": "true"}, {"value": 1}, {"answer": True}, None]:
        with pytest.raises(ResponseError):
            t.check_response(TF, bad)
