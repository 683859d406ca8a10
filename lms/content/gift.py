"""Moodle's GIFT format: import every question type it has; export ours so that import restores them.

Import reads what Moodle's own reader (qformat_gift) reads, and keeps what each question means:

- types: multichoice with one `=` answer → `single`, without → `multiple` (weights `%n%`, negative
  and decimal); `T`/`F`/`TRUE`/`FALSE` → `truefalse` with its two feedbacks; `=a =b` → `short`
  (a full-credit `*` wildcard becomes a `pattern`, `=%0%*#…` the feedback for anything else);
  `=left -> right` → `matching` (`= -> x` is a distractor); `#…` → `numeric` (`n:t`, `min..max`,
  several weighted answers, `~#…` for any other number); `{}` → `essay`;
- a block in mid-sentence ("missing word") leaves `_____` in the text; a missing-word short answer
  whose answers all score 100 % without feedback becomes a one-gap `cloze` (`{{1}}`);
- `::title::` is kept as the body's `title` and makes the id; `$CATEGORY:` as its `category`;
  `[html]`/`[markdown]`/`[plain]`/`[moodle]` on the question text as its `format` (markdown is the
  default); `####` general feedback as the explanation; `// [id:…]` and `// [tag:…]` comments
  (Moodle's own) as id and tags; escapes `\\~ \\= \\# \\{ \\} \\: \\n \\\\`; `//` comments; CRLF; a BOM.

Not representable, and reported by line rather than dropped: a description (text without an answer
block), a second answer block, a partial-credit wildcard, a wrong numeric answer after `~`. Format
markers on single answers and feedbacks are read and dropped: an answer is shown in its question's
format. A file with any problem imports nothing.

Export writes each question as Moodle writes it. What GIFT cannot say (ordering, reply, several
cloze gaps, a pattern, a rubric, points …) travels in a `// @lms: {json}` comment that Moodle ignores
and our import applies on top of what the GIFT says; a type Moodle lacks is written as the nearest
one Moodle has (ordering as matching, reply and cloze as essay). Export checks every question by
importing it again, so export → import is lossless by construction.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from typing import Any

from lms.content.gift_syntax import (
    BLANK,
    GiftParts,
    escape,
    protect,
    restore,
    split_format,
)
from lms.content.problems import Where
from lms.content.questions import REGISTRY
from lms.content.questions.cloze import fits_one_gap
from lms.content.questions.truefalse import GIFT_WORDS
from lms.content.quizzes import QUESTION_ID, parse_question
from lms.content.specs import QuestionSpec

DIRECTIVE = re.compile(r"^//\s*\[(id|tag):(.*)\]\s*$")
LMS_EXTRA = re.compile(r"^//\s*@lms:(?!en\b)\s*(.*)$")
#: `// @lms:en {json}`: the question's English (an `en` table's keys and shapes), ignored by Moodle.
LMS_ENGLISH = re.compile(r"^//\s*@lms:en\s+(.*)$")
LMS_FIELDS = ("type", "text", "points", "explanation", "tags", "body", "body_extra")
_HERE = "\ue010"  # where the answer block stood, until we know whether it is a blank or a gap


def slugify(text: str, limit: int = 60) -> str:
    """An id from a title or text: a-z, 0-9 and dashes; a short hash for text without Latin letters."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:limit].strip("-")
    if slug:
        return slug
    return "q-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:8] if text.strip() else "question"


@dataclass
class _Chunk:
    """The lines of one question (or category), split on blank lines as Moodle does."""

    line: int
    text: list[str] = field(default_factory=list)
    directives: list[tuple[int, str]] = field(default_factory=list)


def _chunks(source: str) -> list[_Chunk]:
    chunks: list[_Chunk] = []
    current: _Chunk | None = None
    for number, raw in enumerate(source.split("\n"), start=1):
        stripped = raw.strip()
        if not stripped:
            current = None
            continue
        if current is None:
            current = _Chunk(number)
            chunks.append(current)
        if stripped.startswith("//"):
            if DIRECTIVE.match(stripped) or LMS_EXTRA.match(stripped) or LMS_ENGLISH.match(stripped):
                current.directives.append((number, stripped))
            continue
        if not current.text:
            current.line = number
        current.text.append(raw)
    return chunks


def classify(block: str) -> str:
    """The question type of an answer block, decided in Moodle's order."""
    if not block:
        return "essay"
    if block.startswith("#"):
        return "numeric"
    if "~" in block:
        return "single" if "=" in block else "multiple"
    if "=" in block and "->" in block:
        return "matching"
    word = block[: block.index("#")] if block.find("#") > 0 else block
    if word.strip() in GIFT_WORDS:
        return "truefalse"
    return "short"


