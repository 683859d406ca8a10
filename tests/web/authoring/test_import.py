"""GIFT / Aiken upload in the browser: preview with every problem by line, nothing written until confirmed."""

from __future__ import annotations

import io
import re
import threading
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.test import EnvironBuilder

from lms import create_app
from lms.content.gift import parse_gift
from lms.domain.authoring.question_import import import_questions
from lms.models import AuditEvent, Question, QuestionVersion, Quiz
from lms.web.authoring.import_views import SALT
from tests.conftest import TEST_PASSWORD, make_config
from tests.factories import UserFactory

URL = "/author/import/quizzes/care-check"
GOOD = """::Leather care::How often should full-grain leather be conditioned?{
=Every three to six months
~Every day
~Never
}

::Nylon wash::Nylon bags may go in the washing machine.{F}
"""
BROKEN = """::Good::A grey backpack is in stock.{T}

::Broken::Which courier is free? {=SF ~YTO

Just a description without answers.
"""
AIKEN = "Which courier is free for returns?\nA. SF Express\nB. YTO\nANSWER: B\n"


@pytest.fixture
def quiz(db: Session) -> Quiz:
    found = Quiz(slug="care-check", title="Care check", gates=[])
    db.add(found)
    db.flush()
    questions, _problems = parse_gift(
        "::Leather care::How often should leather be conditioned?{=Monthly ~Never}"
    )
    import_questions(db, "care-check", questions)
    db.commit()
    return found


def _upload(client: FlaskClient, data: bytes | str, name: str = "questions.gift", fmt: str = "gift", **extra):  # type: ignore[no-untyped-def]
    raw = data.encode("utf-8") if isinstance(data, str) else data
    builder = EnvironBuilder(
        path=URL,
        method="POST",
        data={"file": (io.BytesIO(raw), name), "format": fmt, **extra},
        content_type="multipart/form-data",
    )
    environ = builder.get_environ()
    try:
        return client.open(environ)
    finally:  # a large body is spooled to a temporary file the test client never closes
        environ["wsgi.input"].close()
        builder.close()


def _payload(page: str) -> str:
    found = re.search(r'name="payload" type="hidden" value="([^"]+)"', page)
    assert found, page
    return found.group(1)


def _counts(db: Session) -> tuple[int, int, int]:
    return (
        db.scalar(select(func.count()).select_from(Question)) or 0,
        db.scalar(select(func.count()).select_from(QuestionVersion)) or 0,
        db.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "quiz.import"))
        or 0,
    )


def test_the_upload_page_offers_gift_and_aiken(client: FlaskClient, login_as, quiz: Quiz) -> None:
    login_as("trainer")
    page = client.get(URL).get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page
    assert 'value="gift"' in page and 'value="aiken"' in page
    assert "Care check" in page


def test_the_preview_lists_the_questions_and_writes_nothing(
    client: FlaskClient, login_as, db: Session, quiz: Quiz
) -> None:
    login_as("trainer")
    before = _counts(db)
    response = _upload(client, GOOD)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "leather-care" in page and "changed: new version" in page
    assert (
        "nylon-wash" in page
        and "true or false" in page
        and "Nylon bags may go in the washing machine." in page
    )
    assert "1 new, 1 changed, 0 unchanged" in page
    assert "Import 2 questions" in page and 'name="payload"' in page
    assert _counts(db) == before


def test_a_file_with_problems_shows_each_by_line_and_cannot_be_confirmed(
    client: FlaskClient, login_as, db: Session, quiz: Quiz
) -> None:
    login_as("trainer")
    before = _counts(db)
    response = _upload(client, BROKEN)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "2 problems: nothing will be imported" in page
    assert "Line 3: the answer block&#39;s braces do not match" in page
    assert "Line 5: a description" in page
    assert 'name="payload"' not in page and "/confirm" not in page
    assert _counts(db) == before


