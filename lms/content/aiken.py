"""The Aiken format: single-choice questions, `A. option` lines and `ANSWER: X`."""

from __future__ import annotations

import re

from lms.content.gift import slugify
from lms.content.specs import QuestionSpec

OPTION = re.compile(r"^([A-Z])[.)]\s+(.*)$")
ANSWER = re.compile(r"^ANSWER:\s*([A-Z])\s*$")


def parse_aiken(source: str) -> tuple[list[QuestionSpec], list[tuple[int, str]]]:
    """Questions from Aiken text, and every problem as (line, message); any problem means none."""
    lines = source.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    questions: list[QuestionSpec] = []
    problems: list[tuple[int, str]] = []
    stem: list[str] = []
    options: list[tuple[str, str]] = []
    start = 0
    used: set[str] = set()
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        option, answer = OPTION.match(line), ANSWER.match(line)
        if answer:
            letters = [letter for letter, _ in options]
            if not stem or len(options) < 2:
                problems.append((start or number, "a question needs a text and at least two options"))
            elif answer.group(1) not in letters:
                problems.append(
                    (number, f"ANSWER {answer.group(1)} is not one of the options {''.join(letters)}")
                )
            else:
                text = " ".join(stem)
                base, n = slugify(text)[:40], 2
                qid = base
                while qid in used:
                    qid, n = f"{base}-{n}", n + 1
                used.add(qid)
                choices = [
                    {"text": t, "weight": 100.0 if letter == answer.group(1) else 0.0}
                    for letter, t in options
                ]
                questions.append(QuestionSpec(qid, "single", text, 1.0, (), "", {"choices": choices}, start))
            stem, options, start = [], [], 0
        elif option and stem:
            expected = chr(ord("A") + len(options))
            if option.group(1) != expected:
                problems.append((number, f"option {option.group(1)} should be {expected}"))
            options.append((option.group(1), option.group(2).strip()))
        else:
            if options:
                problems.append((number, "text after the options: each question ends with ANSWER: X"))
                stem, options = [], []
            if not stem:
                start = number
            stem.append(line)
    if stem or options:
        problems.append((start, "the last question has no ANSWER: line"))
    return ([], problems) if problems else (questions, problems)


def export_aiken(questions: list[QuestionSpec]) -> tuple[str, list[str]]:
    """Single-choice questions as Aiken; the ids of questions Aiken cannot hold are returned too."""
    out, skipped = [], []
    for q in questions:
        choices = q.body.get("choices", [])
        right = [i for i, c in enumerate(choices) if c["weight"] == 100]
        if (
            q.type != "single"
            or len(right) != 1
            or len(choices) > 26
            or any(0 < c["weight"] < 100 for c in choices)
        ):
            skipped.append(q.id)
            continue
        out.append(q.text.replace("\n", " "))
        out += [f"{chr(65 + i)}. {c['text']}" for i, c in enumerate(choices)]
        out += [f"ANSWER: {chr(65 + right[0])}", ""]
    return "\n".join(out), skipped
