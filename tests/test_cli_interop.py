"""`lms content import-xlsx / export-xlsx` (and the other exchange formats): all or nothing."""

from __future__ import annotations

import io
from pathlib import Path

from flask import Flask
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.models import Question


def _run(app: Flask, *args: str):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=list(args))


def _xlsx(path: Path, answer: str) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["题型", "题干", "选项A", "选项B", "答案"])
    sheet.append(["单选题", "哪家快递包邮？", "顺丰", "圆通", "B"])
    sheet.append(["判断题", "七天无理由退货是我们独有的优势。", "", "", answer])
    out = io.BytesIO()
    book.save(out)
    path.write_bytes(out.getvalue())
    return path


def test_xlsx_import_is_all_or_nothing_and_exports_back(app: Flask, db: Session, tmp_path: Path) -> None:
    bad = _run(app, "content", "import-xlsx", str(_xlsx(tmp_path / "bad.xlsx", "也许")), "--quiz", "drill")
    assert bad.exit_code == 1
    assert "bad.xlsx:3: sheet 'Sheet', row 3, column E (答案 Answer): '也许' is not 对 or 错" in bad.output
    assert db.scalar(select(func.count()).select_from(Question)) == 0
    good = _run(app, "content", "import-xlsx", str(_xlsx(tmp_path / "good.xlsx", "错")), "--quiz", "drill")
    assert good.exit_code == 0, good.output
    assert "2 new" in good.output
    out = tmp_path / "out.xlsx"
    exported = _run(app, "content", "export-xlsx", "--quiz", "drill", "-o", str(out))
    assert exported.exit_code == 0 and out.exists()
    again = _run(app, "content", "import-xlsx", str(out), "--quiz", "drill")
    assert "2 unchanged" in again.output


def test_moodle_xml_import_and_export(app: Flask, db: Session, tmp_path: Path) -> None:
    source = Path(__file__).resolve().parent / "data" / "moodle-xml" / "customer-service.xml"
    result = _run(app, "content", "import-moodle-xml", str(source), "--quiz", "moodle")
    assert result.exit_code == 0, result.output
    assert "10 new" in result.output and "note: the description '说明' is skipped" in result.output
    out = tmp_path / "out.xml"
    assert _run(app, "content", "export-moodle-xml", "--quiz", "moodle", "-o", str(out)).exit_code == 0
    assert "10 unchanged" in _run(app, "content", "import-moodle-xml", str(out), "--quiz", "moodle").output
    broken = tmp_path / "broken.xml"
    broken.write_text("<quiz>\n<question type='calculated'/></quiz>", encoding="utf-8")
    refused = _run(app, "content", "import-moodle-xml", str(broken), "--quiz", "other")
    assert refused.exit_code == 1 and "broken.xml:2:" in refused.output


def test_qti_export(app: Flask, db: Session, tmp_path: Path) -> None:
    import zipfile

    source = Path(__file__).resolve().parent / "data" / "moodle-xml" / "customer-service.xml"
    assert _run(app, "content", "import-moodle-xml", str(source), "--quiz", "moodle").exit_code == 0
    out = tmp_path / "moodle.zip"
    result = _run(app, "content", "export-qti", "--quiz", "moodle", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "a cloze question has no QTI 1.2 form (skipped)" in result.output
    names = zipfile.ZipFile(out).namelist()
    assert names == ["imsmanifest.xml", "lms-moodle/lms-moodle.xml"]
