"""Reading quiz files: TOML quizzes and GIFT quizzes with `// @key: value` settings."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from lms.content.checks import TableReader
from lms.content.problems import Problems, SourceLines, load_toml
from lms.content.questions import REGISTRY
from lms.content.specs import QuestionSpec, QuizSpec

QUIZ_KEYS = {
    "title",
    "title_zh",
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
    "questions",
}
COMMON_QUESTION_KEYS = {"id", "type", "text", "points", "tags", "explanation", "title", "format", "category"}
META_KEYS = ("title", "format", "category")
GRADING = ("highest", "last", "first", "mean")
REVIEW = ("after_submit", "after_pass", "score_only", "never")
QUESTION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")
GATE = re.compile(r"^(go-live|tier:[a-z0-9-]+)$")


def parse_question(raw: dict[str, Any], report: Any) -> QuestionSpec | None:
    """One [[questions]] table into a spec; `report(message, key)` receives every problem."""
    qtype_name = raw.get("type")
    qtype = REGISTRY.get(qtype_name) if isinstance(qtype_name, str) else None
    if qtype is None:
        report(f"unknown question type {qtype_name!r} (one of {', '.join(sorted(REGISTRY))})", "type")
        return None
    allowed = COMMON_QUESTION_KEYS | qtype.keys
    for key in sorted(set(raw) - allowed):
        report(f"unknown key `{key}` for a {qtype.name} question", key)
    qid = raw.get("id")
    if not isinstance(qid, str) or not QUESTION_ID.match(qid):
        report("`id` must be a short stable name (letters, digits, dashes)", "id" if "id" in raw else None)
        qid = str(qid or "")
    text = raw.get("text")
    if not isinstance(text, str) or not text.strip():
        report("missing `text`", "text" if "text" in raw else None)
        text = ""
    body = qtype.parse(raw, report)
    for key in META_KEYS:
        if isinstance(raw.get(key), str) and raw[key]:
            body[key] = raw[key]
    if body.get("format", "markdown") not in ("markdown", "html", "plain", "moodle"):
        report("`format` must be markdown, html, plain or moodle", "format")
    points = raw.get("points")
    if points is None:
        points = qtype.default_points(body)
    elif isinstance(points, bool) or not isinstance(points, int | float) or not 0 < points <= 100:
        report("`points` must be a number above 0 (at most 100)", "points")
        points = 1
    tags = raw.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        report("`tags` must be a list of texts", "tags")
        tags = []
    explanation = raw.get("explanation", "")
    if not isinstance(explanation, str):
        report("`explanation` must be text", "explanation")
        explanation = ""
    return QuestionSpec(qid, qtype.name, text, float(points), tuple(tags), explanation, body)


def _settings(reader: TableReader, slug: str, questions: tuple[QuestionSpec, ...], fmt: str) -> QuizSpec:
    gates = reader.strings("gates")
    for gate in gates:
        if not GATE.match(gate):
            reader.report(f'unknown gate {gate!r} (use "go-live" or "tier:<tier>")', "gates")
    draw_tables = reader.tables("draw")
    draw = []
    for pool in draw_tables:
        tags, count = pool.get("tags"), pool.get("count")
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags) or not tags:
            reader.report("each `draw` pool needs `tags`, a list of texts", "draw")
            continue
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            reader.report("each `draw` pool needs `count`, a whole number above 0", "draw")
            continue
        unknown = set(pool) - {"tags", "count"}
        if unknown:
            reader.report(f"unknown key(s) in a draw pool: {', '.join(sorted(unknown))}", "draw")
        have = sum(1 for q in questions if set(tags) <= set(q.tags))
        if have < count:
            reader.report(
                f"draw pool {tags} asks for {count} questions but only {have} have those tags", "draw"
            )
        draw.append({"tags": list(tags), "count": count})
    return QuizSpec(
        slug=slug,
        title=reader.text("title", max_len=200),
        title_zh=reader.optional_text("title_zh"),
        course=reader.optional_text("course"),
        description=reader.text("description", required=False),
        pass_percent=reader.integer("pass_percent", 80, 0, 100),
        max_attempts=reader.integer("max_attempts", 0, 0, 100),
        cooldown_minutes=reader.integer("cooldown_minutes", 0, 0, 60 * 24 * 30),
        time_limit_minutes=reader.integer("time_limit_minutes", 0, 0, 600),
        grading=reader.choice("grading", GRADING, "highest"),
        shuffle=reader.boolean("shuffle", False),
        review=reader.choice("review", REVIEW, "after_submit"),
        gates=gates,
        draw=tuple(draw) if draw_tables else None,
        published=reader.boolean("published", True),
        source_format=fmt,
        questions=questions,
    )


def read_quiz(path: Path, root: Path, problems: Problems) -> QuizSpec | None:
    """A quizzes/<slug>.toml file."""
    rel = str(path.relative_to(root))
    try:
        text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError:
        problems.add(rel, 1, "not UTF-8 text")
        return None
    data = load_toml(text, rel, problems)
    if data is None:
        return None
    lines = SourceLines(text)
    headers = lines.tables("questions")
    first_question = headers[0] if headers else None
    reader = TableReader(data, rel, problems, lambda key: lines.key(key, 1, first_question) if key else 1)
    reader.unknown_keys(QUIZ_KEYS)
    questions = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(reader.tables("questions", required=True)):
        start = headers[index] if index < len(headers) else lines.key("questions")
        end = headers[index + 1] if index + 1 < len(headers) else None

        def report(message: str, key: str | None, s: int = start, e: int | None = end) -> None:
            problems.add(rel, lines.key(key, s, e) if key else s, message)

        question = parse_question(raw, report)
        if question is None:
            continue
        if question.id in seen:
            report(f"question id {question.id!r} is used twice (first on line {seen[question.id]})", "id")
        seen[question.id] = start
        questions.append(QuestionSpec(**{**question.__dict__, "line": start}))
    if not questions and data.get("questions") is not None:
        problems.add(rel, 1, "the quiz has no valid questions")
    slug = path.stem
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,79}", slug):
        problems.add(rel, 1, f"the file name {slug!r} is not a valid slug (a-z, 0-9, dashes)")
    return _settings(reader, slug, tuple(questions), "toml")


GIFT_SETTING = re.compile(r"^//\s*@([a-z_]+)\s*:\s*(.*?)\s*$")


def read_gift_quiz(path: Path, root: Path, problems: Problems) -> QuizSpec | None:
    """A quizzes/<slug>.gift file; settings from `// @key: value` lines at its top."""
    from lms.content.gift import parse_gift

    rel = str(path.relative_to(root))
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.add(rel, 1, "not UTF-8 text")
        return None
    settings: dict[str, Any] = {}
    setting_lines: dict[str, int] = {}
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        match = GIFT_SETTING.match(line.strip())
        if match:
            key, value = match.group(1), match.group(2)
            setting_lines[key] = number
            settings[key] = _gift_setting_value(key, value)
        elif line.strip() and not line.strip().startswith("//"):
            break
    settings.setdefault("title", path.stem.replace("-", " ").capitalize())
    questions, gift_problems = parse_gift(text)
    for line_no, message in gift_problems:
        problems.add(rel, line_no, message)
    reader = TableReader(settings, rel, problems, lambda key: setting_lines.get(key, 1))
    reader.unknown_keys(QUIZ_KEYS - {"questions", "draw"})
    seen: set[str] = set()
    unique = []
    for q in questions:
        if q.id in seen:
            problems.add(rel, q.line, f"question title {q.id!r} is used twice")
        seen.add(q.id)
        unique.append(q)
    return _settings(reader, path.stem, tuple(unique), "gift")


def _gift_setting_value(key: str, value: str) -> Any:
    if key in {"pass_percent", "max_attempts", "cooldown_minutes", "time_limit_minutes"}:
        return int(value) if value.isdigit() else value
    if key in {"shuffle", "published"}:
        return {"true": True, "false": False}.get(value.lower(), value)
    if key == "gates":
        return [g.strip() for g in value.split(",") if g.strip()]
    return value
