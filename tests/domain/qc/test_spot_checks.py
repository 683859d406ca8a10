"""Spot checks: scored from the checklist, bad input refused whole, failed topics suggest refreshers."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.config import PROJECT_ROOT
from lms.content.loader import check as check_content
from lms.domain.curriculum.sync import sync_content
from lms.domain.errors import DomainError
from lms.domain.qc.checklist import active_items, ensure_default_checklist, parse_topics
from lms.domain.qc.spot_checks import ItemOutcome, record_spot_check, spot_check_average, suggestions_for
from lms.models import SpotCheck, User
from tests.factories import StoreFactory, UserFactory

TODAY = dt.date(2026, 11, 24)
TRANSCRIPT = "顾客：这个包是真皮的吗？\n客服：亲，是头层牛皮的哦，您看一下细节图～"


@pytest.fixture
def people(db: Session) -> tuple[User, User]:
    assert ensure_default_checklist(db) == 7
    assert ensure_default_checklist(db) == 0  # only once
    qc = UserFactory(roles=("qc",))
    agent = UserFactory()
    db.commit()
    return qc, agent


def _outcomes(db: Session, fail: tuple[str, ...] = (), na: tuple[str, ...] = ()) -> dict[int, ItemOutcome]:
    result = {}
    for item in active_items(db):
        if item.key in fail:
            result[item.id] = ItemOutcome("fail", f"{item.label}: missed")
        elif item.key in na:
            result[item.id] = ItemOutcome("na")
        else:
            result[item.id] = ItemOutcome("pass")
    return result


def _record(db: Session, qc: User, agent: User, **overrides) -> SpotCheck:  # type: ignore[no-untyped-def]
    args = dict(
        store_id=None,
        checked_on=TODAY,
        channel="chat",
        transcript=TRANSCRIPT,
        outcomes=_outcomes(db),
        comment="",
        today=TODAY,
    )
    args.update(overrides)
    return record_spot_check(db, qc, agent, **args)


def test_score_is_passed_points_over_marked_points(db: Session, people) -> None:
    qc, agent = people
    store = StoreFactory()
    check = _record(
        db,
        qc,
        agent,
        store_id=store.id,
        outcomes=_outcomes(db, fail=("value-talk", "rating-invite"), na=("handover",)),
    )
    # 100 points in all; handover (10) is n/a, value talk (10) and the rating invite (10) failed: 70 / 90
    assert (check.score, check.max_score, check.percent) == (70.0, 90.0, 77.8)
    assert check.failed_topics == ["value-talk", "closing", "rating-invite"]
    assert [r.outcome for r in check.results].count("na") == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"checked_on": TODAY + dt.timedelta(days=1)}, "checked_on"),
        ({"channel": "email"}, "channel"),
        ({"transcript": "   "}, "transcript"),
        ({"transcript": "x" * 100_001}, "transcript"),
        ({"store_id": 999_999}, "store"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(db: Session, people, overrides, field: str) -> None:
    qc, agent = people
    with pytest.raises(DomainError) as err:
        _record(db, qc, agent, **overrides)
    assert err.value.field == field
    db.rollback()
    assert db.scalar(select(func.count()).select_from(SpotCheck)) == 0


def test_every_item_needs_an_outcome_and_a_failure_needs_a_note(db: Session, people) -> None:
    qc, agent = people
    outcomes = _outcomes(db)
    first = active_items(db)[0]
    del outcomes[first.id]
    with pytest.raises(DomainError, match="pass, fail or n/a"):
        _record(db, qc, agent, outcomes=outcomes)
    outcomes[first.id] = ItemOutcome("fail", "  ")
    with pytest.raises(DomainError, match="went wrong"):
        _record(db, qc, agent, outcomes=outcomes)
    all_na = {i: ItemOutcome("na") for i in outcomes}
    with pytest.raises(DomainError, match="At least one"):
        _record(db, qc, agent, outcomes=all_na)


def test_only_qc_records_and_only_agents_are_checked(db: Session, people) -> None:
    qc, agent = people
    trainer = UserFactory(roles=("trainer",))
    with pytest.raises(DomainError, match="Only QC"):
        _record(db, trainer, agent)
    with pytest.raises(DomainError) as err:
        _record(db, qc, trainer)
    assert err.value.field == "agent"


def test_average_reads_the_last_ninety_days(db: Session, people) -> None:
    qc, agent = people
    _record(db, qc, agent)  # 100
    _record(db, qc, agent, outcomes=_outcomes(db, fail=("no-argument",)))  # 80
    _record(
        db,
        qc,
        agent,
        checked_on=TODAY - dt.timedelta(days=120),
        outcomes=_outcomes(db, fail=("first-reply",)),
    )
    assert spot_check_average(db, agent, TODAY) == (90.0, 2)
    assert spot_check_average(db, UserFactory(), TODAY) == (None, 0)


def test_failed_topics_suggest_the_courses_that_teach_them(db: Session, people) -> None:
    tree, problems = check_content(PROJECT_ROOT)
    assert problems == []
    sync_content(db, tree)
    qc, agent = people
    check = _record(db, qc, agent, outcomes=_outcomes(db, fail=("no-argument", "rating-invite")))
    found = suggestions_for(db, check)
    assert found[0].kind == "course" and found[0].work.slug == "house-rules"
    assert found[0].topics == ["no-argument", "rating-invite"]
    quizzes = [s.work.slug for s in found if s.kind == "quiz"]
    assert "house-rules-check" in quizzes and not any(q.startswith("tier-") for q in quizzes)
    passed = _record(db, qc, agent)
    assert suggestions_for(db, passed) == []


def test_topics_are_parsed_and_checked() -> None:
    assert parse_topics("response-time, handover，handover") == ["response-time", "handover"]
    with pytest.raises(DomainError):
        parse_topics("Response Time!")
    with pytest.raises(DomainError):
        parse_topics(" ")
