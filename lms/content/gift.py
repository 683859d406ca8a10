"""Moodle's GIFT format: import every question type it has, and export ours losslessly.

Import keeps what each question means: type, weights, per-answer and general feedback, titles,
categories, text formats and escapes. What our types cannot hold is reported by line; a file
with any problem imports nothing. Export writes plain GIFT that Moodle reads; what GIFT cannot
express (ordering, reply rubrics, several cloze gaps, points, essay rubrics) travels in a
`// @lms: {json}` comment that Moodle ignores and our import restores, so export → import is
lossless. Ids and tags use Moodle's own `// [id:…]` and `// [tag:…]` comments.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any

from lms.content.questions import REGISTRY
from lms.content.specs import QuestionSpec

BLANK = "_____"
# Escapes are swapped for private-use characters while parsing, then swapped back.
_ESCAPES = {
    "\\\\": "\ue000",
    "\\~": "\ue001",
    "\\=": "\ue002",
    "\\#": "\ue003",
    "\\{": "\ue004",
    "\\}": "\ue005",
    "\\:": "\ue006",
    "\\n": "\ue007",
}
_RESTORE = {
    "\ue000": "\\",
    "\ue001": "~",
    "\ue002": "=",
    "\ue003": "#",
    "\ue004": "{",
    "\ue005": "}",
    "\ue006": ":",
    "\ue007": "\n",
}
FORMAT = re.compile(r"^\s*\[(html|markdown|plain|moodle)\]", re.IGNORECASE)
WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
DIRECTIVE = re.compile(r"^//\s*\[(id|tag):(.*?)\]\s*$")
LMS_EXTRA = re.compile(r"^//\s*@lms:\s*(\{.*\})\s*$")
SETTING = re.compile(r"^//\s*@[a-z_]+\s*:")


def _protect(text: str) -> str:
    for escape, mark in _ESCAPES.items():
        text = text.replace(escape, mark)
    return text


def _restore(text: str) -> str:
    for mark, char in _RESTORE.items():
        text = text.replace(mark, char)
    return text


def _clean(text: str) -> str:
    return _restore(text).strip()


def slugify(title: str) -> str:
    """A question id from a GIFT title."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:70]
    return slug or "question"


def _split_format(text: str) -> tuple[str, str]:
    match = FORMAT.match(text)
    if match:
        return match.group(1).lower(), text[match.end() :]
    return "markdown", text


def _chunks(source: str) -> list[tuple[int, list[str], list[str]]]:
    """Questions as (first line, text lines, directive comments) split on blank lines."""
    chunks: list[tuple[int, list[str], list[str]]] = []
    lines: list[str] = []
    comments: list[str] = []
    start = 0
    for number, raw in enumerate(source.split("\n"), start=1):
        stripped = raw.strip()
        if stripped.startswith("//"):
            if DIRECTIVE.match(stripped) or LMS_EXTRA.match(stripped):
                comments.append(stripped)
            continue
        if not stripped:
            if lines:
                chunks.append((start, lines, comments))
                lines, comments = [], []
            continue
        if not lines:
            start = number
        lines.append(raw)
    if lines:
        chunks.append((start, lines, comments))
    return chunks


def _answers(block: str) -> list[tuple[str, str]]:
    """Split an answer block into (marker, rest) at unescaped = and ~."""
    parts = re.split(r"([=~])", block)
    answers = []
    marker = None
    for part in parts:
        if part in ("=", "~"):
            marker = part
        elif marker is not None:
            answers.append((marker, part))
            marker = None
    return answers


def _weight_text_feedback(rest: str, default: float) -> tuple[float, str, str]:
    rest = rest.strip()
    weight = default
    match = WEIGHT.match(rest)
    if match:
        weight = float(match.group(1))
        rest = rest[match.end() :]
    text, _, feedback = rest.partition("#")
    _fmt, text = _split_format(text.strip())
    _ffmt, feedback = _split_format(feedback.strip())
    return weight, _clean(text), _clean(feedback)


def _number(value: str) -> float | None:
    try:
        number = float(value)
    except ValueError:
        return None
    return int(number) if number.is_integer() and "." not in value else number


