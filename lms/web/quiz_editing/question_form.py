"""The question editor's fields <-> a question table as the quiz files write it.

Lists (choices, answers, pairs, gaps, key points…) are rows of inputs; empty rows are ignored, so the
form always offers a few blank rows for more. Alternatives inside one row (accepted spellings, phrases)
are separated by `|`. Numbers that do not read as numbers are passed through as text, so the file
format's own checks report them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: Rows shown beyond the filled ones.
BLANK_ROWS = 3
MAX_ROWS = 40

#: Each list the types hold: its key, its row fields and which are numbers / lists.
ROWS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "single": [("choices", ("text", "weight", "feedback"))],
    "multiple": [("choices", ("text", "weight", "feedback"))],
    "short": [("answers", ("text", "weight"))],
    "numeric": [("answers", ("value", "tolerance", "weight"))],
    "matching": [("pairs", ("left", "right"))],
    "cloze": [("gaps", ("answers",))],
    "reply": [("key_points", ("points", "phrases")), ("forbidden", ("penalty", "phrases"))],
}
NUMBERS = {"weight", "value", "tolerance", "points", "penalty", "target_seconds", "complete_seconds"}
ALTERNATIVES = {"phrases", "answers"}
#: Single fields of each type (text areas or lines).
FIELDS: dict[str, tuple[str, ...]] = {
    "truefalse": ("feedback_true", "feedback_false"),
    "short": ("other_feedback",),
    "numeric": ("other_feedback",),
    "essay": ("rubric",),
    "reply": ("customer", "target_seconds", "complete_seconds", "model_answer"),
}
#: Fields written one item per line.
LINES: dict[str, tuple[str, ...]] = {"matching": ("distractors",), "ordering": ("items",)}

#: The English version's fields (prefixed `en-`), following lms/content/english.py's shapes: rows are
#: aligned with the Chinese rows by their row number.
ENGLISH_FIELDS: dict[str, tuple[str, ...]] = {
    "truefalse": ("feedback_true", "feedback_false"),
    "essay": ("rubric",),
    "reply": ("customer", "model_answer"),
}
ENGLISH_ROWS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "single": [("choices", ("text", "feedback"))],
    "multiple": [("choices", ("text", "feedback"))],
    "matching": [("pairs", ("left", "right"))],
}


def _number(text: str) -> Any:
    text = text.strip().replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return text
    return int(value) if value.is_integer() and "." not in text else value


def form_to_raw(qtype: str, form: Mapping[str, str], key: str | None) -> dict[str, Any]:
    """A question table from the editor's fields (what a `[[questions]]` table would hold)."""
    raw: dict[str, Any] = {"id": key if key is not None else form.get("id", "").strip(), "type": qtype}
    raw["text"] = form.get("text", "").strip()
    if form.get("points", "").strip():
        raw["points"] = _number(form["points"])
    tags = [t.strip() for t in form.get("tags", "").replace("，", ",").split(",") if t.strip()]
    if tags:
        raw["tags"] = tags
    if form.get("explanation", "").strip():
        raw["explanation"] = form["explanation"].strip()
    for name in FIELDS.get(qtype, ()):
        value = form.get(name, "").strip()
        if value:
            raw[name] = _number(value) if name in NUMBERS else value
    for name in LINES.get(qtype, ()):
        lines = [line.strip() for line in form.get(name, "").splitlines() if line.strip()]
        if lines or name == "items":
            raw[name] = lines
    if qtype == "truefalse":
        raw["answer"] = form.get("answer") == "true"
    if qtype == "reply" and form.get("ordered"):
        raw["ordered"] = True
    for list_key, columns in ROWS.get(qtype, []):
        rows = []
        for i in range(MAX_ROWS):
            cells = {c: form.get(f"{list_key}-{i}-{c}", "").strip() for c in columns}
            if not any(cells.values()):
                continue
            row: dict[str, Any] = {}
            for column, value in cells.items():
                if column in ALTERNATIVES:
                    row[column] = [p.strip() for p in value.split("|") if p.strip()]
                elif column in NUMBERS:
                    if value:
                        row[column] = _number(value)
                elif value or column in ("text", "left", "right"):
                    row[column] = value
            rows.append(row)
        if rows or list_key != "forbidden":
            raw[list_key] = rows
    english = _english_from_form(qtype, form)
    if english:
        raw["en"] = english
    return raw


