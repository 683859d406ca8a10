"""Single choice: one right option (weight 100), others may carry partial weight."""

from __future__ import annotations

import random
from typing import Any

from lms.content.questions.base import (
    Grade,
    QuestionType,
    Report,
    ResponseError,
    index_in,
    list_of,
    prefixed,
    register,
    require_dict,
    shuffled,
    text_of,
    weight,
)


def parse_choices(raw: dict[str, Any], report: Report) -> list[dict[str, Any]]:
    """The `choices` list: text, weight, optional feedback."""
    choices = []
    for i, choice in enumerate(list_of(raw, "choices", report)):
        unknown = set(choice) - {"text", "weight", "feedback"}
        if unknown:
            report(f"choice {i + 1}: unknown key(s) {', '.join(sorted(unknown))}", "choices")
        text = text_of(choice, "text", prefixed(report, f"choice {i + 1}", "choices"))
        entry: dict[str, Any] = {"text": text, "weight": weight(choice.get("weight", 0), report, "choices")}
        if choice.get("feedback"):
            entry["feedback"] = str(choice["feedback"])
        choices.append(entry)
    if raw.get("choices") is not None and len(choices) < 2:
        report("give at least two choices", "choices")
    texts = [c["text"].strip() for c in choices]
    if len(set(texts)) != len(texts):
        report("two choices have the same text", "choices")
    return choices


def public_choices(body: dict[str, Any], rng: random.Random | None) -> dict[str, Any]:
    """Options in display order, addressed by their position in the file."""
    order = shuffled(len(body["choices"]), rng)
    return {"options": [{"index": i, "text": body["choices"][i]["text"]} for i in order]}


@register
class SingleChoice(QuestionType):
    """Pick one option."""

    name = "single"
    keys = frozenset({"choices"})

    def parse(self, raw: dict[str, Any], report: Report) -> dict[str, Any]:
        choices = parse_choices(raw, report)
        if choices and not any(c["weight"] == 100 for c in choices):
            report("exactly one choice must have weight 100 (none has)", "choices")
        if sum(1 for c in choices if c["weight"] == 100) > 1:
            report('only one choice may have weight 100; use type = "multiple" for several', "choices")
        return {"choices": choices}

    def public(self, body: dict[str, Any], rng: random.Random | None) -> dict[str, Any]:
        return public_choices(body, rng)

    def check_response(self, body: dict[str, Any], response: Any) -> None:
        data = require_dict(response)
        if set(data) != {"choice"}:
            raise ResponseError('expected {"choice": position}', "choice")
        index_in(data["choice"], len(body["choices"]), "choice")

    def grade(
        self, body: dict[str, Any], points: float, response: Any, *, elapsed_seconds: float | None = None
    ) -> Grade:
        choice = body["choices"][response["choice"]]
        fraction = max(0.0, choice["weight"] / 100)
        feedback = [choice["feedback"]] if choice.get("feedback") else []
        return Grade(round(points * fraction, 4), points, feedback, detail={"chosen": [response["choice"]]})