def _numeric(block: str, report: Any) -> dict[str, Any] | None:
    inner = block[1:].strip()  # after the leading '#'
    if not inner.startswith(("=", "~")):
        inner = "=" + inner  # a bare first answer is a right one
    entries = _answers(inner)
    answers: list[dict[str, Any]] = []
    body: dict[str, Any] = {}
    for marker, rest in entries:
        rest = rest.strip()
        weight = 100.0 if marker == "=" else 0.0
        match = WEIGHT.match(rest)
        if match:
            weight = float(match.group(1))
            rest = rest[match.end() :]
        value, _, feedback = rest.partition("#")
        value, feedback = _restore(value).strip(), _clean(feedback)
        if marker == "~" and not value:
            if feedback:
                body["other_feedback"] = feedback
            continue
        entry: dict[str, Any] = {"weight": _int_if_whole(weight)}
        if ".." in value:
            low, _, high = value.partition("..")
            lo, hi = _number(low.strip()), _number(high.strip())
            if lo is None or hi is None:
                report(f"numeric range {value!r} is not two numbers")
                return None
            entry.update(min=lo, max=hi)
        else:
            number, _, tolerance = value.partition(":")
            num, tol = _number(number.strip()), _number(tolerance.strip() or "0")
            if num is None or tol is None:
                report(f"numeric answer {value!r} is not a number")
                return None
            entry.update(value=num, tolerance=tol)
        if feedback:
            entry["feedback"] = feedback
        answers.append(entry)
    body["answers"] = answers
    return body


