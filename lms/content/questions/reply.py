"""Reply: answer a shopper's chat message; scored by key points, forbidden phrases and speed.

The rule, in order:

1. *Content*: every key point whose phrases the reply contains (any one of them, compared like
   short answers) adds its points; every forbidden group it uses subtracts its penalty. The
   content share is that sum over the key points' total, clamped to 0..1.
2. *Speed*: a reply within `target_seconds` (the 20-second standard; measured by the server from
   when the question was shown) keeps the whole score. A slower one loses up to half of it
   (SPEED_SHARE), linearly: nothing lost at the target, a quarter at twice the target, the whole
   half at three times the target and beyond. Without a measured time nothing is lost.
3. score = points × content share × (1 − speed loss).

A reply the rubric cannot judge — one with fewer than MIN_CHARACTERS letters, digits or Chinese
characters, or one that meets no key point — is marked `needs_review` for a trainer. A blank
reply scores 0 without review: there is nothing to read.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from lms.content.gift_syntax import GiftParts
from lms.content.normalise import contains_phrase, normalise
from lms.content.problems import Where
from lms.content.questions.base import (
    Grade,
    QuestionType,
    Reader,
    is_number,
    register,
    score_of,
    text_response,
)

if TYPE_CHECKING:
    from lms.content.specs import QuestionSpec

#: The share of the score that speed can cost.
SPEED_SHARE = 0.5
#: A reply shorter than this (letters, digits, CJK characters) is too short for the rubric.
MIN_CHARACTERS = 4
DEFAULT_TARGET = 20
_MEANINGFUL = re.compile(r"[^\W_]", re.UNICODE)


def speed_share(elapsed: float | None, target: float) -> float:
    """The share of the score a reply keeps for its speed (1.0 down to 1 − SPEED_SHARE)."""
    if elapsed is None or elapsed <= target:
        return 1.0
    late = min(1.0, (elapsed - target) / (2 * target))
    return 1.0 - SPEED_SHARE * late


def phrase_groups(read: Reader, key: str, amount: str, required: bool) -> list[dict[str, Any]]:
    """Groups of phrases (any one counts) with an amount each: key points or forbidden phrases."""
    groups = []
    for index, table in read.tables(key, required=required):
        at = (key, index)
        read.unknown(table, {amount, "phrases"}, f"{key} {index + 1}", at)
        value: Any = table.get(amount)
        if not is_number(value) or value <= 0:
            read.where(f"{key} {index + 1}: `{amount}` must be a number above 0 (is {value!r})", *at)
        phrases = Reader(table, read.where).texts("phrases", at=(*at, "phrases"))
        for phrase in phrases:
            if not normalise(phrase):
                read.where(f"{key} {index + 1}: the phrase {phrase!r} is only punctuation", *at)
        if "phrases" in table and not phrases:
            read.where(f"{key} {index + 1}: give at least one phrase", *at)
        groups.append({amount: value if is_number(value) else 0, "phrases": phrases})
    return groups


def judge(body: dict[str, Any], text: str) -> tuple[list[int], list[int]]:
    """The key points a reply meets and the forbidden groups it uses (positions)."""
    met = [i for i, g in enumerate(body["key_points"]) if any(contains_phrase(text, p) for p in g["phrases"])]
    used = [i for i, g in enumerate(body["forbidden"]) if any(contains_phrase(text, p) for p in g["phrases"])]
    return met, used


@register
class Reply(QuestionType):
    """Reply to a shopper in the chat."""

    name = "reply"
    keys = frozenset({"customer", "target_seconds", "key_points", "forbidden", "model_answer"})

    def parse(self, raw: dict[str, Any], where: Where) -> dict[str, Any]:
        """The customer's message, the time standard, key points, forbidden phrases, a model answer."""
        read = Reader(raw, where)
        customer = read.text("customer")
        target = raw.get("target_seconds", DEFAULT_TARGET)
        if not is_number(target) or not 0 < target <= 3600:
            where(f"`target_seconds` must be a number of seconds above 0 (is {target!r})", "target_seconds")
            target = DEFAULT_TARGET
        body: dict[str, Any] = {
            "customer": customer,
            "target_seconds": target,
            "key_points": phrase_groups(read, "key_points", "points", True),
            "forbidden": phrase_groups(read, "forbidden", "penalty", False),
        }
        if isinstance(raw.get("key_points"), list) and not body["key_points"]:
            where("give at least one key point", "key_points")
        wanted = {normalise(p) for g in body["key_points"] for p in g["phrases"]}
        for index, group in enumerate(body["forbidden"]):
            for phrase in group["phrases"]:
                if normalise(phrase) in wanted:
                    where(f"the phrase {phrase!r} is both a key point and forbidden", "forbidden", index)
        model = read.text("model_answer", required=False)
        if model:
            body["model_answer"] = model
            met, used = judge(body, model)
            missed = [i + 1 for i in range(len(body["key_points"])) if i not in met]
            if missed:
                where(f"the model answer misses key point {', '.join(map(str, missed))}", "model_answer")
            if used:
                where(
                    f"the model answer uses forbidden group {', '.join(str(i + 1) for i in used)}",
                    "model_answer",
                )
        return body

    def default_points(self, body: dict[str, Any]) -> float:
        """The key points' sum."""
        return float(sum(g["points"] for g in body["key_points"])) or 1.0

    def public(self, body: dict[str, Any], rng: Any) -> dict[str, Any]:
        """The shopper's message and the time standard (never the rubric)."""
        return {"customer": body["customer"], "target_seconds": body["target_seconds"]}

    def check_response(self, body: dict[str, Any], response: Any) -> None:
        """{"text": "..."}."""
        text_response(response)

    def grade(
        self, body: dict[str, Any], points: float, response: Any, *, elapsed_seconds: float | None = None
    ) -> Grade:
        """Key points met minus forbidden penalties, times the speed share (see the module)."""
        text = text_response(response)
        if not text.strip():
            return Grade(
                0.0, points, ["No reply was written."], detail={"key_points_met": [], "forbidden_used": []}
            )
        met, used = judge(body, text)
        available = float(sum(g["points"] for g in body["key_points"])) or 1.0
        gained = sum(body["key_points"][i]["points"] for i in met) - sum(
            body["forbidden"][i]["penalty"] for i in used
        )
        content = min(1.0, max(0.0, gained / available))
        share = speed_share(elapsed_seconds, float(body["target_seconds"]))
        feedback = []
        if used:
            feedback.append("The reply uses words an agent must not write.")
        if share < 1 and elapsed_seconds is not None:
            feedback.append(
                f"The reply took {elapsed_seconds:.0f} s; the standard is {body['target_seconds']:g} s."
            )
        too_short = len(_MEANINGFUL.findall(text)) < MIN_CHARACTERS
        return Grade(
            score_of(points, content * share),
            points,
            feedback,
            needs_review=too_short or not met,
            detail={
                "key_points_met": met,
                "forbidden_used": used,
                "content_share": content,
                "speed_share": share,
            },
        )

    def review(self, body: dict[str, Any], response: Any = None) -> dict[str, Any]:
        """The rubric and model answer and, given a response, what it met and used."""
        out = super().review(body)
        if isinstance(response, dict) and isinstance(response.get("text"), str):
            out["key_points_met"], out["forbidden_used"] = judge(body, response["text"])
        return out

    def key_response(self, body: dict[str, Any]) -> Any:
        """The model answer, or a reply made of each key point's first phrase."""
        text = body.get("model_answer") or " ".join(g["phrases"][0] for g in body["key_points"])
        return {"text": text}

    def gift_stand_in(self, question: QuestionSpec) -> GiftParts:
        """An essay quoting the shopper's message."""
        return GiftParts(f"{question.text}\n\n{question.body['customer']}", "")
