"""`check`: every problem in every file, each with its file and its real line."""

from __future__ import annotations

from pathlib import Path

import pytest

from lms.content.loader import as_json, check
from lms.content.problems import Problem
from lms.content.specs import GoLiveSpec, ProgramSpec, ScheduledCourse

COURSE = """\
title = "House rules"
summary = "Our system."
version = "1.2"
topics = ["templates"]

[[lessons]]
file = "01-standard.md"
title = "The standard"
day = 2
minutes = 20

[[lessons]]
file = "02-handover.md"
title = "Handover"
day = 3
minutes = 15
"""

QUIZ = """\
title = "House rules check"
course = "house-rules"
pass_percent = 70
gates = ["go-live", "tier:advanced"]

[[questions]]
id = "first-reply"
type = "numeric"
text = "Seconds?"
tags = ["standard"]
answers = [ { value = 20, tolerance = 0, weight = 100 } ]

[[questions]]
id = "greeting"
type = "single"
text = "Which greeting?"
tags = ["standard", "templates"]
choices = [
  { text = "亲，在的", weight = 100 },
  { text = "What?", weight = 0 },
]
"""

PROGRAMME = """\
title = "Onboarding"
days = 3

[[courses]]
course = "house-rules"
first_day = 1
last_day = 3

[[quizzes]]
quiz = "house-rules-check"
day = 3

[go_live]
quizzes = ["house-rules-check"]
courses = ["house-rules"]
trainer_signoff = true

[[tiers]]
slug = "ordinary"
name = "Ordinary agent"

[[tiers]]
slug = "advanced"
name = "Advanced agent"
exam = "house-rules-check"
exam_pass_percent = 80
kpi_min = 80
"""

FAQ = """\
[[entries]]
id = "ship-when"
kind = "reply"
question = "今天下单什么时候发货？"
answer = "Orders paid before 16:00 leave the same day."
tags = ["shipping"]
phrasings = ["几天能发货"]
"""

PRODUCTS = """\
[[products]]
sku = "BG-CB-059"
name = "Canvas crossbody, small"
price = 59
misuse = ["Machine-washing shrinks the canvas"]
"""

GIFT = """\
// @title: Practice
// @course: house-rules
// @pass_percent: 60

::seconds:: How many seconds for a first reply?{#20}
"""


def make_tree(root: Path, files: dict[str, str | None] | None = None) -> Path:
    """A small clean tree, with some files replaced (or removed, given None)."""
    content: dict[str, str | None] = {
        "courses/program.toml": PROGRAMME,
        "courses/house-rules/course.toml": COURSE,
        "courses/house-rules/01-standard.md": "# The standard\n\nAnswer within 20 seconds.\n",
        "courses/house-rules/02-handover.md": "# Handover\n\nNever leave a shopper waiting.\n",
        "courses/house-rules/faq.toml": FAQ,
        "courses/house-rules/products.toml": PRODUCTS,
        "quizzes/house-rules-check.toml": QUIZ,
        "quizzes/practice.gift": GIFT,
        **(files or {}),
    }
    for rel, text in content.items():
        if text is not None:
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    return root


def found(root: Path) -> list[str]:
    return [str(p) for p in check(root)[1]]


