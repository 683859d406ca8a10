"""The English beside the Chinese in GIFT and Aiken files, and on the learner's screen."""

from __future__ import annotations

import random
from pathlib import Path

from lms.content.aiken import export_aiken, export_aiken_english, parse_aiken
from lms.content.english import english_body, english_display
from lms.content.gift import export_gift, parse_gift, strip_line
from lms.content.loader import check
from lms.content.questions import get_type
from lms.content.quizzes import gift_settings

FIXTURE = Path(__file__).parents[1] / "data" / "bilingual"


def _quiz():  # type: ignore[no-untyped-def]
    tree, problems = check(FIXTURE)
    assert problems == []
    return tree.quizzes["desk-basics-check"]


def test_the_english_display_keeps_the_order_and_positions_and_changes_only_texts() -> None:
    question = _quiz().questions[0]
    qtype = get_type(question.type)
    display = qtype.public(question.body, random.Random(3))
    shown = english_display(qtype.public(english_body(question.body, question.en), None), display)
    assert [o["index"] for o in shown["options"]] == [o["index"] for o in display["options"]]
    english = {o["index"]: o["text"] for o in shown["options"]}
    assert english[0].startswith("Send a holding reply") and english[1].startswith("Check first")
    # Grading keeps the Chinese body: the English body has the same weights and positions.
    assert english_body(question.body, question.en)["choices"][0]["weight"] == 100
    assert question.body["choices"][0]["text"].startswith("20秒内")


def test_a_reply_shows_the_english_gloss_of_the_shopper() -> None:
    reply = _quiz().questions[2]
    qtype = get_type("reply")
    shown = english_display(
        qtype.public(english_body(reply.body, reply.en), None), qtype.public(reply.body, None)
    )
    assert shown["customer"] == "Do you still have the grey one?"
    assert qtype.grade(reply.body, reply.points, {"text": "亲，我帮您查一下"}).score == reply.points


def test_gift_carries_the_english_in_lms_en_comments_and_reads_it_back() -> None:
    quiz = _quiz()
    settings = {"title": quiz.title, "en": quiz.en}
    text = export_gift(list(quiz.questions), settings)
    assert '// @lms:en {"choices": [{"feedback": "Right: answer first, check second."' in text
    assert '// @en: {"description": "Answer first, check second.", "title": "Desk basics check"}' in text
    back, problems = parse_gift(text)
    assert problems == []
    assert [strip_line(q) for q in back] == [strip_line(q) for q in quiz.questions]
    assert [q.en for q in back] == [q.en for q in quiz.questions]
    read_settings, _lines, setting_problems = gift_settings(text)
    assert setting_problems == [] and read_settings["en"] == quiz.en


def test_an_ill_shaped_lms_en_comment_is_reported_with_its_question() -> None:
    text = '// [id:a]\n// @lms:en {"text": "Q?", "points": 3}\n::a:: 问？{T}\n\n// @lms:en not json\n::b:: 问二？{F}\n'
    _questions, problems = parse_gift(text)
    messages = [m for _line, m in problems]
    assert any("`en.points` is not a translatable text" in m for m in messages)
    assert any("the // @lms:en comment is not valid JSON" in m for m in messages)


def test_aiken_carries_the_english_as_a_second_file_in_the_same_order() -> None:
    question = _quiz().questions[0]
    chinese, left_out = export_aiken([question])
    english = export_aiken_english([question])
    assert any("English (export it as a second Aiken file)" in note for note in left_out)
    assert english.startswith("A shopper asks whether the 36 L travel backpack")
    back, problems = parse_aiken(chinese, english=english)
    assert problems == []
    assert back[0].text == question.text
    assert back[0].en == {
        "text": question.en["text"],
        "choices": [{"text": c["text"]} for c in question.en["choices"]],
    }


def test_an_english_aiken_file_that_does_not_match_is_refused() -> None:
    chinese = "有货吗？\nA. 有\nB. 没有\nANSWER: A\n"
    assert parse_aiken(chinese, english="In stock?\nA. Yes\nB. No\nANSWER: B\n") == (
        [],
        [(1, "English question 1 has other options or another ANSWER than the Chinese")],
    )
    questions, problems = parse_aiken(chinese, english="")
    assert questions == [] and problems
