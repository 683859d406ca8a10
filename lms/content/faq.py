"""Reading the script library (话术库): the `[[entries]]` of a course's faq.toml."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from lms.content.english import SHAPES, read_english
from lms.content.problems import Problems, load_toml, read_text
from lms.content.questions.base import Reader
from lms.content.questions.reply import phrase_groups
from lms.content.specs import FaqEntrySpec
from lms.content.tables import TableReader
from lms.content.toml_source import TomlSource
from lms.content.translations import note

ENTRY_KEYS = {"id", "kind", "day", "tags", "question", "phrasings", "answer", "key_points", "steps", "en"}
KINDS = ("reply", "operation")
ENTRY_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


def entry_readers(
    path: Path, root: Path, problems: Problems, name: str
) -> tuple[list[TableReader], TomlSource | None]:
    """A reader for every `[[name]]` table of a file that holds only that array."""
    rel = path.relative_to(root).as_posix()
    text = read_text(path, rel, problems)
    data = load_toml(text, rel, problems) if text is not None else None
    if text is None or data is None:
        return [], None
    source = TomlSource(text)
    top = TableReader(data, rel, problems, source)
    top.unknown_keys({name})
    return [top.child(table, name, index) for index, table in top.tables(name, required=True)], source


def read_faq(path: Path, root: Path, problems: Problems) -> tuple[list[FaqEntrySpec], TomlSource | None]:
    """Every entry of a faq.toml: an id, a kind, the shopper's question, the model answer, 1–3 phrasings."""
    readers, source = entry_readers(path, root, problems, "entries")
    entries = []
    seen: dict[str, int] = {}
    for reader in readers:
        reader.unknown_keys(ENTRY_KEYS, "an FAQ entry")
        entry_id = reader.text("id")
        if entry_id and not ENTRY_ID.match(entry_id):
            reader.report(f"`id` must be a-z, 0-9 and dashes (is {entry_id!r})", "id")
        if entry_id in seen:
            reader.report(f"FAQ id {entry_id!r} is used twice (first on line {seen[entry_id]})", "id")
        seen.setdefault(entry_id, reader.line("id"))
        phrasings = reader.strings("phrasings", required=True, unique=True)
        if "phrasings" in reader.table and not 1 <= len(phrasings) <= 3:
            reader.report(
                f"give 1–3 `phrasings` (other ways shoppers ask it), not {len(phrasings)}", "phrasings"
            )
        kind = reader.choice("kind", KINDS, "reply")
        day = reader.integer("day", 0, 1, 200) or None
        key_points: list[dict[str, Any]] = []
        if "key_points" in reader.table:
            key_points = phrase_groups(Reader(reader.table, reader.report), "key_points", "points", False)
            if isinstance(reader.table["key_points"], list) and not key_points:
                reader.report("`key_points` is empty: give at least one group or leave it out", "key_points")
        steps = reader.strings("steps")
        if steps and kind != "operation":
            reader.report('only an operation entry (kind = "operation") has `steps`', "steps")
        elif "steps" in reader.table and len(steps) < 2:
            reader.report("give at least two `steps`, in order", "steps")
        english = read_english(reader.table, SHAPES["faq"], reader.report, "an FAQ entry")
        note(
            problems, reader.path, f"entries.{entry_id}", reader.line(), reader.table, english, SHAPES["faq"]
        )
        entries.append(
            FaqEntrySpec(
                id=entry_id,
                kind=kind,
                question=reader.text("question", max_len=2000),
                answer=reader.text("answer", max_len=5000),
                tags=reader.strings("tags", unique=True),
                phrasings=phrasings,
                day=day,
                key_points=tuple(key_points),
                steps=steps,
                en=english,
            )
        )
    return entries, source
