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


def board(
    session: Session, *, query: str = "", sort: str = "tier", page: int = 1, per_page: int = PER_PAGE
) -> Board:
    """The leaderboard's page `page`: agents whose name or username contains `query` (any case), in the
    order `sort` (tier then KPI, KPI, or name). The counts per tier are over the whole floor."""
    order = list(tier_names(session))
    rank_of = {slug: n for n, slug in enumerate(order)}
    tiers = tiers_of(session, None)
    counts = Counter(tiers.values())
    month = latest_month(session)
    scores = score_map(session, month) if month else {}
    people = session.execute(select(User.id, User.display_name, User.username).where(User.active.is_(True)))
    needle = query.strip().casefold()
    lines = [
        (user_id, name, tiers[user_id], scores.get(user_id))
        for user_id, name, username in people
        if user_id in tiers and (not needle or needle in name.casefold() or needle in username.casefold())
    ]
    if sort == "kpi":
        lines.sort(key=lambda r: (r[3] is None, -(r[3] or 0), r[1]))
    elif sort == "name":
        lines.sort(key=lambda r: r[1].casefold())
    else:
        lines.sort(key=lambda r: (-rank_of.get(r[2], -1), r[3] is None, -(r[3] or 0), r[1]))
    pages = max(1, -(-len(lines) // per_page))
    page = min(max(page, 1), pages)
    start = (page - 1) * per_page
    rows = [
        Standing(start + n + 1, user_id, name, tier, score)
        for n, (user_id, name, tier, score) in enumerate(lines[start : start + per_page])
    ]
    return Board(rows, len(lines), {slug: counts.get(slug, 0) for slug in order}, month, page, per_page)
