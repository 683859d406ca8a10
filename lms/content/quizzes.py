"""Reading quiz files: `quizzes/<slug>.toml`, and `quizzes/<slug>.gift` with `// @key: value` settings."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from itertools import combinations
from pathlib import Path
from typing import Any

from lms.content.english import SHAPES, apply_legacy_zh, question_shape, read_english
from lms.content.gift_syntax import FORMATS
from lms.content.problems import Problems, Where, load_toml, read_text
from lms.content.questions import META_KEYS, REGISTRY
from lms.content.specs import QuestionSpec, QuizSpec
from lms.content.tables import TableReader
from lms.content.toml_source import TomlSource
from lms.content.translations import note

#: A quiz file's settings, in the order a file lists them (the exporter writes them in this order).
QUIZ_SETTINGS = (
    "title",
    "course",
    "description",
    "pass_percent",
    "max_attempts",
    "cooldown_minutes",
    "time_limit_minutes",
    "grading",
    "shuffle",
    "review",
    "gates",
    "draw",
    "published",
)
#: `title_zh` is the legacy Chinese title (see english.LEGACY_ZH), read until the content is converted.
QUIZ_KEYS = frozenset({*QUIZ_SETTINGS, "questions", "en", "title_zh"})
COMMON_QUESTION_KEYS = frozenset({"id", "type", "text", "points", "tags", "explanation", "en"}) | META_KEYS
GRADING = ("highest", "last", "first", "mean")
REVIEW = ("after_submit", "after_pass", "score_only", "never")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
QUESTION_ID = SLUG
GATE = re.compile(r"^(go-live|tier:[a-z0-9][a-z0-9-]*)$")
MAX_POINTS = 100


def parse_question(raw: dict[str, Any], where: Where, line: int = 0) -> QuestionSpec | None:
    """One question table into a spec, reporting every problem through `where`; None if untyped."""
    type_name = raw.get("type")
    qtype = REGISTRY.get(type_name) if isinstance(type_name, str) else None
    qid = raw.get("id")
    if not isinstance(qid, str) or not QUESTION_ID.match(qid):
        shown = f" (is {qid!r})" if qid is not None else ""
        where(
            f"`id` must be a short stable name: a-z, 0-9 and dashes{shown}", *(("id",) if "id" in raw else ())
        )
        qid = str(qid or "")
    text = raw.get("text")
    if not isinstance(text, str) or not text.strip():
        where(
            "missing `text`" if text is None else "`text` must be a non-empty text",
            *(("text",) if "text" in raw else ()),
        )
        text = str(text or "")
    if qtype is None:
        if type_name is None:
            where(f"missing `type` (one of {', '.join(sorted(REGISTRY))})")
        else:
            where(f"unknown question type {type_name!r} (one of {', '.join(sorted(REGISTRY))})", "type")
        return None
    for key in sorted(set(raw) - COMMON_QUESTION_KEYS - qtype.keys):
        where(f"unknown key `{key}` for a {qtype.name} question", key)
    body = qtype.parse(raw, where)
    for key in sorted(META_KEYS):
        value = raw.get(key)
        if value is None:
            continue
        if not isinstance(value, str) or not value.strip():
            where(f"`{key}` must be a non-empty text", key)
        elif key == "format" and value not in FORMATS:
            where(f"`format` must be one of {', '.join(FORMATS)} (is {value!r})", key)
        else:
            body[key] = value
    points = raw.get("points")
    if points is None:
        points = qtype.default_points(body)
    elif isinstance(points, bool) or not isinstance(points, int | float) or not 0 < points <= MAX_POINTS:
        where(f"`points` must be a number above 0 and at most {MAX_POINTS} (is {points!r})", "points")
        points = 1
    tags = raw.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) and t.strip() for t in tags):
        where("`tags` must be a list of non-empty texts", "tags")
        tags = []
    elif len(set(tags)) != len(tags):
        where("`tags` lists a tag twice", "tags")
    explanation = raw.get("explanation", "")
    if not isinstance(explanation, str):
        where("`explanation` must be text", "explanation")
        explanation = ""
    english = read_english(raw, question_shape(qtype.name), where, f"a {qtype.name} question")
    return QuestionSpec(qid, qtype.name, text, float(points), tuple(tags), explanation, body, line, english)


def check_draw(reader: TableReader, questions: Sequence[QuestionSpec]) -> tuple[dict[str, Any], ...] | None:
    """The `draw` pools; each must hold enough questions, and so must any pools that share them."""
    if "draw" not in reader.table:
        return None
    pools: list[tuple[int, dict[str, Any], set[str]]] = []
    for index, pool in reader.tables("draw"):
        child = reader.child(pool, "draw", index)
        child.unknown_keys({"tags", "count"}, f"draw pool {index + 1}")
        tags = child.strings("tags", required=True, unique=True)
        count = child.integer("count", 0, 1, 1000, required=True)
        if not tags or not count:
            continue
        members = {q.id for q in questions if set(tags) <= set(q.tags)}
        if len(members) < count:
            child.report(
                f"draw pool {index + 1} {list(tags)} asks for {count} questions but only {len(members)} "
                "have all those tags"
            )
        pools.append((index, {"tags": list(tags), "count": count}, members))
    # Pools that share questions compete for them (Hall's condition; there are only a few pools).
    failed: list[set[int]] = []
    for size in range(2, min(len(pools), 8) + 1):
        for group in combinations(pools, size):
            indexes = {p[0] for p in group}
            if any(f <= indexes for f in failed) or any(len(p[2]) < p[1]["count"] for p in group):
                continue
            need = sum(p[1]["count"] for p in group)
            have = len(set().union(*(p[2] for p in group)))
            if need > have:
                failed.append(indexes)
                names = " and ".join(str(p[0] + 1) for p in group)
                reader.report(
                    f"draw pools {names} together ask for {need} questions but share them: only {have} differ",
                    "draw",
                    group[-1][0],
                )
    if "draw" in reader.table and isinstance(reader.table["draw"], list) and not reader.table["draw"]:
        reader.report("`draw` is empty: leave it out to use every question", "draw")
    return tuple(p[1] for p in pools)


def quiz_settings(
    reader: TableReader, slug: str, questions: tuple[QuestionSpec, ...], source_format: str
) -> QuizSpec:
    """The quiz's settings (read from its top-level keys) around its questions."""
    gates = reader.strings("gates", unique=True)
    for index, gate in enumerate(gates):
        if not GATE.match(gate):
            reader.report(f'unknown gate {gate!r} (use "go-live" or "tier:<tier slug>")', "gates", index)
    course = reader.optional_text("course")
    if course is not None and not SLUG.match(course):
        reader.report(f"`course` must be a course folder name (is {course!r})", "course")
    english = read_english(reader.table, SHAPES["quiz"], reader.report, "a quiz")
    note(reader.problems, reader.path, ".", reader.line("title"), reader.table, english, SHAPES["quiz"])
    return QuizSpec(
        slug=slug,
        title=reader.text("title", max_len=200),
        en=english,
        course=course,
        description=reader.text("description", required=False),
        pass_percent=reader.integer("pass_percent", 80, 0, 100),
        max_attempts=reader.integer("max_attempts", 0, 0, 100),
        cooldown_minutes=reader.integer("cooldown_minutes", 0, 0, 60 * 24 * 30),
        time_limit_minutes=reader.integer("time_limit_minutes", 0, 0, 600),
        grading=reader.choice("grading", GRADING, "highest"),
        shuffle=reader.boolean("shuffle", False),
        review=reader.choice("review", REVIEW, "after_submit"),
        gates=gates,
        draw=check_draw(reader, questions),
        published=reader.boolean("published", True),
        source_format=source_format,
        questions=questions,
    )


