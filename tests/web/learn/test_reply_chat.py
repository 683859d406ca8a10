"""The reply box works like a chat window: each message is sent and stamped; the review shows why."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.content.specs import QuestionSpec
from lms.domain.authoring.question_import import import_questions
from lms.domain.curriculum.sync import sync_content
from lms.models import Attempt, Quiz

BODY = {
    "customer": "这个包是真皮的吗？",
    "target_seconds": 20,
    "key_points": [{"points": 2, "phrases": ["头层"]}, {"points": 1, "phrases": ["保修"]}],
    "forbidden": [],
    "model_answer": "亲，这款是头层牛皮，五金一年保修。",
}
HX = {"HX-Request": "true"}


@pytest.fixture
def chat_quiz(db: Session) -> Quiz:
    tree, problems = check(PROJECT_ROOT)
    assert problems == []
    sync_content(db, tree)
    import_questions(
        db, "chat-practice", [QuestionSpec("leather", "reply", "Reply.", 3.0, (), "", dict(BODY))]
    )
    quiz = db.scalars(select(Quiz).where(Quiz.slug == "chat-practice")).one()
    quiz.published, quiz.pass_percent = True, 50
    db.commit()
    return quiz


def _start(client: FlaskClient, slug: str) -> int:
    response = client.post(f"/learn/quizzes/{slug}/start")
    return int(re.search(r"/attempts/(\d+)/0", response.headers["Location"]).group(1))


def test_the_question_is_a_chat_window_with_the_wording_box_in_practice(
    client: FlaskClient, login_as, chat_quiz: Quiz
) -> None:
    login_as("learner")
    attempt_id = _start(client, "chat-practice")
    page = client.get(f"/learn/attempts/{attempt_id}/0").get_data(as_text=True)
    assert "data-enter-sends" in page and f"/learn/attempts/{attempt_id}/0/messages" in page
    assert "Check my wording" in page and "/rulebook/check" in page


def test_messages_are_sent_one_by_one_and_stamped(
    client: FlaskClient, login_as, chat_quiz: Quiz, db: Session
) -> None:
    login_as("learner")
    attempt_id = _start(client, "chat-practice")
    client.get(f"/learn/attempts/{attempt_id}/0")
    first = client.post(
        f"/learn/attempts/{attempt_id}/0/messages", data={"text": "亲，在的，我帮您查一下"}, headers=HX
    )
    assert first.status_code == 200
    html = first.get_data(as_text=True)
    assert (
        'id="reply-thread"' in html
        and "亲，在的，我帮您查一下" in html
        and "within the 20-second standard" in html
    )
    empty = client.post(f"/learn/attempts/{attempt_id}/0/messages", data={"text": "  "}, headers=HX)
    assert empty.status_code == 422 and "The message is empty." in empty.get_data(as_text=True)
    # Without JavaScript the page reloads on the question.
    plain = client.post(f"/learn/attempts/{attempt_id}/0/messages", data={"text": "<b>头层牛皮</b>"})
    assert plain.status_code == 302 and plain.headers["Location"].endswith(f"/learn/attempts/{attempt_id}/0")
    # Text left in the box goes out with "Save and finish".
    done = client.post(f"/learn/attempts/{attempt_id}/0", data={"text": "一年保修", "go": "submit"})
    assert done.status_code == 302
    db.expire_all()
    item = db.get(Attempt, attempt_id).items[0]
    assert [m["text"] for m in item.response["messages"]] == [
        "亲，在的，我帮您查一下",
        "<b>头层牛皮</b>",
        "一年保修",
    ]
    page = client.get(f"/learn/attempts/{attempt_id}/0").get_data(as_text=True)
    assert "&lt;b&gt;头层牛皮&lt;/b&gt;" in page and "<b>头层牛皮</b>" not in page


def test_the_review_highlights_and_explains(client: FlaskClient, login_as, chat_quiz: Quiz) -> None:
    login_as("learner")
    attempt_id = _start(client, "chat-practice")
    client.get(f"/learn/attempts/{attempt_id}/0")
    client.post(
        f"/learn/attempts/{attempt_id}/0/messages", data={"text": "亲，这款不是头层，质量最好"}, headers=HX
    )
    client.post(f"/learn/attempts/{attempt_id}/submit")
    page = client.get(f"/learn/attempts/{attempt_id}").get_data(as_text=True)
    assert '<mark class="mark-block">最好</mark>' in page
    assert "red line" in page and "口碑很好" in page and "广告法" in page
    assert "only appears negated" in page


def test_the_review_says_everything_in_the_readers_language(
    client: FlaskClient, login_as, chat_quiz: Quiz, db: Session, monkeypatch
) -> None:
    """The grader's notes (kept in English for the API) are not repeated under the review: a Chinese
    reader sees the rule-book hits, the question's forbidden words and the key points in Chinese."""
    version = chat_quiz.questions[0].versions[-1]
    version.body = {**BODY, "forbidden": [{"points": 1, "penalty": 1, "phrases": ["五星好评", "给个好评"]}]}
    db.commit()
    login_as("learner", locale="zh_Hans")
    attempt_id = _start(client, "chat-practice")
    client.get(f"/learn/attempts/{attempt_id}/0")
    served = db.get(Attempt, attempt_id).items[0].served_at
    for seconds, text in ((45, "亲，这款是头层牛皮，加我微信再给个好评"), (130, "五金一年保修哦")):
        monkeypatch.setattr(
            "lms.web.learn.quiz_views.utcnow", lambda s=seconds: served + dt.timedelta(seconds=s)
        )
        client.post(f"/learn/attempts/{attempt_id}/0/messages", data={"text": text}, headers=HX)
    monkeypatch.undo()
    client.post(f"/learn/attempts/{attempt_id}/submit")
    page = client.get(f"/learn/attempts/{attempt_id}").get_data(as_text=True)
    assert "用了本题禁止的说法（扣1分）：五星好评 / 给个好评" in page
    assert "红线" in page and "微信" in page
    # the speed share's reasons, which only the grader's notes gave before
    assert "第一条消息用了45秒才发出，标准是20秒内。" in page
    assert "整段回复用了130秒，这道题的目标是" in page
    for english in ("Red line —", "Careful —", "The reply uses words", "Key point", "The first message"):
        assert english not in page, english


def test_an_exam_has_no_wording_box(client: FlaskClient, login_as, chat_quiz: Quiz, db: Session) -> None:
    chat_quiz.gates = ["go-live"]
    db.commit()
    login_as("learner")
    attempt_id = _start(client, "chat-practice")
    page = client.get(f"/learn/attempts/{attempt_id}/0").get_data(as_text=True)
    assert "Check my wording" not in page and "data-enter-sends" in page


def test_the_server_stamps_the_time(
    client: FlaskClient, login_as, chat_quiz: Quiz, db: Session, monkeypatch
) -> None:
    login_as("learner")
    attempt_id = _start(client, "chat-practice")
    client.get(f"/learn/attempts/{attempt_id}/0")
    served = db.get(Attempt, attempt_id).items[0].served_at
    monkeypatch.setattr("lms.web.learn.quiz_views.utcnow", lambda: served + dt.timedelta(seconds=33))
    html = client.post(f"/learn/attempts/{attempt_id}/0/messages", data={"text": "亲"}, headers=HX).get_data(
        as_text=True
    )
    assert "after 33 s" in html and "later than the 20-second standard" in html
