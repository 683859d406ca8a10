"""Aiken: single-choice questions in and out."""

from __future__ import annotations

from lms.content.aiken import export_aiken, parse_aiken

GOOD = """What state follows payment?
A. Awaiting payment
B. Paid, awaiting shipment
C. Trade successful
ANSWER: B

发货截止时间是几点？
A) 14:00
B) 16:00
ANSWER: B
"""


def test_aiken_imports_single_choice_questions() -> None:
    questions, problems = parse_aiken("\ufeff" + GOOD.replace("\n", "\r\n"))
    assert problems == []
    assert [q.type for q in questions] == ["single", "single"]
    assert [c["weight"] for c in questions[0].body["choices"]] == [0.0, 100.0, 0.0]
    assert questions[1].text == "发货截止时间是几点？"


def test_aiken_problems_by_line() -> None:
    questions, problems = parse_aiken("Q?\nA. x\nC. y\nANSWER: D\n\nLonely question without options\n")
    assert questions == []
    assert (3, "option C comes where B should") in problems
    assert any(line == 4 and "ANSWER 'D'" in msg for line, msg in problems)
    assert any("no ANSWER" in msg for _line, msg in problems)


def test_aiken_round_trip_and_skips() -> None:
    questions, _ = parse_aiken(GOOD)
    text, skipped = export_aiken(questions)
    again, problems = parse_aiken(text)
    assert problems == [] and skipped == []
    assert [q.body for q in again] == [q.body for q in questions]