def test_a_clean_tree_reads_into_typed_specs(tmp_path: Path) -> None:
    tree, problems = check(make_tree(tmp_path))
    assert problems == []
    assert tree.summary() == "1 courses, 2 lessons, 2 quizzes, 3 questions, 1 FAQ entries, 1 products"
    course = tree.courses["house-rules"]
    assert course.version == (1, 2) and course.version_text == "1.2"
    assert [lesson.file for lesson in course.lessons] == ["01-standard.md", "02-handover.md"]
    assert course.lessons[0].body.startswith("# The standard") and len(course.hash) == 64
    quiz = tree.quizzes["house-rules-check"]
    assert (
        quiz.pass_percent == 70
        and quiz.gates == ("go-live", "tier:advanced")
        and quiz.source_format == "toml"
    )
    assert [q.id for q in quiz.questions] == ["first-reply", "greeting"]
    assert [q.line for q in quiz.questions] == [6, 13]
    greeting = quiz.questions[1]
    assert greeting.body == {"choices": [{"text": "亲，在的", "weight": 100}, {"text": "What?", "weight": 0}]}
    assert greeting.tags == ("standard", "templates") and greeting.points == 1
    practice = tree.quizzes["practice"]
    assert practice.title == "Practice" and practice.pass_percent == 60 and practice.source_format == "gift"
    programme = tree.programme
    assert isinstance(programme, ProgramSpec)
    assert programme.courses == (ScheduledCourse("house-rules", 1, 3),)
    assert programme.go_live == GoLiveSpec(("house-rules-check",), ("house-rules",), True, 0)
    assert [t.slug for t in programme.tiers] == ["ordinary", "advanced"]
    assert as_json(programme.as_json())["go_live"]["quizzes"] == ["house-rules-check"]
    assert tree.faq[0].phrasings == ("几天能发货",) and tree.products[0].price == 59
    assert tree.products[0].details == {"misuse": ["Machine-washing shrinks the canvas"]}


def test_hashes_follow_content_not_position(tmp_path: Path) -> None:
    first = check(make_tree(tmp_path / "a"))[0]
    moved = check(
        make_tree(tmp_path / "b", {"quizzes/house-rules-check.toml": QUIZ.replace("gates", "\n\ngates")})
    )[0]
    assert (
        first.quizzes["house-rules-check"].questions[0].line
        != moved.quizzes["house-rules-check"].questions[0].line
    )
    assert first.quizzes["house-rules-check"].hash == moved.quizzes["house-rules-check"].hash
    changed = check(
        make_tree(tmp_path / "c", {"quizzes/house-rules-check.toml": QUIZ.replace("Seconds?", "Secs?")})
    )[0]
    assert (
        changed.quizzes["house-rules-check"].questions[0].hash
        != first.quizzes["house-rules-check"].questions[0].hash
    )


def test_problem_prints_as_path_line_message() -> None:
    assert str(Problem("quizzes/a.toml", 7, "missing `text`")) == "quizzes/a.toml:7: missing `text`"


def test_toml_syntax_errors_have_their_line_and_other_files_still_report(tmp_path: Path) -> None:
    make_tree(
        tmp_path,
        {
            "quizzes/house-rules-check.toml": QUIZ + '\n[[questions]]\nid = "broken\n',
            "courses/house-rules/faq.toml": FAQ.replace('kind = "reply"', 'kind = "chat"'),
        },
    )
    problems = found(tmp_path)
    assert problems[0] == "courses/house-rules/faq.toml:3: `kind` must be one of reply, operation (is 'chat')"
    assert problems[1].startswith("quizzes/house-rules-check.toml:24: not valid TOML")
    # The unreadable quiz is not reported again as unknown by the programme or the tier.
    assert len(problems) == 2, problems


