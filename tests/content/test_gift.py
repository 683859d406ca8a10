"""GIFT import: Moodle's own files and every feature of the format; problems by line; export."""

from __future__ import annotations

from pathlib import Path

import pytest

from lms.content.gift import export_gift, parse_gift, to_gift
from lms.content.questions import get_type
from lms.content.specs import QuestionSpec

#: Moodle's own GIFT files (its format examples and import fixtures), kept with the tests.
MOODLE = Path(__file__).resolve().parents[1] / "data" / "moodle-gift"


def load(text: str) -> list[QuestionSpec]:
    questions, problems = parse_gift(text)
    assert problems == []
    return questions


def one(text: str) -> QuestionSpec:
    questions = load(text)
    assert len(questions) == 1
    return questions[0]


def moodle(name: str) -> list[QuestionSpec]:
    return load((MOODLE / name).read_text(encoding="utf-8"))


# -- Moodle's own files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "count"),
    [("examples.txt", 43), ("questions.gift.txt", 9), ("questions_in_category.gift.txt", 4)],
)
def test_moodle_files_import_without_error(name: str, count: int) -> None:
    assert len(moodle(name)) == count


def test_moodle_fixture_questions_keep_their_meaning() -> None:
    by_title = {q.body.get("title", q.id): q for q in moodle("questions.gift.txt")}
    assert [q.type for q in by_title.values()] == [
        "essay", "matching", "single", "multiple", "numeric", "short", "truefalse", "truefalse"
    ]  # fmt: skip
    assert by_title["Q8"].text == "How are you?"
    activities = by_title["Moodle activities"]
    assert (
        activities.body["format"] == "html"
        and activities.text == "Match the <b>activity</b> to the description."
    )
    assert [p["right"] for p in activities.body["pairs"]] == ["Forum", "Choice", "Database", "Wiki"]
    assert activities.body["pairs"][1]["left"].startswith("A teacher asks")  # its [moodle] marker is read
    assert activities.body["distractors"] == ["Chat"]
    q2 = by_title["Q2"]
    assert [(c["text"], c["weight"], c.get("feedback")) for c in q2.body["choices"]] == [
        ("yellow", 100, "right; good!"),
        ("red", 0, "wrong, it's yellow"),
        ("blue", 0, "wrong, it's yellow"),
    ]
    colours = by_title["colours"]
    assert [c["weight"] for c in colours.body["choices"]] == [50, -100, 50, -100]
    assert colours.body["choices"][3] == {"text": "blue", "weight": -100, "feedback": "wrong"}
    q5 = by_title["Q5"]
    assert q5.body["answers"] == [{"value": 3, "tolerance": 2, "weight": 100}]
    assert q5.body["other_feedback"] == "Completely wrong"
    assert q5.text == 'What is a number from 1 to 5? _____";'  # as Moodle reads the stray `";`
    animal = by_title["Shortanswer"]
    assert [(a["text"], a["weight"], a["feedback"]) for a in animal.body["answers"]] == [
        ("Frog", 100, "Good!"),
        ("Cat", 50, "What is it with Moodlers and cats?"),
    ]
    assert animal.body["other_feedback"] == "Completely wrong"
    q1 = by_title["Q1"]
    assert q1.body == {
        "answer": False,
        "feedback_true": "42 is the Ultimate Answer.",  # what whoever answers "true" (wrongly) reads
        "feedback_false": "You gave the right answer.",
        "title": "Q1",
    }
    assert q1.explanation == "This is, of course, a Hitchiker's Guide to the Galaxy reference."
    assert [q.id for q in moodle("questions.gift.txt") if q.body.get("title") == "2-08 TSL"] == [
        "2-08-tsl",
        "2-08-tsl-2",
    ]


