"""Matching: pair each left item with its right one; extra wrong right-hand options allowed."""

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
    register,
    require_dict,
    shuffled,
)


@register
class Matching(QuestionType):
    """Match pairs."""

    name = "matching"
    keys = frozenset({"pairs", "distractors"})

    def parse(self, raw: dict[str, Any], report: Report) -> dict[str, Any]:
        pairs = []
        for i, pair in enumerate(list_of(raw, "pairs", report)):
            left, right = pair.get("left"), pair.get("right")
            if (
                not isinstance(left, str)
                or not isinstance(right, str)
                or not left.strip()
                or not right.strip()
            ):
                report(f"pair {i + 1}: needs text `left` and `right`", "pairs")
                continue
            pairs.append({"left": left, "right": right})
        if raw.get("pairs") is not None and len(pairs) < 2:
            report("give at least two pairs", "pairs")
        distractors = [str(d) for d in list_of(raw, "distractors", report, str, required=False)]
        rights = [p["right"] for p in pairs] + distractors
        if len(set(rights)) != len(rights):
            report("two right-hand options have the same text", "pairs")
        body: dict[str, Any] = {"pairs": pairs}
        if distractors:
            body["distractors"] = distractors
        return body

    def _rights(self, body: dict[str, Any]) -> list[str]:
        return [p["right"] for p in body["pairs"]] + list(body.get("distractors", []))

    def public(self, body: dict[str, Any], rng: random.Random | None) -> dict[str, Any]:
        rights = self._rights(body)
        lefts = shuffled(len(body["pairs"]), rng)
        # The right column is always mixed: in file order it would give the answer away.
        right_order = shuffled(len(rights), rng or random.Random(len(rights) * 7919))
        return {
            "lefts": [{"index": i, "text": body["pairs"][i]["left"]} for i in lefts],
            "rights": [{"index": i, "text": rights[i]} for i in right_order],
        }

    def check_response(self, body: dict[str, Any], response: Any) -> None:
        data = require_dict(response)
        pairs = data.get("pairs")
        if set(data) != {"pairs"} or not isinstance(pairs, dict):
            raise ResponseError('expected {"pairs": {"left position": right position}}', "pairs")
        rights = self._rights(body)
        for key, value in pairs.items():
            if not isinstance(key, str) or not key.isdigit():
                raise ResponseError("left positions are written as strings of digits", "pairs")
            index_in(int(key), len(body["pairs"]), "pairs")
            index_in(value, len(rights), "pairs")
        if len(set(pairs.values())) != len(pairs):
            raise ResponseError("a right-hand option is used twice", "pairs")

    def grade(
        self, body: dict[str, Any], points: float, response: Any, *, elapsed_seconds: float | None = None
    ) -> Grade:
        given = {int(k): v for k, v in response["pairs"].items()}
        right = sum(1 for i in range(len(body["pairs"])) if given.get(i) == i)
        fraction = right / len(body["pairs"])
        return Grade(round(points * fraction, 4), points, detail={"right_pairs": right})
