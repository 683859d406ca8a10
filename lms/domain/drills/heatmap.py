"""The trainer's cohort heatmap: agents × FAQ topics, each cell the share of the topic's entries
the agent has mastered, with each agent's leeches; and focused drills a trainer assigns.

Five queries whatever the number of agents and entries: the entries, the agents, the cards, the
typing records and the focus topics.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.domain import audit
from lms.domain.drills.mastery import best_typing
from lms.domain.errors import N_, DomainError
from lms.models import DrillCard, FaqEntry, FocusDrill, Role, User
from lms.models.drills import REVIEW


@dataclass
class HeatRow:
    """One agent: per topic (mastered, entries), leeches by entry key, typing record, focus topics."""

    user_id: int
    name: str
    cells: list[tuple[int, int]]
    mastered: int
    leeches: list[str] = field(default_factory=list)
    best_cpm: float | None = None
    focus: list[str] = field(default_factory=list)

    def percent(self, index: int) -> int:
        done, total = self.cells[index]
        return round(100 * done / total) if total else 0


@dataclass
class Heatmap:
    """Topics (columns, most entries first) and agents (rows)."""

    topics: list[str]
    total: int
    rows: list[HeatRow]


def heatmap(
    session: Session,
    who: Select[tuple[int]] | Sequence[int],
    *,
    stability_days: float = 10,
    leech_lapses: int = 4,
) -> Heatmap:
    """The heatmap of these agents (ids, or a select of ids), in five queries."""
    entries = session.execute(
        select(FaqEntry.id, FaqEntry.key, FaqEntry.tags).where(
            FaqEntry.active.is_(True), FaqEntry.day.is_not(None)
        )
    ).all()
    per_topic: dict[str, int] = defaultdict(int)
    for _id, _key, tags in entries:
        for tag in tags or []:
            per_topic[tag] += 1
    topics = sorted(per_topic, key=lambda t: (-per_topic[t], t))
    column = {t: i for i, t in enumerate(topics)}
    entry_tags = {entry_id: [column[t] for t in tags or []] for entry_id, _key, tags in entries}
    entry_keys = {entry_id: key for entry_id, key, _tags in entries}
    users = session.execute(
        select(User.id, User.display_name).where(User.id.in_(who)).order_by(User.display_name)
    ).all()
    rows = {
        user_id: HeatRow(user_id, name, [(0, per_topic[t]) for t in topics], 0) for user_id, name in users
    }
    for user_id, entry_id, state, stability, review_days, lapses in session.execute(
        select(
            DrillCard.user_id,
            DrillCard.entry_id,
            DrillCard.state,
            DrillCard.stability,
            DrillCard.review_days,
            DrillCard.lapses,
        ).where(DrillCard.user_id.in_(who), DrillCard.entry_id.in_(list(entry_keys)))
    ).tuples():
        row = rows.get(user_id)
        if row is None:
            continue
        if lapses >= leech_lapses:
            row.leeches.append(entry_keys[entry_id])
        elif state == REVIEW and (stability or 0) >= stability_days and review_days >= 2:
            row.mastered += 1
            for index in entry_tags[entry_id]:
                done, total = row.cells[index]
                row.cells[index] = (done + 1, total)
    for user_id, cpm in best_typing(session, list(rows)).items():
        rows[user_id].best_cpm = cpm
    for user_id, topic in session.execute(
        select(FocusDrill.user_id, FocusDrill.topic).where(FocusDrill.user_id.in_(list(rows)))
    ).tuples():
        rows[user_id].focus.append(topic)
    return Heatmap(topics, len(entries), list(rows.values()))


def assign_focus(session: Session, trainer: User, agent: User, topic: str) -> FocusDrill:
    """Ask an agent to drill one topic first (their due cards on it come before the others)."""
    if not trainer.has_role(Role.TRAINER, Role.QC, Role.ADMIN):
        raise DomainError(N_("Only trainers and QC assign focused drills."))
    known = {
        t
        for tags in session.scalars(select(FaqEntry.tags).where(FaqEntry.active.is_(True)))
        for t in tags or []
    }
    if topic not in known:
        raise DomainError(N_("No script-library entry has the topic %(topic)s."), "topic", topic=topic)
    existing = session.scalars(
        select(FocusDrill).where(FocusDrill.user_id == agent.id, FocusDrill.topic == topic)
    ).one_or_none()
    if existing is not None:
        return existing
    focus = FocusDrill(user_id=agent.id, topic=topic, assigned_by_id=trainer.id)
    try:
        with session.begin_nested():
            session.add(focus)
    except IntegrityError:
        return session.scalars(
            select(FocusDrill).where(FocusDrill.user_id == agent.id, FocusDrill.topic == topic)
        ).one()
    audit.record(session, "drill.focus", actor=trainer, target=agent, after={"topic": topic})
    return focus
