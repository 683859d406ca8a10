"""Moodle XML in the browser: preview with notes, problems by line, confirm; download a quiz as Moodle XML."""

from __future__ import annotations

from pathlib import Path

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.models import Question, Quiz
from tests.web.authoring.test_import import _payload, _upload

URL = "/author/import/quizzes/care-check"
FILE = Path(__file__).resolve().parents[2] / "data" / "moodle-xml" / "customer-service.xml"


def test_a_moodle_file_previews_with_notes_then_imports(client: FlaskClient, login_as, db: Session) -> None:
    db.add(Quiz(slug="care-check", title="Care check", gates=[]))
    db.commit()
    login_as("trainer")
    assert 'value="moodle-xml"' in client.get(URL).get_data(as_text=True)
    page = _upload(client, FILE.read_bytes(), name="moodle.xml", fmt="moodle-xml").get_data(as_text=True)
    assert "Import 10 questions" in page and "Moodle XML" in page
    assert "the description &#39;说明&#39; is skipped" in page and "units are ignored" in page
    assert db.scalar(select(func.count()).select_from(Question)) == 0
    assert client.post(f"{URL}/confirm", data={"payload": _payload(page)}).status_code == 302
    assert db.scalar(select(func.count()).select_from(Question)) == 10

    exported = client.get("/author/export/quizzes/care-check.xml")
    assert exported.status_code == 200 and exported.data.startswith(b"<?xml")
    again = _upload(client, exported.data, name="back.xml", fmt="moodle-xml").get_data(as_text=True)
    assert "0 new, 0 changed, 10 unchanged" in again


def test_a_broken_moodle_file_shows_its_line(client: FlaskClient, login_as, db: Session) -> None:
    db.add(Quiz(slug="care-check", title="Care check", gates=[]))
    db.commit()
    login_as("trainer")
    response = _upload(
        client, b"<quiz>\n<question type='calculated'/></quiz>", name="m.xml", fmt="moodle-xml"
    )
    assert response.status_code == 422
    assert "Line 2: the Moodle question type &#39;calculated&#39;" in response.get_data(as_text=True)


def test_the_quiz_page_offers_every_download(client: FlaskClient, login_as, db: Session) -> None:
    import io
    import zipfile

    db.add(Quiz(slug="care-check", title="Care check", gates=[]))
    db.commit()
    login_as("trainer")
    page = _upload(client, FILE.read_bytes(), name="moodle.xml", fmt="moodle-xml").get_data(as_text=True)
    client.post(f"{URL}/confirm", data={"payload": _payload(page)})
    quiz_page = client.get("/author/curriculum/quizzes/care-check").get_data(as_text=True)
    for link in ("care-check.zip", "care-check.xlsx", "care-check.xml", "care-check.qti.zip"):
        assert f"/author/export/quizzes/{link}" in quiz_page
    response = client.get("/author/export/quizzes/care-check.qti.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "imsmanifest.xml" in zipfile.ZipFile(io.BytesIO(response.data)).namelist()