def test_moodle_category_file_keeps_category_formats_and_escapes() -> None:
    questions = moodle("questions_in_category.gift.txt")
    assert {q.body["category"] for q in questions} == {"$course$/Default for New Features"}
    assert {q.body["format"] for q in questions} == {"html"}
    greeting = next(q for q in questions if q.body.get("title") == "Greeting")
    assert greeting.text.startswith('<a href="http://demo.moodle.net/file.php/5/media/bonjour.mp3">Listen')
    assert greeting.text.endswith("What language is being spoken?")
    assert [c["weight"] for c in greeting.body["choices"]] == [0, 100, 0, 0]
    user = next(q for q in questions if q.body.get("title") == "Moodle user")
    assert user.type == "short" and user.body["answers"] == [{"text": "Moodler", "weight": 100}]
    acronym = next(q for q in questions if q.body.get("title") == "Moodle acronym")
    assert acronym.type == "truefalse" and 'style="font-style: italic;"' in acronym.text


def test_moodle_examples_cover_the_whole_format() -> None:
    examples = moodle("examples.txt")
    types = [q.type for q in examples]
    assert {t: types.count(t) for t in set(types)} == {
        "single": 16, "multiple": 2, "truefalse": 5, "short": 8, "cloze": 1, "matching": 3, "numeric": 8
    }  # fmt: skip
    by_title = {q.body["title"]: q for q in examples if "title" in q.body}
    assert by_title["Grant's Tomb"].text == "Grant is _____ in Grant's tomb."
    assert by_title["Grant's Tomb"].body["choices"][1] == {
        "text": "entombed",
        "weight": 100,
        "feedback": "Right answer!",
    }
    control = by_title["GIFT Control Characters"]
    assert [c["text"] for c in control.body["choices"]] == ["~", "=", "#", "{", "}", "\\"]
    assert control.body["choices"][5]["feedback"].startswith(
        "Correct! \\ (backslash) is not a control character."
    )
    assert control.text == "Which of the following is NOT a control character for the GIFT import format?"
    missing_short = by_title["Jesus' hometown (Short answer ex.)"]
    assert missing_short.type == "short" and missing_short.text == "Jesus Christ was from _____."
    assert [a["weight"] for a in missing_short.body["answers"]] == [100, 75, 25]
    numeric = by_title["Numerical example"].body["answers"]
    assert [(a["value"], a["tolerance"], a["weight"]) for a in numeric] == [(1822, 0, 100), (1822, 2, 50)]
    assert numeric[1]["feedback"].startswith("He was born in 1822.")
    cloze = next(q for q in examples if q.type == "cloze")
    assert cloze.text == "Two plus two equals {{1}}." and cloze.body == {"gaps": [{"answers": ["four", "4"]}]}
    ranges = [q.body["answers"][0] for q in examples if q.type == "numeric" and "min" in q.body["answers"][0]]
    assert ranges == [{"min": 3.141, "max": 3.142, "weight": 100}]
    equals = next(q for q in examples if q.text == "Which answer equals 5?")
    assert [c["text"] for c in equals.body["choices"]] == ["= 2 + 2", "= 2 + 3", "= 2 + 4"]
    assert [q.id for q in examples][:3] == [
        "who-s-buried-in-grant-s-tomb",
        "grant-is-in-grant-s-tomb",
        "grant-is-buried-in-grant-s-tomb",
    ]


@pytest.mark.parametrize("name", ["examples.txt", "questions.gift.txt", "questions_in_category.gift.txt"])
def test_moodle_files_export_natively_and_import_the_same(name: str) -> None:
    questions = moodle(name)
    text = export_gift(questions)
    assert "@lms" not in text  # everything Moodle wrote, we write back as Moodle would
    assert [(q.id, q.type, q.text, q.points, q.explanation, q.body) for q in load(text)] == [
        (q.id, q.type, q.text, q.points, q.explanation, q.body) for q in questions
    ]


# -- every feature --------------------------------------------------------------------------------


def test_single_and_multiple_weights_negative_and_decimal() -> None:
    single = one("Pick {=right#Yes ~%50%half#Close ~%-25%bad ~wrong}")
    assert single.type == "single"
    assert [(c["text"], c["weight"]) for c in single.body["choices"]] == [
        ("right", 100),
        ("half", 50),
        ("bad", -25),
        ("wrong", 0),
    ]
    multiple = one("Pick all {~%33.33333%a ~%33.33333%b ~%33.33334%c ~%-100%d}")
    assert multiple.type == "multiple" and multiple.body["choices"][0]["weight"] == 33.33333
    assert get_type("multiple").grade(multiple.body, 1, {"choices": [0, 1, 2]}).score == 1


