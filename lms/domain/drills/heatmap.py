"""The trainer's cohort heatmap: agents × FAQ topics, each cell the share of the topic's entries
the agent has mastered, with each agent's leeches; and focused drills a trainer assigns.

Six queries whatever the number of agents and entries: the entries, the agents, the mastered
cards, the leeches, the typing records and the focus topics.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.domain import audit
from lms.domain.drills.mastery import best_typing, mastered_condition
from lms.domain.errors import N_, DomainError
from lms.models import DrillCard, FaqEntry, FocusDrill, Role, User


@dataclass
class HeatRow:
    """One agent: entries mastered per topic, leeches by entry key, typing record, focus topics."""

    user_id: int
    name: str
    done: list[int]
    mastered: int = 0
    leeches: list[str] = field(default_factory=list)
    best_cpm: float | None = None
    focus: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Cell:
    """One agent's mastery of one topic, as the page shows it."""

    done: int
    total: int

    @property
    def percent(self) -> int:
        return 100 * self.done // self.total if self.total else 0

    @property
    def heat(self) -> int:
        """0–4: under 25 %, under 50 %, under 75 %, under 100 %, all."""
        return 4 if self.done >= self.total else self.percent // 25


@dataclass
class Heatmap:
    """Topics (columns, most entries first) and agents (rows)."""

    topics: list[str]
    total: int
    rows: list[HeatRow]
    sizes: list[int] = field(default_factory=list)

    def cells(self, row: HeatRow) -> list[Cell]:
        """A row's cells, topic by topic."""
        return [Cell(done, total) for done, total in zip(row.done, self.sizes, strict=True)]


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
    rows = {user_id: HeatRow(user_id, name, [0] * len(topics)) for user_id, name in users}
    # Two narrow reads of plain integers (the Core connection skips ORM row processing): the
    # mastered cards and the leeches; 200 agents × 110 entries are 22,000 pairs at most.
    connection = session.connection()
    known = list(entry_keys)
    for user_id, entry_id in connection.execute(
        select(DrillCard.user_id, DrillCard.entry_id).where(
            DrillCard.user_id.in_(who),
            DrillCard.entry_id.in_(known),
            mastered_condition(stability_days, leech_lapses),
        )
    ):
        row = rows.get(user_id)
        if row is None:
            continue
        row.mastered += 1
        for index in entry_tags[entry_id]:
            row.done[index] += 1
    for user_id, entry_id in connection.execute(
        select(DrillCard.user_id, DrillCard.entry_id).where(
            DrillCard.user_id.in_(who), DrillCard.entry_id.in_(known), DrillCard.lapses >= leech_lapses
        )
    ):
        if user_id in rows:
            rows[user_id].leeches.append(entry_keys[entry_id])
    for user_id, cpm in best_typing(session, list(rows)).items():
        rows[user_id].best_cpm = cpm
    for user_id, topic in session.execute(
        select(FocusDrill.user_id, FocusDrill.topic).where(FocusDrill.user_id.in_(list(rows)))
    ).tuples():
        rows[user_id].focus.append(topic)
    return Heatmap(topics, len(entries), list(rows.values()), [per_topic[t] for t in topics])


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
