"""KPI arithmetic: raw numbers → metric scores → a weighted score per store → one score per agent → bonus.

All pure functions; the numbers are the ones taught in the assessment course (DOMAIN.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lms.domain.errors import N_

METRICS = ("conversion_rate", "avg_response_seconds", "satisfaction", "invite_rate", "push_completion")

DEFAULT_METRICS: list[dict[str, Any]] = [
    {
        "key": "conversion_rate",
        "label": N_("Conversion rate"),
        "weight": 50,
        "higher_is_better": True,
        "target": 40,
        "floor": 15,
    },
    {
        "key": "avg_response_seconds",
        "label": N_("Average response time"),
        "weight": 20,
        "higher_is_better": False,
        "target": 15,
        "floor": 45,
    },
    {
        "key": "satisfaction",
        "label": N_("Satisfaction"),
        "weight": 15,
        "higher_is_better": True,
        "target": 98,
        "floor": 85,
    },
    {
        "key": "invite_rate",
        "label": N_("Rating-invitation rate"),
        "weight": 10,
        "higher_is_better": True,
        "target": 90,
        "floor": 50,
    },
    {
        "key": "push_completion",
        "label": N_("Product-push completion"),
        "weight": 5,
        "higher_is_better": True,
        "target": 100,
        "floor": 50,
    },
]
DEFAULT_BANDS: list[dict[str, Any]] = [
    {"min": 90, "base": 3000},
    {"min": 80, "base": 2000},
    {"min": 0, "base": 1000},
]
DEFAULT_STORE_WEIGHTS: dict[str, Any] = {"main": 60, "secondary": 40}


class SchemeError(ValueError):
    """A KPI scheme that cannot be used (weights not summing to 100, target equal to floor…)."""


def check_scheme(metrics: Sequence[Mapping[str, Any]], bands: Sequence[Mapping[str, Any]]) -> None:
    """Refuse a scheme whose weights do not sum to 100 or whose mappings or bands are unusable."""
    total = sum(float(m["weight"]) for m in metrics)
    if abs(total - 100) > 1e-9:
        raise SchemeError(f"the weights add up to {total:g}, not 100")
    for m in metrics:
        if m["key"] not in METRICS:
            raise SchemeError(f"unknown metric {m['key']!r}")
        if float(m["target"]) == float(m["floor"]):
            raise SchemeError(f"{m['key']}: the target and the floor must differ")
    if not bands or min(float(b["min"]) for b in bands) != 0:
        raise SchemeError("the bonus bands must start at 0")


def metric_score(value: float, target: float, floor: float) -> float:
    """0–100 on a straight line from `floor` (0 points) to `target` (100 points), capped at both ends.

    Works for 'lower is better' metrics too: then the target is below the floor.
    """
    score = (value - floor) / (target - floor) * 100
    return max(0.0, min(100.0, score))


@dataclass
class StoreScore:
    """One store's weighted score for one agent and month, with each metric's points."""

    score: float
    metrics: dict[str, float | None]
    missing: list[str]


def store_score(raw: Mapping[str, float | None], metrics: Sequence[Mapping[str, Any]]) -> StoreScore:
    """The weighted score of one store's raw numbers; a missing metric scores 0 and is listed."""
    points: dict[str, float | None] = {}
    missing: list[str] = []
    total = 0.0
    for m in metrics:
        value = raw.get(m["key"])
        if value is None:
            points[m["key"]] = None
            missing.append(m["key"])
            continue
        p = metric_score(float(value), float(m["target"]), float(m["floor"]))
        points[m["key"]] = p
        total += p * float(m["weight"]) / 100
    return StoreScore(round(total, 2), points, missing)


def combine_stores(scores: Sequence[tuple[float, float]]) -> float:
    """One agent score from (store score, weight) pairs; weights are normalised over the stores that have data."""
    weights = sum(w for _s, w in scores)
    if not scores or weights <= 0:
        return 0.0
    return round(sum(s * w for s, w in scores) / weights, 2)


def bonus(score: float, bands: Sequence[Mapping[str, Any]]) -> tuple[float, float]:
    """(base, bonus) for a score: the highest band whose minimum the score reaches; bonus = base × score / 100."""
    band = max((b for b in bands if score >= float(b["min"])), key=lambda b: float(b["min"]))
    base = float(band["base"])
    return base, round(base * score / 100, 2)
