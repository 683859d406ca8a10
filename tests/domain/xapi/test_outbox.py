"""xAPI statements: recorded in the learner's transaction when xAPI is on, sent in batches with backoff."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.content.specs import QuestionSpec
from lms.domain.authoring.question_import import import_questions
from lms.domain.learning import attempts as engine
from lms.domain.learning.lessons import mark_done
from lms.domain.xapi.outbox import INFO_KEY, OutboxSummary, latest, summary
from lms.domain.xapi.sender import backoff, send_pending
from lms.models import Attempt, Quiz, User, XapiStatement
from tests.factories import LessonFactory, UserFactory

HOME = "https://academy.example.com"
T0 = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)


def make_quiz(db: Session) -> Quiz:
    specs = [
        QuestionSpec(
            "paid-state",
            "single",
            "顾客付款后订单是什么状态？",
            1.0,
            (),
            "",
            {
                "choices": [
                    {"text": "买家已付款，等待卖家发货", "weight": 100},
                    {"text": "交易成功", "weight": 0},
                ]
            },
        ),
        QuestionSpec(
            "dispute-hours",
            "numeric",
            "签收后多少小时内申请退货？",
            1.0,
            (),
            "",
            {"answers": [{"value": 72, "tolerance": 0, "weight": 100}]},
        ),
    ]
    import_questions(db, "order-check", specs)
    quiz = db.scalars(select(Quiz).where(Quiz.slug == "order-check")).one()
    quiz.published, quiz.pass_percent = True, 60
    db.commit()
    return quiz


def learn(db: Session, user: User, quiz: Quiz, hours: int = 72) -> Attempt:
    """A lesson read, then an attempt answered and submitted (graded at once)."""
    mark_done(db, user, LessonFactory())
    db.commit()
    attempt = engine.start_attempt(db, user, quiz, T0, seed=1)
    for item in attempt.items:
        engine.serve_item(item, T0)
    db.commit()
    engine.save_response(db, attempt, "paid-state", {"choice": 0}, T0 + dt.timedelta(seconds=30))
    engine.save_response(db, attempt, "dispute-hours", {"value": hours}, T0 + dt.timedelta(seconds=75))
    engine.submit_attempt(db, attempt, T0 + dt.timedelta(minutes=2))
    db.commit()
    return attempt


def rows(db: Session) -> list[XapiStatement]:
    return list(db.scalars(select(XapiStatement).order_by(XapiStatement.id)))


def test_nothing_is_recorded_while_xapi_is_off(db: Session) -> None:
    learn(db, UserFactory(), make_quiz(db))
    assert rows(db) == []


def test_a_lesson_and_a_quiz_become_statements_in_xapi_shape(db: Session) -> None:
    db.info[INFO_KEY] = HOME
    user = UserFactory(username="xiaowang")
    attempt = learn(db, user, make_quiz(db), hours=48)
    found = rows(db)
    assert [r.kind for r in found] == ["lesson-completed", "answered", "answered", "failed"]
    assert all(r.sent_at is None and r.user_id == user.id for r in found)
    lesson, right, wrong, graded = (r.statement for r in found)
    for statement in (lesson, right, wrong, graded):
        assert uuid.UUID(statement["id"]).version == 5
        assert statement["actor"] == {
            "objectType": "Agent",
            "account": {"homePage": HOME, "name": "xiaowang"},
        }
        assert statement["version"] == "1.0.3" and statement["timestamp"].endswith("Z")
    assert lesson["verb"]["id"] == "http://adlnet.gov/expapi/verbs/completed"
    assert lesson["object"]["id"].startswith(f"{HOME}/courses/") and "/lessons/" in lesson["object"]["id"]
    assert right["verb"]["id"] == "http://adlnet.gov/expapi/verbs/answered"
    assert right["object"]["id"] == f"{HOME}/quizzes/order-check/questions/paid-state"
    assert right["object"]["definition"]["interactionType"] == "choice"
    assert right["result"]["success"] is True and right["result"]["score"]["scaled"] == 1
    assert right["result"]["response"] == '{"choice": 0}' and right["result"]["duration"] == "PT30S"
    assert wrong["result"]["success"] is False and wrong["result"]["response"] == '{"value": 48}'
    assert graded["verb"]["id"] == "http://adlnet.gov/expapi/verbs/failed"
    assert attempt.passed is False and graded["result"]["success"] is False
    assert graded["result"]["score"] == {"raw": 1.0, "min": 0, "max": 2.0, "scaled": 0.5}
    assert graded["result"]["duration"] == "PT120S"
    assert right["context"]["registration"] == graded["context"]["registration"]


def test_a_submit_whose_items_were_never_loaded_records_their_gradings(db: Session) -> None:
    """The API submits an attempt read without its items (graded from rows): the statements still
    carry each item's written grading."""
    db.info[INFO_KEY] = HOME
    user = UserFactory(username="xiaoli")
    attempt = engine.start_attempt(db, user, make_quiz(db), T0, seed=1)
    engine.save_response(db, attempt, "paid-state", {"choice": 0}, T0 + dt.timedelta(seconds=30))
    engine.save_response(db, attempt, "dispute-hours", {"value": 72}, T0 + dt.timedelta(seconds=60))
    db.commit()
    attempt_id = attempt.id
    db.expunge_all()
    fresh = engine.get_attempt(db, db.get(User, user.id), attempt_id, items=False, lock=True)
    assert "items" not in fresh.__dict__
    engine.submit_attempt(db, fresh, T0 + dt.timedelta(minutes=2), read_after_lock=True)
    db.commit()
    found = rows(db)
    assert [r.kind for r in found] == ["answered", "answered", "passed"]
    assert [r.statement["result"]["success"] for r in found[:2]] == [True, True]
    assert found[2].statement["result"]["score"] == {"raw": 2.0, "min": 0, "max": 2.0, "scaled": 1.0}


