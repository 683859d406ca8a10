"""Ordering: put the items in the right order (e.g. the four order states).

Partial credit: each pair of neighbours in the learner's order counts when the two stand in the
right relative order (the first comes before the second in the key); the score is the share of
such pairs. The key order scores 100 %, the exact reverse 0 %, one swapped neighbour pair in four
items 2/3.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from lms.content.gift_syntax import GiftParts, escape
from lms.content.problems import Where
from lms.content.questions.base import (
    Grade,
    QuestionType,
    Reader,
    ResponseError,
    mixed,
    position,
    register,
    response_object,
    score_of,
)

if TYPE_CHECKING:
    from lms.content.rulebook.book import RuleBook
    from lms.content.specs import QuestionSpec

MIN_ITEMS = 3


@register
class Ordering(QuestionType):
    """Order the items."""

    name = "ordering"
    keys = frozenset({"items"})

    def parse(self, raw: dict[str, Any], where: Where) -> dict[str, Any]:
        """The items, written in the right order; at least three, all different."""
        items = Reader(raw, where).texts("items")
        if isinstance(raw.get("items"), list) and len(items) < MIN_ITEMS:
            where(f"give at least {MIN_ITEMS} items to order", "items")
        seen: dict[str, int] = {}
        for index, item in enumerate(items):
            if item.strip() in seen:
                where(f"items {seen[item.strip()] + 1} and {index + 1} have the same text", "items", index)
            seen.setdefault(item.strip(), index)
        return {"items": items}

    def public(self, body: dict[str, Any], rng: random.Random | None) -> dict[str, Any]:
        """The items, always mixed (never in the key order), each with its position."""
        items = body["items"]
        return {"items": [{"index": i, "text": items[i]} for i in mixed(len(items), rng, "|".join(items))]}

    def check_response(self, body: dict[str, Any], response: Any) -> None:
        """{"order": [positions]}: every item exactly once."""
        order = response_object(response, {"order"}, '{"order": [positions]}')["order"]
        if not isinstance(order, list):
            raise ResponseError("order", "must be a list of positions")
        for value in order:
            position(value, len(body["items"]), "order")
        if len(order) != len(body["items"]) or len(set(order)) != len(order):
            raise ResponseError("order", f"give each of the {len(body['items'])} items exactly once")

    def grade(
        self,
        body: dict[str, Any],
        points: float,
        response: Any,
        *,
        elapsed_seconds: float | None = None,
        book: RuleBook | None = None,
    ) -> Grade:
        """The share of neighbouring pairs in the right relative order."""
        self.check_response(body, response)
        order = response["order"]
        kept = sum(1 for a, b in zip(order, order[1:], strict=False) if a < b)
        return Grade(score_of(points, kept / (len(order) - 1)), points, detail={"pairs_in_order": kept})

    def key_response(self, body: dict[str, Any]) -> Any:
        """The items in file order."""
        return {"order": list(range(len(body["items"])))}

    def gift_stand_in(self, question: QuestionSpec) -> GiftParts:
        """A matching question: position → item, which Moodle can grade."""
        lines = [f"\t={n} -> {escape(item)}" for n, item in enumerate(question.body["items"], start=1)]
        return GiftParts(question.text, "\n".join(lines))
