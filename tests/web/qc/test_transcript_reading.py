"""Reading a pasted transcript on the spot-check page: flags by line, response times, pre-filled items
that QC can override, and bad transcripts refused whole."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.domain.curriculum.rulebook import current_book
from lms.domain.curriculum.sync import sync_content
from lms.domain.qc.checklist import active_items, ensure_default_checklist
from lms.models import SpotCheck, User
from tests.factories import UserFactory

QIANNIU = (Path(__file__).parents[2] / "data" / "qianniu-transcript.txt").read_text(encoding="utf-8")


@pytest.fixture
def agent(db: Session) -> User:
    tree, problems = check(PROJECT_ROOT)
    assert problems == []
    sync_content(db, tree)
    ensure_default_checklist(db)
    user = UserFactory(username="wangfang", display_name="王芳 Wang Fang")
    db.commit()
    return user


def _items(db: Session) -> dict[str, int]:
    return {item.key: item.id for item in active_items(db)}


def _checked(page: str, name: str) -> str | None:
    found = re.search(rf'name="{name}" value="(\w+)" checked', page)
    return found.group(1) if found else None


def _note(page: str, item_id: int) -> str:
    found = re.search(rf'name="note-{item_id}"[^>]*value="([^"]*)"', page)
    return found.group(1) if found else ""


def test_reading_flags_lines_and_prefills_the_items(
    client: FlaskClient, login_as, agent: User, db: Session
) -> None:
    login_as("qc")
    items = _items(db)
    response = client.post(
        "/qc/spot-checks/new",
        data={
            "agent": str(agent.id),
            "checked_on": "2026-11-20",
            "channel": "chat",
            "transcript": QIANNIU,
            "action": "read",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="line-14"' in page and '<mark class="mark-block">最好</mark>' in page
    assert "replied after 45 s (to L12)" in page and "1 slower than 20 s" in page
    assert _checked(page, f"item-{items['first-reply']}") == "pass"
    assert _checked(page, f"item-{items['platform-rule']}") == "fail"
    assert "L14 “最好” (absolute-best)" in _note(page, items["platform-rule"])
    assert "L14 (45 s)" in _note(page, items["first-reply"])
    assert page.count("pre-filled from the transcript") == 2
    assert _checked(page, f"item-{items['handover']}") is None  # the reading does not decide it


def test_an_override_survives_reading_again_and_is_saved(
    client: FlaskClient, login_as, agent: User, db: Session
) -> None:
    login_as("qc")
    items = _items(db)
    data = {
        "agent": str(agent.id),
        "checked_on": "2026-11-20",
        "channel": "chat",
        "transcript": QIANNIU,
        "action": "read",
    }
    page = client.post("/qc/spot-checks/new", data=data).get_data(as_text=True)
    first = items["first-reply"]

    def fields(page: str) -> dict[str, str]:
        """What the browser would send back: choices, notes and the hidden pre-fill markers."""
        found = dict(re.findall(r'name="(auto-(?:item|note)-\d+)" value="([^"]*)"', page))
        for item_id in items.values():
            found[f"item-{item_id}"] = _checked(page, f"item-{item_id}") or "pass"
            found[f"note-{item_id}"] = _note(page, item_id)
        return found

    form = fields(page)
    form[f"item-{first}"], form[f"note-{first}"] = (
        "fail",
        "Holding line only after 15 s: too slow for a pre-sale",
    )
    again = client.post("/qc/spot-checks/new", data={**data, **form}).get_data(as_text=True)
    assert _checked(again, f"item-{first}") == "fail" and "too slow for a pre-sale" in again
    saved = client.post("/qc/spot-checks/new", data={**data, **fields(again), "action": "save"})
    assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]
    check_row = db.scalars(select(SpotCheck)).one()
    loaded = current_book(db)
    assert loaded is not None and check_row.rule_book_id == loaded.id
    results = {r.label: (r.outcome, r.note) for r in check_row.results}
    assert results["First reply within 20 seconds"] == (
        "fail",
        "Holding line only after 15 s: too slow for a pre-sale",
    )
    assert results["Platform rule applied correctly"][0] == "fail"
    shown = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert '<mark class="mark-block">最好</mark>' in shown and "replied after 45 s" in shown


@pytest.mark.parametrize(
    ("transcript", "message"),
    [
        ("顾客：在吗\n" * 131_072, "at most 100,000 are read"),  # 2 MB of UTF-8
        ("你好，请问这个包能放电脑吗".encode("gbk").decode("latin-1"), "opened as Western text"),
        ("顾客：\ufffd\ufffd\n客服：亲", "replacement marks"),
    ],
    ids=["2-mb", "gbk-as-latin-1", "replacement-marks"],
)
def test_a_transcript_too_long_or_garbled_is_refused_whole(
    client: FlaskClient, login_as, agent: User, db: Session, transcript: str, message: str
) -> None:
    login_as("qc")
    data = {"agent": str(agent.id), "checked_on": "2026-11-20", "channel": "chat", "transcript": transcript}
    data.update({f"item-{i}": "pass" for i in _items(db).values()})
    for action in ("read", "save"):
        response = client.post("/qc/spot-checks/new", data={**data, "action": action})
        page = response.get_data(as_text=True)
        assert response.status_code == 422 and message in page and "Nothing was saved" in page
        assert len(page) < 200_000  # megabytes are never echoed back
    assert db.scalar(select(func.count()).select_from(SpotCheck)) == 0


def test_an_unknown_form_is_kept_as_text_with_a_note(client: FlaskClient, login_as, agent: User) -> None:
    login_as("qc")
    page = client.post(
        "/qc/spot-checks/new",
        data={
            "agent": str(agent.id),
            "checked_on": "2026-11-20",
            "channel": "chat",
            "action": "read",
            "transcript": "Call back at three.\nSaid it was the best bag we have.",
        },
    ).get_data(as_text=True)
    assert "Kept as text" in page and "times could not be read" in page and "the best" in page
