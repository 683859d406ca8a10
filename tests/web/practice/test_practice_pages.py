"""Practice chats in the browser: the list, the chat window, bad input, the trainer's pages, authoring."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.domain.curriculum.sync import sync_content
from lms.models import PracticeRun, PracticeTurn, Scenario
from tests.domain.practice.test_runs import BAD, GOLD
from tests.factories import UserFactory

HX = {"HX-Request": "true"}


@pytest.fixture
def loaded(db: Session) -> None:
    tree, _ = check(PROJECT_ROOT)
    sync_content(db, tree)
    db.commit()


def _start(client: FlaskClient) -> int:
    response = client.post("/practice/cheaper-elsewhere/start")
    assert response.status_code == 302
    match = re.search(r"/practice/runs/(\d+)", response.headers["Location"])
    assert match
    return int(match.group(1))


def test_a_learner_plays_to_gold_and_reads_why(client: FlaskClient, login_as, db: Session, loaded) -> None:
    login_as("learner")
    page = client.get("/practice/").get_data(as_text=True)
    assert "cheaper-elsewhere" in page
    run_id = _start(client)
    page = client.get(f"/practice/runs/{run_id}").get_data(as_text=True)
    assert 'id="practice-thread"' in page and "data-shows-at" in page and 'name="turn" value="1"' in page
    for number, text in enumerate(GOLD, start=1):
        response = client.post(
            f"/practice/runs/{run_id}/reply", data={"text": text, "turn": number}, headers=HX
        )
        assert response.status_code == 200, response.get_data(as_text=True)
    page = response.get_data(as_text=True)
    assert "The chat has ended" in page and "Gold" in page and "Key point met" in page
    history = client.get("/practice/cheaper-elsewhere").get_data(as_text=True)
    assert "Gold" in history and f"/practice/runs/{run_id}" in history


def test_a_red_line_fails_the_turn_and_the_transcript_says_why(
    client: FlaskClient, login_as, db: Session, loaded
) -> None:
    login_as("learner")
    run_id = _start(client)
    client.post(f"/practice/runs/{run_id}/reply", data={"text": BAD, "turn": 1}, headers=HX)
    client.post(
        f"/practice/runs/{run_id}/reply", data={"text": "好的亲，249给你便宜点。", "turn": 2}, headers=HX
    )
    page = client.get(f"/practice/runs/{run_id}").get_data(as_text=True)
    assert (
        "flagged" in page
        and "failed: red line" in page
        and "最便宜" in page
        and "absolute-lowest-price" in page
    )


def test_bad_input_gets_404_409_413_and_changes_nothing(
    client: FlaskClient, login_as, db: Session, loaded
) -> None:
    other = UserFactory()
    db.commit()
    login_as("learner")
    run_id = _start(client)
    assert _start(client) == run_id  # a reload (or a second start) resumes
    assert (
        client.post(
            f"/practice/runs/{run_id}/reply", data={"text": "亲" * 10_000, "turn": 1}, headers=HX
        ).status_code
        == 413
    )
    assert (
        client.post(
            f"/practice/runs/{run_id}/reply", data={"text": GOLD[0], "turn": 2}, headers=HX
        ).status_code
        == 409
    )
    assert (
        client.post(
            f"/practice/runs/{run_id}/reply", data={"text": GOLD[0], "turn": 1}, headers=HX
        ).status_code
        == 200
    )
    assert (
        client.post(
            f"/practice/runs/{run_id}/reply", data={"text": GOLD[0], "turn": 1}, headers=HX
        ).status_code
        == 409
    )
    turns = db.scalar(select(func.count()).select_from(PracticeTurn).where(PracticeTurn.run_id == run_id))
    assert turns == 2
    theirs = PracticeRun(user_id=other.id, scenario_id=db.scalar(select(Scenario.id)), version_id=1, seed=1)
    theirs.version_id = db.scalar(select(PracticeRun.version_id).where(PracticeRun.id == run_id))
    db.add(theirs)
    db.commit()
    assert client.get(f"/practice/runs/{theirs.id}").status_code == 404
    assert client.post(f"/practice/runs/{theirs.id}/reply", data={"text": "亲", "turn": 1}).status_code == 404
    assert client.post(f"/practice/runs/{run_id}/abandon").status_code == 302
    assert (
        client.post(
            f"/practice/runs/{run_id}/reply", data={"text": GOLD[1], "turn": 2}, headers=HX
        ).status_code
        == 409
    )
    assert db.scalar(select(func.count()).select_from(PracticeTurn).where(PracticeTurn.run_id == run_id)) == 2


def test_a_reply_is_a_bounded_number_of_queries(
    client: FlaskClient, login_as, db: Session, loaded, count_queries
) -> None:
    login_as("learner")
    run_id = _start(client)
    counts = []
    for number, text in enumerate(GOLD, start=1):
        with count_queries() as counter:
            response = client.post(
                f"/practice/runs/{run_id}/reply", data={"text": text, "turn": number}, headers=HX
            )
        assert response.status_code == 200
        counts.append(counter.count)
    assert max(counts[:3]) <= 20, counts
    assert counts[0] == counts[1] == counts[2], counts  # the same whatever the turn
    assert counts[3] <= 45, counts  # the last also scores the run and checks go-live and the tier


def test_trainer_pages_and_authoring_a_four_node_scenario(
    client: FlaskClient, login_as, db: Session, loaded
) -> None:
    login_as("trainer")
    assert client.get("/practice/manage").status_code == 200
    assert client.get("/practice/manage/cheaper-elsewhere").status_code == 200
    assert client.get("/practice/manage/new").status_code == 200
    data = {
        "slug": "gift-ask",
        "title": "能送个礼物吗",
        "persona": "想给男朋友买钱包的学生",
        "mood": "friendly",
        "target_seconds": "60",
        "node-0-id": "ask",
        "node-0-shopper": "能送个小礼物吗？\n买钱包送点什么吧",
        "node-0-key_points": "礼盒 / 防尘袋\n保养卡",
        "node-0-model": "亲，钱包本身就带礼盒、防尘袋和保养卡，送人很体面哦。",
        "node-0-branches": "discount -> ask-again\nmet -> bought\nalways -> ask-again",
        "node-1-id": "ask-again",
        "node-1-shopper": "那真的什么都不送吗？",
        "node-1-key_points": "礼盒",
        "node-1-branches": "met -> bought\nalways -> left",
        "node-2-id": "bought",
        "node-2-end": "order_placed",
        "node-2-shopper": "好吧，那我拍了。",
        "node-3-id": "left",
        "node-3-end": "left_unhappy",
        "node-3-shopper": "那算了。",
    }
    bad = client.post("/practice/manage/new", data={**data, "node-1-branches": "met -> nowhere"})
    assert bad.status_code == 422 and "unknown node" in bad.get_data(as_text=True)
    response = client.post("/practice/manage/new", data=data)
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/practice/manage/gift-ask/draft"
    )
    scenario = db.scalar(select(Scenario).where(Scenario.slug == "gift-ask"))
    assert scenario is not None and not scenario.published and scenario.source == "browser"
    preview = client.post("/practice/manage/gift-ask/preview")
    assert preview.status_code == 302
    client.post("/practice/manage/gift-ask/publish", data={"published": "1"})
    db.refresh(scenario)
    assert scenario.published
    form = client.get("/practice/manage/gift-ask/edit").get_data(as_text=True)
    assert "met -&gt; bought" in form and "礼盒 / 防尘袋" in form and 'value="ask-again"' in form
    again = client.post("/practice/manage/new", data={**data, "title": "能送个礼物吗？"})
    assert again.status_code == 302
    db.refresh(scenario)
    assert scenario.title == "能送个礼物吗？" and scenario.published  # a new version, still published
    assert scenario.current_version is not None and scenario.current_version.number == 2


def test_trainers_read_official_runs_only(client: FlaskClient, login_as, db: Session, loaded) -> None:
    learner = login_as("learner", display_name="赵磊 Zhao Lei")
    run_id = _start(client)
    for number, text in enumerate(GOLD, start=1):
        client.post(f"/practice/runs/{run_id}/reply", data={"text": text, "turn": number}, headers=HX)
    private = PracticeRun(
        user_id=learner.id,
        scenario_id=db.scalar(select(Scenario.id)),
        version_id=db.scalar(select(PracticeRun.version_id).where(PracticeRun.id == run_id)),
        official=False,
        status="abandoned",
    )
    db.add(private)
    db.commit()
    client.post("/logout")
    login_as("trainer")
    stats = client.get("/practice/manage/cheaper-elsewhere").get_data(as_text=True)
    assert "赵磊 Zhao Lei" in stats and "Gold" in stats and f"/practice/manage/runs/{run_id}" in stats
    transcript = client.get(f"/practice/manage/runs/{run_id}").get_data(as_text=True)
    assert "Turn 1: 100/100" in transcript and "practice-text" not in transcript
    assert client.get(f"/practice/manage/runs/{private.id}").status_code == 404
    assert client.get(f"/practice/runs/{run_id}").status_code == 404  # the chat window is the learner's


def test_the_chat_window_costs_the_same_queries_after_one_turn_and_after_the_end(
    client: FlaskClient, login_as, db: Session, loaded, count_queries
) -> None:
    login_as("learner")
    run_id = _start(client)
    client.post(f"/practice/runs/{run_id}/reply", data={"text": GOLD[0], "turn": 1}, headers=HX)
    with count_queries() as early:
        assert client.get(f"/practice/runs/{run_id}").status_code == 200
    for number, text in enumerate(GOLD[1:], start=2):
        client.post(f"/practice/runs/{run_id}/reply", data={"text": text, "turn": number}, headers=HX)
    with count_queries() as done:
        assert client.get(f"/practice/runs/{run_id}").status_code == 200
    assert early.count == done.count <= 12, (early.count, done.count)


def test_a_trainer_edits_a_scenario_file_in_the_browser(
    client: FlaskClient, login_as, db: Session, loaded
) -> None:
    login_as("trainer")
    page = client.get("/practice/manage/cheaper-elsewhere/source")
    assert page.status_code == 200 and "# 陪练" in page.get_data(as_text=True)
    scenario = db.scalar(select(Scenario).where(Scenario.slug == "cheaper-elsewhere"))
    assert scenario is not None and scenario.current_version is not None
    text = scenario.current_version.source_text
    url = "/practice/manage/cheaper-elsewhere/source"
    bad_rule = text.replace(
        '{ when = "red_line", next = "defensive" },', '{ rule = "no-such-rule", next = "defensive" },', 1
    )
    answer = client.post(url, data={"text": bad_rule, "version": 1})
    assert answer.status_code == 422 and "unknown rule id" in answer.get_data(as_text=True)
    bad_model = text.replace(
        "我帮您对比一下。我们这款是头层牛皮配铜五金", "我帮您对比一下。我们这款全网最便宜", 1
    )
    answer = client.post(url, data={"text": bad_model, "version": 1})
    assert answer.status_code == 422 and "breaks the rule book" in answer.get_data(as_text=True)
    new_title = text.replace('title = "别家更便宜：199元的“同款”公文包"', 'title = "别家更便宜"', 1)
    assert client.post(url, data={"text": new_title, "version": 1}).status_code == 302
    assert client.post(url, data={"text": new_title + "\n", "version": 1}).status_code == 409  # stale
    db.refresh(scenario)
    assert scenario.title == "别家更便宜" and scenario.current_version is not None
    assert scenario.current_version.number == 2
