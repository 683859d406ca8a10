"""In Chromium: a trainer downloads the Excel template, fills twenty Chinese questions with a wrong
answer letter on row 7, uploads, reads row 7's error, fixes it and imports; then downloads the quiz
as Excel, Moodle XML and QTI; an admin opens the xAPI page. Every page is checked on a phone too."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from flask import Flask
from openpyxl import load_workbook

from lms.content.xlsx import SHEET
from lms.models import Quiz
from tests.e2e.conftest import sign_in
from tests.factories import UserFactory, bind

pytestmark = pytest.mark.e2e


@pytest.fixture
def people(live_app: Flask) -> None:
    session = live_app.extensions["lms.db"].session()
    bind(session)
    UserFactory(username="chenjie", display_name="陈老师 Chen Jie", roles=["trainer"])
    UserFactory(username="wangmin", display_name="王敏 Wang Min", roles=["admin"])
    session.add(Quiz(slug="order-states", title="订单状态小测", gates=[]))
    session.commit()
    session.close()


def _fill(template: bytes, row7_answer: str, target: Path) -> Path:
    book = load_workbook(io.BytesIO(template))
    sheet = book[SHEET]
    headers = [c.value for c in sheet[1]]
    column = {name: headers.index(name) + 1 for name in headers}
    sheet.delete_rows(2, sheet.max_row)
    states = ["等待买家付款", "买家已付款，等待卖家发货", "卖家已发货，等待买家确认", "交易成功"]
    for n in range(1, 21):
        row = n + 1
        sheet.cell(row, column["题型 Type"], "单选题")
        sheet.cell(row, column["题干 Question"], f"第{n}题：支付宝收到货款后，订单是什么状态？（{n}号店）")
        for i, state in enumerate(states):
            sheet.cell(row, column[f"选项{'ABCD'[i]} Option {'ABCD'[i]}"], state)
        sheet.cell(row, column["答案 Answer"], row7_answer if row == 7 else "B")
    book.save(target)
    return target


def test_excel_template_round_trip_in_the_browser(page, live_server: str, people, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "chenjie")
    page.goto("/author/import/quizzes/order-states")
    with page.expect_download() as download:
        page.click("text=Download the Excel template")
    template = Path(download.value.path()).read_bytes()

    page.set_input_files("input[type=file]", str(_fill(template, "E", tmp_path / "题库.xlsx")))
    page.check("input[name=format][value=xlsx]")
    page.click("text=Check the file")
    problems = page.inner_text(".problems")
    assert "row 7" in problems and "'E' is not one of the options (A–D)" in problems
    assert page.locator("text=Import 20 questions").count() == 0

    page.goto("/author/import/quizzes/order-states")
    page.set_input_files("input[type=file]", str(_fill(template, "B", tmp_path / "题库.xlsx")))
    page.check("input[name=format][value=xlsx]")
    page.click("text=Check the file")
    assert "20 new, 0 changed, 0 unchanged" in page.inner_text("main")
    page.click("text=Import 20 questions")
    assert "Imported 20 questions: 20 new" in page.inner_text(".flashes")

    for label, suffix in (
        ("Download as Excel", ".xlsx"),
        ("Download as Moodle XML", ".xml"),
        ("QTI 1.2", ".qti.zip"),
    ):
        with page.expect_download() as download:
            page.click(f"text={label}")
        assert download.value.suggested_filename == f"quiz-order-states{suffix}"

    admin = page.context.browser.new_context(base_url=live_server, locale="en-US").new_page()
    sign_in(admin, "wangmin")
    admin.goto("/admin/xapi")
    assert "xAPI is off" in admin.inner_text("main")
