"""The Aiken format: single-choice questions as a stem, `A. option` lines and `ANSWER: X`.

    Which courier is free?
    A. SF Express
    B. YTO
    ANSWER: B

Import reads Moodle's Aiken (and the `A)` and Chinese `A、`/`A．` option marks); a stem may run over
several lines; a blank line may separate questions. Export writes single-choice questions whose
weights are 100 or 0; what Aiken cannot hold (feedback, partial weights, explanations, ids, tags,
points, other types) is reported per question, never dropped silently.

Aiken has no comments, so it holds one language. The English travels as a second Aiken file with
the same questions in the same order, the same options and the same ANSWER letters
(`<quiz>.en.txt` beside `<quiz>.txt`): `export_aiken_english` writes it, and `parse_aiken(chinese,
english=…)` reads it back as each question's English (`en.text` and `en.choices[].text`).
"""

from __future__ import annotations

import re
from dataclasses import replace

from lms.content.gift import slugify
from lms.content.quizzes import parse_question
from lms.content.specs import QuestionSpec

OPTION = re.compile(r"^([A-Z])\s*[.)、．）]\s*(.*)$")
ANSWER = re.compile(r"^ANSWER\s*[:：]\s*(.*?)\s*$", re.IGNORECASE)


def parse_aiken(source: str, english: str | None = None) -> tuple[list[QuestionSpec], list[tuple[int, str]]]:
    """Questions from Aiken text, and every problem as (line, message); any problem means none.

    With `english` (the same questions as Aiken, in English), each question gets its English
    version; a file that does not match question by question is a problem (lines of the English).
    """
    if english is not None:
        return _with_english(source, english)
    lines = source.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").rstrip().split("\n")
    questions: list[QuestionSpec] = []
    problems: list[tuple[int, str]] = []
    stem: list[str] = []
    options: list[tuple[str, str]] = []
    start = 0
    used: set[str] = set()

    def finish(number: int, letter: str) -> None:
        if not stem:
            problems.append((number, "ANSWER: without a question before it"))
            return
        if len(options) < 2:
            problems.append((start, "a question needs at least two options (A. … B. …)"))
            return
        letters = [mark for mark, _ in options]
        if letter not in letters:
            problems.append((number, f"ANSWER {letter!r} is not one of the options {', '.join(letters)}"))
            return
        text = "\n".join(stem)
        base = slugify(text[:50])
        qid, n = base, 2
        while qid in used:
            qid, n = f"{base}-{n}", n + 1
        used.add(qid)
        raw = {
            "id": qid,
            "type": "single",
            "text": text,
            "choices": [{"text": t, "weight": 100 if mark == letter else 0} for mark, t in options],
        }
        question = parse_question(raw, lambda message, *_at: problems.append((start, message)), start)
        if question is not None:
            questions.append(question)

    for number, raw_line in enumerate(lines, start=1):
        line = raw_line.strip()
        if not line:
            if options:
                problems.append((number, "a blank line among the options: end the question with ANSWER: X"))
                stem, options = [], []
            continue
        answer, option = ANSWER.match(line), OPTION.match(line)
        if answer:
            finish(number, answer.group(1).upper())
            stem, options, start = [], [], 0
        elif option and stem:
            expected = chr(ord("A") + len(options))
            if option.group(1) != expected:
                problems.append((number, f"option {option.group(1)} comes where {expected} should"))
            if not option.group(2).strip():
                problems.append((number, f"option {option.group(1)} has no text"))
            options.append((option.group(1), option.group(2).strip()))
        elif options:
            problems.append((number, "text after the options: each question ends with ANSWER: X"))
            stem, options, start = [], [], 0
        else:
            if not stem:
                start = number
            stem.append(line)
    if stem or options:
        problems.append((start or len(lines), "the last question has no ANSWER: line"))
    return ([], sorted(problems)) if problems else (questions, [])


def _with_english(source: str, english: str) -> tuple[list[QuestionSpec], list[tuple[int, str]]]:
    chinese, problems = parse_aiken(source)
    translated, english_problems = parse_aiken(english)
    if problems or english_problems:
        return [], problems + [(line, f"English file: {message}") for line, message in english_problems]
    if len(chinese) != len(translated):
        return [], [(1, f"the English file has {len(translated)} questions, the Chinese {len(chinese)}")]
    merged = []
    for number, (zh, en) in enumerate(zip(chinese, translated, strict=True), start=1):
        zh_choices, en_choices = zh.body["choices"], en.body["choices"]
        if [c["weight"] for c in zh_choices] != [c["weight"] for c in en_choices]:
            return [], [
                (
                    en.line or 1,
                    f"English question {number} has other options or another ANSWER than the Chinese",
                )
            ]
        merged.append(replace(zh, en={"text": en.text, "choices": [{"text": c["text"]} for c in en_choices]}))
    return merged, []


def export_aiken_english(questions: list[QuestionSpec]) -> str:
    """The English of the questions `export_aiken` writes, as a second Aiken file in the same order.

    A question without an English version appears in Chinese, so the two files stay aligned.
    """
    text, _left_out = export_aiken([_in_english(q) for q in questions])
    return text


def _in_english(question: QuestionSpec) -> QuestionSpec:
    english = question.en
    if not english or question.type != "single":
        return question
    choices = [
        {**choice, "text": (tr.get("text") or choice["text"]) if isinstance(tr, dict) else choice["text"]}
        for choice, tr in zip(
            question.body["choices"],
            english.get("choices") or [{}] * len(question.body["choices"]),
            strict=False,
        )
    ]
    return replace(
        question, text=english.get("text") or question.text, body={**question.body, "choices": choices}
    )


def export_aiken(questions: list[QuestionSpec]) -> tuple[str, list[str]]:
    """Single-choice questions as Aiken, and what was left out, one message per question."""
    out: list[str] = []
    left_out: list[str] = []
    for q in questions:
        choices = q.body.get("choices", [])
        if q.type != "single":
            left_out.append(f"{q.id}: a {q.type} question has no Aiken form (skipped)")
            continue
        if len(choices) > 26 or any(c.get("weight") not in (0, 100) for c in choices):
            left_out.append(f"{q.id}: partial weights or more than 26 options have no Aiken form (skipped)")
            continue
        if any("\n" in c["text"] or not c["text"].strip() for c in choices):
            left_out.append(f"{q.id}: an option runs over several lines (skipped)")
            continue
        lost = [
            name
            for name, present in (
                ("feedback", any(c.get("feedback") for c in choices)),
                ("explanation", bool(q.explanation)),
                ("tags", bool(q.tags)),
                ("points", q.points != 1),
                ("English (export it as a second Aiken file)", bool(q.en)),
            )
            if present
        ]
        right = next(i for i, c in enumerate(choices) if c["weight"] == 100)
        lines = [line.strip() for line in q.text.split("\n") if line.strip()]
        lines += [f"{chr(65 + i)}. {c['text'].strip()}" for i, c in enumerate(choices)]
        lines.append(f"ANSWER: {chr(65 + right)}")
        back, _problems = parse_aiken("\n".join(lines))
        if len(back) != 1 or [c["text"] for c in back[0].body["choices"]] != [
            c["text"].strip() for c in choices
        ]:
            left_out.append(f"{q.id}: its text would read back differently in Aiken (skipped)")
            continue
        if lost:
            left_out.append(f"{q.id}: Aiken cannot hold its {', '.join(lost)} (exported without)")
        out += [*lines, ""]
    return "\n".join(out), left_out