def _check_slug(slug: str, rel: str, problems: Problems) -> None:
    if not SLUG.match(slug):
        problems.add(rel, 1, f"the file name {slug!r} is not a valid slug (a-z, 0-9 and dashes)")


def read_quiz(path: Path, root: Path, problems: Problems) -> tuple[QuizSpec | None, TomlSource | None]:
    """A quizzes/<slug>.toml file, and where its keys are."""
    rel = path.relative_to(root).as_posix()
    text = read_text(path, rel, problems)
    data = load_toml(text, rel, problems) if text is not None else None
    if text is None or data is None:
        return None, None
    source = TomlSource(text)
    TableReader(data, rel, problems, source).unknown_keys(QUIZ_KEYS)
    reader = TableReader(apply_legacy_zh(data), rel, problems, source)
    questions: list[QuestionSpec] = []
    first_line: dict[str, int] = {}
    for index, raw in reader.tables("questions", required=True):
        start = source.line("questions", index)

        def where(message: str, *at: str | int, _index: int = index) -> None:
            problems.add(rel, source.line("questions", _index, *at), message)

        question = parse_question(raw, where, start)
        if question is None:
            continue
        note(
            problems,
            rel,
            f"questions.{question.id}",
            start,
            _raw_of(question),
            question.en,
            question_shape(question.type),
        )
        if question.id in first_line:
            where(
                f"question id {question.id!r} is used twice (first on line {first_line[question.id]})", "id"
            )
        else:
            first_line[question.id] = start
        questions.append(question)
    if "questions" in data and isinstance(data["questions"], list) and not data["questions"]:
        reader.report("the quiz has no questions", "questions")
    _check_slug(path.stem, rel, problems)
    return quiz_settings(reader, path.stem, tuple(questions), "toml"), source


