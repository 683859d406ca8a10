"""Scenarios as requirements: go-live (program.toml), tiers, and assignments by QC and trainers.

A requirement names a scenario and a medal (Silver unless it says otherwise). It is met by any
finished, unflagged, non-preview run of the learner with that medal or better. A run of a scenario
that is a requirement for the learner (go-live not yet reached, or an open assignment) is *official*:
recorded for trainers. A finished run with a medal closes the learner's open assignments of the
scenario whose medal it reaches.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session

from lms.domain import audit
from lms.domain.curriculum.overview import get_programme
from lms.domain.people_statements import PerPeople, fixed_ids
from lms.domain.practice.scoring import at_least, medal_for
from lms.models import Assignment, PracticeRun, Scenario, User

DEFAULT_MEDAL = "silver"


def go_live_scenarios(programme_spec: dict[str, Any] | None) -> tuple[list[str], str]:
    """The scenarios the programme's go-live rules name, and the medal they ask for."""
    rules = (programme_spec or {}).get("go_live", {}) or {}
    return list(rules.get("scenarios", []) or []), str(rules.get("scenario_medal") or DEFAULT_MEDAL)


def best_scores_statement(
    who: Any, scenario_ids: Sequence[int] | None = None
) -> Select[tuple[int, int, int | None]]:
    """Per person in `who` and scenario in `scenario_ids` (or bound at run time): the best score of a
    run that earned a medal."""
    return (
        select(PracticeRun.user_id, PracticeRun.scenario_id, func.max(PracticeRun.score))
        .where(
            PracticeRun.user_id.in_(who),
            PracticeRun.scenario_id.in_(bindparam("scenario_ids", expanding=True))
            if scenario_ids is None
            else fixed_ids(PracticeRun.scenario_id, scenario_ids),
            PracticeRun.medal.is_not(None),
            PracticeRun.preview.is_(False),
        )
        .group_by(PracticeRun.user_id, PracticeRun.scenario_id)
    )


_BEST_SCORES = PerPeople(best_scores_statement)


def best_scores(
    session: Session, who: Select[tuple[int]] | Sequence[int], scenario_ids: Sequence[int]
) -> dict[tuple[int, int], int]:
    """Per (user, scenario): the best score of a run that earned a medal, in one query."""
    if not scenario_ids:
        return {}
    rows = session.execute(*_BEST_SCORES(who, scenario_ids=list(scenario_ids))).tuples()
    return {(u, s): int(score) for u, s, score in rows if score is not None}


def best_medal(scores: dict[tuple[int, int], int], user_id: int, scenario_id: int) -> str | None:
    """The best medal from `best_scores`."""
    score = scores.get((user_id, scenario_id))
    return medal_for(score, False) if score is not None else None


def open_assignment(session: Session, user_id: int, scenario_id: int) -> Assignment | None:
    """The learner's open assignment of this scenario, if any."""
    return session.scalars(
        select(Assignment).where(
            Assignment.user_id == user_id,
            Assignment.scenario_id == scenario_id,
            Assignment.closed_at.is_(None),
        )
    ).one_or_none()


def is_official(session: Session, user: User, scenario: Scenario) -> bool:
    """Whether a run by this learner is recorded for trainers: a go-live requirement or an assignment."""
    programme = get_programme(session)
    slugs, _medal = go_live_scenarios(programme.spec if programme else None)
    return scenario.slug in slugs or open_assignment(session, user.id, scenario.id) is not None


def close_for_run(session: Session, run: PracticeRun, now: dt.datetime) -> list[Assignment]:
    """A medal closes the learner's open assignments of the scenario it reaches (given before the run ended)."""
    if run.medal is None or run.preview:
        return []
    closing = [
        a
        for a in session.scalars(
            select(Assignment).where(
                Assignment.user_id == run.user_id,
                Assignment.scenario_id == run.scenario_id,
                Assignment.closed_at.is_(None),
                Assignment.assigned_at <= (run.ended_at or now),
            )
        )
        if at_least(run.medal, a.medal or DEFAULT_MEDAL)
    ]
    for assignment in closing:
        assignment.closed_at, assignment.closed_how = now, "completed"
        assignment.closed_by_run_id = run.id
        audit.record(session, "assignment.complete", actor=run.user, target=assignment, after={"run": run.id})
    return closing
