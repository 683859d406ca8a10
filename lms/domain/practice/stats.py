"""What trainers see of practice chats: official runs only (practice runs are the learner's own).

Per scenario: the run distribution (medals and score bands), the turns where most runs fail, the
runs to read, and a leaderboard per cohort. Each answer is one grouped query.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session, selectinload

from lms.domain.practice.scoring import medal_for
from lms.models import PracticeRun, PracticeTurn, Scenario, User
from lms.models.practice import FINISHED

#: A reply under this score (or a red line) counts as a failed turn on the trainer's page.
FAIL_BELOW = 50
BANDS = ((0, 49), (50, 74), (75, 89), (90, 100))


def _official() -> ColumnElement[bool]:
    return and_(PracticeRun.official.is_(True), PracticeRun.preview.is_(False))


@dataclass(frozen=True)
class ScenarioRow:
    scenario: Scenario
    runs: int
    finished: int
    mean: float | None
    flagged: int


def overview(session: Session) -> list[ScenarioRow]:
    """Every active scenario with its official runs counted."""
    scenarios = list(
        session.scalars(
            select(Scenario)
            .where(Scenario.active.is_(True))
            .options(selectinload(Scenario.current_version))
            .order_by(Scenario.title)
        )
    )
    counts = {
        sid: (runs, finished, mean, flagged)
        for sid, runs, finished, mean, flagged in session.execute(
            select(
                PracticeRun.scenario_id,
                func.count(),
                func.sum(case((PracticeRun.status == FINISHED, 1), else_=0)),
                func.avg(PracticeRun.score),
                func.sum(case((PracticeRun.flagged.is_(True), 1), else_=0)),
            )
            .where(_official())
            .group_by(PracticeRun.scenario_id)
        ).tuples()
    }
    rows = []
    for s in scenarios:
        runs, finished, mean, flagged = counts.get(s.id, (0, 0, None, 0))
        rows.append(
            ScenarioRow(
                s, int(runs), int(finished or 0), float(mean) if mean is not None else None, int(flagged or 0)
            )
        )
    return rows


@dataclass(frozen=True)
class Distribution:
    medals: dict[str, int]
    bands: list[tuple[str, int]]
    flagged: int
    finished: int


def distribution(session: Session, scenario_id: int) -> Distribution:
    """How the finished official runs of a scenario spread over medals and score bands."""
    rows = session.execute(
        select(PracticeRun.score, PracticeRun.medal, PracticeRun.flagged).where(
            _official(), PracticeRun.scenario_id == scenario_id, PracticeRun.status == FINISHED
        )
    ).tuples()
    medals = {"gold": 0, "silver": 0, "bronze": 0, "none": 0}
    bands = dict.fromkeys(BANDS, 0)
    flagged = finished = 0
    for score, medal, is_flagged in rows:
        finished += 1
        medals[medal or "none"] += 1
        flagged += bool(is_flagged)
        for lo, hi in BANDS:
            if lo <= (score or 0) <= hi:
                bands[(lo, hi)] += 1
    return Distribution(medals, [(f"{lo}–{hi}", n) for (lo, hi), n in bands.items()], flagged, finished)


@dataclass(frozen=True)
class NodeRow:
    node_id: str
    replies: int
    failed: int
    mean: float | None

    @property
    def fail_rate(self) -> float:
        return self.failed / self.replies if self.replies else 0.0


def failing_turns(session: Session, scenario_id: int) -> list[NodeRow]:
    """Per node, how many official replies failed (a red line or under FAIL_BELOW), worst first."""
    rows = session.execute(
        select(
            PracticeTurn.node_id,
            func.count(),
            func.sum(case(((PracticeTurn.failed.is_(True)) | (PracticeTurn.score < FAIL_BELOW), 1), else_=0)),
            func.avg(PracticeTurn.score),
        )
        .join(PracticeRun, PracticeRun.id == PracticeTurn.run_id)
        .where(_official(), PracticeRun.scenario_id == scenario_id, PracticeTurn.reply_text.is_not(None))
        .group_by(PracticeTurn.node_id)
    ).tuples()
    found = [NodeRow(n, int(c), int(f or 0), float(m) if m is not None else None) for n, c, f, m in rows]
    return sorted(found, key=lambda r: (-r.fail_rate, -r.replies, r.node_id))


def recent_runs(session: Session, scenario_id: int, limit: int = 30) -> list[PracticeRun]:
    """The latest official runs of a scenario, with their learners."""
    return list(
        session.scalars(
            select(PracticeRun)
            .where(_official(), PracticeRun.scenario_id == scenario_id)
            .options(selectinload(PracticeRun.user))
            .order_by(PracticeRun.started_at.desc(), PracticeRun.id.desc())
            .limit(limit)
        )
    )


@dataclass(frozen=True)
class LeaderRow:
    user: User
    best: int | None
    medal: str | None
    runs: int


def leaderboard(session: Session, scenario_id: int, cohort_id: int | None) -> list[LeaderRow]:
    """Best official score per learner (of a cohort, or everyone), best first."""
    query = (
        select(
            PracticeRun.user_id,
            func.max(case((PracticeRun.medal.is_not(None), PracticeRun.score), else_=None)),
            func.count(),
        )
        .join(User, User.id == PracticeRun.user_id)
        .where(_official(), PracticeRun.scenario_id == scenario_id)
        .group_by(PracticeRun.user_id)
    )
    if cohort_id is not None:
        query = query.where(User.cohort_id == cohort_id)
    rows = list(session.execute(query).tuples())
    users = (
        {u.id: u for u in session.scalars(select(User).where(User.id.in_([r[0] for r in rows])))}
        if rows
        else {}
    )
    board = [
        LeaderRow(users[uid], best, medal_for(best, False), int(n)) for uid, best, n in rows if uid in users
    ]
    return sorted(board, key=lambda r: (-(r.best if r.best is not None else -1), r.user.display_name))