def _int_if_whole(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _parse_block(block: str, report: Any) -> tuple[str, dict[str, Any]] | None:
    """The question type and body from the text between braces."""
    stripped = block.strip()
    if not stripped:
        return "essay", {}
    if stripped.startswith("#"):
        numeric = _numeric(stripped, report)
        return ("numeric", numeric) if numeric is not None else None
    tf = re.match(r"^(TRUE|FALSE|T|F)\b(.*)$", stripped, re.IGNORECASE | re.DOTALL)
    if tf:
        answer = tf.group(1).upper().startswith("T")
        feedbacks = [_clean(f) for f in tf.group(2).split("#")[1:]] if "#" in tf.group(2) else []
        wrong = _split_format(feedbacks[0])[1] if feedbacks else ""
        right = _split_format(feedbacks[1])[1] if len(feedbacks) > 1 else ""
        tf_body: dict[str, Any] = {"answer": answer}
        # GIFT gives the feedback for a wrong answer first, then for a right one.
        on_true, on_false = (right, wrong) if answer else (wrong, right)
        if on_true:
            tf_body["feedback_true"] = on_true
        if on_false:
            tf_body["feedback_false"] = on_false
        return "truefalse", tf_body
    answers = _answers(stripped)
    if not answers:
        report("the answer block has no answers (start each with = or ~)")
        return None
    if "->" in stripped and all(m == "=" for m, _ in answers):
        pairs, distractors = [], []
        for _m, rest in answers:
            left, _, right = rest.partition("->")
            _f, left = _split_format(left.strip())
            _g, right = _split_format(right.strip())
            left, right = _clean(left), _clean(right.split("#")[0])
            if left:
                pairs.append({"left": left, "right": right})
            else:
                distractors.append(right)
        matching: dict[str, Any] = {"pairs": pairs}
        if distractors:
            matching["distractors"] = distractors
        return "matching", matching
    if any(m == "~" for m, _ in answers):
        single = any(m == "=" for m, _ in answers)
        choices = []
        for marker, rest in answers:
            weight, text, feedback = _weight_text_feedback(rest, 100.0 if marker == "=" else 0.0)
            choice: dict[str, Any] = {"text": text, "weight": _int_if_whole(weight)}
            if feedback:
                choice["feedback"] = feedback
            choices.append(choice)
        return ("single" if single else "multiple"), {"choices": choices}
    short_answers = []
    body: dict[str, Any] = {}
    for _m, rest in answers:
        weight, text, feedback = _weight_text_feedback(rest, 100.0)
        if text == "*" and weight == 0:
            if feedback:
                body["other_feedback"] = feedback
            continue
        entry: dict[str, Any] = {"text": text, "weight": _int_if_whole(weight)}
        if feedback:
            entry["feedback"] = feedback
        short_answers.append(entry)
    body["answers"] = short_answers
    return "short", body


def _matching_brace(text: str, start: int) -> int:
    """Index of the last unescaped '}' (Moodle reads from the first '{' to the last '}')."""
    return text.rfind("}", start)


def parse_gift(source: str) -> tuple[list[QuestionSpec], list[tuple[int, str]]]:
    """Questions from GIFT text, and every problem as (line, message); any problem means none."""
    source = source.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    questions: list[QuestionSpec] = []
    problems: list[tuple[int, str]] = []
    category = ""
    used_ids: set[str] = set()
    for line, text_lines, comments in _chunks(source):
        raw = "\n".join(text_lines)
        if raw.lstrip().startswith("$CATEGORY:"):
            category = raw.split(":", 1)[1].strip()
            continue

        def report(message: str, line: int = line) -> None:
            problems.append((line, message))

        text = _protect(raw).strip()
        title = ""
        if text.startswith("::"):
            end = text.find("::", 2)
            if end < 0:
                report("a title starts with :: but never ends")
                continue
            title = _clean(text[2:end])
            text = text[end + 2 :]
        open_at = text.find("{")
        if open_at < 0:
            report("no answer block {…}: a description without a question is not imported")
            continue
        close_at = _matching_brace(text, open_at)
        if close_at < 0:
            report("the answer block { is never closed with }")
            continue
        block = text[open_at + 1 : close_at]
        before, after = text[:open_at], text[close_at + 1 :]
        text_format, before = _split_format(before.strip() if not after.strip() else before.lstrip())
        explanation = ""
        if "####" in block:
            block, _, general = block.partition("####")
            explanation = _clean(_split_format(general.strip())[1])
        parsed = _parse_block(block, report)
        if parsed is None:
            continue
        qtype, body = parsed
        question_text = (
            _clean(before) if not after.strip() else _restore(before).rstrip() + " " + BLANK + _restore(after)
        )
        if not after.strip():
            question_text = _clean(before)
        extra: dict[str, Any] = {}
        qid, tags = "", []
        for comment in comments:
            directive = DIRECTIVE.match(comment)
            if directive and directive.group(1) == "id":
                qid = directive.group(2).strip()
            elif directive:
                tags.append(directive.group(2).strip())
            else:
                extra_match = LMS_EXTRA.match(comment)
                try:
                    extra.update(json.loads(extra_match.group(1)) if extra_match else {})
                except json.JSONDecodeError:
                    report("the // @lms: comment is not valid JSON")
        points = float(extra.pop("points", 0) or 0)
        if "type" in extra:
            qtype = extra.pop("type")
            body = extra.pop("body", {})
            question_text = extra.pop("text", question_text)
        body.update(extra.pop("body_extra", {}))
        if title:
            body["title"] = title
        if text_format != "markdown":
            body["format"] = text_format
        if category:
            body["category"] = category
        base_id = qid or slugify(title) if (qid or title) else f"q{len(questions) + 1}"
        unique_id, n = base_id, 2
        while unique_id in used_ids:
            unique_id, n = f"{base_id}-{n}", n + 1
        used_ids.add(unique_id)
        if body.get("title") == unique_id:
            del body["title"]  # the title says nothing the id does not
        qtype_obj = REGISTRY[qtype]
        type_problems: list[str] = []

        def collect(message: str, _key: str | None, found: list[str] = type_problems) -> None:
            found.append(message)

        canonical = qtype_obj.parse({**body, "text": question_text}, collect)
        for message in type_problems:
            report(f"{qtype} question: {message}")
        for key in ("title", "format", "category", "other_feedback"):
            if key in body:
                canonical[key] = body[key]
        questions.append(
            QuestionSpec(
                id=unique_id,
                type=qtype,
                text=question_text,
                points=points or qtype_obj.default_points(canonical),
                tags=tuple(tags),
                explanation=explanation,
                body=canonical,
                line=line,
            )
        )
    if problems:
        return [], problems
    return questions, problems


# ---- export ---------------------------------------------------------------------------------

_SPECIAL = re.compile(r"([~=#{}:\\])")


def escape(text: str) -> str:
    """GIFT-escape the control characters and newlines of a text."""
    return _SPECIAL.sub(r"\\\1", text).replace("\n", "\\n")


def _weight(value: float, default: float) -> str:
    return "" if value == default else f"%{_int_if_whole(value)}%"


def _fb(text: str | None) -> str:
    return f"#{escape(text)}" if text else ""


def _prefix(question: QuestionSpec) -> str:
    fmt = question.body.get("format", "markdown")
    return f"[{fmt}]" if fmt != "markdown" else ""


GIFT_TYPES = {"single", "multiple", "truefalse", "short", "numeric", "matching", "essay"}
GIFT_KEYS = {
    "single": {"choices"},
    "multiple": {"choices"},
    "truefalse": {"answer", "feedback_true", "feedback_false"},
    "short": {"answers", "other_feedback"},
    "numeric": {"answers", "other_feedback"},
    "matching": {"pairs", "distractors"},
    "essay": set(),
}
META = {"title", "format", "category"}


def _block(question: QuestionSpec) -> str:
    body, kind = question.body, question.type
    if kind in ("single", "multiple"):
        parts = []
        for choice in body["choices"]:
            if kind == "single" and choice["weight"] == 100:
                parts.append("=" + escape(choice["text"]) + _fb(choice.get("feedback")))
            else:
                parts.append(
                    f"~%{_int_if_whole(choice['weight'])}%"
                    + escape(choice["text"])
                    + _fb(choice.get("feedback"))
                )
        return "\n".join(parts)
    if kind == "truefalse":
        right = body.get("feedback_true" if body["answer"] else "feedback_false", "")
        wrong = body.get("feedback_false" if body["answer"] else "feedback_true", "")
        text = "TRUE" if body["answer"] else "FALSE"
        if wrong or right:
            text += "#" + escape(wrong) + ("#" + escape(right) if right else "")
        return text
    if kind == "short":
        parts = [
            f"={_weight(a['weight'], 100)}{escape(a['text'])}{_fb(a.get('feedback'))}"
            for a in body["answers"]
        ]
        if body.get("other_feedback"):
            parts.append(f"=%0%*{_fb(body['other_feedback'])}")
        return "\n".join(parts)
    if kind == "numeric":
        parts = []
        for a in body["answers"]:
            value = f"{a['min']}..{a['max']}" if "min" in a else f"{a['value']}:{a.get('tolerance', 0)}"
            parts.append(f"={_weight(a['weight'], 100)}{value}{_fb(a.get('feedback'))}")
        if body.get("other_feedback"):
            parts.append(f"~{_fb(body['other_feedback'])}")
        return "#\n" + "\n".join(parts)
    if kind == "matching":
        parts = [f"={escape(p['left'])} -> {escape(p['right'])}" for p in body["pairs"]]
        parts += [f"= -> {escape(d)}" for d in body.get("distractors", [])]
        return "\n".join(parts)
    return ""  # essay, and the stand-in for types GIFT cannot hold


def to_gift(question: QuestionSpec) -> str:
    """One question as GIFT (with comments carrying what GIFT cannot say)."""
    lines = [f"// [id:{question.id}]"]
    lines += [f"// [tag:{tag}]" for tag in question.tags]
    extra: dict[str, Any] = {}
    representable = question.type in GIFT_TYPES and (
        question.type != "essay" or not question.body.get("rubric")
    )
    if not representable:
        extra = {
            "type": question.type,
            "text": question.text,
            "body": {k: v for k, v in question.body.items() if k not in META},
        }
    else:
        leftovers = {k: v for k, v in question.body.items() if k not in GIFT_KEYS[question.type] | META}
        if leftovers:
            extra["body_extra"] = leftovers
    default = REGISTRY[question.type].default_points(question.body)
    if question.points != default:
        extra["points"] = question.points
    if extra:
        lines.append("// @lms: " + json.dumps(extra, ensure_ascii=False, sort_keys=True))
    title = question.body.get("title") or question.id
    block = _block(question) if representable else ""
    general = f"####{escape(question.explanation)}" if question.explanation else ""
    inner = "\n".join(part for part in (block, general) if part)  # a blank line would end the question
    braces = f"{{\n{inner}\n}}" if inner else "{}"
    text = question.text if representable else question.text.replace(BLANK, "___")
    if representable and BLANK in text:
        before, _, after = text.partition(BLANK)
        if before.endswith(" "):
            body_text = f"{escape(before.rstrip())} {braces} {escape(after.lstrip())}"
        else:
            body_text = f"{escape(before)}{braces}{escape(after)}"
    else:
        body_text = f"{escape(text)} {braces}"
    lines.append(f"::{escape(title)}::{_prefix(question)}{body_text}")
    return "\n".join(lines)


def export_gift(questions: list[QuestionSpec], settings: dict[str, Any] | None = None) -> str:
    """A whole GIFT file: optional `// @key: value` settings, then categories and questions."""
    out = []
    for key, value in (settings or {}).items():
        if value in (None, "", [], ()):
            continue
        shown = (
            ", ".join(value)
            if isinstance(value, list | tuple)
            else str(value).lower()
            if isinstance(value, bool)
            else value
        )
        out.append(f"// @{key}: {shown}")
    if out:
        out.append("")
    category = ""
    for question in questions:
        if question.body.get("category", "") != category:
            category = question.body.get("category", "")
            out.append(f"$CATEGORY: {category}\n")
        out.append(to_gift(question) + "\n")
    return "\n".join(out).rstrip() + "\n"


def strip_line(question: QuestionSpec) -> QuestionSpec:
    """The question without its source line (for comparing imports)."""
    return replace(question, line=0)
