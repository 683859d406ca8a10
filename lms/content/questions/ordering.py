"""Ordering: put the items in the right order; partial credit for neighbours kept together."""

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
class Ordering(QuestionType):
    """Order the items (e.g. the four order states)."""

    name = "ordering"
    keys = frozenset({"items"})

    def parse(self, raw: dict[str, Any], report: Report) -> dict[str, Any]:
        items = [str(i) for i in list_of(raw, "items", report, str)]
        if raw.get("items") is not None and len(items) < 3:
            report("give at least three items to order", "items")
        if len(set(items)) != len(items):
            report("two items have the same text", "items")
        return {"items": items}

    def public(self, body: dict[str, Any], rng: random.Random | None) -> dict[str, Any]:
        count = len(body["items"])
        order = shuffled(count, rng or random.Random(count))
        if order == list(range(count)):  # never show the answer
            order = order[1:] + order[:1]
        return {"items": [{"index": i, "text": body["items"][i]} for i in order]}

    def check_response(self, body: dict[str, Any], response: Any) -> None:
        data = require_dict(response)
        order = data.get("order")
        if set(data) != {"order"} or not isinstance(order, list):
            raise ResponseError('expected {"order": [positions]}', "order")
        for value in order:
            index_in(value, len(body["items"]), "order")
        if sorted(order) != list(range(len(body["items"]))):
            raise ResponseError("give every item exactly once", "order")

    def grade(
        self, body: dict[str, Any], points: float, response: Any, *, elapsed_seconds: float | None = None
    ) -> Grade:
        order = response["order"]
        # One point per neighbouring pair that is also neighbouring, in that order, in the key.
        kept = sum(1 for a, b in zip(order, order[1:], strict=False) if b == a + 1)
        fraction = kept / (len(order) - 1)
        return Grade(round(points * fraction, 4), points, detail={"pairs_in_order": kept})
