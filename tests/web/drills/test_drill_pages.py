"""The drill pages: one card at a time, the model answer only after answering, one review per serve,
nobody else's cards, the goal and streak on Today, the typing and first-response drills."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.domain.curriculum.calendar_days import working_days_before
from lms.domain.curriculum.programme import load_schedule
from lms.domain.curriculum.sync import sync_content
from lms.models import DrillCard, DrillReview, FaqEntry, FirstResponseRun, TypingRun, User
from tests.factories import CohortFactory, StoreFactory, UserFactory, add_store


@pytest.fixture
def new_hire(db: Session, login_as):  # type: ignore[no-untyped-def]
    """A learner on day 10 of the programme, signed in."""
    tree, _ = check(PROJECT_ROOT)
    sync_content(db, tree)
    db.commit()
    schedule = load_schedule(db)
    assert schedule is not None
    start = working_days_before(dt.date.today(), 9, schedule.days_off, schedule.holidays)
    cohort = CohortFactory(start_date=start)
    db.commit()
    return login_as("learner", cohort_id=cohort.id)


def _served(html: str) -> tuple[int, int]:
    card = re.search(r'name="card" value="(\d+)"', html)
    serve = re.search(r'name="serve" value="(\d+)"', html)
    assert card and serve, html
    return int(card.group(1)), int(serve.group(1))


def _first_reply_card(client: FlaskClient, db: Session) -> tuple[int, int, FaqEntry, str]:
    """Open the drill until a reply card is served (answering order cards right on the way)."""
    for _ in range(60):
        html = client.get("/learn/drill/").get_data(as_text=True)
        card_id, serve = _served(html)
        card = db.get(DrillCard, card_id)
        assert card is not None
        db.refresh(card)
        if card.entry.kind == "reply":
            return card_id, serve, card.entry, html
        client.post("/learn/drill/answer", data={"card": card_id, "serve": serve, "text": ""})
    raise AssertionError("no reply card served")


def test_the_model_answer_is_shown_only_after_answering_and_again_comes_back(
    client: FlaskClient, db: Session, new_hire: User
) -> None:
    card_id, serve, entry, html = _first_reply_card(client, db)
    assert entry.question in html and entry.answer not in html
    assert _served(client.get("/learn/drill/").get_data(as_text=True)) == (card_id, serve)  # resumes
    response = client.post("/learn/drill/answer", data={"card": card_id, "serve": serve, "text": "好的"})
    assert response.status_code == 302
    result = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Again" in result and entry.answer in result and "Key point" in result
    again = client.post("/learn/drill/answer", data={"card": card_id, "serve": serve, "text": entry.answer})
    assert again.headers["Location"] == response.headers["Location"]  # posted twice: the first review
    assert db.scalar(select(func.count()).select_from(DrillReview).where(DrillReview.card_id == card_id)) == 1
    stale = client.post("/learn/drill/answer", data={"card": card_id, "serve": serve + 5, "text": "x"})
    assert stale.status_code == 302 and stale.headers["Location"].endswith("/learn/drill/")


def test_another_agent_cannot_answer_or_read_a_card(
    client: FlaskClient, app, db: Session, new_hire: User
) -> None:
    card_id, serve, entry, _ = _first_reply_card(client, db)
    response = client.post(
        "/learn/drill/answer", data={"card": card_id, "serve": serve, "text": entry.answer}
    )
    review_url = response.headers["Location"]
    UserFactory(username="intruder")
    db.commit()
    other = app.test_client()
    other.post("/login", data={"username": "intruder", "password": "correct-horse-battery"})
    assert other.get(review_url).status_code == 404
    assert (
        other.post("/learn/drill/answer", data={"card": card_id, "serve": serve + 1, "text": "x"}).status_code
        == 404
    )


def test_today_shows_the_goal_and_the_streak(
    client: FlaskClient, db: Session, new_hire: User, count_queries
) -> None:
    assert "Streak: 0 days" in client.get("/learn/").get_data(as_text=True)
    card_id, serve, entry, _ = _first_reply_card(client, db)
    client.post("/learn/drill/answer", data={"card": card_id, "serve": serve, "text": entry.answer})
    add_store(db, new_hire, StoreFactory(name="行者箱包旗舰店"), main=True)
    add_store(db, new_hire, StoreFactory(name="行者皮具专营店"))
    # a review from before the streak window, which neither the count nor the streak sees
    old = dt.datetime(2020, 1, 6, tzinfo=dt.UTC)
    db.add(DrillReview(card_id=int(card_id), user_id=new_hire.id, source="drill", rating=3, at=old))
    db.commit()
    with count_queries() as reads:
        page = client.get("/learn/").get_data(as_text=True)
    assert "Streak: 1 day" in page and "Today: 1/20 cards" in page
    # the stores (in their order) and the drill's reviews come in one statement
    assert page.index("行者箱包旗舰店") < page.index("行者皮具专营店") and page.count("main store") == 1
    assert [s for s in reads.statements if "user_stores" in s] == [
        s for s in reads.statements if "drill_reviews" in s
    ]


def test_the_typing_drill_measures_characters_a_minute(
    client: FlaskClient, db: Session, new_hire: User
) -> None:
    html = client.get("/learn/drill/typing").get_data(as_text=True)
    run = db.scalars(select(TypingRun).where(TypingRun.user_id == new_hire.id)).one()
    assert 'name="run"' in html
    run.started_at -= dt.timedelta(seconds=60)
    db.commit()
    target = db.get(FaqEntry, run.entry_id).answer  # type: ignore[union-attr]
    response = client.post("/learn/drill/typing", data={"run": run.id, "text": target})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    db.refresh(run)
    assert run.errors == 0 and run.accuracy == 1.0 and run.cpm == pytest.approx(len(target), rel=0.05)
    assert "字/分" in page and "60 字/分 needed" in page


def test_the_first_response_drill_times_each_opening(
    client: FlaskClient, db: Session, new_hire: User
) -> None:
    client.get("/learn/drill/first-response")
    run = db.scalars(select(FirstResponseRun).where(FirstResponseRun.user_id == new_hire.id)).one()
    response = client.post(
        "/learn/drill/first-response", data={"run": run.id, "text": "亲，在的！请问有什么可以帮您？"}
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    db.refresh(run)
    assert run.passed and run.fitting and "In time and fitting" in page
    late = db.scalars(
        select(FirstResponseRun).where(
            FirstResponseRun.user_id == new_hire.id, FirstResponseRun.answered_at.is_(None)
        )
    ).one()
    late.served_at -= dt.timedelta(seconds=45)
    db.commit()
    client.post("/learn/drill/first-response", data={"run": late.id, "text": "亲，在的"})
    db.refresh(late)
    assert late.fitting and not late.passed


def test_a_hint_makes_a_right_answer_hard(client: FlaskClient, db: Session, new_hire: User) -> None:
    card_id, serve, entry, _ = _first_reply_card(client, db)
    client.post("/learn/drill/hint", data={"card": card_id, "serve": serve})
    page = client.get("/learn/drill/").get_data(as_text=True)
    assert "Hint:" in page and entry.answer not in page and "Show a hint" not in page
    response = client.post(
        "/learn/drill/answer", data={"card": card_id, "serve": serve, "text": entry.answer}
    )
    result = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Hard" in result and "Right after a hint" in result
