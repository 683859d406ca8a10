"""Numeric answer: a value with a tolerance, or a range; several answers may carry weights."""

from __future__ import annotations

import math
from typing import Any

from lms.content.questions.base import (
    Grade,
    QuestionType,
    Report,
    ResponseError,
    list_of,
    register,
    require_dict,
    weight,
)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


@register
class Numeric(QuestionType):
    """Type a number."""

    name = "numeric"
    keys = frozenset({"answers", "other_feedback"})

    def parse(self, raw: dict[str, Any], report: Report) -> dict[str, Any]:
        answers = []
        for i, answer in enumerate(list_of(raw, "answers", report)):
            entry: dict[str, Any] = {"weight": weight(answer.get("weight", 100), report, "answers")}
            if "value" in answer:
                if not _number(answer["value"]) or not _number(answer.get("tolerance", 0)):
                    report(f"answer {i + 1}: `value` and `tolerance` must be numbers", "answers")
                    continue
                if answer.get("tolerance", 0) < 0:
                    report(f"answer {i + 1}: `tolerance` cannot be negative", "answers")
                entry.update(value=answer["value"], tolerance=answer.get("tolerance", 0))
            elif "min" in answer and "max" in answer:
                if not _number(answer["min"]) or not _number(answer["max"]):
                    report(f"answer {i + 1}: `min` and `max` must be numbers", "answers")
                    continue
                if answer["min"] > answer["max"]:
                    report(f"answer {i + 1}: `min` is larger than `max`", "answers")
                entry.update(min=answer["min"], max=answer["max"])
            else:
                report(f"answer {i + 1}: give `value` (and `tolerance`) or `min` and `max`", "answers")
                continue
            if answer.get("feedback"):
                entry["feedback"] = str(answer["feedback"])
            answers.append(entry)
        if raw.get("answers") is not None and not any(a["weight"] == 100 for a in answers):
            report("no answer has weight 100: nobody can get full marks", "answers")
        body: dict[str, Any] = {"answers": answers}
        if isinstance(raw.get("other_feedback"), str) and raw["other_feedback"]:
            body["other_feedback"] = raw["other_feedback"]
        return body

    def check_response(self, body: dict[str, Any], response: Any) -> None:
        data = require_dict(response)
        value = data.get("value")
        if set(data) != {"value"} or not _number(value):
            raise ResponseError('expected {"value": a number}', "value")

    def grade(
        self, body: dict[str, Any], points: float, response: Any, *, elapsed_seconds: float | None = None
    ) -> Grade:
        value = float(response["value"])
        best, feedback = 0.0, []
        for answer in body["answers"]:
            if "value" in answer:
                hit = abs(value - answer["value"]) <= answer.get("tolerance", 0) + 1e-9
            else:
                hit = answer["min"] - 1e-9 <= value <= answer["max"] + 1e-9
            if hit and answer["weight"] / 100 > best:
                best = answer["weight"] / 100
                feedback = [answer["feedback"]] if answer.get("feedback") else []
        if best == 0 and body.get("other_feedback"):
            feedback = [body["other_feedback"]]
        return Grade(round(points * max(0.0, best), 4), points, feedback)
