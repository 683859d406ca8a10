"""The QC dashboard's scores by agent: monthly averages worked out by the database, one page of
agents at a time, by name."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from sqlalchemy.orm import Session

from lms.domain.qc.dashboard import month_start, scores_by_agent
from lms.models import SpotCheck, User
from tests.factories import UserFactory

TODAY = dt.date(2026, 11, 26)


def _checks(db: Session, agents: int, seed: int = 7) -> tuple[list[User], list[tuple[int, dt.date, float]]]:
    rng = random.Random(seed)
    qc = UserFactory(roles=["qc"])
    people = [UserFactory(display_name=f"客服{n:02d}") for n in range(agents)]
    db.flush()
    made = []
    for agent in people:
        for _ in range(rng.randint(1, 6)):
            # up to eight months back: the two oldest are outside the six shown
            day = TODAY - dt.timedelta(days=rng.randint(0, 240))
            percent = rng.choice([55.0, 72.5, 80.0, 91.0, 100.0])
            db.add(SpotCheck(agent_id=agent.id, checker_id=qc.id, checked_on=day, percent=percent))
            made.append((agent.id, day, percent))
    db.commit()
    return people, made


def _expected(
    people: list[User], made: list[tuple[int, dt.date, float]]
) -> tuple[list[str], dict[int, list]]:
    months = [month_start(TODAY, back).strftime("%Y-%m") for back in range(5, -1, -1)]
    sums: dict[int, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for agent_id, day, percent in made:
        if day >= month_start(TODAY, 5):
            sums[agent_id][day.strftime("%Y-%m")].append(percent)
    return months, {
        agent_id: [round(sum(v) / len(v), 1) if (v := by_month.get(m)) else None for m in months]
        for agent_id, by_month in sums.items()
    }


def test_monthly_averages_are_those_of_the_checks_and_pages_go_by_name(db: Session) -> None:
    people, made = _checks(db, 13)
    months, expected = _expected(people, made)
    whole = scores_by_agent(db, TODAY)
    assert whole.months == months == ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"]
    assert whole.total == len(expected) == len(whole.series)
    assert {s.agent.id: s.values for s in whole.series} == expected
    names = [s.agent.display_name for s in whole.series]
    assert names == sorted(names)
    pages = [scores_by_agent(db, TODAY, offset=offset, limit=5) for offset in (0, 5, 10)]
    assert [s.agent.id for p in pages for s in p.series] == [s.agent.id for s in whole.series]
    assert all(p.total == whole.total for p in pages)


def test_no_checks_no_rows(db: Session) -> None:
    nothing = scores_by_agent(db, TODAY)
    assert (nothing.total, nothing.series, len(nothing.months)) == (0, [], 6)
