"""Moodle XML: files in Moodle's export shape import with their types and fractions; export round-trips."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.content.moodle_xml import DATA_TAG, export_moodle_xml, parse_moodle_xml, read_moodle_xml
from lms.content.specs import QuestionSpec

DATA = Path(__file__).resolve().parents[1] / "data" / "moodle-xml"


def by_title(name: str) -> dict[str, QuestionSpec]:
    result = read_moodle_xml((DATA / name).read_bytes())
    assert result.problems == []
    return {q.body["title"]: q for q in result.questions}


def test_a_moodle_export_imports_with_its_types_and_fractions() -> None:
    questions = by_title("customer-service.xml")
    assert [q.type for q in questions.values()] == [
        "single", "multiple", "truefalse", "short", "numeric", "matching", "essay", "cloze", "cloze", "cloze"
    ]  # fmt: skip
    paid = questions["付款后的订单状态"]
    assert paid.id == "order-paid" and paid.points == 2 and paid.tags == ("order-flow", "platform-rules")
    assert [(c["text"], c["weight"], c.get("feedback")) for c in paid.body["choices"]] == [
        ("等待买家付款", 0, "那是付款之前的状态。"),
        ("买家已付款，等待卖家发货", 100, "对。"),
        ("交易成功 & 已评价", -33.33333, None),
    ]
    assert paid.body["category"] == "客服培训/平台规则" and paid.body["format"] == "html"
    assert paid.explanation == "支付宝收到货款后，订单进入“买家已付款，等待卖家发货”。"
    assert [c["weight"] for c in questions["七天无理由的例外"].body["choices"]] == [50, 50, -100]
    truefalse = questions["七天无理由是法律"].body
    assert truefalse["answer"] is False and truefalse["feedback_true"].startswith("不对")
    short = questions["首次响应时限"].body
    assert [(a["text"], a["weight"]) for a in short["answers"]] == [
        ("20秒", 100),
        ("二十秒", 100),
        ("20", 50),
    ]
    assert short["other_feedback"] == "首次响应标准是20秒。"
    assert short["category"] == "客服培训/服务标准"
    assert questions["KPI奖金"].body["answers"] == [{"value": 2700, "tolerance": 5, "weight": 100}]
    matching = questions["材质与保养"].body
    assert [p["left"] for p in matching["pairs"]] == ["头层牛皮", "尼龙"] and matching["distractors"] == [
        "60度机洗"
    ]
    assert questions["退换货流程"].body["rubric"].startswith("问原因") and questions["退换货流程"].points == 5
    drag = questions["争议时限（拖放）"]
    assert "签收后{{1}}小时" in drag.text and drag.body["gaps"] == [{"answers": ["72"]}, {"answers": ["36"]}]
    assert questions["首次响应（下拉）"].body["gaps"] == [{"answers": ["20"]}]
    cloze = questions["订单流程（完形）"].body["gaps"]
    assert cloze == [{"answers": ["买家已付款"]}, {"answers": ["72"]}, {"answers": ["3000"]}]


def test_html_is_sanitised_and_what_is_skipped_is_noted() -> None:
    result = read_moodle_xml((DATA / "customer-service.xml").read_bytes())
    text = result.questions[0].text
    assert "<script" not in text and "onerror" not in text and "<b>支付宝</b>" in text
    notes = [message for _line, message in result.notes]
    assert "the description '说明' is skipped: it is not a question" in notes
    assert "units are ignored: the answer is the number alone" in notes
    assert any("embedded files" in n for n in notes)


def test_nested_categories_keep_their_path() -> None:
    questions = by_title("nested-categories.xml")
    assert questions["Iota Question"].body["category"] == "Iota"
    essay = questions["Kappa Essay Question"]
    assert (
        essay.type == "essay" and essay.body["category"] == "Iota/Kappa" and essay.body["format"] == "moodle"
    )


@pytest.mark.parametrize(
    ("xml", "line", "message"),
    [
        (
            b"<quiz><question type='calculated'><name><text>c</text></name></question></quiz>",
            1,
            "'calculated'",
        ),
        (b"<?xml version='1.0'?>\n<quiz>\n<question type='multichoice'>\n</quiz>", 4, "not well-formed XML"),
        (
            b'<?xml version="1.0"?>\n<!DOCTYPE quiz [<!ENTITY x "y">]>\n<quiz>&x;</quiz>',
            1,
            "refused",
        ),
        (
            b"<quiz>\n<question type='multichoice'><name><text>n</text></name>\n"
            b"<questiontext format='html'><text>q</text></questiontext><single>true</single>\n"
            b"<answer fraction='50'><text>a</text></answer><answer fraction='0'><text>b</text></answer>\n"
            b"</question></quiz>",
            2,
            "no choice has weight 100",
        ),
        (b"<quiz></quiz>", 1, "no questions"),
    ],
    ids=["unknown-type", "broken", "entities", "no-full-credit", "empty"],
)
def test_problems_come_with_their_line_and_import_nothing(xml: bytes, line: int, message: str) -> None:
    questions, problems = parse_moodle_xml(xml)
    assert questions == []
    assert problems[0][0] == line and message in problems[0][1], problems


def test_the_shipped_curriculum_round_trips_through_moodle_xml() -> None:
    tree, problems = check(PROJECT_ROOT)
    assert problems == []
    count = 0
    for quiz in tree.quizzes.values():
        data = export_moodle_xml(list(quiz.questions))
        back, problems = parse_moodle_xml(data)
        assert problems == [], quiz.slug
        assert [replace(q, line=0) for q in back] == [replace(q, line=0) for q in quiz.questions], quiz.slug
        count += len(back)
    assert count >= 250


def test_types_moodle_lacks_become_the_nearest_one_and_native_ones_stay_plain() -> None:
    tree, _problems = check(PROJECT_ROOT)
    questions = [q for quiz in tree.quizzes.values() for q in quiz.questions]
    reply = next(q for q in questions if q.type == "reply")
    ordering = next(q for q in questions if q.type == "ordering")
    single = next(q for q in questions if q.type == "single")
    text = export_moodle_xml([reply, ordering, single]).decode()
    assert '<question type="essay">' in text and '<question type="matching">' in text
    assert text.count(DATA_TAG) == 2  # reply and ordering carry our data; the single choice does not
    assert f"<idnumber>{reply.id}</idnumber>" in text