def test_confirming_imports_the_previewed_questions_and_audits_it(
    client: FlaskClient, login_as, db: Session, quiz: Quiz
) -> None:
    trainer = login_as("trainer")
    payload = _payload(_upload(client, GOOD).get_data(as_text=True))

    response = client.post(f"{URL}/confirm", data={"payload": payload})

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/author/curriculum/quizzes/care-check")
    questions = db.scalars(
        select(Question).where(Question.quiz_id == quiz.id).order_by(Question.position)
    ).all()
    assert [q.key for q in questions] == ["leather-care", "nylon-wash"]
    db.refresh(questions[0])
    assert [v.number for v in questions[0].versions] == [1, 2]
    assert questions[0].current_version.text == "How often should full-grain leather be conditioned?"
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "quiz.import")).one()
    assert event.actor_id == trainer.id and event.target_type == "quiz" and event.target_id == "care-check"
    assert event.after["format"] == "gift" and event.after["file"] == "questions.gift"
    assert (event.after["created"], event.after["updated"], event.after["unchanged"]) == (1, 1, 0)
    follow = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Imported 2 questions: 1 new, 1 changed, 0 unchanged." in follow


def test_an_aiken_file_with_a_bom_and_crlf_imports(
    client: FlaskClient, login_as, db: Session, quiz: Quiz
) -> None:
    login_as("admin")
    data = "\ufeff".encode() + AIKEN.replace("\n", "\r\n").encode("utf-8")
    page = _upload(client, data, name="couriers.txt", fmt="aiken").get_data(as_text=True)
    assert "which-courier-is-free-for-returns" in page and "single" in page
    assert client.post(f"{URL}/confirm", data={"payload": _payload(page)}).status_code == 302
    keys = db.scalars(select(Question.key).where(Question.quiz_id == quiz.id)).all()
    assert "which-courier-is-free-for-returns" in keys


def test_aiken_problems_are_shown_by_line(client: FlaskClient, login_as, quiz: Quiz) -> None:
    login_as("trainer")
    page = _upload(client, "Which courier?\nA. SF\nB. YTO\nANSWER: C\n", name="a.txt", fmt="aiken").get_data(
        as_text=True
    )
    assert "Line 4: ANSWER &#39;C&#39; is not one of the options A, B" in page


def test_gift_settings_lines_are_reported_as_not_applied(client: FlaskClient, login_as, quiz: Quiz) -> None:
    login_as("trainer")
    page = _upload(client, "// @title: Another title\n\n" + GOOD).get_data(as_text=True)
    assert "settings lines are not applied" in page


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        ("大家好，请问顺丰包邮吗？".encode("gbk"), "questions.gift", "not UTF-8 text"),
        (b"x" * (1024 * 1024 + 1), "questions.gift", "larger than 1 MB"),
        (b"", "questions.gift", "empty"),
        (b"\x00\x01GIFT", "questions.gift", "not a text file"),
        (GOOD.encode(), "questions.docx", "Choose a .gift, .txt, .xlsx or .xml file."),
    ],
    ids=["gbk", "oversized", "empty", "binary", "extension"],
)
def test_unusable_files_are_refused_beside_the_field(
    client: FlaskClient, login_as, db: Session, quiz: Quiz, data: bytes, name: str, message: str
) -> None:
    login_as("trainer")
    before = _counts(db)
    response = _upload(client, data, name=name)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _counts(db) == before


def test_a_changed_or_foreign_payload_is_refused(
    app: Flask, client: FlaskClient, login_as, db: Session, quiz: Quiz
) -> None:
    login_as("trainer")
    payload = _payload(_upload(client, GOOD).get_data(as_text=True))
    before = _counts(db)
    tampered = payload[:-3] + ("AAA" if not payload.endswith("AAA") else "BBB")
    response = client.post(f"{URL}/confirm", data={"payload": tampered})
    assert response.status_code == 302 and response.headers["Location"].endswith(URL)
    assert "The preview has expired or was changed" in client.get(URL).get_data(as_text=True)
    signer = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=SALT)
    other_quiz = signer.dumps({"quiz": "other", "format": "gift", "user": 1, "text": GOOD})
    assert client.post(f"{URL}/confirm", data={"payload": other_quiz}).status_code == 302
    assert _counts(db) == before