def test_every_problem_in_a_quiz_with_its_line(tmp_path: Path) -> None:
    quiz = """\
title = "Broken"
course = "house-rules"
pass_percent = "seventy"
colour = "red"
grading = "best"

[[questions]]
id = "a"
type = "single"
text = "Pick"
choices = [
  { text = "x", weight = 50 },
  { text = "y", weight = 0, colour = "red" },
]

[[questions]]
id = "a"
type = "multiple"
text = "Pick several"
choices = [ { text = "p", weight = 40 }, { text = "q", weight = 40 } ]

[[questions]]
id = "Bad Id"
type = "riddle"

[[questions]]
id = "n"
type = "numeric"
text = "How many?"
answers = [
  { value = 1, tolerance = 0, weight = 100 },
  { weight = 50 },
]
points = 0

[[questions]]
id = "s"
type = "short"
text = "Type"
answers = [ { text = "x" } ]
pattern = "([unclosed"

[[questions]]
id = "c"
type = "cloze"
text = "Within {{1}} hours and {{3}} days."
gaps = [ { answers = ["72"] }, { answers = ["7"] } ]

[[questions]]
id = "m"
type = "matching"
text = "Match"
pairs = [ { left = "a", right = "1" } ]
"""
    make_tree(tmp_path, {"quizzes/broken.toml": quiz})
    problems = [p for p in found(tmp_path) if p.startswith("quizzes/broken.toml")]
    f = "quizzes/broken.toml"
    assert problems == [
        f"{f}:3: `pass_percent` must be a whole number",
        f"{f}:4: unknown key `colour`",
        f"{f}:5: `grading` must be one of highest, last, first, mean (is 'best')",
        f"{f}:11: no choice has weight 100: a single-choice question needs exactly one right answer",
        f"{f}:13: unknown key `colour` in choice 2",
        f"{f}:17: question id 'a' is used twice (first on line 7)",
        f"{f}:20: the positive weights add up to 80, not 100: full marks can never be reached",
        f"{f}:22: missing `text`",
        f"{f}:23: `id` must be a short stable name: a-z, 0-9 and dashes (is 'Bad Id')",
        f"{f}:24: unknown question type 'riddle' (one of cloze, essay, matching, multiple, numeric, ordering, reply, short, single, truefalse)",
        f"{f}:32: answer 2: give `value` (and `tolerance`) or `min` and `max`",
        f"{f}:34: `points` must be a number above 0 and at most 100 (is 0)",
        f"{f}:41: `pattern` is not a valid regular expression: unterminated character set at position 1",
        f"{f}:46: the text has {{{{1}}}}, {{{{3}}}} but `gaps` lists 2: write {{{{1}}}}…{{{{n}}}} once each",
        f"{f}:53: give at least two pairs",
    ], problems


def test_missing_keys_point_at_their_table(tmp_path: Path) -> None:
    make_tree(
        tmp_path, {"quizzes/bare.toml": 'pass_percent = 120\n[[questions]]\nid = "a"\ntype = "single"\n'}
    )
    assert [p for p in found(tmp_path) if p.startswith("quizzes/bare")] == [
        "quizzes/bare.toml:1: `pass_percent` must be between 0 and 100 (is 120)",
        "quizzes/bare.toml:1: missing `title`",
        "quizzes/bare.toml:2: missing `choices`",
        "quizzes/bare.toml:2: missing `text`",
    ]


def test_course_problems(tmp_path: Path) -> None:
    course = COURSE.replace('version = "1.2"', "version = 1.2\nlevel = 3").replace(
        "02-handover.md", "09-nowhere.md"
    )
    course += '\n[[lessons]]\nfile = "01-standard.md"\ntitle = "Again"\nday = 0\n'
    make_tree(
        tmp_path,
        {
            "courses/house-rules/course.toml": course,
            "courses/house-rules/01-standard.md": "# The standard\n\n![a bag](images/bag.jpg)\n",
        },
    )
    assert [p for p in found(tmp_path) if p.startswith("courses/house-rules/")] == [
        "courses/house-rules/01-standard.md:3: the image images/bag.jpg does not exist",
        "courses/house-rules/02-handover.md:1: 02-handover.md is not listed in course.toml: learners never see it",
        'courses/house-rules/course.toml:3: `version` must be text like "1.0" (MAJOR.MINOR), is 1.2',
        "courses/house-rules/course.toml:4: unknown key `level`",
        "courses/house-rules/course.toml:14: lesson file 09-nowhere.md does not exist",
        "courses/house-rules/course.toml:20: lesson file 01-standard.md is listed twice (lessons 1 and 3)",
        "courses/house-rules/course.toml:22: `day` must be between 1 and 10000 (is 0)",
    ]


def test_a_folder_without_course_toml_and_a_stray_file(tmp_path: Path) -> None:
    make_tree(tmp_path, {"courses/drafts/notes.md": "ideas", "courses/extra.toml": "x = 1\n"})
    assert "courses/drafts:1: a course folder needs a course.toml" in found(tmp_path)
    assert "courses/extra.toml:1: unknown file: courses/ holds program.toml and course folders" in found(
        tmp_path
    )


