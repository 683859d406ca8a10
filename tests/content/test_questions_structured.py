"""Numeric, matching and ordering questions."""

from __future__ import annotations

import random
from typing import Any

import pytest

from lms.content.questions import ResponseError, get_type


def problems(type_name: str, raw: dict[str, Any]) -> list[tuple[str, tuple[Any, ...]]]:
    found: list[tuple[str, tuple[Any, ...]]] = []
    get_type(type_name).parse(raw, lambda message, *at: found.append((message, at)))
    return found


# -- numeric --------------------------------------------------------------------------------------

NUMERIC = {
    "answers": [
        {"value": 1822, "tolerance": 0, "weight": 100},
        {"value": 1822, "tolerance": 2, "weight": 50, "feedback": "Close."},
    ],
    "other_feedback": "Way off",
}


@pytest.mark.parametrize(
    ("value", "score", "feedback"),
    [
        (1822, 1, []),
        (1822.0, 1, []),
        (1823.5, 0.5, ["Close."]),
        (1824, 0.5, ["Close."]),
        (1900, 0, ["Way off"]),
    ],
)
def test_numeric_tolerance_and_weights(value: float, score: float, feedback: list[str]) -> None:
    grade = get_type("numeric").grade(NUMERIC, 1, {"value": value})
    assert (grade.score, grade.feedback) == (score, feedback)


def test_numeric_ranges_and_float_edges() -> None:
    t = get_type("numeric")
    pi = {"answers": [{"min": 3.141, "max": 3.142, "weight": 100}]}
    assert [t.grade(pi, 1, {"value": v}).score for v in (3.141, 3.1415, 3.142, 3.1421)] == [1, 1, 1, 0]
    edge = {"answers": [{"value": 3.1415, "tolerance": 0.0005, "weight": 100}]}
    assert t.grade(edge, 1, {"value": 3.141}).score == 1  # 3.1415 − 0.0005 in floats is 3.1409999…
    assert t.key_response(pi) == {"value": pytest.approx(3.1415)}


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"weight": 100}, "give `value` (and `tolerance`) or `min` and `max`"),
        ({"value": 1, "min": 0, "max": 2}, "not both"),
        ({"value": "72"}, "`value` must be a number"),
        ({"value": 72, "tolerance": -1}, "`tolerance` must be a number of 0 or more"),
        ({"min": 5, "max": 1}, "`min` (5) is larger than `max` (1)"),
        ({"min": 5}, "a range needs numbers `min` and `max`"),
        ({"value": 72, "weight": 50}, "no answer has weight 100"),
        ({"value": 72, "unit": "h"}, "unknown key `unit`"),
    ],
)
def test_numeric_problems(answer: dict[str, Any], message: str) -> None:
    found = problems("numeric", {"answers": [answer]})
    assert any(message in m for m, _ in found), found
    assert all(at[:2] == ("answers", 0) or at == ("answers",) for _, at in found)


@pytest.mark.parametrize(
    "bad", [{"value": "72"}, {"value": True}, {"value": float("nan")}, {"value": float("inf")}, {"v": 1}]
)
def test_numeric_rejects_non_numbers(bad: Any) -> None:
    with pytest.raises(ResponseError):
        get_type("numeric").check_response(NUMERIC, bad)


# -- matching -------------------------------------------------------------------------------------

MATCHING = {
    "pairs": [
        {"left": "Genuine leather", "right": "Leather balm every 3 months"},
        {"left": "Nylon", "right": "Damp cloth"},
        {"left": "Canvas", "right": "Hand-wash cold"},
        {"left": "Suitcase", "right": "Wipe the shell"},
    ],
    "distractors": ["Machine-wash at 60 °C"],
}


def test_matching_partial_credit_per_pair() -> None:
    t = get_type("matching")
    assert problems("matching", MATCHING) == []
    assert t.grade(MATCHING, 4, {"pairs": {"0": 0, "1": 1, "2": 3, "3": 2}}).score == 2
    assert t.grade(MATCHING, 4, {"pairs": {"0": 0, "1": 4}}).score == 1  # open lefts and a distractor
    assert t.grade(MATCHING, 4, {"pairs": {}}).score == 0
    assert t.grade(MATCHING, 4, t.key_response(MATCHING)).score == 4
    assert t.review(MATCHING, {"pairs": {"0": 0, "1": 2}})["right_pairs"] == [0]


