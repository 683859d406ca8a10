"""Monthly KPI scores and bonuses per agent, from the imported records and the scheme in force."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from lms.domain.kpi.metrics import (
    DEFAULT_BANDS,
    DEFAULT_METRICS,
    DEFAULT_STORE_WEIGHTS,
    METRICS,
    StoreScore,
    bonus,
    combine_stores,
    store_score,
)
from lms.models import KpiRecord, KpiScheme, Store, User, UserStore


@dataclass
class Scheme:
    """The metrics, bonus bands and store weights in force for a month."""

    metrics: list[dict[str, Any]]
    bands: list[dict[str, Any]]
    store_weights: dict[str, Any]


@dataclass
class AgentMonth:
    """One agent's month: a score per store, the combined score, the band and the bonus."""

    user: User
    month: str
    stores: list[tuple[Store, StoreScore, float]] = field(default_factory=list)
    score: float = 0.0
    base: float = 0.0
    bonus: float = 0.0


def scheme_for(session: Session, month: str) -> Scheme:
    """The newest scheme that starts on or before `month`; the default scheme if there is none."""
    row = session.scalars(
        select(KpiScheme).where(KpiScheme.from_month <= month).order_by(KpiScheme.from_month.desc()).limit(1)
    ).first()
    if row is None:
        return Scheme(DEFAULT_METRICS, DEFAULT_BANDS, DEFAULT_STORE_WEIGHTS)
    return Scheme(row.metrics, row.bands, row.store_weights)


def _weight(user: User, store_id: int, scheme: Scheme) -> float:
    for link in user.store_links:
        if link.store_id == store_id:
            return _link_weight(link.weight, link.is_main, scheme)
    return float(scheme.store_weights["secondary"])


def _link_weight(weight: float | None, is_main: bool, scheme: Scheme) -> float:
    if weight:
        return float(weight)
    return float(scheme.store_weights["main" if is_main else "secondary"])


def score_map(session: Session, month: str, scheme: Scheme | None = None) -> dict[int, float]:
    """Every agent's combined score for a month, read as plain columns (three queries, no objects;
    two when the caller has read the month's `scheme`): the same numbers as `month_scores`, for pages
    that rank thousands of agents."""
    scheme = scheme or scheme_for(session, month)
    links = {
        (user_id, store_id): _link_weight(weight, is_main, scheme)
        for user_id, store_id, weight, is_main in session.execute(
            select(UserStore.user_id, UserStore.store_id, UserStore.weight, UserStore.is_main).where(
                UserStore.user_id.in_(select(KpiRecord.user_id).where(KpiRecord.month == month))
            )
        )
    }
    secondary = float(scheme.store_weights["secondary"])
    columns = [getattr(KpiRecord, key) for key in METRICS]
    by_user: dict[int, list[tuple[float, float]]] = {}
    for user_id, store_id, *values in session.execute(
        select(KpiRecord.user_id, KpiRecord.store_id, *columns).where(KpiRecord.month == month)
    ):
        raw = dict(zip(METRICS, values, strict=True))
        by_user.setdefault(user_id, []).append(
            (store_score(raw, scheme.metrics).score, links.get((user_id, store_id), secondary))
        )
    return {user_id: combine_stores(scores) for user_id, scores in by_user.items()}


def month_scores(
    session: Session, month: str, user_ids: list[int] | None = None, scheme: Scheme | None = None
) -> list[AgentMonth]:
    """Every agent's score and bonus for a month (four queries whatever the team's size; three when
    the caller has read the month's `scheme`)."""
    scheme = scheme or scheme_for(session, month)
    stmt = (
        select(KpiRecord)
        .where(KpiRecord.month == month)
        .options(joinedload(KpiRecord.store), joinedload(KpiRecord.user).selectinload(User.store_links))
    )
    if user_ids is not None:
        stmt = stmt.where(KpiRecord.user_id.in_(user_ids))
    by_user: dict[int, AgentMonth] = {}
    for record in session.scalars(stmt).unique():
        entry = by_user.setdefault(record.user_id, AgentMonth(record.user, month))
        raw = {key: getattr(record, key) for key in METRICS}
        entry.stores.append(
            (record.store, store_score(raw, scheme.metrics), _weight(record.user, record.store_id, scheme))
        )
    for entry in by_user.values():
        entry.stores.sort(key=lambda s: -s[2])
        entry.score = combine_stores([(s.score, w) for _store, s, w in entry.stores])
        entry.base, entry.bonus = bonus(entry.score, scheme.bands)
    return sorted(by_user.values(), key=lambda e: (-e.score, e.user.display_name))


def agent_history(session: Session, user: User) -> list[AgentMonth]:
    """An agent's months, oldest first."""
    months = sorted(set(session.scalars(select(KpiRecord.month).where(KpiRecord.user_id == user.id))))
    history = []
    for month in months:
        history.extend(month_scores(session, month, [user.id]))
    return history


def kpi_average(session: Session, user: User, months: int) -> tuple[float | None, list[str]]:
    """The average score over the agent's last `months` months with data, and which months those are."""
    history = agent_history(session, user)[-months:] if months else []
    if len(history) < months or not history:
        return None, [h.month for h in history]
    return round(sum(h.score for h in history) / len(history), 2), [h.month for h in history]
