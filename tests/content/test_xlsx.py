"""The Excel template: reading rows (problems by sheet, row and column), the template, export → import."""

from __future__ import annotations

import io
import re
import string
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from lms.content.quizzes import parse_question
from lms.content.specs import QuestionSpec
from lms.content.xlsx import HELP_SHEET, SHEET, export_xlsx, parse_xlsx, template_xlsx
from lms.content.xlsx_examples import example_questions

HEADER = ["题型", "题干", "选项A", "选项B", "选项C", "选项D", "答案", "分值", "解析"]


def book(rows: list[list[object]], header: list[str] = HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def twenty_rows(row7_answer: str) -> list[list[object]]:
    """Twenty single-choice questions in Chinese; the one on sheet row 7 has the given answer."""
    rows: list[list[object]] = []
    for n in range(1, 21):
        answer = row7_answer if n == 6 else "ABCD"[n % 4]
        rows.append(
            [
                "单选题",
                f"第{n}题：顾客付款后订单处于什么状态？（{n}号店）",
                "等待买家付款",
                "买家已付款，等待卖家发货",
                "卖家已发货",
                "交易成功",
                answer,
                2,
                "支付宝收到货款后等待发货。",
            ]
        )
    return rows


def test_a_wrong_answer_letter_on_row_7_is_reported_there_and_nothing_is_read() -> None:
    questions, problems = parse_xlsx(book(twenty_rows("F")))
    assert questions == []
    assert problems == [
        (7, "sheet 'Sheet', row 7, column G (答案 Answer): 'F' is not one of the options (A–D)")
    ]
    questions, problems = parse_xlsx(book(twenty_rows("B")))
    assert problems == [] and len(questions) == 20
    assert questions[5].line == 7 and questions[5].body["choices"][1]["weight"] == 100
    assert questions[5].points == 2 and questions[5].text.startswith("第6题")


def test_every_type_the_template_holds_reads_back_from_the_template() -> None:
    data = template_xlsx()
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == [SHEET, HELP_SHEET]
    headers = [c.value for c in workbook[SHEET][1]]
    assert headers[:4] == ["题号 ID", "题型 Type", "题干 Question", "选项A Option A"]
    assert "关键点 Key points" in headers and "禁用语 Forbidden words" in headers
    questions, problems = parse_xlsx(data)
    assert problems == []
    assert [q.type for q in questions] == [
        "single", "multiple", "truefalse", "short", "numeric", "cloze", "essay", "reply"
    ]  # fmt: skip
    assert [replace(q, line=0) for q in questions] == example_questions()
    reply = questions[-1]
    assert reply.body["forbidden"][0]["phrases"][0] == "最好" and reply.en["customer"]


def test_types_excel_cannot_hold_are_refused_naming_the_type_column() -> None:
    questions, problems = parse_xlsx(book([["排序题", "把退货流程排好顺序", "", "", "", "", "", "", ""]]))
    assert questions == []
    assert len(problems) == 1 and problems[0][0] == 2
    assert "column A (题型 Type)" in problems[0][1] and "ordering" in problems[0][1]


def test_formulas_are_read_as_their_values_and_other_types() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["题型 Type", "题干 Question", "答案 Answer", "标签 Tags"])
    sheet.append(["数值题", "90分的奖金是多少元？", 2700, "kpi"])
    sheet.append(["判断题", "七天无理由退货是我们独有的优势。", False, "returns，value-talk"])
    sheet.append(["填空题", "首次响应最迟几秒？", "20秒|二十秒", ""])
    sheet.append(["数值题", "区间", "18~22", ""])
    out = io.BytesIO()
    workbook.save(out)
    questions, problems = parse_xlsx(out.getvalue())
    assert problems == []
    assert questions[0].body["answers"] == [{"value": 2700, "tolerance": 0, "weight": 100}]
    assert questions[1].body["answer"] is False and questions[1].tags == ("returns", "value-talk")
    assert [a["text"] for a in questions[2].body["answers"]] == ["20秒", "二十秒"]
    assert questions[3].body["answers"] == [{"min": 18, "max": 22, "weight": 100}]