def test_matching_public_view_hides_the_pairing() -> None:
    t = get_type("matching")
    view = t.public(MATCHING, None)
    assert [left["index"] for left in view["lefts"]] == [0, 1, 2, 3]
    assert sorted(r["index"] for r in view["rights"]) == [0, 1, 2, 3, 4]
    assert [r["index"] for r in view["rights"]] != [0, 1, 2, 3, 4]  # never in key order
    assert t.public(MATCHING, None) == view  # the same page on every visit
    assert "pairs" not in view and "distractors" not in view
    two = {"pairs": [{"left": "a", "right": "1"}, {"left": "b", "right": "2"}]}
    for seed in range(10):
        assert [r["index"] for r in t.public(two, random.Random(seed))["rights"]] == [1, 0]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"pairs": [{"left": "a", "right": "1"}]}, "give at least two pairs"),
        ({"pairs": [{"left": "a", "right": "1"}, {"left": "b", "right": "1"}]}, "appears twice"),
        (
            {"pairs": [{"left": "a", "right": "1"}, {"left": "b", "right": "2"}], "distractors": ["1"]},
            "appears twice",
        ),
        ({"pairs": [{"left": "a", "right": "1"}, {"left": "a", "right": "2"}]}, "have the same left text"),
        ({"pairs": [{"left": "a", "right": "1"}, {"left": "b"}]}, "pair 2 needs texts `left` and `right`"),
    ],
)
def test_matching_problems(raw: dict[str, Any], message: str) -> None:
    assert any(message in m for m, _ in problems("matching", raw)), problems("matching", raw)


@pytest.mark.parametrize(
    "bad",
    [
        {"pairs": {"0": 1, "1": 1}},  # a right used twice
        {"pairs": {"9": 0}},  # a foreign left
        {"pairs": {"0": 5}},  # a foreign right
        {"pairs": {"00": 0}},
        {"pairs": {"a": 0}},
        {"pairs": [[0, 0]]},
        {"pairs": {"0": "0"}},
    ],
)
def test_matching_rejects_foreign_and_repeated_positions(bad: Any) -> None:
    with pytest.raises(ResponseError):
        get_type("matching").check_response(MATCHING, bad)


# -- ordering -------------------------------------------------------------------------------------

ORDERING = {
    "items": [
        "Awaiting payment",
        "Paid, awaiting shipment",
        "Shipped, awaiting confirmation",
        "Trade successful",
    ]
}


@pytest.mark.parametrize(
    ("order", "score"),
    [
        ([0, 1, 2, 3], 3),
        ([0, 1, 3, 2], 2),  # one neighbour pair the wrong way round
        ([1, 0, 2, 3], 2),
        ([0, 2, 1, 3], 2),
        ([2, 3, 0, 1], 2),
        ([1, 0, 3, 2], 1),
        ([3, 2, 1, 0], 0),
    ],
)
def test_ordering_by_adjacent_pairs_in_the_right_relative_order(order: list[int], score: float) -> None:
    assert get_type("ordering").grade(ORDERING, 3, {"order": order}).score == score


def test_ordering_is_always_shown_mixed() -> None:
    t = get_type("ordering")
    for rng in [None, *(random.Random(seed) for seed in range(20))]:
        shown = [i["index"] for i in t.public(ORDERING, rng)["items"]]
        assert sorted(shown) == [0, 1, 2, 3] and shown != [0, 1, 2, 3]


@pytest.mark.parametrize(
    "bad", [{"order": [0, 1, 2]}, {"order": [0, 0, 1, 2]}, {"order": [0, 1, 2, 4]}, {"order": "0123"}]
)
def test_ordering_needs_every_item_once(bad: Any) -> None:
    with pytest.raises(ResponseError):
        get_type("ordering").check_response(ORDERING, bad)


def test_ordering_problems() -> None:
    assert any("at least 3 items" in m for m, _ in problems("ordering", {"items": ["a", "b"]}))
    assert any(
        "items 1 and 3 have the same text" in m for m, _ in problems("ordering", {"items": ["a", "b", "a"]})
    )