def _kept_rows(list_key: str, columns: tuple[str, ...], form: Mapping[str, str]) -> list[int]:
    """The row numbers of the Chinese rows the form fills (empty rows are ignored)."""
    return [i for i in range(MAX_ROWS) if any(form.get(f"{list_key}-{i}-{c}", "").strip() for c in columns)]


def _english_from_form(qtype: str, form: Mapping[str, str]) -> dict[str, Any]:
    """The `en` table from the `en-` fields; empty when no English was written."""
    english: dict[str, Any] = {}
    for name in ("text", "explanation", *ENGLISH_FIELDS.get(qtype, ())):
        value = form.get(f"en-{name}", "").strip()
        if value:
            english[name] = value
    for name in LINES.get(qtype, ()):
        lines = [line.strip() for line in form.get(f"en-{name}", "").splitlines() if line.strip()]
        if lines:
            english[name] = lines
    for list_key, columns in ENGLISH_ROWS.get(qtype, []):
        chinese_columns = dict(ROWS.get(qtype, [])).get(list_key, columns)
        items = []
        for i in _kept_rows(list_key, chinese_columns, form):
            cells = {c: form.get(f"en-{list_key}-{i}-{c}", "").strip() for c in columns}
            items.append({c: v for c, v in cells.items() if v})
        if any(items):
            english[list_key] = items
    return english


def body_to_form(
    qtype: str,
    text: str,
    points: float,
    tags: list[str],
    explanation: str,
    body: dict[str, Any],
    english: dict[str, Any] | None = None,
) -> dict[str, str]:
    """The editor's fields for a saved version (and its English, in the `en-` fields)."""
    values: dict[str, str] = {
        "text": text,
        "points": f"{points:g}",
        "tags": ", ".join(tags),
        "explanation": explanation,
    }
    for key, value in (english or {}).items():
        if isinstance(value, str):
            values[f"en-{key}"] = value
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            values[f"en-{key}"] = "\n".join(value)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                for column, text_value in (item or {}).items():
                    values[f"en-{key}-{i}-{column}"] = str(text_value)
    for name in FIELDS.get(qtype, ()):
        if body.get(name) is not None:
            values[name] = str(body[name])
    for name in LINES.get(qtype, ()):
        values[name] = "\n".join(str(x) for x in body.get(name, []))
    if qtype == "truefalse":
        values["answer"] = "true" if body.get("answer") else "false"
    if qtype == "reply" and body.get("ordered"):
        values["ordered"] = "1"
    for list_key, columns in ROWS.get(qtype, []):
        for i, row in enumerate(body.get(list_key, [])):
            for column in columns:
                value = row.get(column)
                if value is None:
                    continue
                values[f"{list_key}-{i}-{column}"] = (
                    " | ".join(value)
                    if isinstance(value, list)
                    else f"{value:g}"
                    if isinstance(value, float)
                    else str(value)
                )
    return values


def row_count(qtype: str, values: Mapping[str, str]) -> dict[str, int]:
    """How many rows to show per list: the filled ones and a few blank."""
    counts = {}
    for list_key, _columns in ROWS.get(qtype, []):
        filled = [
            int(k.split("-")[-2])
            for k in values
            if k.startswith(f"{list_key}-") and _row_number(k) and values[k]
        ]
        counts[list_key] = min(MAX_ROWS, (max(filled) + 1 if filled else 0) + BLANK_ROWS)
        counts[f"en-{list_key}"] = counts[list_key]
    return counts


def _row_number(key: str) -> bool:
    """Whether a posted field's name ("options-3-text") has a row number (not "²", not 5,000 digits)."""
    parts = key.split("-")
    return len(parts) >= 2 and parts[-2].isdecimal() and len(parts[-2]) <= 4