def test_references_across_files(tmp_path: Path) -> None:
    programme = (
        PROGRAMME.replace('quiz = "house-rules-check"', 'quiz = "ghost-check"')
        .replace('quizzes = ["house-rules-check"]', 'quizzes = ["house-rules-check", "ghost-exam"]')
        .replace('courses = ["house-rules"]', 'courses = ["house-rules", "nope"]')
        .replace('exam = "house-rules-check"', 'exam = "tier-exam"')
        + '\n[[courses]]\ncourse = "phantom"\nfirst_day = 1\nlast_day = 1\n'
    )
    quiz = QUIZ.replace('course = "house-rules"', 'course = "elsewhere"').replace(
        'gates = ["go-live", "tier:advanced"]', 'gates = ["tier:platinum"]'
    )
    make_tree(tmp_path, {"courses/program.toml": programme, "quizzes/house-rules-check.toml": quiz})
    assert found(tmp_path) == [
        "courses/program.toml:10: the programme schedules unknown quiz 'ghost-check'",
        "courses/program.toml:14: go-live requires quiz 'house-rules-check', but its `gates` lack \"go-live\"",
        "courses/program.toml:14: go-live requires unknown quiz 'ghost-exam'",
        "courses/program.toml:15: go-live requires unknown course 'nope'",
        "courses/program.toml:25: tier 'advanced' names unknown exam 'tier-exam'",
        "courses/program.toml:30: the programme schedules unknown course 'phantom'",
        "quizzes/house-rules-check.toml:2: the quiz belongs to unknown course 'elsewhere'",
        "quizzes/house-rules-check.toml:4: gate 'tier:platinum' names a tier the programme does not have",
    ]


def test_days_out_of_range_and_lessons_outside_their_course(tmp_path: Path) -> None:
    programme = PROGRAMME.replace("first_day = 1\nlast_day = 3", "first_day = 3\nlast_day = 9").replace(
        "\nday = 3\n", "\nday = 0\n"
    )
    make_tree(tmp_path, {"courses/program.toml": programme})
    assert found(tmp_path) == [
        "courses/house-rules/course.toml:9: lesson 01-standard.md is on day 2, outside the course's days 3–3 in the programme",
        "courses/program.toml:7: `last_day` must be between 1 and 3 (is 9)",
        "courses/program.toml:11: `day` must be between 1 and 3 (is 0)",
    ]


def test_a_quiz_due_before_its_course_starts(tmp_path: Path) -> None:
    programme = PROGRAMME.replace("days = 3", "days = 5").replace(
        "first_day = 1\nlast_day = 3", "first_day = 2\nlast_day = 3"
    )
    programme = programme.replace("day = 3\n\n[go_live]", "day = 1\n\n[go_live]")
    make_tree(tmp_path, {"courses/program.toml": programme})
    assert found(tmp_path) == [
        "courses/program.toml:11: quiz 'house-rules-check' is due on day 1, before its course 'house-rules' starts (day 2)"
    ]


def test_tier_ladder_rules(tmp_path: Path) -> None:
    programme = PROGRAMME.replace(
        'name = "Ordinary agent"', 'name = "Ordinary agent"\nkpi_min = 10\ncolour = "grey"'
    ) + (
        '\n[[tiers]]\nslug = "elite"\nname = "Elite"\nexam = "house-rules-check"\nexam_pass_percent = 70\nkpi_min = 80\n'
        '\n[[tiers]]\nslug = "elite"\nname = "Again"\n'
    )
    quiz = QUIZ.replace(
        'gates = ["go-live", "tier:advanced"]', 'gates = ["go-live", "tier:advanced", "tier:elite"]'
    )
    make_tree(tmp_path, {"courses/program.toml": programme, "quizzes/house-rules-check.toml": quiz})
    assert found(tmp_path) == [
        "courses/program.toml:21: the first tier is where every agent starts: it takes no requirements (has kpi_min)",
        "courses/program.toml:22: unknown key `colour` in a tier",
        "courses/program.toml:35: `exam_pass_percent` (70) is lower than the tier below (advanced: 80)",
        "courses/program.toml:38: `exam_pass_percent` (0) is lower than the tier below (elite: 70)",
        "courses/program.toml:38: `kpi_min` (0) is lower than the tier below (elite: 80)",
        "courses/program.toml:38: every tier above the first needs an `exam`",
        "courses/program.toml:39: tier slug 'elite' is used twice (tier 3 and tier 4)",
    ]