class _Reader:
    """Reads one GIFT text; collects questions and problems."""

    def __init__(self, category: str) -> None:
        self.category = category
        self.questions: list[QuestionSpec] = []
        self.problems: list[tuple[int, str]] = []
        self.explicit_ids: dict[str, int] = {}
        self.used_ids: set[str] = set()

    def read(self, chunk: _Chunk) -> None:
        line = chunk.line

        def where(message: str, *_at: str | int) -> None:
            self.problems.append((line, message))

        if not chunk.text:
            for number, directive in chunk.directives:
                self.problems.append((number, f"{directive[:40]!r} is not followed by a question"))
            return
        text = protect("\n".join(chunk.text)).strip()
        if text.startswith("$CATEGORY:"):
            if "\n" in text:
                where("a $CATEGORY: line stands alone: leave a blank line before the next question")
            self.category = restore(text[len("$CATEGORY:") :]).strip()
            return
        title = ""
        if text.startswith("::"):
            end = text.find("::", 2)
            if end >= 0:
                title = " ".join(restore(text[2:end]).split())
                text = text[end + 2 :].strip()
            else:
                text = text[2:]
        opening, closing = text.find("{"), text.find("}")
        if opening < 0 and closing < 0:
            where(
                "a description (text without an answer block {…}) is not representable: "
                "only questions are imported"
            )
            return
        if opening < 0 or closing < opening:
            where(
                "the answer block's braces do not match: a { needs its } (write \\{ or \\} for a brace in text)"
            )
            return
        after = text[closing + 1 :]
        if "{" in after or "}" in after:
            where("a second answer block: a GIFT question has one (write \\{ or \\} for a brace in text)")
            return
        block = text[opening + 1 : closing].strip()
        marked = text[:opening] + (_HERE if after.strip() else "") + after
        explanation = ""
        general = block.rfind("####")
        if general >= 0:
            explanation = restore(split_format(block[general + 4 :])[1]).strip()
            block = block[:general].strip()
        text_format, marked = split_format(marked)
        qtype = classify(block)
        raw = REGISTRY[qtype].from_gift(block, where)
        if _HERE in marked and qtype == "short" and fits_one_gap(raw):
            qtype = "cloze"
            raw = REGISTRY["cloze"].from_gift(block, where)
            marked = marked.replace(_HERE, "{{1}}")
        question_text = restore(marked.replace(_HERE, BLANK)).strip()
        raw.update(type=qtype, text=question_text)
        if explanation:
            raw["explanation"] = explanation
        if title:
            raw["title"] = title
        if text_format and text_format != "markdown":
            raw["format"] = text_format
        if self.category:
            raw["category"] = self.category
        explicit = self._ids_and_tags(chunk, raw)
        raw["id"] = self._id(explicit, title, question_text, line, where)
        if raw.get("title") == raw["id"]:
            del raw["title"]  # the title says nothing the id does not
        self._overrides(chunk, raw, where)
        self._english(chunk, raw, where)
        question = parse_question(raw, where, line)
        if question is not None:
            self.questions.append(question)

    def _ids_and_tags(self, chunk: _Chunk, raw: dict[str, Any]) -> str:
        """Apply the `// [tag:…]` comments; return the `// [id:…]` one."""
        explicit = ""
        tags: list[str] = []
        for _number, directive in chunk.directives:
            found = DIRECTIVE.match(directive)
            if found and found.group(1) == "id":
                explicit = found.group(2).strip()
            elif found:
                tags.append(found.group(2).strip())
        if tags:
            raw["tags"] = tags
        return explicit

    def _overrides(self, chunk: _Chunk, raw: dict[str, Any], where: Where) -> None:
        """Apply a `// @lms: {json}` comment: what our export could not say in GIFT."""
        for _number, directive in chunk.directives:
            extra = LMS_EXTRA.match(directive)
            if extra is None:
                continue
            try:
                data = json.loads(extra.group(1))
            except json.JSONDecodeError as err:
                where(f"the // @lms: comment is not valid JSON: {err}")
                continue
            if not isinstance(data, dict) or set(data) - set(LMS_FIELDS):
                where(f"the // @lms: comment must be an object with some of: {', '.join(LMS_FIELDS)}")
                continue
            if "type" in data and "body" not in data:
                where("the // @lms: comment changes the type but gives no body")
                continue
            if "body" in data:
                if not isinstance(data["body"], dict):
                    where("the // @lms: comment's body must be an object")
                    continue
                keep: dict[str, Any] = {
                    k: raw[k] for k in ("id", "type", "text", "explanation", "tags") if k in raw
                }
                raw.clear()
                raw.update({**data["body"], **keep})
            if "body_extra" in data:
                # Earlier exports carried only the keys GIFT lacks (e.g. an essay's rubric).
                if not isinstance(data["body_extra"], dict):
                    where("the // @lms: comment's body_extra must be an object")
                    continue
                raw.update(data["body_extra"])
            for key in ("type", "text", "points", "explanation", "tags"):
                if key in data:
                    raw[key] = data[key]

    def _english(self, chunk: _Chunk, raw: dict[str, Any], where: Where) -> None:
        """Apply a `// @lms:en {json}` comment: the question's English, checked like an `en` table."""
        for _number, directive in chunk.directives:
            found = LMS_ENGLISH.match(directive)
            if found is None:
                continue
            try:
                data = json.loads(found.group(1))
            except json.JSONDecodeError as err:
                where(f"the // @lms:en comment is not valid JSON: {err}")
                continue
            raw["en"] = data

    def _id(self, explicit: str, title: str, text: str, line: int, where: Where) -> str:
        if explicit:
            qid = explicit if QUESTION_ID.match(explicit) else slugify(explicit)
            if qid in self.explicit_ids:
                where(f"the id {qid!r} is used twice (first on line {self.explicit_ids[qid]})")
            self.explicit_ids.setdefault(qid, line)
            self.used_ids.add(qid)
            return qid
        base = slugify(title) if title else slugify(re.sub(r"\{\{\d+\}\}|_{3,}", " ", text)[:50])
        qid, n = base, 2
        while qid in self.used_ids or qid in self.explicit_ids:
            qid, n = f"{base}-{n}", n + 1
        self.used_ids.add(qid)
        return qid


