"""What every registered question type promises: no key on screen, full marks for the key, a score
within 0..points for any response, clear response errors, determinism and speed."""

from __future__ import annotations

import json
import random
import time
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.content.questions import REGISTRY, QuestionType, ResponseError, get_type
from lms.content.questions.base import register

# Every secret (a key, a weight's text, feedback, a rubric) contains SECRET: none may reach `public`.
SAMPLES: dict[str, dict[str, Any]] = {
    "single": {
        "choices": [
            {"text": "a", "weight": 100, "feedback": "SECRET right"},
            {"text": "b", "weight": 0, "feedback": "SECRET wrong"},
            {"text": "c", "weight": 50},
        ]
    },
    "multiple": {
        "choices": [
            {"text": "a", "weight": 50, "feedback": "SECRET"},
            {"text": "b", "weight": 50},
            {"text": "c", "weight": -100, "feedback": "SECRET"},
        ]
    },
    "truefalse": {"answer": False, "feedback_true": "SECRET", "feedback_false": "SECRET"},
    "short": {
        "answers": [{"text": "SECRET one", "weight": 100, "feedback": "SECRET"}],
        "pattern": "SECRET",
        "other_feedback": "SECRET",
    },
    "numeric": {
        "answers": [{"value": 20, "tolerance": 1, "weight": 100, "feedback": "SECRET"}],
        "other_feedback": "SECRET",
    },
    "matching": {
        "pairs": [
            {"left": "L1", "right": "R1"},
            {"left": "L2", "right": "R2"},
            {"left": "L3", "right": "R3"},
        ],
        "distractors": ["R4"],
    },
    "ordering": {"items": ["first", "second", "third", "fourth"]},
    "cloze": {"gaps": [{"answers": ["SECRET72"]}, {"answers": ["SECRET7", "SECRETseven"]}]},
    "essay": {"rubric": "SECRET rubric"},
    "reply": {
        "customer": "能便宜点吗？",
        "target_seconds": 20,
        "key_points": [{"points": 2, "phrases": ["SECRET头层"]}, {"points": 1, "phrases": ["SECRET保修"]}],
        "forbidden": [{"penalty": 1, "phrases": ["SECRET最好"]}],
        "model_answer": "SECRET头层 and SECRET保修",
    },
}


def test_the_registry_holds_the_ten_types() -> None:
    assert set(REGISTRY) == set(SAMPLES)
    for name, qtype in REGISTRY.items():
        assert qtype.name == name and get_type(name) is qtype
        assert type(qtype).__module__ == f"lms.content.questions.{name}"  # one type, one file


def test_a_name_cannot_be_registered_twice() -> None:
    class Again(type(REGISTRY["essay"])):  # type: ignore[misc]
        name = "essay"

    with pytest.raises(ValueError, match="registered twice"):
        register(Again)
    assert type(REGISTRY["essay"]).__name__ == "Essay"


