"""The leaderboard: every live agent ranked by tier then KPI (or by KPI, or by name), searchable, one page
at a time, built from plain columns so that 10,000 agents cost a few flat queries and no objects."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.domain.kpi.scores import score_map
from lms.domain.tiers.ladder import tier_names, tiers_of
from lms.models import KpiRecord, User
from lms.models.change_counts import FLOOR, PLAN, ChangeCount

SORTS = ("tier", "kpi", "name")
PER_PAGE = 50


@dataclass(frozen=True)
class Standing:
    """One agent's line: overall rank (in the chosen order), name, tier and the month's KPI score."""

    rank: int
    user_id: int
    name: str
    tier: str
    score: float | None


@dataclass(frozen=True)
class Board:
    """One page of the leaderboard, the tier counts of the whole floor and the KPI month used."""

    rows: list[Standing]
    total: int
    counts: dict[str, int]
    month: str | None
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """How many pages the (searched) list has, at least one."""
        return max(1, -(-self.total // self.per_page))


def latest_month(session: Session) -> str | None:
    """The newest month with imported KPI numbers."""
    return session.scalar(select(func.max(KpiRecord.month)))


@dataclass(frozen=True)
class Floor:
    """Every live agent's standing at one moment, sorted once per order: what each page is cut from.
    Lines are (user id, name, tier, score, name and username folded for searching)."""

    lines: dict[str, list[tuple[int, str, str, float | None, str]]]
    counts: dict[str, int]
    month: str | None
    #: Each tier's English and Chinese name, by slug (the programme's, as `tier_names` gives them).
    names: dict[str, dict[str, str]]


def floor(session: Session) -> Floor:
    """Read the whole floor in five flat queries (no objects) and sort it three ways."""
    names = tier_names(session)
    order = list(names)
    rank_of = {slug: n for n, slug in enumerate(order)}
    tiers = tiers_of(session, None)
    counts = Counter(tiers.values())
    month = latest_month(session)
    scores = score_map(session, month) if month else {}
    people = session.execute(select(User.id, User.display_name, User.username).where(User.active.is_(True)))
    lines = [
        (user_id, name, tiers[user_id], scores.get(user_id), f"{name}\n{username}".casefold())
        for user_id, name, username in people
        if user_id in tiers
    ]
    return Floor(
        {
            "tier": sorted(lines, key=lambda r: (-rank_of.get(r[2], -1), r[3] is None, -(r[3] or 0), r[1])),
            "kpi": sorted(lines, key=lambda r: (r[3] is None, -(r[3] or 0), r[1])),
            "name": sorted(lines, key=lambda r: r[1].casefold()),
        },
        {slug: counts.get(slug, 0) for slug in order},
        month,
        names,
    )


def fingerprint(session: Session) -> tuple[object, ...]:
    """What the floor depends on: how many writes certificates, tier steps, KPI records, people
    (added, removed, switched on or off) and the programme (its tiers) have had, two counters kept by
    database triggers (migration 0020), read in one key lookup. A saved Floor is still right while
    they are equal; renames and store weights are not in them, so a cache also bounds its age."""
    return tuple(session.execute(_CHANGES).all())


_CHANGES = (
    select(ChangeCount.topic, ChangeCount.changes)
    .where(ChangeCount.topic.in_([FLOOR, PLAN]))
    .order_by(ChangeCount.topic)
)


def board(
    session: Session | None = None,
    *,
    snapshot: Floor | None = None,
    query: str = "",
    sort: str = "tier",
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Board:
    """The leaderboard's page `page`: agents whose name or username contains `query` (any case), in the
    order `sort` (tier then KPI, KPI, or name). The counts per tier are over the whole floor. Cut from
    `snapshot` when given (a cached Floor), else from the floor read now."""
    if snapshot is None:
        assert session is not None
        snapshot = floor(session)
    lines = snapshot.lines.get(sort) or snapshot.lines["tier"]
    needle = query.strip().casefold()
    if needle:
        lines = [line for line in lines if needle in line[4]]
    pages = max(1, -(-len(lines) // per_page))
    page = min(max(page, 1), pages)
    start = (page - 1) * per_page
    rows = [
        Standing(start + n + 1, user_id, name, tier, score)
        for n, (user_id, name, tier, score, _folded) in enumerate(lines[start : start + per_page])
    ]
    return Board(rows, len(lines), snapshot.counts, snapshot.month, page, per_page)
