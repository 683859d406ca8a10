"""Numbers typed or sent by hand: a digit Python's `int` refuses ("²"), a doubled sign, thousands of
digits. Each is "not a number" in place (the first page, "no such agent"), never a 500. The API's
If-Match is in tests/web/api/test_quizzes.py."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from lms.domain.accounts.agent_search import agent_by_entry
from lms.domain.assignments.assigning import _id
from lms.web.forms import form_int
from lms.web.learn.answers import _int

ODD = ["²", "٣²", "--5", "-", "9" * 5000, " ", "1e3", "0x10"]


@pytest.mark.parametrize("raw", ODD)
def test_odd_numbers_are_not_numbers(raw: str, db: Session) -> None:
    assert form_int({"n": raw}, "n", low=-10) is None
    assert _int(raw) is None
    assert _id(raw) == 0
    assert agent_by_entry(db, raw) is None


def test_plain_numbers_still_are() -> None:
    assert form_int({"n": " 42 "}, "n") == 42 and form_int({"n": "-3"}, "n", low=-10) == -3
    assert _int(" -3 ") == -3 and _int("7") == 7 and _id("12") == 12


@pytest.mark.parametrize("raw", ["²", "9" * 5000, "--2"])
def test_an_odd_page_number_shows_the_first_page(client: FlaskClient, login_as, raw: str) -> None:
    login_as("admin", "trainer", "qc")
    for path in ("/admin/users", "/staff/tiers", "/admin/security", "/staff/kpi", "/qc/"):
        response = client.get(path, query_string={"page": raw, "scores": raw})
        assert response.status_code == 200, path


def test_a_question_form_row_with_an_odd_number_is_not_a_row() -> None:
    from lms.web.quiz_editing.question_form import BLANK_ROWS, row_count

    posted = {"choices-1-text": "有现货", "choices-²-text": "x", f"choices-{'9' * 5000}-text": "y"}
    assert row_count("single", posted)["choices"] == 2 + BLANK_ROWS
