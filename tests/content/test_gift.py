"""GIFT: Moodle's own files import with their meaning kept; export → import is lossless."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms.content.gift import export_gift, parse_gift, strip_line
from lms.content.specs import QuestionSpec

MOODLE = Path(__file__).resolve().parents[3] / "shared" / "interop" / "moodle-gift"


def _load(name: str) -> list[QuestionSpec]:
    questions, problems = parse_gift((MOODLE / name).read_text(encoding="utf-8"))
    assert problems == []
    return questions


needs_fixtures = pytest.mark.skipif(
    not MOODLE.is_dir(), reason="shared/interop/moodle-gift is not beside the checkout"
)


@needs_fixtures
@pytest.mark.parametrize(
    ("name", "count"),
    [("examples.txt", 43), ("questions.gift.txt", 9), ("questions_in_category.gift.txt", 4)],
)
def test_moodle_files_import_without_error(name: str, count: int) -> None:
    assert len(_load(name)) == count


@needs_fixtures
def test_moodle_fixture_meaning_is_kept() -> None:
    by_title = {q.body.get("title", q.id): q for q in _load("questions.gift.txt")}
    colours = by_title["colours"]
    assert colours.type == "multiple"
    assert [c["weight"] for c in colours.body["choices"]] == [50, -100, 50, -100]
    assert colours.body["choices"][0]["feedback"] == "right; good!"
    q1 = by_title["Q1"]
    assert q1.type == "truefalse" and q1.body["answer"] is False
    assert q1.body["feedback_true"] == "42 is the Ultimate Answer."  # shown to whoever answers true
    assert q1.explanation.startswith("This is, of course, a Hitchiker")
    q5 = by_title["Q5"]
    assert q5.type == "numeric" and q5.body["answers"][0] == {"weight": 100, "value": 3, "tolerance": 2}
    assert q5.body["other_feedback"] == "Completely wrong"
    animal = by_title["Shortanswer"]
    assert [(a["text"], a["weight"]) for a in animal.body["answers"]] == [("Frog", 100), ("Cat", 50)]
    assert animal.body["other_feedback"] == "Completely wrong"
    activities = by_title["Moodle activities"]
    assert activities.type == "matching" and activities.body["format"] == "html"
    assert activities.body["distractors"] == ["Chat"] and len(activities.body["pairs"]) == 4
    assert by_title["Q8"].type == "essay"
    assert [q.id for q in _load("questions.gift.txt") if q.body.get("title") == "2-08 TSL"] == [
        "2-08-tsl",
        "2-08-tsl-2",
    ]


@needs_fixtures
def test_categories_escapes_and_formats() -> None:
    questions = _load("questions_in_category.gift.txt")
    assert {q.body["category"] for q in questions} == {"$course$/Default for New Features"}
    greeting = next(q for q in questions if q.body.get("title") == "Greeting")
    assert 'href="http://demo.moodle.net/file.php/5/media/bonjour.mp3"' in greeting.text
    assert greeting.text.endswith("What language is being spoken?")
    examples = _load("examples.txt")
    control = next(q for q in examples if q.body.get("title") == "GIFT Control Characters")
    assert [c["text"] for c in control.body["choices"]] == ["~", "=", "#", "{", "}", "\\"]
    grant = next(q for q in examples if q.body.get("title") == "Grant's Tomb")
    assert grant.text == "Grant is _____ in Grant's tomb."
    ranges = [q for q in examples if q.type == "numeric" and "min" in q.body["answers"][0]]
    assert ranges[0].body["answers"][0] == {"weight": 100, "min": 3.141, "max": 3.142}


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("Just a description without answers.", "no answer block"),
        ("::t:: Unclosed {=a ~b", "never closed"),
        ("::t:: Pick {~a ~b}", "positive weights add up to 0"),
        ("::t:: Number {#abc}", "not a number"),
    ],
)
def test_problems_are_reported_by_line_and_nothing_imports(source: str, message: str) -> None:
    text = "::fine:: 2 + 2 = {#4}\n\n// a comment\n" + source + "\n"
    questions, problems = parse_gift(text)
    assert questions == []
    assert problems and problems[0][0] == 4 and message in problems[0][1]


def test_crlf_bom_and_chinese() -> None:
    questions, problems = parse_gift(
        "\ufeff::退货::七天无理由退货的期限是几天？{#7}\r\n\r\n::x::对还是错{T}\r\n"
    )
    assert problems == [] and [q.type for q in questions] == ["numeric", "truefalse"]
    assert questions[0].text == "七天无理由退货的期限是几天？"


# ---- export → import is lossless --------------------------------------------------------------

text_st = (
    st.text(
        alphabet=st.characters(
            whitelist_categories=("L", "N", "P", "Zs", "S"), blacklist_characters="\r\u2028\u2029\x85"
        ),
        min_size=1,
        max_size=30,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(lambda s: s and s != "*" and "_____" not in s and "->" not in s)
)
ids = st.from_regex(r"[a-z][a-z0-9-]{2,12}", fullmatch=True)
weights = st.sampled_from([0, 25, 50, -50, -100, 33.5])


@st.composite
def question_st(draw):  # type: ignore[no-untyped-def]
    kind = draw(
        st.sampled_from(
            [
                "single",
                "multiple",
                "truefalse",
                "short",
                "numeric",
                "matching",
                "essay",
                "ordering",
                "cloze",
                "reply",
            ]
        )
    )
    texts = draw(st.lists(text_st, min_size=4, max_size=4, unique=True))
    if kind == "single":
        body = {
            "choices": [
                {"text": texts[0], "weight": 100.0},
                {"text": texts[1], "weight": float(draw(weights)), "feedback": texts[2]},
            ]
        }
    elif kind == "multiple":
        body = {
            "choices": [
                {"text": texts[0], "weight": 50.0},
                {"text": texts[1], "weight": 50.0},
                {"text": texts[2], "weight": -100.0},
            ]
        }
    elif kind == "truefalse":
        body = {"answer": draw(st.booleans()), "feedback_true": texts[0]}
    elif kind == "short":
        body = {
            "answers": [
                {"text": texts[0], "weight": 100.0},
                {"text": texts[1], "weight": 50.0, "feedback": texts[2]},
            ]
        }
    elif kind == "numeric":
        body = {
            "answers": [
                {
                    "weight": 100.0,
                    "value": draw(st.integers(-999, 9999)),
                    "tolerance": draw(st.integers(0, 5)),
                },
                {"weight": 50.0, "min": 1.5, "max": 2.5},
            ]
        }
    elif kind == "matching":
        body = {"pairs": [{"left": texts[0], "right": texts[1]}, {"left": texts[2], "right": texts[3]}]}
    elif kind == "essay":
        body = {"rubric": texts[0]} if draw(st.booleans()) else {}
    elif kind == "ordering":
        body = {"items": texts[:3]}
    elif kind == "cloze":
        body = {"gaps": [{"answers": [texts[0]]}, {"answers": [texts[1], texts[2]]}]}
    else:
        body = {
            "customer": texts[0],
            "target_seconds": 20,
            "key_points": [{"points": 2, "phrases": [texts[1]]}],
            "forbidden": [{"penalty": 1, "phrases": [texts[2]]}],
            "model_answer": texts[3],
        }
    text = draw(text_st)
    if kind == "cloze":
        text = f"{text} {{{{1}}}} and {{{{2}}}}"
    points = 2.0 if kind == "reply" else draw(st.sampled_from([1.0, 2.0, 0.5]))
    return QuestionSpec(
        draw(ids),
        kind,
        text,
        points,
        tuple(draw(st.lists(ids, max_size=2, unique=True))),
        draw(st.one_of(st.just(""), text_st)),
        body,
    )


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(question_st(), min_size=1, max_size=4, unique_by=lambda q: q.id))
def test_export_then_import_is_lossless(questions: list[QuestionSpec]) -> None:
    text = export_gift(questions, {"title": "Round trip"})
    back, problems = parse_gift(text)
    assert problems == []
    assert [strip_line(q) for q in back] == [strip_line(q) for q in questions]