@pytest.mark.parametrize(
    ("block", "answer"), [("T", True), ("TRUE", True), ("F", False), ("FALSE", False), (" FALSE ", False)]
)
def test_true_false_words(block: str, answer: bool) -> None:
    question = one(f"The sun rises in the east.{{{block}}}")
    assert question.type == "truefalse" and question.body["answer"] is answer


def test_true_false_feedback_and_moodle_case() -> None:
    assert one("Right? {TRUE#Wrong answer#Right answer}").body == {
        "answer": True,
        "feedback_true": "Right answer",
        "feedback_false": "Wrong answer",
    }
    assert one("Right? {T##Only right}").body == {"answer": True, "feedback_true": "Only right"}
    # Moodle only knows the capitals: a lower-case word is a short answer, as there.
    assert one("Capital? {true}").type == "short"


def test_short_answers_wildcards_and_feedback_for_the_rest() -> None:
    question = one("Who? {=no one#Yes =%50%nobody =%0%*#Think again}")
    assert question.body == {
        "answers": [{"text": "no one", "weight": 100, "feedback": "Yes"}, {"text": "nobody", "weight": 50}],
        "other_feedback": "Think again",
    }
    assert one("Capital of France? {Paris}").body == {"answers": [{"text": "Paris", "weight": 100}]}
    wildcard = one("Which colour? {=*ellow* =red}")
    assert (
        wildcard.body["pattern"] == ".*ellow.*"
        and get_type("short").grade(wildcard.body, 1, {"text": "Yellowish"}).score == 1
    )
    literal = one("Multiply? {=3 \\* 4}")
    assert literal.body["answers"] == [{"text": "3 * 4", "weight": 100}]
    questions, problems = parse_gift("Which? {=%50%ye*}")
    assert questions == [] and any("wildcard answer 'ye*' with weight 50 %" in m for _line, m in problems)


def test_missing_word_becomes_single_cloze_or_keeps_its_blank() -> None:
    single = one("Grant is {~buried =entombed ~living} in Grant's tomb.")
    assert single.type == "single" and single.text == "Grant is _____ in Grant's tomb."
    cloze = one("::gap::支付宝的{=担保交易 =担保}让买卖双方互相信任。")
    assert cloze.type == "cloze" and cloze.text == "支付宝的{{1}}让买卖双方互相信任。"
    assert get_type("cloze").grade(cloze.body, 1, {"gaps": ["担保"]}).score == 1
    weighted = one("Jesus was from {=Nazareth =%75%Nazereth}.")
    assert weighted.type == "short" and weighted.text == "Jesus was from _____."  # cloze gaps hold no weights
    numeric = one("Pi is {#3.14:0.01} roughly.")
    assert numeric.type == "numeric" and numeric.text == "Pi is _____ roughly."


def test_matching_with_distractors() -> None:
    question = one("Match {\n=Leather -> Balm\n=Nylon->Damp cloth\n= -> Bleach\n####Care matters.}")
    assert question.type == "matching" and question.explanation == "Care matters."
    assert question.body == {
        "pairs": [{"left": "Leather", "right": "Balm"}, {"left": "Nylon", "right": "Damp cloth"}],
        "distractors": ["Bleach"],
    }


