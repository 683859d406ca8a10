"""The practice-chat API: start, reply on the server's clock, bad input refused without change."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.domain.accounts.tokens import create_token
from lms.domain.curriculum.sync import sync_content
from tests.domain.practice.test_runs import BAD, GOLD
from tests.factories import UserFactory


def _headers(db: Session) -> dict[str, str]:
    user = UserFactory()
    db.flush()
    _t, secret = create_token(db, user, "practice")
    db.commit()
    return {"Authorization": f"Bearer {secret}"}


def test_play_to_gold_through_the_api(client: FlaskClient, db: Session) -> None:
    tree, _ = check(PROJECT_ROOT)
    sync_content(db, tree)
    h, other = _headers(db), _headers(db)
    listed = client.get("/api/v1/practice/scenarios", headers=h).get_json()
    assert sorted(s["slug"] for s in listed["scenarios"]) == sorted(tree.scenarios)
    started = client.post("/api/v1/practice/scenarios/cheaper-elsewhere/runs", headers=h)
    assert started.status_code == 201
    run = started.get_json()
    assert run["waiting_turn"] == 1 and run["turns"][0]["shows_at"] and run["official"]
    url = f"/api/v1/practice/runs/{run['id']}"
    assert client.get(url, headers=other).status_code == 404
    assert client.post(f"{url}/replies", json={"text": GOLD[0], "turn": 1}, headers=other).status_code == 404
    assert client.post(f"{url}/replies", json={"text": "亲" * 10_000}, headers=h).status_code == 413
    assert client.post(f"{url}/replies", json={"text": GOLD[0], "turn": 2}, headers=h).status_code == 409
    assert client.post(f"{url}/replies", json={"txt": GOLD[0]}, headers=h).status_code == 422
    for turn, text in enumerate(GOLD, start=1):
        answer = client.post(f"{url}/replies", json={"text": text, "turn": turn}, headers=h)
        assert answer.status_code == 201, answer.get_json()
    done = answer.get_json()
    assert done["status"] == "finished" and done["medal"] == "gold" and done["waiting_turn"] is None
    assert all(t["score"] >= 90 for t in done["turns"] if t["reply"] is not None)
    again = client.post(f"{url}/replies", json={"text": GOLD[0], "turn": 5}, headers=h)
    assert again.status_code == 409
    assert client.post(f"{url}/abandon", headers=h).status_code == 409


def test_a_red_line_is_in_the_reasons(client: FlaskClient, db: Session) -> None:
    tree, _ = check(PROJECT_ROOT)
    sync_content(db, tree)
    h = _headers(db)
    run = client.post("/api/v1/practice/scenarios/cheaper-elsewhere/runs", headers=h).get_json()
    url = f"/api/v1/practice/runs/{run['id']}"
    client.post(f"{url}/replies", json={"text": BAD, "turn": 1}, headers=h)
    left = client.post(f"{url}/abandon", headers=h).get_json()
    assert left["status"] == "abandoned" and left["flagged"]
    first = left["turns"][0]
    assert first["failed"] and {h["rule"] for h in first["reasons"]["hits"]} >= {"absolute-lowest-price"}
