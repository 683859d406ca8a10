"""Mastery as the go-live gate reads it: in a fixed number of queries for one agent or a cohort.

A required entry (an active script-library entry the programme schedules on a day) is *mastered*
by an agent when the agent's card is in review, its FSRS stability has reached `stability_days`,
it was reviewed on at least two different days and it is not a leech (lapsed `leech_lapses` times
or more).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Float, Integer, Select, and_, bindparam, case, func, select
from sqlalchemy.orm import Session

from lms.domain.people_statements import PerPeople
from lms.models import DrillCard, FaqEntry, TypingRun
from lms.models.drills import REVIEW

#: The typing record is the best of this many latest runs.
RECENT_TYPING_RUNS = 10


@dataclass(frozen=True)
class Mastery:
    """One agent's numbers for the gate."""

    mastered: int
    total: int
    leeches: int
    best_cpm: float | None

    @property
    def percent(self) -> float:
        return 100.0 * self.mastered / self.total if self.total else 0.0


def required_entries(session: Session) -> int:
    """How many entries the gate counts."""
    return session.scalar(REQUIRED_ENTRIES) or 0


#: How many entries the gate counts (public: the go-live gate reads it in its one statement).
REQUIRED_ENTRIES = (
    select(func.count()).select_from(FaqEntry).where(FaqEntry.active.is_(True), FaqEntry.day.is_not(None))
)


def mastered_condition(
    stability_days: float | ColumnElement[float], leech_lapses: int | ColumnElement[int]
) -> ColumnElement[bool]:
    """The SQL condition for a mastered card."""
    return and_(
        DrillCard.state == REVIEW,
        DrillCard.stability >= stability_days,
        DrillCard.review_days >= 2,
        DrillCard.lapses < leech_lapses,
    )


def best_typing_statement(who: Any) -> Select[tuple[int, float]]:
    """Per agent in `who`: the best speed of their latest RECENT_TYPING_RUNS finished runs."""
    ranked = (
        select(
            TypingRun.user_id,
            TypingRun.cpm,
            func.row_number()
            .over(partition_by=TypingRun.user_id, order_by=TypingRun.finished_at.desc())
            .label("n"),
        )
        .where(TypingRun.user_id.in_(who), TypingRun.finished_at.is_not(None), TypingRun.cpm.is_not(None))
        .subquery()
    )
    return (
        select(ranked.c.user_id, func.max(ranked.c.cpm))
        .where(ranked.c.n <= RECENT_TYPING_RUNS)
        .group_by(ranked.c.user_id)
    )


_BEST_TYPING = PerPeople(best_typing_statement)


def card_counts_statement(who: Any) -> Select[tuple[int, int, int]]:
    """Per agent in `who`: required cards mastered, and leeches (the thresholds `stability_days` and
    `leech_lapses` are bound at run time)."""
    return (
        select(
            DrillCard.user_id,
            func.sum(
                case(
                    (
                        mastered_condition(
                            bindparam("stability_days", type_=Float), bindparam("leech_lapses", type_=Integer)
                        ),
                        1,
                    ),
                    else_=0,
                )
            ),
            func.sum(case((DrillCard.lapses >= bindparam("leech_lapses", type_=Integer), 1), else_=0)),
        )
        .join(FaqEntry, FaqEntry.id == DrillCard.entry_id)
        .where(DrillCard.user_id.in_(who), FaqEntry.active.is_(True), FaqEntry.day.is_not(None))
        .group_by(DrillCard.user_id)
    )


_CARD_COUNTS = PerPeople(card_counts_statement)


def best_typing(session: Session, who: Select[tuple[int]] | Sequence[int]) -> dict[int, float]:
    """Each agent's best speed over their latest RECENT_TYPING_RUNS finished runs, in one query."""
    return {user_id: float(best) for user_id, best in session.execute(*_BEST_TYPING(who)).tuples()}


def mastery_of(
    session: Session,
    who: Select[tuple[int]] | Sequence[int],
    *,
    stability_days: float = 10,
    leech_lapses: int = 4,
) -> dict[int, Mastery]:
    """Each agent's mastery and typing record, in three queries whatever their number."""
    total = required_entries(session)
    counts = {
        user_id: (mastered, leeches)
        for user_id, mastered, leeches in session.execute(
            *_CARD_COUNTS(who, stability_days=stability_days, leech_lapses=leech_lapses)
        ).tuples()
    }
    typing = best_typing(session, who)
    ids = list(who) if isinstance(who, Sequence) else list(session.scalars(who))
    return masteries(ids, total, counts, typing)


def masteries(
    ids: Sequence[int], total: int, counts: dict[int, tuple[int, int]], typing: dict[int, float]
) -> dict[int, Mastery]:
    """Each agent's Mastery from the three figures (cards mastered and leeches, typing, entries)."""
    return {
        user_id: Mastery(
            int(counts.get(user_id, (0, 0))[0] or 0),
            total,
            int(counts.get(user_id, (0, 0))[1] or 0),
            typing.get(user_id),
        )
        for user_id in ids
    }
