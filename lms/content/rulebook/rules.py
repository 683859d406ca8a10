"""The rule book as written: `courses/compliance.toml`, read and checked (`lms content check`).

```toml
title = "行者旗舰店 客服用语规则"
as_of = 2026-11-01                      # the date the platform rules were last checked

[[rules]]
id = "absolute-best"                    # a-z, 0-9 and dashes; unique
category = "absolute_term"              # see categories.py
severity = "block"                      # block: a red line; warn: costs points, QC reads it
phrases = ["最好", "最佳"]               # literal words (compared folded and compact, see text.py)
patterns = ['最[好佳优]']                # RE2 regular expressions on the folded text (optional)
exempt = ["最佳赏味期"]                  # longer words that contain a phrase but are fine
hint = "说事实：口碑很好、同价位里很受欢迎"  # the better wording, in Chinese
source = "广告法 第九条第三项"
description = "……"                      # optional, Chinese

[rules.en]
hint = "State the fact: well reviewed, popular at this price"
description = "..."
```

Everything wrong is reported as `path:line: message` and nothing is loaded: an unknown key or
category, a pattern RE2 cannot compile (RE2 runs in linear time, so no pattern in the file can
hang a worker), an exemption that does not contain anything its rule catches (it could never
exempt anything), a duplicate id, a phrase that is only punctuation.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import re2

from lms.content.english import SHAPES, read_english
from lms.content.problems import Problems, load_toml, read_text
from lms.content.rulebook.categories import CATEGORIES, SEVERITIES
from lms.content.rulebook.text import compact_phrase, prepare
from lms.content.specs import content_hash
from lms.content.tables import TableReader
from lms.content.toml_source import TomlSource
from lms.content.translations import note

RULE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")
RULE_KEYS = {
    "id",
    "category",
    "severity",
    "phrases",
    "patterns",
    "exempt",
    "hint",
    "source",
    "description",
    "en",
}
TOP_KEYS = {"title", "as_of", "rules", "en"}
#: Longest pattern accepted, and the memory RE2 may use for one (bytes).
MAX_PATTERN = 500
PATTERN_MEMORY = 8 << 20


def compile_pattern(pattern: str) -> Any:
    """A pattern as RE2 compiles it (raises re2.error for one it cannot)."""
    options = re2.Options()
    options.log_errors = False
    options.max_mem = PATTERN_MEMORY
    return re2.compile(pattern, options)


@dataclass(frozen=True)
class Rule:
    """One rule: what it catches, how bad it is, what to write instead and where it comes from."""

    id: str
    category: str
    severity: str
    phrases: tuple[str, ...]
    patterns: tuple[str, ...]
    exempt: tuple[str, ...]
    hint: str
    source: str
    description: str = ""
    hint_en: str = ""
    description_en: str = ""
    line: int = field(default=0, compare=False)

    @property
    def blocks(self) -> bool:
        """A red line: a reply using it scores no content points."""
        return self.severity == "block"

    def as_json(self) -> dict[str, Any]:
        """The rule as plain JSON (what the database keeps), without its line."""
        data = asdict(self)
        data.pop("line")
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Rule:
        """The rule back from its JSON."""
        return cls(
            id=data["id"],
            category=data["category"],
            severity=data["severity"],
            phrases=tuple(data.get("phrases", ())),
            patterns=tuple(data.get("patterns", ())),
            exempt=tuple(data.get("exempt", ())),
            hint=data.get("hint", ""),
            source=data.get("source", ""),
            description=data.get("description", ""),
            hint_en=data.get("hint_en", ""),
            description_en=data.get("description_en", ""),
        )


@dataclass(frozen=True)
class RuleBookSpec:
    """The whole file: a title, the date it was checked against the platform, the rules."""

    title: str
    as_of: str | None
    rules: tuple[Rule, ...]
    #: The file as written (exported back verbatim with the curriculum).
    source_text: str = field(default="", compare=False)

    def as_json(self) -> dict[str, Any]:
        """What the database stores and the checker compiles."""
        return {"title": self.title, "as_of": self.as_of, "rules": [r.as_json() for r in self.rules]}

    @property
    def hash(self) -> str:
        """Equal rules, equal hash: a new rule-book version is made only when this changes."""
        return content_hash(self.as_json())

    @classmethod
    def from_json(cls, data: dict[str, Any], source_text: str = "") -> RuleBookSpec:
        """The spec back from its JSON."""
        return cls(
            data.get("title", ""),
            data.get("as_of"),
            tuple(Rule.from_json(r) for r in data.get("rules", ())),
            source_text,
        )


def _caught_by(rule_phrases: list[str], patterns: list[Any], exemption: str) -> bool:
    """Whether an exemption contains something its rule catches (else it could never exempt)."""
    compact = compact_phrase(exemption)
    if any(p and p in compact for p in map(compact_phrase, rule_phrases)):
        return True
    folded = prepare(exemption).folded
    return any(pattern.search(folded) for pattern in patterns)


def _read_rule(reader: TableReader, seen: dict[str, int], problems: Problems) -> Rule | None:
    reader.unknown_keys(RULE_KEYS, "a rule")
    rule_id = reader.text("id", max_len=60)
    if rule_id and not RULE_ID.match(rule_id):
        reader.report(f"`id` must be a-z, 0-9 and dashes, at most 60 (is {rule_id!r})", "id")
    if rule_id in seen:
        reader.report(f"rule id {rule_id!r} is used twice (first on line {seen[rule_id]})", "id")
    seen.setdefault(rule_id, reader.line("id"))
    category = reader.table.get("category")
    if category not in CATEGORIES:
        reader.report(
            f"unknown category {category!r}: use one of {', '.join(sorted(CATEGORIES))}", "category"
        )
    severity = reader.choice("severity", SEVERITIES, "block")
    phrases = list(reader.strings("phrases", unique=True))
    for index, phrase in enumerate(phrases):
        if not compact_phrase(phrase):
            reader.report(f"the phrase {phrase!r} is only spaces and punctuation", "phrases", index)
    patterns = []
    for index, pattern in enumerate(reader.strings("patterns", unique=True)):
        if len(pattern) > MAX_PATTERN:
            reader.report(f"pattern {index + 1} is longer than {MAX_PATTERN} characters", "patterns", index)
            continue
        try:
            compiled = compile_pattern(pattern)
        except re2.error as err:
            reason = err.args[0].decode() if err.args and isinstance(err.args[0], bytes) else str(err)
            reader.report(f"pattern {pattern!r} is not a valid RE2 expression: {reason}", "patterns", index)
            continue
        if compiled.search(""):
            reader.report(
                f"pattern {pattern!r} matches an empty text: it would flag everything", "patterns", index
            )
            continue
        patterns.append((pattern, compiled))
    if not phrases and not patterns and "phrases" not in reader.table and "patterns" not in reader.table:
        reader.report("give `phrases`, `patterns` or both")
    exempt = list(reader.strings("exempt", unique=True))
    for index, exemption in enumerate(exempt):
        if not _caught_by(phrases, [c for _p, c in patterns], exemption):
            reader.report(
                f"the exemption {exemption!r} contains none of the rule's phrases and matches none of "
                "its patterns, so it could never exempt anything",
                "exempt",
                index,
            )
    hint = reader.text("hint", max_len=500)
    source = reader.text("source", max_len=300)
    description = reader.text("description", required=False, max_len=2000)
    english = read_english(reader.table, SHAPES["rule"], reader.report, "a rule")
    note(problems, reader.path, f"rules.{rule_id}", reader.line(), reader.table, english, SHAPES["rule"])
    if not isinstance(category, str) or category not in CATEGORIES:
        return None
    return Rule(
        id=rule_id,
        category=category,
        severity=severity,
        phrases=tuple(phrases),
        patterns=tuple(p for p, _c in patterns),
        exempt=tuple(exempt),
        hint=hint,
        source=source,
        description=description,
        hint_en=english.get("hint", ""),
        description_en=english.get("description", ""),
        line=reader.line(),
    )


def read_rulebook(path: Path, root: Path, problems: Problems) -> RuleBookSpec | None:
    """The rule book file, every problem reported; None when it could not be read at all."""
    rel = path.relative_to(root).as_posix()
    text = read_text(path, rel, problems)
    data = load_toml(text, rel, problems) if text is not None else None
    if text is None or data is None:
        return None
    source = TomlSource(text)
    top = TableReader(data, rel, problems, source)
    top.unknown_keys(TOP_KEYS, "the rule book")
    title = top.text("title", max_len=200)
    english = read_english(data, SHAPES["rulebook"], top.report, "the rule book")
    note(problems, rel, ".", 1, data, english, SHAPES["rulebook"])
    as_of = data.get("as_of")
    if as_of is not None and not (isinstance(as_of, dt.date) and not isinstance(as_of, dt.datetime)):
        top.report("`as_of` must be a date, e.g. as_of = 2026-11-01", "as_of")
        as_of = None
    seen: dict[str, int] = {}
    rules = []
    for index, table in top.tables("rules", required=True):
        rule = _read_rule(top.child(table, "rules", index), seen, problems)
        if rule is not None:
            rules.append(rule)
    return RuleBookSpec(title, as_of.isoformat() if as_of else None, tuple(rules), text)
