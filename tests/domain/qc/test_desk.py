"""The QC desk: live agents not checked lately (never first), this week's checks, the topics failing most."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from lms.domain.qc.desk import checks_this_week, not_checked, top_failing_topics, week_start
from lms.models import Certificate, SpotCheck, SpotCheckResult, User
from lms.models.certification import GO_LIVE
from tests.factories import UserFactory

NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.UTC)  # a Thursday
TODAY = NOW.date()


def _live(db: Session, name: str) -> User:
    user = UserFactory(display_name=name)
    db.flush()
    db.add(Certificate(user_id=user.id, kind=GO_LIVE, code=f"code-{user.id}", issued_at=NOW))
    return user


def _check(
    db: Session, agent: User, checker: User, on: dt.date, *, created: dt.datetime, fail: tuple[str, ...] = ()
) -> None:
    check = SpotCheck(
        agent_id=agent.id, checker_id=checker.id, checked_on=on, percent=80.0, created_at=created
    )
    db.add(check)
    db.flush()
    for position, topic in enumerate(fail):
        db.add(
            SpotCheckResult(
                spot_check_id=check.id,
                position=position,
                label=topic,
                points=10,
                topics=[topic],
                outcome="fail",
            )
        )


def test_agents_not_checked_never_first_then_longest(db: Session) -> None:
    qc = UserFactory(roles=["qc"])
    never_b, never_a, long_ago, recent = (
        _live(db, n) for n in ("B never", "A never", "C long ago", "D recent")
    )
    UserFactory(display_name="not live")
    _check(db, long_ago, qc, TODAY - dt.timedelta(days=45), created=NOW)
    _check(db, recent, qc, TODAY - dt.timedelta(days=3), created=NOW)
    db.commit()
    found = not_checked(db, TODAY, 30, limit=2)
    assert found.count == 3 and found.more == 1
    assert [u.agent.display_name for u in found.first] == ["A never", "B never"]
    assert [u.agent.id for u in not_checked(db, TODAY, 30, limit=9).first] == [
        never_a.id,
        never_b.id,
        long_ago.id,
    ]
    further = not_checked(db, TODAY, 30, limit=2, offset=2)  # the dashboard's second page of two
    assert further.count == 3 and [u.agent.id for u in further.first] == [long_ago.id]
    assert not_checked(db, TODAY, 30, limit=2, offset=4).first == []
    assert not_checked(db, TODAY, 60).count == 2 and not_checked(db, TODAY, 2).count == 4
    assert recent not in [u.agent for u in not_checked(db, TODAY, 30, limit=9).first]


def test_checks_this_week_and_failing_topics(db: Session) -> None:
    me, colleague = UserFactory(roles=["qc"]), UserFactory(roles=["qc"])
    agent = _live(db, "Agent")
    monday = week_start(NOW)
    assert monday == dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
    _check(db, agent, me, TODAY, created=monday + dt.timedelta(hours=9), fail=("value-talk", "rules"))
    _check(db, agent, colleague, TODAY, created=NOW, fail=("value-talk",))
    _check(db, agent, me, TODAY - dt.timedelta(days=5), created=monday - dt.timedelta(minutes=1))
    db.commit()
    week = checks_this_week(db, me, NOW)
    assert (week.count, week.mine) == (2, 1) and week.latest[0].checker_id == colleague.id
    topics = top_failing_topics(db, TODAY, limit=1)
    assert topics.count == 2 and topics.first == [("value-talk", 2)]
    assert checks_this_week(db, me, NOW + dt.timedelta(days=7)).count == 0
