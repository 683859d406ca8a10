"""Short answer: typed text compared, normalised, with several accepted answers or a pattern."""

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
    prefixed,
    register,
    require_dict,
    text_of,
    weight,
)

MAX_TEXT = 2000


def check_text_response(response: Any) -> str:
    """{"text": "..."} of bounded length."""
    data = require_dict(response)
    if set(data) != {"text"} or not isinstance(data["text"], str):
        raise ResponseError('expected {"text": "..."}', "text")
    if len(data["text"]) > MAX_TEXT * 5:
        raise ResponseError("the answer is too long", "text")
    return str(data["text"])


@register
class ShortAnswer(QuestionType):
    """Type a word or a number."""

    name = "short"
    keys = frozenset({"answers", "pattern", "other_feedback"})

    def parse(self, raw: dict[str, Any], report: Report) -> dict[str, Any]:
        answers = []
        for i, answer in enumerate(list_of(raw, "answers", report)):
            text = text_of(answer, "text", prefixed(report, f"answer {i + 1}", "answers"))
            entry: dict[str, Any] = {
                "text": text,
                "weight": weight(answer.get("weight", 100), report, "answers"),
            }
            if answer.get("feedback"):
                entry["feedback"] = str(answer["feedback"])
            answers.append(entry)
        body: dict[str, Any] = {"answers": answers}
        if isinstance(raw.get("other_feedback"), str) and raw["other_feedback"]:
            body["other_feedback"] = raw["other_feedback"]
        pattern = raw.get("pattern")
        if pattern is not None:
            if not isinstance(pattern, str):
                report("`pattern` must be text (a regular expression)", "pattern")
            else:
                try:
                    re.compile(pattern)
                except re.error as err:
                    report(f"`pattern` is not a valid regular expression: {err}", "pattern")
                body["pattern"] = pattern
        if raw.get("answers") is not None and not any(a["weight"] == 100 for a in answers) and not pattern:
            report("no answer has weight 100: nobody can get full marks", "answers")
        return body

    def check_response(self, body: dict[str, Any], response: Any) -> None:
        check_text_response(response)

    def grade(
        self, body: dict[str, Any], points: float, response: Any, *, elapsed_seconds: float | None = None
    ) -> Grade:
        given = normalise(response["text"])
        best, feedback = 0.0, []
        if given:
            for answer in body["answers"]:
                if normalise(answer["text"]) == given and answer["weight"] / 100 > best:
                    best = answer["weight"] / 100
                    feedback = [answer["feedback"]] if answer.get("feedback") else []
            pattern = body.get("pattern")
            if best < 1 and pattern and re.fullmatch(pattern, response["text"].strip(), re.IGNORECASE):
                best, feedback = 1.0, []
        if best == 0 and body.get("other_feedback"):
            feedback = [body["other_feedback"]]
        return Grade(round(points * max(0.0, best), 4), points, feedback)
