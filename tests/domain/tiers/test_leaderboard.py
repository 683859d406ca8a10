"""The leaderboard at floor size: ranked by tier then KPI, by KPI or by name, searchable, paged, with
the same scores as the KPI page and a query count that does not grow with the floor."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from bench.leaderboard import MONTH, seed_agents
from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.domain.curriculum.sync import sync_content
from lms.domain.kpi.scores import month_scores, score_map
from lms.domain.tiers import leaderboard

NOW = dt.datetime(2027, 4, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def floor(db: Session) -> Session:
    tree, _ = check(PROJECT_ROOT)
    sync_content(db, tree)
    seed_agents(db, 120, NOW)
    db.commit()
    return db


def test_plain_column_scores_equal_the_kpi_page(floor: Session) -> None:
    assert score_map(floor, MONTH) == {e.user.id: e.score for e in month_scores(floor, MONTH)}


def test_tier_then_kpi_order_counts_and_pages(floor: Session) -> None:
    board = leaderboard.board(floor, per_page=50)
    assert board.total == 120 and board.pages == 3 and len(board.rows) == 50
    assert board.counts["ordinary"] == 80 and sum(board.counts.values()) == 120
    assert [r.rank for r in board.rows[:3]] == [1, 2, 3]
    order = list(board.counts)
    keys = [(-order.index(r.tier), -(r.score or 0)) for r in board.rows]
    assert keys == sorted(keys)
    assert board.rows[0].tier == "gold" and board.month == MONTH
    last = leaderboard.board(floor, page=99, per_page=50)
    assert last.page == 3 and len(last.rows) == 20 and last.rows[-1].rank == 120


def test_sort_by_kpi_or_name_and_search(floor: Session) -> None:
    by_kpi = leaderboard.board(floor, sort="kpi", per_page=200).rows
    assert [r.score for r in by_kpi] == sorted((r.score for r in by_kpi), reverse=True)
    by_name = leaderboard.board(floor, sort="name", per_page=5).rows
    assert [r.name for r in by_name] == [
        "Agent 00000",
        "Agent 00001",
        "Agent 00002",
        "Agent 00003",
        "Agent 00004",
    ]
    found = leaderboard.board(floor, query="agent 0011", per_page=50)
    assert found.total == 10 and {r.name for r in found.rows} == {f"Agent {i:05d}" for i in range(110, 120)}
    assert leaderboard.board(floor, query="agent11").total == 11  # the username: agent11, agent110…119
    assert leaderboard.board(floor, query="nobody").rows == []


def test_the_page_is_flat_in_queries_and_small(
    floor: Session,
    client: FlaskClient,
    login_as: Callable[..., object],
    count_queries: Callable[[], object],
    app: Flask,
) -> None:
    login_as("trainer")
    with count_queries() as small:  # type: ignore[attr-defined]
        page = client.get("/staff/tiers?sort=kpi&page=2")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert text.count("tier-badge tier-") == 50 and "<td>51</td>" in text
    seed_agents(floor, 600, NOW, first=120)
    floor.commit()
    with count_queries() as large:  # type: ignore[attr-defined]
        page = client.get("/staff/tiers?sort=kpi&page=2")
    assert large.count == small.count  # type: ignore[attr-defined]
    assert page.get_data(as_text=True).count("tier-badge tier-") == 50
    searched = client.get("/staff/tiers?q=Agent%2000007&page=abc&sort=bogus").get_data(as_text=True)
    assert "Agent 00007" in searched and "Agent 00008" not in searched
    assert "Agent 0000" not in client.get("/staff/tiers?q=zzz").get_data(as_text=True)
