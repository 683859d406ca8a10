"""Multiple choice: several right options; weights add up, wrong picks may subtract."""

from __future__ import annotations

import random
from typing import Any

from lms.content.questions.base import (
    Grade,
    QuestionType,
    Report,
    ResponseError,
    index_in,
    register,
    require_dict,
)
from lms.content.questions.single import parse_choices, public_choices


@register
class MultipleChoice(QuestionType):
    """Pick every right option."""

    name = "multiple"
    keys = frozenset({"choices"})

    def parse(self, raw: dict[str, Any], report: Report) -> dict[str, Any]:
        choices = parse_choices(raw, report)
        positive = sum(c["weight"] for c in choices if c["weight"] > 0)
        if choices and abs(positive - 100) > 0.5:
            report(
                f"the positive weights add up to {positive:g}, not 100: full marks can never be "
                "reached (or are reached too early)",
                "choices",
            )
        return {"choices": choices}

    def public(self, body: dict[str, Any], rng: random.Random | None) -> dict[str, Any]:
        return public_choices(body, rng)

    def check_response(self, body: dict[str, Any], response: Any) -> None:
        data = require_dict(response)
        chosen = data.get("choices")
        if set(data) != {"choices"} or not isinstance(chosen, list):
            raise ResponseError('expected {"choices": [positions]}', "choices")
        for value in chosen:
            index_in(value, len(body["choices"]), "choices")
        if len(set(chosen)) != len(chosen):
            raise ResponseError("a choice is given twice", "choices")

    def grade(
        self, body: dict[str, Any], points: float, response: Any, *, elapsed_seconds: float | None = None
    ) -> Grade:
        chosen = response["choices"]
        fraction = sum(body["choices"][i]["weight"] for i in chosen) / 100
        fraction = min(1.0, max(0.0, fraction))
        feedback = [body["choices"][i]["feedback"] for i in chosen if body["choices"][i].get("feedback")]
        return Grade(round(points * fraction, 4), points, feedback, detail={"chosen": sorted(chosen)})
