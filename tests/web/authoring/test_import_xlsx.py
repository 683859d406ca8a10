"""The Excel template in the browser: download it, fill it, upload it, see row 7's error, fix it, import."""

from __future__ import annotations

import io
import re

from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.content.xlsx import SHEET
from lms.models import AuditEvent, Question, Quiz
from tests.web.authoring.test_import import _payload, _upload

URL = "/author/import/quizzes/care-check"


def _filled_template(client: FlaskClient, row7_answer: str) -> bytes:
    """The downloaded template with its examples replaced by twenty Chinese questions."""
    response = client.get("/author/import/template.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="question-template.xlsx"'
    book = load_workbook(io.BytesIO(response.data))
    sheet = book[SHEET]
    headers = [c.value for c in sheet[1]]
    column = {name: headers.index(name) + 1 for name in headers}
    sheet.delete_rows(2, sheet.max_row)
    states = ["等待买家付款", "买家已付款，等待卖家发货", "卖家已发货，等待买家确认", "交易成功"]
    for n in range(1, 21):
        row = n + 1
        sheet.cell(row, column["题型 Type"], "单选题")
        sheet.cell(row, column["题干 Question"], f"第{n}题：支付宝收到货款后，订单是什么状态？（第{n}家店）")
        for i, state in enumerate(states):
            sheet.cell(row, column[f"选项{'ABCD'[i]} Option {'ABCD'[i]}"], state)
        sheet.cell(row, column["答案 Answer"], row7_answer if row == 7 else "B")
        sheet.cell(row, column["解析 Explanation"], "支付宝收到货款后，订单进入买家已付款、等待卖家发货。")
        sheet.cell(
            row, column["题干（英文） Question (English)"], f"Question {n}: Alipay has the money; what state?"
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _count(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(Question)) or 0


def test_trainer_fills_the_template_sees_row_7_fixes_it_and_imports(
    client: FlaskClient, login_as, db: Session
) -> None:
    db.add(Quiz(slug="care-check", title="Care check", gates=[]))
    db.commit()
    login_as("trainer")
    assert "/author/import/template.xlsx" in client.get(URL).get_data(as_text=True)

    wrong = _upload(client, _filled_template(client, "E"), name="题库.xlsx", fmt="xlsx")
    page = wrong.get_data(as_text=True)
    assert wrong.status_code == 422
    assert "1 problem: nothing will be imported" in page
    assert re.search(
        r"sheet &#39;题目 Questions&#39;, row 7, column \w+ \(答案 Answer\): &#39;E&#39; is not one", page
    )
    assert 'name="payload"' not in page and _count(db) == 0

    fixed = _upload(client, _filled_template(client, "B"), name="题库.xlsx", fmt="xlsx")
    page = fixed.get_data(as_text=True)
    assert fixed.status_code == 200 and "Import 20 questions" in page and _count(db) == 0
    response = client.post(f"{URL}/confirm", data={"payload": _payload(page)})
    assert response.status_code == 302
    assert _count(db) == 20
    version = db.scalars(select(Question).order_by(Question.position)).first().current_version  # type: ignore[union-attr]
    assert version.text.startswith("第1题") and version.body["choices"][1]["weight"] == 100
    assert version.en["text"].startswith("Question 1")
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "quiz.import")).one()
    assert event.after["format"] == "xlsx" and event.after["questions"] == 20


def test_a_quiz_downloads_as_excel_and_reads_back(client: FlaskClient, login_as, db: Session) -> None:
    db.add(Quiz(slug="care-check", title="Care check", gates=[]))
    db.commit()
    login_as("trainer")
    page = _upload(client, _filled_template(client, "B"), name="q.xlsx", fmt="xlsx").get_data(as_text=True)
    client.post(f"{URL}/confirm", data={"payload": _payload(page)})
    response = client.get("/author/export/quizzes/care-check.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    again = _upload(client, response.data, name="back.xlsx", fmt="xlsx").get_data(as_text=True)
    assert "0 new, 0 changed, 20 unchanged" in again
    assert client.get("/author/export/quizzes/nope.xlsx").status_code == 404


def test_learners_cannot_download_the_template(client: FlaskClient, login_as) -> None:
    login_as("learner")
    assert client.get("/author/import/template.xlsx").status_code in (302, 403)
