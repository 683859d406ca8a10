"""Scoring one reply of a practice chat and choosing the shopper's next node (courses/README.md).

Pure functions: no database. The rubric is the reply question's (lms/content/questions/reply.py
`judge`): key points negation-aware and, with `ordered`, in order; the node's forbidden phrases;
the rule book. Then time against the node's target. A block hit of the rule book scores 0, fails
the turn and flags the run.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any

from lms.content.questions.reply import WARN_PENALTY, judge
from lms.content.rulebook import RuleBook, find_phrase, prepare
from lms.content.scenarios import NodeSpec, ScenarioSpec

#: The share of a turn's score lateness can cost (all of it at three times the target).
TIME_SHARE = 0.3
#: Medals by run score, lowest first.
MEDAL_AT = (("bronze", 50), ("silver", 75), ("gold", 90))
MEDAL_RANK = {"bronze": 1, "silver": 2, "gold": 3}
_QUESTION_END = re.compile(r"[吗呢][\s。.!！~～]*$")


@dataclass
class TurnScore:
    """A reply's score (0–100), whether it failed, why, and which branch it took."""

    score: int
    failed: bool
    reasons: dict[str, Any]
    conditions: set[str] = field(default_factory=set)
    next_node: str = ""


def time_loss(seconds: float | None, target: float) -> float:
    """Nothing at the target, TIME_SHARE at three times it and beyond."""
    if seconds is None or seconds <= target:
        return 0.0
    return TIME_SHARE * min(1.0, (seconds - target) / (2 * target))


def asks_a_question(text: str) -> bool:
    """A reply that asks the shopper something: a question mark, or a line ending in 吗 or 呢."""
    return "?" in text or "？" in text or any(_QUESTION_END.search(line) for line in text.splitlines())


def score_reply(
    scenario: ScenarioSpec, node: NodeSpec, text: str, seconds: float | None, book: RuleBook | None
) -> TurnScore:
    """Score a reply to a turn node and choose the branch (the first whose condition holds)."""
    body = {"key_points": list(node.key_points), "forbidden": list(node.forbidden), "ordered": node.ordered}
    prepared = prepare(text)
    judgement = judge(body, prepared, book)
    total = sum(float(g["points"]) for g in node.key_points)
    met_points = sum(float(node.key_points[m.index]["points"]) for m in judgement.key_points if m.met)
    blocked = judgement.blocked
    warn_hits = [h for h in judgement.hits if not h.rule.blocks]
    penalty = sum(float(node.forbidden[g]["penalty"]) for g in judgement.used)
    if total:
        content = (met_points - penalty) / total - WARN_PENALTY * len(warn_hits)
    else:
        content = 1.0 - (penalty / max(penalty, 1.0) if penalty else 0.0) - WARN_PENALTY * len(warn_hits)
    content = 0.0 if blocked else max(0.0, min(1.0, content))
    target = float(node.target_seconds or scenario.target_seconds)
    loss = time_loss(seconds, target)
    score = round(100 * content * (1 - loss))
    met_count = sum(1 for m in judgement.key_points if m.met)
    conditions = {"always"}
    if node.key_points:
        if met_count == len(node.key_points):
            conditions.add("met")
        elif met_count:
            conditions.add("partly")
        else:
            conditions.add("missed")
    if blocked:
        conditions.add("red_line")
    if warn_hits:
        conditions.add("warned")
    if any(h.category == "unauthorised_discount" for h in judgement.hits):
        conditions.add("discount")
    if asks_a_question(text):
        conditions.add("question")
    if seconds is not None and seconds > target:
        conditions.add("slow")
    hit_rules = {h.rule.id for h in judgement.hits}
    chosen = None
    for index, branch in enumerate(node.branches):
        kind, _ = branch.condition
        if branch.rule:
            fires = branch.rule in hit_rules
        elif branch.says:
            fires = any(any(not o.negated for o in find_phrase(prepared, p)) for p in branch.says)
        else:
            fires = kind in conditions
        if fires:
            chosen = (index, branch)
            break
    reasons: dict[str, Any] = {
        "key_points": [
            {
                "points": node.key_points[m.index]["points"],
                "phrases": list(node.key_points[m.index]["phrases"]),
                "met": m.met,
                "phrase": m.phrase,
                "negated": m.negated,
                "out_of_order": m.out_of_order,
            }
            for m in judgement.key_points
        ],
        "forbidden": sorted({phrase for _g, phrase, *_ in judgement.forbidden}),
        "penalty": penalty,
        "hits": [h.as_json() for h in judgement.hits],
        "content": round(content, 3),
        "seconds": round(seconds, 1) if seconds is not None else None,
        "target": target,
        "time_loss": round(loss, 3),
        "conditions": sorted(conditions),
    }
    next_node = ""
    if chosen is not None:
        index, branch = chosen
        next_node = branch.next
        reasons["branch"] = {
            "index": index,
            "condition": ":".join(x for x in branch.condition if x),
            "next": branch.next,
        }
    return TurnScore(score, blocked, reasons, conditions, next_node)


def phrasing(seed: int, number: int, choices: int) -> int:
    """Which phrasing the shopper uses on turn `number` of a run: random, but the same on replay."""
    return random.Random(f"{seed}:{number}").randrange(choices) if choices > 1 else 0


def run_score(scores: list[int]) -> int | None:
    """The mean of the turns' scores (None for a run with no scored turn)."""
    return round(sum(scores) / len(scores)) if scores else None


def medal_for(score: int | None, flagged: bool) -> str | None:
    """Bronze at 50, Silver at 75, Gold at 90; a flagged run earns none."""
    if score is None or flagged:
        return None
    found = None
    for name, threshold in MEDAL_AT:
        if score >= threshold:
            found = name
    return found


def at_least(medal: str | None, wanted: str) -> bool:
    """Whether a medal is the wanted one or better."""
    return medal is not None and MEDAL_RANK.get(medal, 0) >= MEDAL_RANK.get(wanted, 99)