def test_a_formula_cell_is_read_as_its_saved_value(tmp_path) -> None:
    # openpyxl never computes formulas; a file saved by Excel or WPS holds the value beside the
    # formula. Write such a cell by hand: <c><f>1500+1200</f><v>2700</v></c>.
    import zipfile

    raw = book([["数值题", "奖金多少元？", "", "", "", "", "PLACEHOLDER", "", ""]])
    source = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                start = text.index('<c r="G2"')
                end = text.index("</c>", start) + 4
                data = (text[:start] + '<c r="G2"><f>1500+1200</f><v>2700</v></c>' + text[end:]).encode()
            target.writestr(item, data)
    questions, problems = parse_xlsx(out.getvalue())
    assert problems == [] and questions[0].body["answers"][0]["value"] == 2700


def test_not_a_workbook_is_one_problem() -> None:
    assert parse_xlsx(b"not a zip")[1][0][0] == 1
    assert parse_xlsx(book([]))[1] == [(2, "sheet 'Sheet': no question rows under the header")]


def test_a_workbook_that_unpacks_to_too_much_is_refused() -> None:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * 60_000_000 + b">")
    questions, problems = parse_xlsx(out.getvalue())
    assert questions == [] and "unpacks to more than 50 MB" in problems[0][1]


def test_several_problems_each_with_its_column() -> None:
    questions, problems = parse_xlsx(
        book(
            [
                ["多选题", "哪些不适用七天无理由？", "定制钱包", "", "水果", "", "AC", "x", ""],
                ["单选题", "", "对", "错", "", "", "A", "", ""],
                ["完形填空", "签收后{{1}}小时内申请退货", "", "", "", "", "", "", ""],
            ]
        )
    )
    assert questions == []
    messages = [message for _row, message in problems]
    assert any("row 2, column D (选项B Option B): option B is empty" in m for m in messages)
    assert any("row 2, column H (分值 Points)" in m for m in messages)
    assert any("row 3, column B (题干 Question)" in m for m in messages)
    assert any("row 4, column G (答案 Answer)" in m for m in messages)


def test_cells_that_look_like_formulas_are_exported_as_text() -> None:
    question = parse_question(
        {
            "id": "formula-looking",
            "type": "single",
            "text": '=HYPERLINK("http://x")',
            "choices": [
                {"text": "+1 好评", "weight": 100},
                {"text": "-1 差评", "weight": 0},
                {"text": "@客服", "weight": 0},
            ],
        },
        lambda *a: None,
    )
    assert question is not None
    data, left_out = export_xlsx([question])
    assert left_out == []
    sheet = load_workbook(io.BytesIO(data))[SHEET]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
    risky = [c for c in cells if c.value[0] in "=+-@"]
    assert len(risky) == 4 and all(c.data_type == "s" and c.quotePrefix for c in risky)
    back, problems = parse_xlsx(data)
    assert problems == [] and [replace(q, line=0) for q in back] == [question]


def test_export_reports_what_the_template_cannot_hold() -> None:
    matching = parse_question(
        {
            "id": "m",
            "type": "matching",
            "text": "配对",
            "pairs": [{"left": "a", "right": "b"}, {"left": "c", "right": "d"}],
        },
        lambda *a: None,
    )
    single = parse_question(
        {
            "id": "s",
            "type": "single",
            "text": "选",
            "choices": [{"text": "甲", "weight": 100, "feedback": "对"}, {"text": "乙", "weight": 0}],
        },
        lambda *a: None,
    )
    assert matching is not None and single is not None
    _data, left_out = export_xlsx([matching, single])
    assert left_out == [
        "m: a matching question has no Excel form (skipped)",
        "s: the Excel template cannot hold its choices (exported without)",
    ]


# -- export → import is lossless for what the template holds ----------------------------------------