def test_a_new_type_is_one_class(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("lms.content.questions.base.REGISTRY", dict(REGISTRY))
    from lms.content.questions import base

    @base.register
    class Rating(QuestionType):
        name = "rating"
        keys = frozenset({"stars"})

        def parse(self, raw: dict[str, Any], where: Any) -> dict[str, Any]:
            return {"stars": raw.get("stars", 5)}

        def check_response(self, body: dict[str, Any], response: Any) -> None:
            base.response_object(response, {"stars"}, '{"stars": n}')

        def grade(
            self, body: dict[str, Any], points: float, response: Any, *, elapsed_seconds: float | None = None
        ) -> base.Grade:
            return base.Grade(points, points)

        def key_response(self, body: dict[str, Any]) -> Any:
            return {"stars": 5}

    assert base.get_type("rating").grade({}, 1, {"stars": 5}).score == 1
    assert "rating" not in REGISTRY


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_samples_are_valid(name: str) -> None:
    found: list[str] = []
    text = "Fill {{1}} and {{2}}." if name == "cloze" else "?"
    get_type(name).parse({**SAMPLES[name], "text": text}, lambda message, *at: found.append(message))
    assert found == []


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_public_view_never_holds_a_key(name: str) -> None:
    for rng in (None, random.Random(1)):
        view = get_type(name).public(SAMPLES[name], rng)
        shown = json.dumps(view, ensure_ascii=False)
        assert "SECRET" not in shown and "weight" not in shown and "feedback" not in shown
        if name == "matching":
            # The pairing itself is the key: rights never come in left order.
            assert [r["index"] for r in view["rights"]][: len(view["lefts"])] != [
                left["index"] for left in view["lefts"]
            ]


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_the_key_earns_full_marks(name: str) -> None:
    qtype = get_type(name)
    response = qtype.key_response(SAMPLES[name])
    if name == "essay":
        assert response is None
        return
    qtype.check_response(SAMPLES[name], response)
    grade = qtype.grade(SAMPLES[name], 3, response, elapsed_seconds=5)
    assert grade.score == 3 and grade.max == 3 and not grade.needs_review


@pytest.mark.parametrize("name", sorted(SAMPLES))
@pytest.mark.parametrize("bad", [None, [], "text", 7, {}, {"unexpected": 1}])
def test_foreign_shapes_raise_response_error(name: str, bad: Any) -> None:
    with pytest.raises(ResponseError) as err:
        get_type(name).check_response(SAMPLES[name], bad)
    assert err.value.field and err.value.message
    with pytest.raises(ResponseError):
        get_type(name).grade(SAMPLES[name], 1, bad)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_review_works_with_and_without_a_response(name: str) -> None:
    qtype = get_type(name)
    assert isinstance(qtype.review(SAMPLES[name]), dict)
    assert isinstance(qtype.review(SAMPLES[name], qtype.key_response(SAMPLES[name])), dict)
    assert isinstance(qtype.review(SAMPLES[name], {"garbage": True}), dict)  # never raises


def responses(name: str, body: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Any response of the right shape."""
    words = st.text(max_size=30)
    match name:
        case "single":
            return st.builds(lambda i: {"choice": i}, st.integers(0, len(body["choices"]) - 1))
        case "multiple":
            return st.builds(
                lambda c: {"choices": c}, st.lists(st.integers(0, len(body["choices"]) - 1), unique=True)
            )
        case "truefalse":
            return st.builds(lambda v: {"value": v}, st.booleans())
        case "numeric":
            return st.builds(
                lambda v: {"value": v},
                st.floats(allow_nan=False, allow_infinity=False) | st.integers(-(10**6), 10**6),
            )
        case "matching":
            n, m = len(body["pairs"]), len(body["pairs"]) + len(body.get("distractors", []))
            return st.lists(st.integers(0, m - 1), unique=True, max_size=n).map(
                lambda rs: {"pairs": {str(i): r for i, r in enumerate(rs)}}
            )
        case "ordering":
            return st.permutations(range(len(body["items"]))).map(lambda o: {"order": list(o)})
        case "cloze":
            return st.lists(words, min_size=len(body["gaps"]), max_size=len(body["gaps"])).map(
                lambda g: {"gaps": g}
            )
        case _:
            return st.builds(
                lambda t: {"text": t}, words | st.sampled_from(["头层 保修", "SECRET头层 SECRET最好", ""])
            )


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_any_response_scores_within_zero_and_points(name: str) -> None:
    qtype = get_type(name)

    @settings(max_examples=60, deadline=None)
    @given(responses(name, SAMPLES[name]), st.one_of(st.none(), st.floats(0, 1000)))
    def check(response: Any, elapsed: float | None) -> None:
        qtype.check_response(SAMPLES[name], response)
        first = qtype.grade(SAMPLES[name], 2.5, response, elapsed_seconds=elapsed)
        assert 0 <= first.score <= 2.5 and first.max == 2.5
        assert qtype.grade(SAMPLES[name], 2.5, response, elapsed_seconds=elapsed) == first  # deterministic

    check()


def test_a_fifty_question_attempt_grades_in_well_under_a_millisecond_per_question() -> None:
    names = sorted(SAMPLES)
    attempt = [(get_type(names[i % len(names)]), SAMPLES[names[i % len(names)]]) for i in range(50)]
    answers = [qtype.key_response(body) or {"text": "x"} for qtype, body in attempt]
    rounds = 40
    start = time.perf_counter()
    for _ in range(rounds):
        for (qtype, body), response in zip(attempt, answers, strict=True):
            qtype.check_response(body, response)
            qtype.grade(body, 1, response, elapsed_seconds=15)
    per_question = (time.perf_counter() - start) / (rounds * len(attempt))
    assert per_question < 0.0002, f"{per_question * 1e6:.0f} µs per question"