def test_a_signed_text_is_parsed_again_and_refused_if_it_has_problems(
    app: Flask, client: FlaskClient, login_as, db: Session, quiz: Quiz
) -> None:
    trainer = login_as("trainer")
    before = _counts(db)
    signer = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=SALT)
    payload = signer.dumps({"quiz": "care-check", "format": "gift", "user": trainer.id, "text": BROKEN})
    response = client.post(f"{URL}/confirm", data={"payload": payload})
    assert response.status_code == 422
    assert "nothing will be imported" in response.get_data(as_text=True)
    assert _counts(db) == before


def test_an_unknown_quiz_is_not_found(client: FlaskClient, login_as) -> None:
    login_as("trainer")
    assert client.get("/author/import/quizzes/no-such-quiz").status_code == 404


@pytest.mark.parametrize("role", ["learner", "qc"])
def test_learners_and_qc_may_not_import(
    client: FlaskClient, login_as, db: Session, quiz: Quiz, role: str
) -> None:
    login_as(role)
    before = _counts(db)
    assert client.get(URL).status_code == 403
    assert _upload(client, GOOD).status_code == 403
    assert client.post(f"{URL}/confirm", data={"payload": "x"}).status_code == 403
    assert _counts(db) == before


def test_the_quiz_page_links_to_the_import_for_trainers_only(
    client: FlaskClient, login_as, quiz: Quiz
) -> None:
    login_as("trainer")
    page = client.get("/author/curriculum/quizzes/care-check").get_data(as_text=True)
    assert URL in page and "/author/export/quizzes/care-check.zip" in page


def test_the_upload_and_the_confirmation_need_a_csrf_token(
    database_url: str, tmp_path: Path, db: Session, quiz: Quiz
) -> None:
    UserFactory(username="trainer", roles=["trainer"])
    db.commit()
    app = create_app(make_config(database_url, tmp_path, csrf=True))
    client = app.test_client()
    token = re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/login").get_data(as_text=True)
    )
    client.post(
        "/login", data={"username": "trainer", "password": TEST_PASSWORD, "csrf_token": token.group(1)}
    )
    before = _counts(db)

    assert _upload(client, GOOD).status_code == 400
    assert client.post(f"{URL}/confirm", data={"payload": "x"}).status_code == 400

    form_token = re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"', client.get(URL).get_data(as_text=True)
    )
    page = _upload(client, GOOD, csrf_token=form_token.group(1)).get_data(as_text=True)
    assert 'name="payload"' in page
    confirm_token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post(f"{URL}/confirm", data={"payload": _payload(page)}).status_code == 400
    assert _counts(db) == before
    response = client.post(f"{URL}/confirm", data={"payload": _payload(page), "csrf_token": confirm_token})
    assert response.status_code == 302
    assert _counts(db)[0] == before[0] + 1
    app.extensions["lms.db"].engine.dispose()


def test_parallel_confirmations_of_one_preview_import_it_once(app: Flask, db: Session, quiz: Quiz) -> None:
    UserFactory(username="author", roles=["trainer"])
    db.commit()
    clients = [app.test_client() for _ in range(4)]
    for each in clients:
        assert each.post("/login", data={"username": "author", "password": TEST_PASSWORD}).status_code == 302
    payload = _payload(_upload(clients[0], GOOD).get_data(as_text=True))
    barrier = threading.Barrier(len(clients))
    codes: list[int] = []

    def confirm(each: FlaskClient) -> None:
        barrier.wait()
        codes.append(each.post(f"{URL}/confirm", data={"payload": payload}).status_code)

    threads = [threading.Thread(target=confirm, args=(each,)) for each in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert codes == [302] * len(clients)
    questions = db.scalars(select(Question).where(Question.quiz_id == quiz.id).order_by(Question.key)).all()
    assert [q.key for q in questions] == ["leather-care", "nylon-wash"]
    versions = db.scalars(select(QuestionVersion.question_id)).all()
    assert sorted(versions.count(q.id) for q in questions) == [1, 2]  # one new version each, not four


def test_the_preview_costs_a_bounded_number_of_queries(
    client: FlaskClient, login_as, db: Session, quiz: Quiz, count_queries
) -> None:
    login_as("trainer")
    with count_queries() as small:
        _upload(client, GOOD)
    many = "\n\n".join(f"::Q{i}::Question number {i}?{{T}}" for i in range(60))
    with count_queries() as big:
        _upload(client, many)
    assert big.count == small.count <= 8
