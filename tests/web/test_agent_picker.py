"""The agent field of the staff forms: typed, suggested as staff type, never a list of every agent."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.factories import UserFactory


def test_suggestions_are_for_staff_and_escaped(client: FlaskClient, login_as, db: Session) -> None:
    UserFactory(username="wangfang", display_name="王芳 <b>Wang</b>")
    UserFactory(username="wangli", display_name="王丽")
    db.commit()
    assert client.get("/staff/agents/suggest?agent=wang").status_code in (302, 401)
    login_as("qc")
    options = client.get("/staff/agents/suggest?agent=WANG").get_data(as_text=True)
    assert options.count("<option") == 2 and 'value="wangfang"' in options
    assert "&lt;b&gt;Wang&lt;/b&gt;" in options and "<b>" not in options
    assert client.get("/staff/agents/suggest?agent=").get_data(as_text=True).strip() == ""


def test_learners_get_no_suggestions(client: FlaskClient, login_as) -> None:
    login_as("learner")
    assert client.get("/staff/agents/suggest?agent=wang").status_code == 403
