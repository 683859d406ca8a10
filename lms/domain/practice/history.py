"""What the pages show about runs: a learner's medals and runs, a run's transcript with reasons."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, selectinload

from lms.content.scenarios import ScenarioSpec, scenario_from_json
from lms.domain.errors import N_, NotFound
from lms.domain.practice.scoring import medal_for
from lms.models import PracticeRun, PracticeTurn, Scenario
from lms.models.practice import ACTIVE, FINISHED


@dataclass(frozen=True)
class Standing:
    """A learner's record with one scenario: the best medal, the best score, how many runs, one in play."""

    best_medal: str | None
    best_score: int | None
    runs: int
    active_run_id: int | None


def standings(session: Session, user_id: int, scenario_ids: list[int]) -> dict[int, Standing]:
    """The learner's standing per scenario, in one query (preview runs count nowhere)."""
    rows = session.execute(
        select(
            PracticeRun.scenario_id,
            func.max(case((PracticeRun.medal.is_not(None), PracticeRun.score), else_=None)),
            func.max(case((PracticeRun.status == FINISHED, PracticeRun.score), else_=None)),
            func.count(),
            func.max(case((PracticeRun.status == ACTIVE, PracticeRun.id), else_=None)),
        )
        .where(
            PracticeRun.user_id == user_id,
            PracticeRun.scenario_id.in_(scenario_ids),
            PracticeRun.preview.is_(False),
        )
        .group_by(PracticeRun.scenario_id)
    ).tuples()
    found = {}
    for scenario_id, medal_score, best, count, active in rows:
        found[scenario_id] = Standing(medal_for(medal_score, False), best, int(count), active)
    return found


def runs_of(session: Session, user_id: int, scenario_id: int) -> list[PracticeRun]:
    """A learner's runs of a scenario, newest first."""
    return list(
        session.scalars(
            select(PracticeRun)
            .where(
                PracticeRun.user_id == user_id,
                PracticeRun.scenario_id == scenario_id,
                PracticeRun.preview.is_(False),
            )
            .order_by(PracticeRun.started_at.desc(), PracticeRun.id.desc())
        )
    )


@dataclass
class Transcript:
    """A run with its turns and the scenario version it played, ready for a page."""

    run: PracticeRun
    spec: ScenarioSpec
    turns: list[PracticeTurn]

    def node_en(self, turn: PracticeTurn) -> dict[str, Any]:
        """The English of a turn's node (shopper line of this phrasing, model, tip)."""
        node = next((n for n in self.spec.nodes if n.id == turn.node_id), None)
        if node is None:
            return {}
        english = dict(node.en)
        shopper = english.get("shopper")
        english["shopper"] = (
            shopper[turn.phrasing] if isinstance(shopper, list) and turn.phrasing < len(shopper) else None
        )
        return english

    def node(self, turn: PracticeTurn) -> Any:
        return next((n for n in self.spec.nodes if n.id == turn.node_id), None)


def transcript(session: Session, run_id: int, *, user_id: int | None = None) -> Transcript:
    """A run's transcript (only the learner's own when `user_id` is given): NotFound otherwise."""
    run = session.scalars(
        select(PracticeRun)
        .where(PracticeRun.id == run_id)
        .options(
            selectinload(PracticeRun.turns),
            selectinload(PracticeRun.version),
            selectinload(PracticeRun.scenario),
            selectinload(PracticeRun.user),
        )
    ).one_or_none()
    if run is None or (user_id is not None and run.user_id != user_id):
        raise NotFound(N_("No such practice chat."))
    return Transcript(run, scenario_from_json(run.version.spec), list(run.turns))


def scenario_titles(session: Session, ids: list[int]) -> dict[int, Scenario]:
    """Scenarios by id (for lists)."""
    return {s.id: s for s in session.scalars(select(Scenario).where(Scenario.id.in_(ids)))}
