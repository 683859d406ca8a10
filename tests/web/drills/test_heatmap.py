"""The trainer's heatmap: bounded queries for 200 agents × every entry, leeches shown, a focused
drill assigned moves the topic's due cards first; learners may not open it."""

from __future__ import annotations

import datetime as dt

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bench.drills import seed_drill_cohort
from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.domain.curriculum.sync import sync_content
from lms.domain.drills import cards
from lms.models import Cohort, FocusDrill, User


@pytest.fixture
def cohort(db: Session) -> Cohort:
    tree, _ = check(PROJECT_ROOT)
    sync_content(db, tree)
    found = Cohort(name="heat cohort", start_date=dt.date.today() - dt.timedelta(days=30))
    db.add(found)
    db.commit()
    return found


def test_the_heatmap_is_bounded_for_200_agents(
    client: FlaskClient, db: Session, cohort: Cohort, login_as, count_queries
) -> None:
    login_as("trainer")
    now = dt.datetime.now(dt.UTC)
    seed_drill_cohort(db, cohort, 20, now)
    db.commit()
    url = f"/author/drills/cohorts/{cohort.id}"
    with count_queries() as small:
        page = client.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Agent 00000" in html and "heat-4" in html and "heat-0" in html
    assert html.count('class="leeches">—') == 16  # agents 0, 5, 10 and 15 have leeches
    seed_drill_cohort(db, cohort, 180, now, first=20)
    db.commit()
    with count_queries() as large:
        assert client.get(url).status_code == 200
    assert large.count == small.count <= 14, large.statements


def test_a_focused_drill_puts_its_topic_first(
    client: FlaskClient, db: Session, cohort: Cohort, login_as
) -> None:
    login_as("qc")
    learner = User(
        username="focus-me", display_name="Focus", password_hash="x", locale="en", cohort_id=cohort.id
    )
    db.add(learner)
    db.commit()
    response = client.post(
        f"/author/drills/agents/{learner.id}/focus", data={"topic": "warranty", "cohort": cohort.id}
    )
    assert response.status_code == 302
    assert db.scalars(select(FocusDrill.topic).where(FocusDrill.user_id == learner.id)).all() == ["warranty"]
    served = cards.serve_next(db, learner, dt.datetime.now(dt.UTC))
    assert served is not None and "warranty" in served.card.entry.tags
    bad = client.post(f"/author/drills/agents/{learner.id}/focus", data={"topic": "nonsense"})
    assert bad.status_code == 302 and len(db.scalars(select(FocusDrill)).all()) == 1
    assert "Focus" in client.get(f"/author/drills/agents/{learner.id}").get_data(as_text=True)


def test_learners_cannot_open_the_heatmap(client: FlaskClient, db: Session, cohort: Cohort, login_as) -> None:
    login_as("learner")
    assert client.get(f"/author/drills/cohorts/{cohort.id}").status_code == 403
