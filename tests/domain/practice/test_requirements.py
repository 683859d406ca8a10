"""A scenario as a requirement: the go-live checklist counts it, a medal feeds the certificate once,
and an assignment of a scenario is closed by a run with the medal it asks for."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from lms.domain.assignments.assigning import assign
from lms.domain.certification import golive
from lms.domain.curriculum.scenarios import by_slug
from lms.domain.practice.requirements import is_official
from lms.models import Assignment, Certificate, PracticeRun
from tests import factories
from tests.domain.certification.test_golive import _complete_everything
from tests.domain.practice.test_runs import GOLD, play, synced  # noqa: F401 - the fixture
from tests.domain.tiers.test_ladder import agents  # noqa: F401 - the fixture

__all__ = ["agents", "synced"]


def test_the_go_live_checklist_counts_the_scenario_and_a_medal_issues_the_certificate_once(
    synced: Session,  # noqa: F811
) -> None:
    learner = factories.UserFactory()
    synced.commit()
    _complete_everything(synced, learner, signoff=False)
    synced.execute(delete(PracticeRun).where(PracticeRun.user_id == learner.id))
    synced.commit()
    trainer = factories.UserFactory(roles=["trainer"])
    synced.flush()
    golive.sign_off(synced, trainer, learner, "Ready.", dt.datetime(2026, 12, 3, tzinfo=dt.UTC))
    synced.commit()
    requirements = golive.go_live_requirements(synced, learner)
    scenario_reqs = [r for r in requirements if r.kind == "scenario"]
    value_talk = ["cheaper-elsewhere", "discount-haggle", "throw-in-a-gift"]
    assert [r.key for r in scenario_reqs] == value_talk and not any(r.met for r in scenario_reqs)
    assert [r for r in requirements if not r.met] == scenario_reqs
    factories.pass_required_scenarios(synced, learner, value_talk[1:], dt.datetime(2026, 12, 3, tzinfo=dt.UTC))
    synced.commit()
    assert [r.met for r in golive.go_live_requirements(synced, learner) if r.kind == "scenario"] == [False, True, True]
    assert golive.certificate_of(synced, learner) is None
    scenario = by_slug(synced, "cheaper-elsewhere")
    assert scenario is not None and is_official(synced, learner, scenario)
    play(synced, learner, GOLD)
    assert [r.met for r in golive.go_live_requirements(synced, learner) if r.kind == "scenario"] == [True] * 3
    assert golive.certificate_of(synced, learner) is not None
    play(synced, learner, GOLD, seed=8)  # a second gold changes nothing
    assert (
        synced.scalar(select(func.count()).select_from(Certificate).where(Certificate.user_id == learner.id))
        == 1
    )


def test_an_assigned_scenario_is_closed_by_a_run_with_its_medal(synced: Session) -> None:  # noqa: F811
    learner, qc = factories.UserFactory(), factories.UserFactory(roles=["qc"])
    synced.commit()
    scenario = by_slug(synced, "cheaper-elsewhere")
    assert scenario is not None
    now = dt.datetime(2026, 12, 2, tzinfo=dt.UTC)
    assign(
        synced,
        qc,
        [learner.id],
        scenario=scenario,
        medal="gold",
        due_on=dt.date(2026, 12, 20),
        reason="复训：别家更便宜",
        source="qc",
        now=now,
    )
    synced.commit()
    assignment = synced.scalars(select(Assignment).where(Assignment.user_id == learner.id)).one()
    assert assignment.scenario_id == scenario.id and assignment.medal == "gold" and assignment.title
    run = play(synced, learner, GOLD)
    assert run.official and run.medal == "gold"
    synced.refresh(assignment)
    assert assignment.closed_how == "completed" and assignment.closed_by_run_id == run.id


def test_a_tier_can_ask_for_a_practice_chat_medal(db: Session, agents) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from lms.domain.curriculum.overview import get_programme
    from lms.domain.tiers import ladder

    programme = get_programme(db)
    assert programme is not None
    tiers = [dict(t) for t in programme.spec["tiers"]]
    tiers[1] = {**tiers[1], "scenarios": ["cheaper-elsewhere"], "scenario_medal": "gold"}
    programme.spec = {**programme.spec, "tiers": tiers}
    db.commit()
    wangfang = agents["wangfang"]
    today = dt.date(2026, 11, 24)
    _nxt, reqs = ladder.next_tier_requirements(db, wangfang, today)
    chat = next(r for r in reqs if r.key == "scenario:cheaper-elsewhere")
    assert not chat.met and chat.current is None and chat.target == 90
    play(db, wangfang, GOLD)
    _nxt, reqs = ladder.next_tier_requirements(db, wangfang, today)
    chat = next(r for r in reqs if r.key == "scenario:cheaper-elsewhere")
    assert chat.met and chat.current is not None and chat.current >= 90
