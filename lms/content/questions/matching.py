"""Matching: pair each left item with its right one; extra wrong right-hand options allowed."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from lms.content.gift_syntax import GiftParts, clean, escape, restore, split_answers
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
    shuffled,
)

if TYPE_CHECKING:
    from lms.content.rulebook.book import RuleBook
    from lms.content.specs import QuestionSpec

PAIR_KEYS = {"left", "right"}


def rights(body: dict[str, Any]) -> list[str]:
    """The right-hand options: each pair's right, then the distractors."""
    return [p["right"] for p in body["pairs"]] + list(body.get("distractors", []))


@register
class Matching(QuestionType):
    """Match pairs."""

    name = "matching"
    keys = frozenset({"pairs", "distractors"})

    def parse(self, raw: dict[str, Any], where: Where) -> dict[str, Any]:
        """At least two pairs of texts; lefts distinct, right-hand options distinct."""
        read = Reader(raw, where)
        pairs = []
        lefts: dict[str, int] = {}
        for index, table in read.tables("pairs"):
            at = ("pairs", index)
            read.unknown(table, PAIR_KEYS, f"pair {index + 1}", at)
            left, right = table.get("left"), table.get("right")
            if (
                not isinstance(left, str)
                or not isinstance(right, str)
                or not left.strip()
                or not right.strip()
            ):
                where(f"pair {index + 1} needs texts `left` and `right`", *at)
                continue
            if left.strip() in lefts:
                where(f"pairs {lefts[left.strip()] + 1} and {index + 1} have the same left text", *at)
            lefts.setdefault(left.strip(), index)
            pairs.append({"left": left, "right": right})
        if isinstance(raw.get("pairs"), list) and len(pairs) < 2:
            where("give at least two pairs", "pairs")
        distractors = read.texts("distractors", required=False)
        seen: set[str] = set()
        for text in [p["right"] for p in pairs] + distractors:
            if text.strip() in seen:
                where(
                    f"the right-hand option {text!r} appears twice: a learner could not tell them apart",
                    "pairs",
                )
            seen.add(text.strip())
        body: dict[str, Any] = {"pairs": pairs}
        if distractors:
            body["distractors"] = distractors
        return body

    def public(self, body: dict[str, Any], rng: random.Random | None) -> dict[str, Any]:
        """Lefts (shuffled on request) and rights (always mixed), each with its position."""
        options = rights(body)
        right_order = mixed(len(options), rng, "|".join(options))
        return {
            "lefts": [
                {"index": i, "text": body["pairs"][i]["left"]} for i in shuffled(len(body["pairs"]), rng)
            ],
            "rights": [{"index": i, "text": options[i]} for i in right_order],
        }

    def check_response(self, body: dict[str, Any], response: Any) -> None:
        """{"pairs": {"left position": right position}}; some lefts may be left open."""
        pairs = response_object(response, {"pairs"}, '{"pairs": {"left position": right position}}')["pairs"]
        if not isinstance(pairs, dict):
            raise ResponseError("pairs", "must map left positions to right positions")
        size = len(rights(body))
        for key, value in pairs.items():
            if not isinstance(key, str) or not key.isdecimal() or key != str(int(key)):
                raise ResponseError("pairs", f"left position {key!r} is not a position written as text")
            position(int(key), len(body["pairs"]), "pairs")
            position(value, size, "pairs")
        if len(set(pairs.values())) != len(pairs):
            raise ResponseError("pairs", "a right-hand option is used twice")

    def grade(
        self,
        body: dict[str, Any],
        points: float,
        response: Any,
        *,
        elapsed_seconds: float | None = None,
        book: RuleBook | None = None,
    ) -> Grade:
        """An equal share per left matched with its own right."""
        self.check_response(body, response)
        given = response["pairs"]
        right = [i for i in range(len(body["pairs"])) if given.get(str(i)) == i]
        return Grade(score_of(points, len(right) / len(body["pairs"])), points, detail={"right_pairs": right})

    def review(
        self, body: dict[str, Any], response: Any = None, book: RuleBook | None = None
    ) -> dict[str, Any]:
        """The pairs, the distractors and, given a response, which lefts were matched right."""
        out: dict[str, Any] = {"pairs": body["pairs"], "distractors": body.get("distractors", [])}
        if isinstance(response, dict) and isinstance(response.get("pairs"), dict):
            out["right_pairs"] = [i for i in range(len(body["pairs"])) if response["pairs"].get(str(i)) == i]
        return out

    def key_response(self, body: dict[str, Any]) -> Any:
        """Every left with its own right."""
        return {"pairs": {str(i): i for i in range(len(body["pairs"]))}}

    def from_gift(self, block: str, where: Where) -> dict[str, Any]:
        """`{=left -> right = -> distractor}`."""
        lead, answers = split_answers(block, "=")
        pieces = ([lead] if lead.strip() else []) + [rest for _marker, rest in answers]
        raw: dict[str, Any] = {"pairs": []}
        distractors = []
        for rest in pieces:
            left, arrow, right = rest.partition("->")
            if not arrow:
                where(f"the matching answer {clean(rest)!r} has no ->")
                continue
            left_text, right_text = clean(left), restore(right).strip()
            if left_text:
                raw["pairs"].append({"left": left_text, "right": right_text})
            else:
                distractors.append(right_text)
        if distractors:
            raw["distractors"] = distractors
        return raw

    def gift_parts(self, question: QuestionSpec) -> GiftParts | None:
        """Moodle's match: `=left -> right`, a distractor as `= -> right`."""
        lines = [f"\t={escape(p['left'])} -> {escape(p['right'])}" for p in question.body["pairs"]]
        lines += [f"\t= -> {escape(d)}" for d in question.body.get("distractors", [])]
        return GiftParts(question.text, "\n".join(lines))
