"""Rating a drill answer from the answer alone: the reply rubric (key points, negation-aware, the rule
book) or the order of an operation's steps, and the time it took.

- Again: a wrong answer — a rule-book red line, a missed key point, steps out of order.
- Hard: right, but slower than the target or after a hint.
- Good: right within the target.
Easy is never given: the learner never rates their own card.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from lms.content.questions.reply import Message, complete_target, highlighted, judge
from lms.content.rulebook import RuleBook
from lms.domain.errors import N_
from lms.models import FaqEntry
from lms.models.drills import AGAIN, GOOD, HARD

#: The first-line standard of the chat desk (seconds), for operation answers the least time given.
ORDER_SECONDS = 60.0


@dataclass
class DrillGrade:
    """A rating and why: each reason an English %-template with its parameters."""

    rating: int
    reasons: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    detail: dict[str, Any] = field(default_factory=dict)


def reply_body(entry: FaqEntry) -> dict[str, Any]:
    """The entry as a reply question's body: its key points and model answer."""
    return {
        "customer": entry.question,
        "target_seconds": 20,
        "key_points": entry.key_points or [],
        "forbidden": [],
        "model_answer": entry.answer,
    }


def is_ordering(entry: FaqEntry) -> bool:
    """Operation entries (step-by-step app paths) are drilled by putting their steps in order."""
    return entry.kind == "operation" and bool(entry.steps) and not entry.key_points


def target_seconds(entry: FaqEntry) -> float:
    """How long a right answer may take and still be Good."""
    if is_ordering(entry):
        return ORDER_SECONDS
    return complete_target(reply_body(entry))


def shown_steps(entry: FaqEntry, card_id: int, serve: int) -> list[str]:
    """The steps in the order shown for one serve (shuffled, the same for the same serve)."""
    steps = list(entry.steps or [])
    rng = random.Random(f"{card_id}:{serve}")
    for _ in range(5):
        rng.shuffle(steps)
        if steps != list(entry.steps or []) or len(steps) < 2:
            break
    return steps


def _timing(right: bool, seconds: float, target: float, hinted: bool, grade: DrillGrade) -> None:
    if not right:
        grade.rating = AGAIN
    elif hinted:
        grade.rating = HARD
        grade.reasons.append((N_("Right after a hint: Hard."), {}))
    elif seconds > target:
        grade.rating = HARD
        grade.reasons.append(
            (
                N_("Right, but it took %(seconds)s s; the target is %(target)s s: Hard."),
                {"seconds": round(seconds), "target": round(target)},
            )
        )
    else:
        grade.rating = GOOD
        grade.reasons.append((N_("Right within %(target)s s: Good."), {"target": round(target)}))


def grade_reply(
    entry: FaqEntry, text: str, seconds: float, *, hinted: bool = False, book: RuleBook | None = None
) -> DrillGrade:
    """Grade a typed reply as a reply question is graded, then rate it."""
    body = reply_body(entry)
    grade = DrillGrade(AGAIN)
    judgement = judge(body, text, book)
    missed = [i for i in range(len(body["key_points"])) if i not in judgement.met]
    if not text.strip():
        grade.reasons.append((N_("No answer was written: Again."), {}))
    if judgement.blocked:
        for hit in judgement.hits:
            if hit.rule.blocks:
                grade.reasons.append(
                    (
                        N_("A red line of the rule book (“%(words)s”): Again. Better: %(hint)s"),
                        {"words": hit.words, "hint": hit.rule.hint},
                    )
                )
    for match in judgement.key_points:
        if match.met:
            continue
        phrases = body["key_points"][match.index]["phrases"]
        if match.negated:
            grade.reasons.append(
                (
                    N_("Key point %(n)s (“%(phrase)s”) appears only negated: Again."),
                    {"n": match.index + 1, "phrase": match.phrase},
                )
            )
        else:
            grade.reasons.append(
                (
                    N_("Key point %(n)s is missing (say one of: %(phrases)s): Again."),
                    {"n": match.index + 1, "phrases": "、".join(phrases)},
                )
            )
    for hit in judgement.hits:
        if not hit.rule.blocks:
            grade.reasons.append(
                (
                    N_("Careful with “%(words)s”. Better: %(hint)s"),
                    {"words": hit.words, "hint": hit.rule.hint},
                )
            )
    right = bool(text.strip()) and not judgement.blocked and not missed
    _timing(right, seconds, target_seconds(entry), hinted, grade)
    grade.detail = {
        "kind": "reply",
        "key_points_met": judgement.met,
        "key_points_total": len(body["key_points"]),
        "blocked": judgement.blocked,
        "seconds": round(seconds, 1),
        "target": round(target_seconds(entry)),
        "runs": highlighted([Message(text)], judgement)[0]["runs"] if text else [],
    }
    return grade


def grade_order(
    entry: FaqEntry, shown: list[str], order: list[int], seconds: float, hinted: bool
) -> DrillGrade:
    """Grade an operation answer: the shown steps picked in the order the learner gave."""
    grade = DrillGrade(AGAIN)
    picked = [shown[i] for i in order if 0 <= i < len(shown)]
    right = picked == list(entry.steps or [])
    if not right:
        grade.reasons.append((N_("The steps are not in the right order: Again."), {}))
    _timing(right, seconds, target_seconds(entry), hinted, grade)
    grade.detail = {"kind": "order", "picked": picked, "seconds": round(seconds, 1), "target": ORDER_SECONDS}
    return grade
