"""The team's KPI month one page at a time: every agent ranked from plain columns, the page's agents
read in full, and the month's totals — a contact centre of 10,000 agents is not one table."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.domain.kpi.metrics import bonus
from lms.domain.kpi.scores import AgentMonth, month_scores, scheme_for, score_map
from lms.models import KpiRecord, User

SORTS = ("score", "bonus", "name")
PER_PAGE = 50


@dataclass(frozen=True)
class TeamMonth:
    """One page of the team's month, with what the whole month adds up to."""

    rows: list[AgentMonth]
    #: Agents in the month (all of them) and those the search matched.
    agents: int
    matched: int
    average: float | None
    bonus_total: float
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """How many pages the (searched) list has, at least one."""
        return max(1, -(-self.matched // self.per_page))

    @property
    def first_rank(self) -> int:
        """The place in the list of this page's first row (1 on the first page)."""
        return (self.page - 1) * self.per_page + 1


def team_month(
    session: Session, month: str, *, query: str = "", sort: str = "score", page: int = 1, per_page: int = 0
) -> TeamMonth:
    """Page `page` of the month's agents whose name or username contains `query` (any case), by KPI
    score, bonus (both highest first, then name) or name, with the month's agent count, average score
    and bonus total. Ranking reads plain columns (`score_map`: the same numbers as `month_scores`);
    only the page's agents are read as objects, with their stores. `per_page` 0: PER_PAGE."""
    per_page = per_page or PER_PAGE
    scheme = scheme_for(session, month)
    scores = score_map(session, month, scheme)
    people = session.execute(
        select(User.id, User.display_name, User.username).where(
            User.id.in_(select(KpiRecord.user_id).where(KpiRecord.month == month))
        )
    ).all()
    paid = {user_id: bonus(score, scheme.bands)[1] for user_id, score in scores.items()}
    needle = query.strip().casefold()
    lines = [
        (user_id, name)
        for user_id, name, username in people
        if not needle or needle in f"{name}\n{username}".casefold()
    ]
    if sort == "name":
        lines.sort(key=lambda line: (line[1].casefold(), line[0]))
    else:
        figure = paid if sort == "bonus" else scores
        lines.sort(key=lambda line: (-figure.get(line[0], 0.0), line[1], line[0]))
    pages = max(1, -(-len(lines) // per_page))
    page = min(max(page, 1), pages)
    ids = [user_id for user_id, _name in lines[(page - 1) * per_page : page * per_page]]
    by_id = {entry.user.id: entry for entry in month_scores(session, month, ids, scheme)} if ids else {}
    return TeamMonth(
        rows=[by_id[user_id] for user_id in ids if user_id in by_id],
        agents=len(scores),
        matched=len(lines),
        average=round(sum(scores.values()) / len(scores), 2) if scores else None,
        bonus_total=round(sum(paid.values()), 2),
        page=page,
        per_page=per_page,
    )