def test_recording_again_adds_nothing(db: Session) -> None:
    db.info[INFO_KEY] = HOME
    user = UserFactory()
    learn(db, user, make_quiz(db))
    count = len(rows(db))
    from lms.domain.xapi import outbox

    attempt = db.scalars(select(Attempt)).one()
    outbox.attempt_graded(db, attempt, T0)
    db.commit()
    assert len(rows(db)) == count


def test_sending_marks_sent_and_a_failing_store_backs_off(db: Session) -> None:
    db.info[INFO_KEY] = HOME
    learn(db, UserFactory(), make_quiz(db))
    total = len(rows(db))
    calls: list[int] = []

    def down(batch: list[dict]) -> int:
        calls.append(len(batch))
        raise ConnectionRefusedError("store down")

    report = send_pending(db, down, T0)
    assert (report.sent, report.failed, calls) == (0, total, [total])
    waiting = rows(db)
    assert all(
        r.tries == 1 and r.next_try_at == T0 + backoff(1) and "store down" in (r.last_error or "")
        for r in waiting
    )
    assert send_pending(db, down, T0 + dt.timedelta(seconds=30)).batches == 0  # not due yet

    def up(batch: list[dict]) -> int:
        calls.append(len(batch))
        return 200

    later = T0 + dt.timedelta(minutes=2)
    assert send_pending(db, up, later).sent == total
    assert send_pending(db, up, later).batches == 0  # never sent twice
    assert all(r.sent_at == later and r.last_error is None for r in rows(db))


def test_a_statement_the_store_refuses_does_not_hold_back_the_others(db: Session) -> None:
    db.info[INFO_KEY] = HOME
    learn(db, UserFactory(), make_quiz(db))
    poison = rows(db)[1].statement_id

    def picky(batch: list[dict]) -> int:
        return 400 if any(s["id"] == poison for s in batch) else 204

    report = send_pending(db, picky, T0)
    assert report.failed == 1 and report.sent == len(rows(db)) - 1
    assert summary(db) == OutboxSummary(sent=len(rows(db)) - 1, waiting=0, failing=1)
    assert [r.statement_id for r in latest(db, failing_only=True)] == [poison]
    refused = [r for r in rows(db) if r.sent_at is None]
    assert [r.statement_id for r in refused] == [poison] and refused[0].last_error == "HTTP 400"


@pytest.mark.parametrize(("tries", "minutes"), [(1, 1), (2, 2), (5, 16), (30, 360)])
def test_backoff_grows_and_stops_at_six_hours(tries: int, minutes: int) -> None:
    assert backoff(tries) == dt.timedelta(minutes=minutes)


def test_an_unreachable_store_blocks_neither_the_jobs_nor_learning(
    db: Session, database_url: str, tmp_path
) -> None:
    import socket

    from lms.jobs import run_jobs
    from tests.conftest import make_config

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed once the block ends: nobody listens there
    config = make_config(database_url, tmp_path, xapi_endpoint=f"http://127.0.0.1:{port}/xAPI")
    db.info[INFO_KEY] = HOME
    user = UserFactory()
    learn(db, user, make_quiz(db))
    report = run_jobs(db, config, T0 + dt.timedelta(minutes=5))
    assert report.xapi is not None and report.xapi.sent == 0 and report.xapi.failed == len(rows(db))
    assert all(r.tries == 1 and "ConnectionRefused" in (r.last_error or "") for r in rows(db))
    mark_done(db, user, LessonFactory())  # learning goes on; its statement waits in the outbox
    db.commit()
    assert rows(db)[-1].kind == "lesson-completed" and rows(db)[-1].sent_at is None


def test_a_trainers_sign_off_that_issues_the_certificate_records_it(db: Session) -> None:
    from lms.config import PROJECT_ROOT
    from lms.content.loader import check
    from lms.domain.certification import golive
    from lms.domain.curriculum.sync import sync_content
    from tests.domain.certification.test_golive import _complete_everything

    tree, problems = check(PROJECT_ROOT)
    assert problems == []
    sync_content(db, tree)
    db.commit()
    db.info[INFO_KEY] = HOME
    user = UserFactory(username="xiaochen")
    db.commit()
    _complete_everything(db, user, signoff=True)  # the sign-off is the last requirement
    certificate = golive.certificate_of(db, user)
    assert certificate is not None
    earned = [r for r in rows(db) if r.kind == "certificate-earned"]
    assert len(earned) == 1 and earned[0].statement["object"]["id"] == f"{HOME}/certificates/go-live"
    golive.maybe_issue_go_live(db, user, T0)  # asked again: the same certificate, no second statement
    db.commit()
    assert len([r for r in rows(db) if r.kind == "certificate-earned"]) == 1