def test_draw_pools_too_small_or_competing(tmp_path: Path) -> None:
    quiz = QUIZ.replace(
        "gates",
        'draw = [\n  { tags = ["standard"], count = 2 },\n  { tags = ["templates"], count = 1 },\n  { tags = ["rare"], count = 1 },\n]\ngates',
    )
    make_tree(tmp_path, {"quizzes/house-rules-check.toml": quiz})
    assert found(tmp_path) == [
        "quizzes/house-rules-check.toml:6: draw pools 1 and 2 together ask for 3 questions but share them: only 2 differ",
        "quizzes/house-rules-check.toml:7: draw pool 3 ['rare'] asks for 1 questions but only 0 have all those tags",
    ]


def test_faq_and_product_problems(tmp_path: Path) -> None:
    faq = (
        FAQ
        + '\n[[entries]]\nid = "ship-when"\nkind = "reply"\nquestion = "?"\nanswer = "!"\nphrasings = []\n'
    )
    products = PRODUCTS + '\n[[products]]\nsku = "bg cb"\nname = "x"\nprice = -1\nweight_g = "heavy"\n'
    make_tree(tmp_path, {"courses/house-rules/faq.toml": faq, "courses/house-rules/products.toml": products})
    assert found(tmp_path) == [
        "courses/house-rules/faq.toml:10: FAQ id 'ship-when' is used twice (first on line 2)",
        "courses/house-rules/faq.toml:14: give 1–3 `phrasings` (other ways shoppers ask it), not 0",
        "courses/house-rules/products.toml:8: `sku` must be capital letters, digits and dashes (is 'bg cb')",
        "courses/house-rules/products.toml:10: `price` must be between 0 and 1e+06 (is -1)",
        "courses/house-rules/products.toml:11: `weight_g` must be a whole number",
    ]


def test_ids_must_be_unique_across_files(tmp_path: Path) -> None:
    make_tree(
        tmp_path,
        {
            "courses/value-talk/course.toml": COURSE.replace("02-handover.md", "01-standard.md").split(
                '[[lessons]]\nfile = "01-standard.md"\ntitle = "Handover"'
            )[0],
            "courses/value-talk/01-standard.md": "# x\n\ntext\n",
            "courses/value-talk/faq.toml": FAQ,
        },
    )
    assert (
        "courses/value-talk/faq.toml:2: FAQ id 'ship-when' is already used in courses/house-rules/faq.toml"
        in found(tmp_path)
    )


def test_gift_quiz_settings_and_problems(tmp_path: Path) -> None:
    gift = "// @title: Practice\n// @pass_percent: many\n// @colour: red\n\n::a:: Fine {#1}\n\n::b:: Broken {=a ~b\n"
    make_tree(tmp_path, {"quizzes/practice.gift": gift})
    assert found(tmp_path) == [
        "quizzes/practice.gift:2: `pass_percent` must be a whole number",
        "quizzes/practice.gift:3: unknown setting @colour",
        "quizzes/practice.gift:7: the answer block's braces do not match: a { needs its } (write \\{ or \\} for a brace in text)",
    ]


def test_one_quiz_one_file(tmp_path: Path) -> None:
    make_tree(tmp_path, {"quizzes/house-rules-check.gift": GIFT})
    assert (
        "quizzes/house-rules-check.toml:1: quiz 'house-rules-check' is also in quizzes/house-rules-check.gift: one file per quiz"
        in found(tmp_path)
    )


@pytest.mark.parametrize("variant", ["bom", "crlf"])
def test_bom_and_crlf_are_normal_input(tmp_path: Path, variant: str) -> None:
    quiz = "\ufeff" + QUIZ if variant == "bom" else QUIZ.replace("\n", "\r\n")
    make_tree(tmp_path, {"quizzes/house-rules-check.toml": quiz})
    assert found(tmp_path) == []


def test_not_utf8_is_reported_with_its_line(tmp_path: Path) -> None:
    make_tree(tmp_path)
    (tmp_path / "quizzes" / "house-rules-check.toml").write_bytes(QUIZ.encode("utf-8") + b"\n# caf\xe9\n")
    assert found(tmp_path)[0] == "quizzes/house-rules-check.toml:23: not UTF-8 text"