def _raw_of(question: QuestionSpec) -> dict[str, Any]:
    """A question's keys as a file would hold them (for the translation fingerprint)."""
    return {"text": question.text, "explanation": question.explanation, **question.body}


GIFT_SETTING = re.compile(r"^//\s*@([A-Za-z_]+)\s*:\s*(.*?)\s*$")
INTEGER_SETTINGS = {"pass_percent", "max_attempts", "cooldown_minutes", "time_limit_minutes"}
BOOLEAN_SETTINGS = {"shuffle", "published"}


class SettingLines:
    """Lines of a GIFT file's `// @key:` settings, for the table reader."""

    def __init__(self, lines: dict[str, int]) -> None:
        self.lines = lines

    def line(self, *path: str | int) -> int:
        """The line of a setting (1 for one not given)."""
        return self.lines.get(str(path[0]), 1) if path else 1


def gift_settings(text: str) -> tuple[dict[str, Any], dict[str, int], list[tuple[int, str]]]:
    """The `// @key: value` lines at the top of a GIFT file: values, their lines, problems."""
    settings: dict[str, Any] = {}
    lines: dict[str, int] = {}
    problems: list[tuple[int, str]] = []
    for number, line in enumerate(text.lstrip("\ufeff").replace("\r\n", "\n").split("\n"), start=1):
        stripped = line.strip()
        match = GIFT_SETTING.match(stripped)
        if match:
            key, value = match.group(1), match.group(2)
            if key in settings:
                problems.append((number, f"the setting @{key} is given twice (first on line {lines[key]})"))
                continue
            lines[key] = number
            settings[key] = _setting_value(key, value, number, problems)
        elif stripped and not stripped.startswith("//"):
            break
    return settings, lines, problems


def _setting_value(key: str, value: str, line: int, problems: list[tuple[int, str]]) -> Any:
    if key in INTEGER_SETTINGS:
        return int(value) if re.fullmatch(r"-?\d+", value) else value
    if key in BOOLEAN_SETTINGS:
        return {"true": True, "false": False}.get(value.lower(), value)
    if key == "gates":
        return [g.strip() for g in value.split(",") if g.strip()]
    if key == "draw":
        try:
            return json.loads(value)
        except json.JSONDecodeError as err:
            problems.append((line, f'@draw must be JSON, e.g. [{{"tags": ["care"], "count": 2}}]: {err}'))
            return None
    return value


def read_gift_quiz(path: Path, root: Path, problems: Problems) -> tuple[QuizSpec | None, SettingLines | None]:
    """A quizzes/<slug>.gift file (settings from `// @key: value` lines at its top), and their lines."""
    from lms.content.gift import parse_gift

    rel = path.relative_to(root).as_posix()
    text = read_text(path, rel, problems)
    if text is None:
        return None, None
    settings, lines, setting_problems = gift_settings(text)
    for line, message in setting_problems:
        problems.add(rel, line, message)
    settings = {k: v for k, v in settings.items() if v is not None}
    settings.setdefault("title", path.stem.replace("-", " ").capitalize())
    questions, gift_problems = parse_gift(text)
    for line, message in gift_problems:
        problems.add(rel, line, message)
    setting_lines = SettingLines(lines)
    reader = TableReader(settings, rel, problems, setting_lines)
    for key in sorted(set(settings) - (QUIZ_KEYS - {"questions", "en"})):
        reader.report(f"unknown setting @{key}", key)
    reader = TableReader(apply_legacy_zh(settings), rel, problems, setting_lines)
    for question in questions:
        note(
            problems,
            rel,
            f"questions.{question.id}",
            question.line,
            _raw_of(question),
            question.en,
            question_shape(question.type),
        )
    if not questions and not gift_problems:
        problems.add(rel, 1, "the file holds no questions")
    _check_slug(path.stem, rel, problems)
    return quiz_settings(reader, path.stem, tuple(questions), "gift"), setting_lines