def test_numeric_forms() -> None:
    assert one("Year? {#1822}").body["answers"] == [{"value": 1822, "tolerance": 0, "weight": 100}]
    assert one("Year? {#1822:5}").body["answers"] == [{"value": 1822, "tolerance": 5, "weight": 100}]
    assert one("Cold? {#-5:0.5}").body["answers"] == [{"value": -5, "tolerance": 0.5, "weight": 100}]
    assert one("Pi? {#3.141..3.142}").body["answers"] == [{"min": 3.141, "max": 3.142, "weight": 100}]
    several = one("Fee? {#\n=12:0#Right\n=%50%10:0#Remote fee\n=%-20%0#Free?\n~#No}")
    assert several.body == {
        "answers": [
            {"value": 12, "tolerance": 0, "weight": 100, "feedback": "Right"},
            {"value": 10, "tolerance": 0, "weight": 50, "feedback": "Remote fee"},
            {"value": 0, "tolerance": 0, "weight": -20, "feedback": "Free?"},
        ],
        "other_feedback": "No",
    }


def test_essay_and_general_feedback() -> None:
    essay = one("::essay::[html]Write <i>why</i>.{####A model answer names the rule.}")
    assert essay.type == "essay" and essay.body == {"format": "html"}
    assert essay.explanation == "A model answer names the rule."


def test_categories_titles_ids_and_tags() -> None:
    questions = load(
        "$CATEGORY: platform/orders\n\n"
        "// [id:money-held]\n// [tag:alipay]\n// [tag:orders]\n::Who holds it::Who holds the money?{=Alipay ~The store}\n\n"
        "::Who holds it::Again?{=Alipay ~The store}\n\n"
        "::Who holds it::Once more?{=Alipay ~The store}\n\n"
        "$CATEGORY: platform/returns\n\n"
        "Seven days?{T}\n"
    )
    assert [q.id for q in questions] == ["money-held", "who-holds-it", "who-holds-it-2", "seven-days"]
    assert questions[0].tags == ("alipay", "orders") and questions[0].body["title"] == "Who holds it"
    assert [q.body["category"] for q in questions] == ["platform/orders"] * 3 + ["platform/returns"]
    assert "title" not in questions[3].body


@pytest.mark.parametrize(
    ("marker", "fmt"),
    [("[html]", "html"), ("[plain]", "plain"), ("[moodle]", "moodle"), ("[markdown]", None), ("", None)],
)
def test_text_formats(marker: str, fmt: str | None) -> None:
    question = one(f"{marker}Is **this** bold?{{T}}")
    assert question.body.get("format") == fmt and question.text == "Is **this** bold?"


def test_answer_formats_are_read_and_dropped() -> None:
    question = one("Pick {=[html]<b>a</b>#[plain]fine ~[markdown]*b*}")
    assert [c["text"] for c in question.body["choices"]] == ["<b>a</b>", "*b*"]
    assert question.body["choices"][0]["feedback"] == "fine"


def test_escapes_and_newlines() -> None:
    question = one("::a\\:b::Total \\= 399 \\{brass\\} \\# 1 \\~ 2\\nnext line \\\\ end{=x\\=y#a\\#b ~z}")
    assert question.body["title"] == "a:b"
    assert question.text == "Total = 399 {brass} # 1 ~ 2\nnext line \\ end"
    assert question.body["choices"][0] == {"text": "x=y", "weight": 100, "feedback": "a#b"}


def test_comments_crlf_bom_and_chinese() -> None:
    questions = load(
        "\ufeff// a comment\r\n::退货::七天无理由退货的期限是几天？{\r\n// a comment among the answers\r\n#7}\r\n\r\n"
        "// another\r\n::x::对还是错{T}\r\n"
    )
    assert [q.type for q in questions] == ["numeric", "truefalse"]
    assert questions[0].text == "七天无理由退货的期限是几天？" and questions[0].body["title"] == "退货"
    assert questions[0].id.startswith("q-")  # a title without Latin letters still makes a stable id
    assert questions[0].line == 2


def test_a_title_that_never_ends_is_text_as_in_moodle() -> None:
    assert one("::no end {T}").text == "no end"


