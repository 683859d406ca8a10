"""Chat replies in attempts: messages stamped by the server, graded with the rule book of the day,
which the attempt keeps."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.content.specs import QuestionSpec
from lms.domain.authoring.question_import import import_questions
from lms.domain.curriculum.rulebook import current_book
from lms.domain.curriculum.sync import sync_content
from lms.domain.errors import Conflict
from lms.domain.learning import attempts as engine
from lms.models import Quiz, User
from tests.concurrency import run_in_parallel
from tests.factories import UserFactory

T0 = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)
BODY = {
    "customer": "这个包是真皮的吗？",
    "target_seconds": 20,
    "key_points": [{"points": 2, "phrases": ["头层"]}, {"points": 1, "phrases": ["保修"]}],
    "forbidden": [],
    "model_answer": "亲，这款是头层牛皮，五金一年保修。",
}


def seconds(n: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=n)


@pytest.fixture
def quiz(db: Session) -> Quiz:
    tree, problems = check(PROJECT_ROOT)
    assert problems == []
    sync_content(db, tree)
    import_questions(db, "reply-test", [QuestionSpec("leather", "reply", "Reply.", 3.0, (), "", dict(BODY))])
    found = db.scalars(select(Quiz).where(Quiz.slug == "reply-test")).one()
    found.published, found.pass_percent = True, 50
    db.commit()
    return found


def start(db: Session, quiz: Quiz):  # type: ignore[no-untyped-def]
    attempt = engine.start_attempt(db, UserFactory(), quiz, T0, seed=1)
    engine.serve_item(attempt.items[0], T0)
    db.commit()
    return attempt


def test_each_message_is_stamped_when_it_arrives(db: Session, quiz: Quiz) -> None:
    attempt = start(db, quiz)
    engine.send_message(db, attempt, "leather", "亲，在的，我帮您查一下", seconds(6))
    item = engine.send_message(db, attempt, "leather", "这款是头层牛皮，五金一年保修", seconds(50))
    assert item.response == {
        "messages": [
            {"text": "亲，在的，我帮您查一下", "seconds": 6.0},
            {"text": "这款是头层牛皮，五金一年保修", "seconds": 50.0},
        ]
    }
    assert item.elapsed_seconds == 6.0
    engine.submit_attempt(db, attempt, seconds(60))
    db.commit()
    assert attempt.score == 3.0  # the holding line kept the speed share


def test_the_messages_form_keeps_the_stamps_of_messages_already_sent(db: Session, quiz: Quiz) -> None:
    attempt = start(db, quiz)
    engine.save_response(db, attempt, "leather", {"messages": ["亲，稍等"]}, seconds(5))
    item = engine.save_response(
        db, attempt, "leather", {"messages": ["亲，稍等", "头层牛皮，一年保修"]}, seconds(40)
    )
    assert [m["seconds"] for m in item.response["messages"]] == [5.0, 40.0]
    item = engine.save_response(db, attempt, "leather", {"text": "重新写：头层牛皮"}, seconds(70))
    assert item.response == {"messages": [{"text": "重新写：头层牛皮", "seconds": 70.0}]}


def test_empty_and_foreign_messages_are_refused(db: Session, quiz: Quiz) -> None:
    attempt = start(db, quiz)
    with pytest.raises(engine.ResponseInvalid):
        engine.send_message(db, attempt, "leather", "   ", seconds(1))
    with pytest.raises(engine.ResponseInvalid):
        engine.save_response(db, attempt, "leather", {"messages": [{"text": "x", "seconds": 0}]}, seconds(1))
    engine.submit_attempt(db, attempt, seconds(2))
    with pytest.raises(Conflict):
        engine.send_message(db, attempt, "leather", "亲", seconds(3))


def test_an_attempt_keeps_the_rule_book_it_was_graded_with(db: Session, quiz: Quiz) -> None:
    attempt = start(db, quiz)
    engine.send_message(db, attempt, "leather", "亲，头层牛皮，一年保修，质量最好", seconds(5))
    engine.submit_attempt(db, attempt, seconds(6))
    db.commit()
    graded_with = current_book(db)
    assert graded_with is not None and attempt.rule_book_id == graded_with.id
    assert attempt.score == 0.0  # 最好 is a red line
    # The rule is dropped later: the past result and its review stay as they were.
    tree, _problems = check(PROJECT_ROOT)
    assert tree.rulebook is not None
    tree.rulebook = dataclasses.replace(
        tree.rulebook, rules=tuple(r for r in tree.rulebook.rules if r.id != "absolute-best")
    )
    sync_content(db, tree)
    db.commit()
    assert current_book(db).version == 2  # type: ignore[union-attr]
    book = engine.grading_book(db, attempt)
    assert book is not None and book.id == graded_with.id
    review = engine.get_type("reply").review(
        attempt.items[0].version.body, attempt.items[0].response, book.book
    )
    assert review["blocked"] and attempt.score == 0.0


def test_messages_sent_at_the_same_moment_are_all_kept(db: Session, quiz: Quiz, app) -> None:  # type: ignore[no-untyped-def]
    attempt = start(db, quiz)
    attempt_id, user_id = attempt.id, attempt.user_id
    numbers = itertools.count()

    def send(session: Session) -> None:
        n = next(numbers)
        mine = engine.get_attempt(session, session.get(User, user_id), attempt_id)
        engine.send_message(session, mine, "leather", f"消息{n}", seconds(n + 1))

    assert run_in_parallel(app, 4, send) == []
    db.expire_all()
    texts = sorted(m["text"] for m in attempt.items[0].response["messages"])
    assert texts == ["消息0", "消息1", "消息2", "消息3"]
