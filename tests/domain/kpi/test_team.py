"""The team's KPI month, one page at a time: the same rows, order and figures as the whole month read
in full, searchable, with the month's totals, in a number of statements that does not grow with the
team."""

from __future__ import annotations

import random

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from lms.domain.kpi.metrics import bonus
from lms.domain.kpi.scores import month_scores, scheme_for
from lms.domain.kpi.team import team_month
from lms.models import KpiRecord, Store, User
from tests.factories import StoreFactory, UserFactory, add_store

MONTH = "2027-02"


def _team(db: Session, size: int, seed: int = 3, start: int = 0) -> list[User]:
    """`size` agents with a month of numbers: most in one store, some in two, one metric missing now
    and then, and pairs of agents with equal numbers (ties are ordered by name)."""
    rng = random.Random(seed)
    main, second = StoreFactory(name=f"天猫旗舰店{start}"), StoreFactory(name=f"淘宝C店{start}")
    db.flush()
    agents = []
    for n in range(start, start + size):
        user = UserFactory(display_name=f"客服{n:03d} Agent {n}", username=f"agent{n:03d}")
        db.flush()
        add_store(db, user, main, main=True)
        stores: list[Store] = [main]
        if n % 4 == 0:
            add_store(db, user, second)
            stores.append(second)
        values = {
            "conversion_rate": rng.choice([18, 25, 32, 40, 45]),
            "avg_response_seconds": rng.choice([12, 20, 35]),
            "satisfaction": rng.choice([95.0, 97.5, 99.0]),
            "invite_rate": rng.choice([None, 70, 88]),
            "push_completion": 100,
        }
        for store in stores:
            db.add(KpiRecord(user_id=user.id, store_id=store.id, month=MONTH, **values))
        agents.append(user)
    db.commit()
    return agents


def _ids(rows) -> list[int]:  # type: ignore[no-untyped-def]
    return [r.user.id for r in rows]


@pytest.mark.parametrize("sort", ["score", "bonus", "name"])
def test_the_pages_put_together_are_the_month_read_in_full(db: Session, sort: str) -> None:
    _team(db, 23)
    full = month_scores(db, MONTH)
    if sort == "name":
        expected = sorted(full, key=lambda r: (r.user.display_name.casefold(), r.user.id))
    elif sort == "bonus":
        expected = sorted(full, key=lambda r: (-r.bonus, r.user.display_name, r.user.id))
    else:
        expected = sorted(full, key=lambda r: (-r.score, r.user.display_name, r.user.id))
    pages = [team_month(db, MONTH, sort=sort, page=n, per_page=10) for n in (1, 2, 3)]
    assert [p.page for p in pages] == [1, 2, 3] and pages[0].pages == 3
    assert [len(p.rows) for p in pages] == [10, 10, 3]
    assert [p.first_rank for p in pages] == [1, 11, 21]
    got = [row for p in pages for row in p.rows]
    assert _ids(got) == _ids(expected)
    by_id = {r.user.id: r for r in full}
    for row in got:  # the page's rows are the full rows: stores, score, band and bonus
        same = by_id[row.user.id]
        assert (row.score, row.base, row.bonus) == (same.score, same.base, same.bonus)
        assert [(s.name, sc.score, w) for s, sc, w in row.stores] == [
            (s.name, sc.score, w) for s, sc, w in same.stores
        ]


def test_the_months_totals_count_every_agent_whatever_the_page_or_search(db: Session) -> None:
    _team(db, 23)
    full = month_scores(db, MONTH)
    bands = scheme_for(db, MONTH).bands
    page = team_month(db, MONTH, query="agent 1", per_page=5)
    assert page.agents == 23
    assert page.average == round(sum(r.score for r in full) / 23, 2)
    assert page.bonus_total == round(sum(bonus(r.score, bands)[1] for r in full), 2)
    # "agent 1" is in Agent 1 and Agent 10-19: eleven, any case, by username or name
    assert page.matched == 11 and page.pages == 3 and len(page.rows) == 5
    assert team_month(db, MONTH, query="AGENT019").matched == 1
    assert team_month(db, MONTH, query="客服02").matched == 3  # 020, 021, 022
    nobody = team_month(db, MONTH, query="no such person")
    assert (nobody.matched, nobody.rows, nobody.pages, nobody.agents) == (0, [], 1, 23)


def test_a_page_out_of_range_shows_the_nearest_one(db: Session) -> None:
    _team(db, 7)
    assert team_month(db, MONTH, page=0, per_page=5).page == 1
    last = team_month(db, MONTH, page=10**9, per_page=5)
    assert last.page == 2 and len(last.rows) == 2
    empty = team_month(db, "2020-01")
    assert (empty.agents, empty.matched, empty.rows, empty.average, empty.bonus_total) == (0, 0, [], None, 0)


def test_a_page_costs_the_same_statements_for_ten_agents_or_sixty(
    app: Flask, db: Session, count_queries
) -> None:  # type: ignore[no-untyped-def]
    _team(db, 10, seed=1)
    with count_queries() as small:
        team_month(db, MONTH, per_page=5)
    _team(db, 50, seed=2, start=10)
    with count_queries() as large:
        assert len(team_month(db, MONTH, per_page=5).rows) == 5
    assert large.count == small.count <= 7