# -- problems: by line, and nothing imports -------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            "Just a description without answers.",
            "a description (text without an answer block {…}) is not representable",
        ),
        ("::t:: Unclosed {=a ~b", "braces do not match"),
        ("::t:: Backwards } {=a}", "braces do not match"),
        ("::t:: Two {=a} blocks {=b}", "a second answer block"),
        ("::t:: Pick {~a ~b}", "the positive weights add up to 0"),
        ("::t:: Pick {=a =b ~c}", "all have weight 100"),
        ("::t:: Pick {~a}", "give at least two choices"),
        ("::t:: Number {#abc}", "'abc' is not a number"),
        ("::t:: Range {#5..x}", "not a range of two numbers"),
        ("::t:: Number {#5 ~3#no}", "a wrong answer '3' in a numeric question cannot be kept"),
        ("::t:: Match {=a -> 1 =b}", "the matching answer 'b' has no ->"),
        ("::t:: Match {=a -> 1}", "give at least two pairs"),
        ("::t:: Weight {~%150%a =b}", "outside -100..100"),
        ("::t:: Weight {~%half%a =b}", "%half% is not a weight"),
        ("::t:: Stray {x ~a =b}", "text before the first = or ~"),
        ("// @lms: {nope\n::t:: Bad comment {T}", "not valid JSON"),
        ("// [id:x1]\n::t:: A {T}\n\n// [id:x1]\n::u:: B {T}", "the id 'x1' is used twice"),
        ("// [id:lonely]\n\n::t:: A {T}", "is not followed by a question"),
        ("$CATEGORY: a\n::t:: glued {T}", "a $CATEGORY: line stands alone"),
    ],
)
def test_problems_are_reported_by_line_and_nothing_imports(source: str, message: str) -> None:
    text = "::fine:: 2 + 2 = {#4}\n\n// a comment\n" + source + "\n"
    questions, problems = parse_gift(text)
    assert questions == []
    assert problems and problems[0][0] >= 4 and any(message in m for _line, m in problems), problems


def test_every_problem_is_reported_not_just_the_first() -> None:
    questions, problems = parse_gift(
        "A description.\n\n::ok:: Fine {T}\n\n::t:: Pick {~a ~b}\n\n::u:: Number {#x}\n"
    )
    assert questions == [] and sorted({line for line, _ in problems}) == [1, 5, 7]


# -- export ---------------------------------------------------------------------------------------


def spec(qid: str, qtype: str, text: str, body: dict, **kwargs) -> QuestionSpec:  # type: ignore[no-untyped-def,type-arg]
    return QuestionSpec(
        qid,
        qtype,
        text,
        kwargs.get("points", 1.0),
        kwargs.get("tags", ()),
        kwargs.get("explanation", ""),
        body,
    )


@pytest.mark.parametrize(
    ("question", "gift"),
    [
        (
            spec(
                "state",
                "single",
                "After payment?",
                {
                    "choices": [
                        {"text": "Paid", "weight": 100, "feedback": "Yes"},
                        {"text": "Unpaid", "weight": 0},
                        {"text": "Half", "weight": 50},
                    ]
                },
            ),
            "// [id:state]\n::state::After payment?{\n\t=Paid#Yes\n\t~Unpaid\n\t~%50%Half\n}",
        ),
        (
            spec(
                "ex",
                "multiple",
                "Excluded?",
                {
                    "choices": [
                        {"text": "Custom", "weight": 50},
                        {"text": "Fresh", "weight": 50},
                        {"text": "Tote", "weight": -100},
                    ]
                },
                tags=("returns",),
            ),
            "// [id:ex]\n// [tag:returns]\n::ex::Excluded?{\n\t~%50%Custom\n\t~%50%Fresh\n\t~%-100%Tote\n}",
        ),
        (
            spec(
                "tf",
                "truefalse",
                "Seven days?",
                {"answer": False, "feedback_true": "No", "feedback_false": "Yes"},
            ),
            "// [id:tf]\n::tf::Seven days?{FALSE#No#Yes}",
        ),
        (
            spec(
                "win",
                "short",
                "Window?",
                {
                    "answers": [{"text": "72 hours", "weight": 100}, {"text": "3*24", "weight": 50}],
                    "other_feedback": "72",
                },
            ),
            "// [id:win]\n::win::Window?{\n\t=72 hours\n\t=%50%3\\*24\n\t=%0%*#72\n}",
        ),
        (
            spec(
                "fee",
                "numeric",
                "Fee?",
                {
                    "answers": [
                        {"value": 12, "tolerance": 0, "weight": 100},
                        {"min": 9.5, "max": 10.5, "weight": 50},
                    ]
                },
                explanation="SF costs 12.",
            ),
            "// [id:fee]\n::fee::Fee?{\n#\n\t=12:0\n\t=%50%9.5..10.5\n\t####SF costs 12.\n}",
        ),
        (
            spec(
                "care",
                "matching",
                "Care?",
                {
                    "pairs": [{"left": "Leather", "right": "Balm"}, {"left": "Nylon", "right": "Cloth"}],
                    "distractors": ["Bleach"],
                },
            ),
            "// [id:care]\n::care::Care?{\n\t=Leather -> Balm\n\t=Nylon -> Cloth\n\t= -> Bleach\n}",
        ),
        (
            spec("gap", "cloze", "Within {{1}} hours.", {"gaps": [{"answers": ["72", "七十二"]}]}),
            "// [id:gap]\n::gap::Within {\n\t=72\n\t=七十二\n} hours.",
        ),
        (
            spec("why", "essay", "Why?", {"format": "html", "title": "Why not"}),
            "// [id:why]\n::Why not::[html]Why?{}",
        ),
    ],
)
def test_representable_questions_export_as_moodle_writes_them(question: QuestionSpec, gift: str) -> None:
    assert to_gift(question) == gift
    assert get_type(question.type).to_gift(question) == gift
    assert load(gift) == [question]