def parse_gift(source: str, *, category: str = "") -> tuple[list[QuestionSpec], list[tuple[int, str]]]:
    """Questions from GIFT text, and every problem as (line, message); any problem means none."""
    source = source.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    reader = _Reader(category)
    for chunk in _chunks(source):
        reader.read(chunk)
    if reader.problems:
        return [], sorted(reader.problems)
    return reader.questions, []


# -- export -------------------------------------------------------------------------------------


def _render(question: QuestionSpec, parts: GiftParts) -> str:
    """`::title::[format]text{block}`, the block in mid-sentence where the text has the blank."""
    title = question.body.get("title") or question.id
    fmt = question.body.get("format")
    prefix = f"[{fmt}]" if fmt and fmt != "markdown" else ""
    block = parts.block
    if question.explanation:
        block = (block + "\n" if block else "") + "\t####" + escape(question.explanation)
    if not block:
        braces = "{}"
    elif "\n" in block or "####" in block:
        braces = "{\n" + block + "\n}"
    else:
        braces = "{" + block.strip() + "}"
    if BLANK in parts.text:
        before, _, after = parts.text.partition(BLANK)
        body = escape(before) + braces + escape(after)
    else:
        body = escape(parts.text) + braces
    return f"::{escape(title)}::{prefix}{body}"


def _fields(question: QuestionSpec) -> dict[str, Any]:
    return {
        "type": question.type,
        "text": question.text,
        "points": question.points,
        "explanation": question.explanation,
        "tags": list(question.tags),
        "body": question.body,
    }


def to_gift(question: QuestionSpec) -> str:
    """One question as GIFT, with a `// @lms:` comment for whatever GIFT could not say."""
    qtype = REGISTRY[question.type]
    parts = qtype.gift_parts(question)
    if parts is None:
        parts = qtype.gift_stand_in(question)
    directives = [f"// [id:{question.id}]"] + [f"// [tag:{tag}]" for tag in question.tags if _plain_tag(tag)]
    rendered = _render(question, parts)
    back, _problems = parse_gift(
        "\n".join([*directives, rendered]), category=question.body.get("category", "")
    )
    wanted = json.loads(json.dumps(_fields(question)))
    got = json.loads(json.dumps(_fields(back[0]))) if len(back) == 1 and back[0].id == question.id else {}
    extra = {key: value for key, value in wanted.items() if got.get(key) != value}
    if "type" in extra:
        extra["body"] = wanted["body"]
    elif "body" in extra and set(got.get("body", {})) <= set(wanted["body"]):
        # Only add what GIFT lacks, so the comment stays short and the GIFT stays the source.
        del extra["body"]
        extra["body_extra"] = {k: v for k, v in wanted["body"].items() if got["body"].get(k) != v}
    if extra:
        directives.append("// @lms: " + json.dumps(extra, ensure_ascii=False, sort_keys=True))
    if question.en:
        directives.append("// @lms:en " + json.dumps(question.en, ensure_ascii=False, sort_keys=True))
    return "\n".join([*directives, rendered])


def _plain_tag(tag: str) -> bool:
    return "]" not in tag and "\n" not in tag and tag == tag.strip() and bool(tag)


def export_gift(questions: list[QuestionSpec], settings: dict[str, Any] | None = None) -> str:
    """A whole GIFT file: `// @key: value` settings, then the questions with `$CATEGORY:` lines."""
    out = []
    for key, value in (settings or {}).items():
        if value is None or value == "" or value == [] or value == ():
            continue
        if isinstance(value, bool):
            shown = "true" if value else "false"
        elif key == "draw":
            shown = json.dumps(list(value), ensure_ascii=False)
        elif key == "en":
            shown = json.dumps(value, ensure_ascii=False, sort_keys=True)
        elif isinstance(value, list | tuple):
            shown = ", ".join(str(v) for v in value)
        else:
            shown = " ".join(str(value).split())
        out.append(f"// @{key}: {shown}")
    if out:
        out.append("")
    category = ""
    for question in questions:
        wanted = question.body.get("category", "")
        if wanted != category:
            category = wanted
            out.append(f"$CATEGORY: {escape(category)}".rstrip() + "\n")
        out.append(to_gift(question) + "\n")
    return "\n".join(out).rstrip() + "\n"


def strip_line(question: QuestionSpec) -> QuestionSpec:
    """The question without its source line (for comparing imports)."""
    return replace(question, line=0)
