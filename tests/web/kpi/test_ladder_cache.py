"""The leaderboard's saved floor: reused while nothing it shows changed, read again at once after a
certificate, a promotion or a KPI import, and within a minute after a rename."""

from __future__ import annotations

import datetime as dt

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bench.leaderboard import seed_agents
from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.domain.curriculum.sync import sync_content
from lms.models import Certificate, TierAward, User
from lms.web.kpi import ladder_cache

NOW = dt.datetime(2027, 4, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def floor_of_60(db: Session) -> Session:
    tree, _ = check(PROJECT_ROOT)
    sync_content(db, tree)
    seed_agents(db, 60, NOW)
    db.commit()
    return db


def test_saved_floor_is_reused_and_refreshed_by_what_changes_it(
    floor_of_60: Session, client: FlaskClient, login_as, count_queries, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = floor_of_60
    login_as("trainer")
    with count_queries() as first:
        client.get("/staff/tiers?sort=name")
    with count_queries() as again:
        page = client.get("/staff/tiers?sort=name").get_data(as_text=True)
    assert again.count < first.count and "Agent 00000" in page
    newcomer = User(username="newcomer", display_name="Aaron Newcomer")
    db.add(newcomer)
    db.flush()
    db.add(Certificate(user_id=newcomer.id, kind="go-live", code="new-1", issued_at=NOW))
    db.commit()
    assert "Aaron Newcomer" in client.get("/staff/tiers?sort=name").get_data(as_text=True)  # certified: at once
    db.add(TierAward(user_id=newcomer.id, sequence=1, tier="gold", awarded_at=NOW, evidence={}))
    db.commit()
    top = client.get("/staff/tiers").get_data(as_text=True)
    assert top.index("Aaron Newcomer") < top.index("Agent 00000")  # promoted: at once
    agent = db.scalars(select(User).where(User.username == "agent0")).one()
    agent.display_name = "Agent Renamed"
    db.commit()
    assert "Agent Renamed" not in client.get("/staff/tiers?q=renamed").get_data(as_text=True)  # within the minute
    monkeypatch.setattr(ladder_cache, "MAX_AGE", 0.0)
    assert "Agent Renamed" in client.get("/staff/tiers?q=renamed").get_data(as_text=True)


def test_a_renamed_tier_shows_at_once(floor_of_60: Session, client: FlaskClient, login_as) -> None:
    from lms.models import Programme

    db = floor_of_60
    login_as("trainer")
    client.get("/staff/tiers")  # the floor is saved, tier names with it
    programme = db.scalars(select(Programme)).one()
    tiers = [dict(t) for t in programme.spec["tiers"]]
    tiers[0]["en"] = {**tiers[0].get("en", {}), "name": "Newcomer on the floor"}
    programme.spec = {**programme.spec, "tiers": tiers}
    db.commit()
    assert "Newcomer on the floor" in client.get("/staff/tiers").get_data(as_text=True)
