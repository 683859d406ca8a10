"""Cloze: gaps `{{1}}`, `{{2}}`… in the text, each with accepted answers; equal share per gap."""

from __future__ import annotations

import re
from typing import Any

from lms.content.normalise import normalise
from lms.content.questions.base import (
    Grade,
    QuestionType,
    Report,
    ResponseError,
    list_of,
    register,
    require_dict,
)

GAP = re.compile(r"\{\{(\d+)\}\}")


def gap_numbers(text: str) -> list[int]:
    """The gap numbers in a cloze text, in order of appearance."""
    return [int(n) for n in GAP.findall(text)]


@register
class Cloze(QuestionType):
    """Fill in the gaps."""

    name = "cloze"
    keys = frozenset({"gaps"})

    def parse(self, raw: dict[str, Any], report: Report) -> dict[str, Any]:
        gaps = []
        for i, gap in enumerate(list_of(raw, "gaps", report)):
            answers = gap.get("answers")
            if (
                not isinstance(answers, list)
                or not answers
                or not all(isinstance(a, str) and a.strip() for a in answers)
            ):
                report(f"gap {i + 1}: `answers` must be a list of texts", "gaps")
                answers = []
            gaps.append({"answers": [str(a) for a in answers]})
        numbers = gap_numbers(str(raw.get("text", "")))
        if sorted(numbers) != list(range(1, len(gaps) + 1)):
            report(
                f"the text has gaps {numbers or 'none'} but `gaps` lists {len(gaps)}: write "
                "{{1}}…{{n}} once each",
                "text",
            )
        return {"gaps": gaps}

    def public(self, body: dict[str, Any], rng: Any) -> dict[str, Any]:
        return {"gaps": len(body["gaps"])}

    def check_response(self, body: dict[str, Any], response: Any) -> None:
        data = require_dict(response)
        gaps = data.get("gaps")
        if set(data) != {"gaps"} or not isinstance(gaps, list) or not all(isinstance(g, str) for g in gaps):
            raise ResponseError('expected {"gaps": ["...", ...]}', "gaps")
        if len(gaps) != len(body["gaps"]):
            raise ResponseError(f"give {len(body['gaps'])} gap answers", "gaps")
        if any(len(g) > 500 for g in gaps):
            raise ResponseError("a gap answer is too long", "gaps")

    def grade(
        self, body: dict[str, Any], points: float, response: Any, *, elapsed_seconds: float | None = None
    ) -> Grade:
        right = 0
        for gap, given in zip(body["gaps"], response["gaps"], strict=True):
            typed = normalise(given)
            if typed and any(normalise(a) == typed for a in gap["answers"]):
                right += 1
        fraction = right / len(body["gaps"])
        return Grade(round(points * fraction, 4), points, detail={"right_gaps": right})
