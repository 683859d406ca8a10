"""Quiz editing in the browser: a new quiz, a question of every type, try it, versions, conflicts, roles."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.db import utcnow
from lms.domain.learning import attempts as engine
from lms.models import AuditEvent, Question, Quiz
from tests.factories import UserFactory
from tests.web.quiz_editing.question_forms import QUESTIONS


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    return found.group(1) if found else ""


@pytest.fixture
def quiz(client: FlaskClient, login_as, db: Session) -> str:
    login_as("trainer")
    page = client.get("/author/quizzes/new").get_data(as_text=True)
    response = client.post(
        "/author/quizzes/new",
        data={"csrf_token": _csrf(page), "slug": "returns-drill", "title": "Returns drill"},
    )
    assert response.status_code == 302
    return "returns-drill"


def _add(client: FlaskClient, slug: str, qtype: str, fields: dict[str, str]):  # type: ignore[no-untyped-def]
    page = client.get(f"/author/quizzes/{slug}/questions/new?type={qtype}").get_data(as_text=True)
    return client.post(
        f"/author/quizzes/{slug}/questions/new?type={qtype}", data={"csrf_token": _csrf(page), **fields}
    )


def test_a_question_of_every_type_is_written_in_the_browser(
    client: FlaskClient, quiz: str, db: Session
) -> None:
    for qtype, fields in QUESTIONS.items():
        response = _add(client, quiz, qtype, fields)
        assert response.status_code == 302, (qtype, response.get_data(as_text=True)[:3000])
    db.rollback()
    saved = db.scalars(select(Question).join(Quiz).where(Quiz.slug == quiz)).all()
    assert {q.current_version.type for q in saved} == set(QUESTIONS)
    reply = next(q for q in saved if q.key == "ships-today").current_version
    assert reply.body["key_points"][0] == {"points": 2, "phrases": ["今天", "today"]}
    # every saved key accepts its own right answer
    from lms.content.questions import REGISTRY

    for q in saved:
        kind = REGISTRY[q.current_version.type]
        key = kind.key_response(q.current_version.body)
        if key is not None:
            grade = kind.grade(q.current_version.body, q.current_version.points, key)
            assert grade.score == grade.max, q.key


def test_problems_are_listed_and_nothing_is_saved(client: FlaskClient, quiz: str, db: Session) -> None:
    broken = dict(QUESTIONS["single"], **{"choices-0-weight": "lots"})
    response = _add(client, quiz, "single", broken)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Nothing was saved" in page and "That the parcel looked intact" in page  # the text is kept
    db.rollback()
    assert db.scalars(select(Question)).all() == []


def test_editing_makes_a_new_version_and_a_stale_form_is_refused(
    client: FlaskClient, quiz: str, db: Session, app
) -> None:
    _add(client, quiz, "numeric", QUESTIONS["numeric"])
    page = client.get(f"/author/quizzes/{quiz}/questions/first-reply").get_data(as_text=True)
    version_id = re.search(r'name="expected_version" value="(\d+)"', page).group(1)
    base = {"csrf_token": _csrf(page), "expected_version": version_id, **QUESTIONS["numeric"]}
    first = client.post(
        f"/author/quizzes/{quiz}/questions/first-reply",
        data=dict(base, text="Maximum first reply, in seconds?"),
    )
    assert first.status_code == 302
    second = client.post(
        f"/author/quizzes/{quiz}/questions/first-reply", data=dict(base, text="A colleague's wording")
    )
    assert second.status_code == 409
    body = second.get_data(as_text=True)
    assert "Someone else saved this question" in body and "A colleague&#39;s wording" in body
    db.rollback()
    question = db.scalars(select(Question).where(Question.key == "first-reply")).one()
    assert [v.number for v in question.versions] == [1, 2]
    assert question.current_version.text == "Maximum first reply, in seconds?"
    assert db.scalars(select(AuditEvent).where(AuditEvent.action == "question.edit")).one()


def test_try_it_grades_a_sample_answer_without_storing_it(
    client: FlaskClient, quiz: str, db: Session
) -> None:
    _add(client, quiz, "reply", QUESTIONS["reply"])
    page = client.get(f"/author/quizzes/{quiz}/questions/ships-today").get_data(as_text=True)
    tried = client.post(
        f"/author/quizzes/{quiz}/questions/ships-today/try",
        data={"csrf_token": _csrf(page), "text": "亲，今天16点前就发出，最快明天到！"},
    )
    assert tried.status_code == 200
    assert "1 of 3 points" in tried.get_data(as_text=True)  # 3 for the key points, −2 for 最快
    db.rollback()
    from lms.models import Attempt

    assert db.scalars(select(Attempt)).all() == []


def test_trying_a_chat_reply_reviews_it_in_the_readers_language(
    client: FlaskClient, quiz: str, login_as, db: Session
) -> None:
    """A trainer reading Chinese sees the try panel's review as a learner's results page shows it:
    the forbidden words, the key points met and missed, the model answer; not the grader's English
    notes (the grade's `feedback`, kept for the API)."""
    _add(client, quiz, "reply", QUESTIONS["reply"])
    client.post("/logout", data={"csrf_token": _csrf(client.get("/staff/").get_data(as_text=True))})
    login_as("trainer", locale="zh_Hans")
    page = client.get(f"/author/quizzes/{quiz}/questions/ships-today").get_data(as_text=True)
    tried = client.post(
        f"/author/quizzes/{quiz}/questions/ships-today/try",
        data={"csrf_token": _csrf(page), "text": "亲，今天就发出，最快明天到！"},
    ).get_data(as_text=True)
    assert "用了本题禁止的说法（扣2分）：最快 / fastest" in tried
    assert '<mark class="mark-key">今天</mark>' in tried  # the key point met, marked
    assert "缺少：" in tried and "16点 / 4 pm" in tried  # the one missed
    assert "亲，16点前付款当天发货，您的订单今天就发出哦。" in tried  # the model answer
    assert tried.count('class="bubble customer"') == 1  # the customer's message once, above the answer box
    for english in ("The reply uses words", "Key point", "Missing:"):
        assert english not in tried, english
    # Bad input: blank is no answer; markup is shown as text; over the box's limit, a clear error.
    for text, expected in (
        ("  ", "请先作答再试。"),
        ("<script>alert(1)</script>今天", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("今" * 10_001, "is longer than 10000 characters"),
    ):
        answer = client.post(
            f"/author/quizzes/{quiz}/questions/ships-today/try",
            data={"csrf_token": _csrf(page), "text": text},
        )
        body = answer.get_data(as_text=True)
        assert answer.status_code == 200 and expected in body and "<script>alert" not in body, text[:20]
    db.rollback()
    assert db.scalars(select(Question)).one().current_version.number == 1  # nothing written


def test_settings_have_checks_and_publish(client: FlaskClient, quiz: str, db: Session) -> None:
    page = client.get(f"/author/quizzes/{quiz}").get_data(as_text=True)
    expected = re.search(r'name="expected" value="([^"]+)"', page).group(1)
    data = {
        "csrf_token": _csrf(page),
        "expected": expected,
        "title": "Returns drill",
        "pass_percent": "120",
        "max_attempts": "0",
        "cooldown_minutes": "5",
        "time_limit_minutes": "0",
        "grading": "highest",
        "review": "after_submit",
        "published": "1",
    }
    bad = client.post(f"/author/quizzes/{quiz}", data=data)
    assert bad.status_code == 422 and "whole number from 0 to 100" in bad.get_data(as_text=True)
    good = client.post(f"/author/quizzes/{quiz}", data=dict(data, pass_percent="80"))
    assert good.status_code == 302
    stale = client.post(f"/author/quizzes/{quiz}", data=dict(data, pass_percent="70"))
    assert stale.status_code == 409
    db.rollback()
    saved = db.scalars(select(Quiz).where(Quiz.slug == quiz)).one()
    assert saved.published and saved.pass_percent == 80 and saved.cooldown_minutes == 5


def test_old_attempts_keep_their_version(client: FlaskClient, quiz: str, db: Session) -> None:
    _add(client, quiz, "numeric", QUESTIONS["numeric"])
    db.rollback()
    quiz_row = db.scalars(select(Quiz).where(Quiz.slug == quiz)).one()
    quiz_row.published = True
    learner = UserFactory()
    db.commit()
    attempt = engine.start_attempt(db, learner, quiz_row, utcnow())
    db.commit()
    given = attempt.items[0].question_version_id
    page = client.get(f"/author/quizzes/{quiz}/questions/first-reply").get_data(as_text=True)
    assert "used in 1 attempt" in page
    version_id = re.search(r'name="expected_version" value="(\d+)"', page).group(1)
    client.post(
        f"/author/quizzes/{quiz}/questions/first-reply",
        data={
            "csrf_token": _csrf(page),
            "expected_version": version_id,
            **QUESTIONS["numeric"],
            "points": "2",
        },
    )
    db.rollback()
    assert db.get(type(attempt), attempt.id).items[0].question_version_id == given


def test_bank_search_by_text_and_tag(client: FlaskClient, quiz: str) -> None:
    _add(client, quiz, "single", QUESTIONS["single"])
    _add(client, quiz, "multiple", QUESTIONS["multiple"])
    assert "signed for the parcel" in client.get("/author/quizzes/bank?q=signed").get_data(as_text=True)
    by_tag = client.get("/author/quizzes/bank?tag=advertising-law").get_data(as_text=True)
    assert "never write" in by_tag and "signed for the parcel" not in by_tag


@pytest.mark.parametrize("role", ["learner", "qc"])
def test_learners_and_qc_cannot_author(client: FlaskClient, login_as, role: str) -> None:
    login_as(role)
    for path in ("/author/quizzes/new", "/author/quizzes/bank", "/author/edit/courses/x"):
        assert client.get(path).status_code == 403


def test_gates_and_draw_pools_are_checked_like_the_files(client: FlaskClient, quiz: str, db: Session) -> None:
    _add(client, quiz, "single", QUESTIONS["single"])  # tagged disputes
    _add(client, quiz, "multiple", QUESTIONS["multiple"])  # tagged advertising-law
    page = client.get(f"/author/quizzes/{quiz}").get_data(as_text=True)
    assert 'value="go-live"' in page
    data = {
        "csrf_token": _csrf(page),
        "expected": re.search(r'name="expected" value="([^"]+)"', page).group(1),
        "title": "Returns drill",
        "pass_percent": "80",
        "max_attempts": "0",
        "cooldown_minutes": "0",
        "time_limit_minutes": "0",
        "grading": "highest",
        "review": "after_submit",
        "gates": "go-live",
        "draw-0-tags": "disputes",
        "draw-0-count": "3",
    }
    too_many = client.post(f"/author/quizzes/{quiz}", data=data)
    assert too_many.status_code == 422, re.findall(
        r"class=\"(?:error|flash flash-error)\"[^>]*>([^<]*)", too_many.get_data(as_text=True)
    )
    assert "asks for 3 questions but only 1" in too_many.get_data(as_text=True)
    fine = client.post(
        f"/author/quizzes/{quiz}",
        data=dict(data, **{"draw-0-count": "1", "draw-1-tags": "advertising-law", "draw-1-count": "1"}),
    )
    assert fine.status_code == 302
    db.rollback()
    saved = db.scalars(select(Quiz).where(Quiz.slug == quiz)).one()
    assert saved.gates == ["go-live"]
    assert saved.draw == [{"tags": ["disputes"], "count": 1}, {"tags": ["advertising-law"], "count": 1}]


def test_questions_are_reordered(client: FlaskClient, quiz: str, db: Session) -> None:
    for qtype in ("single", "numeric", "essay"):
        _add(client, quiz, qtype, QUESTIONS[qtype])
    page = client.get(f"/author/quizzes/{quiz}").get_data(as_text=True)
    client.post(f"/author/quizzes/{quiz}/questions/hardest-quality/move/up", data={"csrf_token": _csrf(page)})
    client.post(
        f"/author/quizzes/{quiz}/questions/signed-means/move/up", data={"csrf_token": _csrf(page)}
    )  # top: no-op
    db.rollback()
    order = db.scalars(
        select(Question.key).join(Quiz).where(Quiz.slug == quiz).order_by(Question.position)
    ).all()
    assert order == ["signed-means", "hardest-quality", "first-reply"]


@pytest.mark.parametrize(
    "change",
    [
        {"choices-0-weight": "nan"},
        {"choices-0-weight": "inf"},
        {"points": "1e400"},
        {"text": ""},
        {"id": "Not A Slug!"},
        {"choices-1-text": "", "choices-1-weight": "", "choices-1-feedback": ""},  # one choice left
    ],
)
def test_hostile_question_input_is_refused_in_place(
    client: FlaskClient, quiz: str, db: Session, change
) -> None:
    response = _add(client, quiz, "single", dict(QUESTIONS["single"], **change))
    assert response.status_code == 422, change
    assert "Nothing was saved" in response.get_data(as_text=True)
    db.rollback()
    assert db.scalars(select(Question)).all() == []


def test_huge_or_malformed_ids_are_not_found_not_errors(
    client: FlaskClient, app, db: Session, quiz: str
) -> None:
    page = client.get("/author/quizzes/new").get_data(as_text=True)
    made = client.post(
        "/author/quizzes/new",
        data={"csrf_token": _csrf(page), "slug": "big-id", "title": "Big id", "course": "99999999999999"},
    )
    assert made.status_code == 302  # an unusable course id is "no course"
    from lms.domain.qc.checklist import ensure_default_checklist

    ensure_default_checklist(db)
    qc_user = UserFactory(roles=("qc",))
    db.commit()
    client = app.test_client()
    client.post("/login", data={"username": qc_user.username, "password": "correct-horse-battery"})
    assert client.get("/qc/?days=999999999999").status_code == 200
    assert client.get("/qc/?days=-5").status_code == 200
    form = client.get("/qc/spot-checks/new?agent=99999999999").get_data(as_text=True)
    response = client.post(
        "/qc/spot-checks/new",
        data={"csrf_token": _csrf(form), "agent": "99999999999", "store": "abc", "checked_on": "2026-11-20"},
    )
    assert response.status_code == 422 and "Choose an active agent." in response.get_data(as_text=True)


def test_the_english_version_is_written_beside_the_chinese(
    client: FlaskClient, quiz: str, db: Session
) -> None:
    fields = {
        **QUESTIONS["single"],
        "choices-2-text": "",  # an empty Chinese row: the English rows follow the filled ones
        "en-text": "What does the signature confirm?",
        "en-choices-0-text": "The parcel looked intact",
        "en-choices-0-feedback": "Right.",
        "en-choices-1-text": "The bag is flawless",
        "en-explanation": "",
    }
    assert _add(client, quiz, "single", fields).status_code == 302
    db.rollback()
    version = db.scalars(select(Question).where(Question.key == "signed-means")).one().current_version
    assert version.en == {
        "text": "What does the signature confirm?",
        "choices": [
            {"text": "The parcel looked intact", "feedback": "Right."},
            {"text": "The bag is flawless"},
        ],
    }
    page = client.get(f"/author/quizzes/{quiz}/questions/signed-means").get_data(as_text=True)
    assert 'name="en-choices-1-text" value="The bag is flawless"' in page
    # An English row that is not in the Chinese is refused in place, and nothing is saved.
    page = client.get(f"/author/quizzes/{quiz}/questions/new?type=ordering").get_data(as_text=True)
    response = _add(
        client,
        quiz,
        "ordering",
        {"id": "steps", "text": "排好顺序", "items": "一\n二", "en-items": "One\nTwo\nThree"},
    )
    assert response.status_code == 422
    assert "`en.items` has 3 items but the Chinese `items` has 2" in response.get_data(as_text=True)
