"""Reply: answer a shopper's chat message; scored by key points, forbidden phrases and speed.

Scoring: the key points a reply contains add their points; each forbidden phrase group found
subtracts its penalty (never below zero). A reply slower than `target_seconds` (measured by the
server from when the question was shown) keeps a falling share of that score: the share drops
linearly from 100 % at the target to 50 % at three times the target, and stays at 50 % after.
A non-empty reply that meets no key point is marked for a trainer to review.
"""

from __future__ import annotations

from typing import Any

from lms.content.normalise import contains_phrase
from lms.content.questions.base import Grade, QuestionType, Report, list_of, register, text_of
from lms.content.questions.short import check_text_response


def _groups(
    raw: dict[str, Any], key: str, amount: str, report: Report, required: bool
) -> list[dict[str, Any]]:
    groups = []
    for i, group in enumerate(list_of(raw, key, report, required=required)):
        value = group.get(amount)
        phrases = group.get("phrases")
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            report(f"{key} {i + 1}: `{amount}` must be a positive number", key)
            value = 0
        if (
            not isinstance(phrases, list)
            or not phrases
            or not all(isinstance(p, str) and p.strip() for p in phrases)
        ):
            report(f"{key} {i + 1}: `phrases` must be a list of texts", key)
            phrases = []
        groups.append({amount: value, "phrases": list(phrases)})
    return groups


def speed_share(elapsed: float | None, target: float) -> float:
    """The share of the score a reply keeps for its speed."""
    if elapsed is None or elapsed <= target:
        return 1.0
    late = (elapsed - target) / (2 * target)
    return max(0.5, 1.0 - 0.5 * late)


@register
class Reply(QuestionType):
    """Reply to a shopper in the chat."""

    name = "reply"
    keys = frozenset({"customer", "target_seconds", "key_points", "forbidden", "model_answer"})

    def parse(self, raw: dict[str, Any], report: Report) -> dict[str, Any]:
        customer = text_of(raw, "customer", report)
        target = raw.get("target_seconds", 20)
        if isinstance(target, bool) or not isinstance(target, int | float) or target <= 0:
            report("`target_seconds` must be a positive number", "target_seconds")
            target = 20
        body: dict[str, Any] = {
            "customer": customer,
            "target_seconds": target,
            "key_points": _groups(raw, "key_points", "points", report, True),
            "forbidden": _groups(raw, "forbidden", "penalty", report, False),
        }
        if raw.get("model_answer"):
            body["model_answer"] = str(raw["model_answer"])
        return body

    def default_points(self, body: dict[str, Any]) -> float:
        return float(sum(g["points"] for g in body["key_points"])) or 1.0

    def public(self, body: dict[str, Any], rng: Any) -> dict[str, Any]:
        return {"customer": body["customer"], "target_seconds": body["target_seconds"]}

    def check_response(self, body: dict[str, Any], response: Any) -> None:
        check_text_response(response)

    def grade(
        self, body: dict[str, Any], points: float, response: Any, *, elapsed_seconds: float | None = None
    ) -> Grade:
        text = response["text"]
        available = float(sum(g["points"] for g in body["key_points"])) or 1.0
        met = [
            i for i, g in enumerate(body["key_points"]) if any(contains_phrase(text, p) for p in g["phrases"])
        ]
        broken = [
            i for i, g in enumerate(body["forbidden"]) if any(contains_phrase(text, p) for p in g["phrases"])
        ]
        raw_score = sum(body["key_points"][i]["points"] for i in met) - sum(
            body["forbidden"][i]["penalty"] for i in broken
        )
        content = max(0.0, raw_score) / available
        share = speed_share(elapsed_seconds, float(body["target_seconds"]))
        feedback = []
        if broken:
            feedback.append("The reply uses words an agent must not write.")
        if share < 1:
            feedback.append(
                f"The reply took {elapsed_seconds:.0f} s; the standard is {body['target_seconds']} s."
            )
        needs_review = bool(text.strip()) and not met
        return Grade(
            round(points * content * share, 4),
            points,
            feedback,
            needs_review,
            detail={"key_points_met": met, "forbidden_used": broken, "speed_share": share},
        )