def test_what_gift_cannot_say_travels_in_an_lms_comment_beside_a_moodle_stand_in() -> None:
    ordering = spec("states", "ordering", "Order the states.", {"items": ["Unpaid", "Paid", "Shipped"]})
    reply = spec(
        "cheaper",
        "reply",
        "Reply.",
        {
            "customer": "能便宜点吗？",
            "target_seconds": 20,
            "key_points": [{"points": 2, "phrases": ["头层"]}],
            "forbidden": [],
        },
        points=2.0,
    )
    pattern = spec("p", "short", "Hours?", {"answers": [{"text": "72", "weight": 100}], "pattern": r"72\s*h"})
    rubric = spec("r", "essay", "Why?", {"rubric": "Names the rule."}, points=3.0)
    text = export_gift([ordering, reply, pattern, rubric])
    assert text.count("// @lms: ") == 4
    assert load(text) == [ordering, reply, pattern, rubric]
    # Moodle ignores the comments and reads the nearest question it has.
    moodle_view = load("\n".join(line for line in text.split("\n") if not line.startswith("// @lms")))
    assert [q.type for q in moodle_view] == ["matching", "essay", "short", "essay"]
    assert moodle_view[0].body["pairs"][0] == {"left": "1", "right": "Unpaid"}
    assert '"body_extra": {"rubric": "Names the rule."}' in text and '"points": 3.0' in text


def test_export_writes_settings_and_categories() -> None:
    questions = [
        spec("a", "truefalse", "A?", {"answer": True, "category": "orders"}),
        spec("b", "truefalse", "B?", {"answer": True, "category": "orders"}),
        spec("c", "truefalse", "C?", {"answer": False}),
    ]
    text = export_gift(
        questions,
        {"title": "Rules", "pass_percent": 80, "shuffle": True, "gates": ["go-live"], "course": None},
    )
    assert text.startswith(
        "// @title: Rules\n// @pass_percent: 80\n// @shuffle: true\n// @gates: go-live\n\n$CATEGORY: orders\n"
    )
    assert text.count("$CATEGORY:") == 2  # and one that leaves the category again
    assert load(text) == questions


def test_an_earlier_export_with_body_extra_still_imports() -> None:
    question = one(
        '// @lms: {"points": 3, "body_extra": {"rubric": "3: kind and firm."}}\n::asked::Answer the buyer.{}'
    )
    assert question.type == "essay" and question.body == {"rubric": "3: kind and firm."}
    assert question.points == 3