TEXT = (
    st.text(alphabet=string.ascii_letters + "顾客订单退货发货亲您好=+-@ ，。？", min_size=1, max_size=20)
    .map(str.strip)
    .filter(lambda t: t and "|" not in t)
)
ID = st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True)


@st.composite
def questions(draw: st.DrawFn) -> QuestionSpec:
    qtype = draw(
        st.sampled_from(["single", "multiple", "truefalse", "short", "numeric", "cloze", "essay", "reply"])
    )
    raw: dict[str, object] = {"type": qtype, "text": draw(TEXT)}
    if qtype in ("single", "multiple"):
        options = draw(st.lists(TEXT, min_size=2, max_size=8, unique_by=str.strip))
        right = draw(
            st.sets(st.integers(0, len(options) - 1), min_size=1, max_size=1 if qtype == "single" else 2)
        )
        share = 100 if qtype == "single" else 100 / len(right) if len(right) == 1 else 50
        raw["choices"] = [{"text": t, "weight": share if i in right else 0} for i, t in enumerate(options)]
        if draw(st.booleans()):
            raw["en"] = {"choices": [{"text": draw(TEXT)} for _ in options]}
    elif qtype == "truefalse":
        raw["answer"] = draw(st.booleans())
    elif qtype == "short":
        answers = draw(
            st.lists(
                st.sampled_from(["20秒", "二十秒", "72小时", "三天", "SF"]),
                min_size=1,
                max_size=3,
                unique=True,
            )
        )
        raw["answers"] = [{"text": a, "weight": 100} for a in answers]
    elif qtype == "numeric":
        value = draw(st.integers(-5000, 5000))
        raw["answers"] = [
            draw(
                st.sampled_from(
                    [
                        {"value": value, "tolerance": 0, "weight": 100},
                        {"value": value, "tolerance": 5, "weight": 100},
                        {"min": value, "max": value + 10, "weight": 100},
                    ]
                )
            )
        ]
    elif qtype == "cloze":
        gaps = draw(st.integers(1, 3))
        raw["text"] = str(raw["text"]) + "".join(f"{{{{{n}}}}}空" for n in range(1, gaps + 1))
        raw["gaps"] = [
            {
                "answers": draw(
                    st.lists(
                        st.sampled_from(["72", "七十二", "36", "20"]), min_size=1, max_size=2, unique=True
                    )
                )
            }
            for _ in range(gaps)
        ]
    elif qtype == "essay" and draw(st.booleans()):
        raw["rubric"] = draw(TEXT)
    elif qtype == "reply":
        raw.update(
            customer=draw(TEXT),
            key_points=[{"points": 2, "phrases": ["抱歉", "对不起"]}, {"points": 1, "phrases": ["补发"]}],
            forbidden=[{"penalty": 3, "phrases": ["爱买不买"]}],
            target_seconds=draw(st.sampled_from([20, 30])),
        )
    raw["id"] = draw(ID)
    if draw(st.booleans()):
        raw["explanation"] = draw(TEXT)
    if draw(st.booleans()):
        raw["points"] = draw(st.sampled_from([1, 2, 2.5]))
    if draw(st.booleans()):
        raw["tags"] = draw(
            st.lists(st.sampled_from(["returns", "kpi", "after-sales"]), unique=True, min_size=1)
        )
    if draw(st.booleans()):
        english = dict(raw.get("en") or {})  # type: ignore[call-overload]
        english["text"] = draw(TEXT) + "".join(re.findall(r"\{\{\d+\}\}", str(raw["text"])))
        raw["en"] = english
    problems: list[str] = []
    question = parse_question(raw, lambda message, *_at: problems.append(message))
    assert question is not None and problems == [], (raw, problems)
    return question


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(questions(), min_size=1, max_size=5, unique_by=lambda q: q.id))
def test_export_then_import_is_lossless(specs: list[QuestionSpec]) -> None:
    data, left_out = export_xlsx(specs)
    assert left_out == []
    back, problems = parse_xlsx(data)
    assert problems == []
    assert [replace(q, line=0) for q in back] == specs
