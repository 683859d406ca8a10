"""Reading the script library (话术库): faq.toml entries."""

from __future__ import annotations

import re
from pathlib import Path

from lms.content.checks import TableReader, locator
from lms.content.problems import Problems, SourceLines, load_toml
from lms.content.specs import FaqEntrySpec

ENTRY_KEYS = {"id", "kind", "question", "answer", "tags", "phrasings"}


def read_faq(path: Path, root: Path, problems: Problems) -> list[FaqEntrySpec]:
    """Every [[entries]] table of a faq.toml."""
    rel = str(path.relative_to(root))
    text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    data = load_toml(text, rel, problems)
    if data is None:
        return []
    lines = SourceLines(text)
    top = TableReader(data, rel, problems, lambda key: lines.key(key) if key else 1)
    top.unknown_keys({"entries"})
    headers = lines.tables("entries")
    entries, seen = [], set()
    for index, table in enumerate(top.tables("entries", required=True)):
        start = headers[index] if index < len(headers) else 1
        end = headers[index + 1] if index + 1 < len(headers) else None
        reader = TableReader(table, rel, problems, locator(lines, start, end))
        reader.unknown_keys(ENTRY_KEYS, "an FAQ entry")
        entry_id = reader.text("id")
        if entry_id and not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,79}", entry_id):
            reader.report("`id` must be lowercase letters, digits and dashes", "id")
        if entry_id in seen:
            reader.report(f"FAQ id {entry_id!r} is used twice", "id")
        seen.add(entry_id)
        phrasings = reader.strings("phrasings")
        if not 1 <= len(phrasings) <= 3:
            reader.report("give 1–3 `phrasings` (other ways shoppers ask it)", "phrasings")
        entries.append(
            FaqEntrySpec(
                id=entry_id,
                kind=reader.choice("kind", ("reply", "operation"), "reply"),
                question=reader.text("question"),
                answer=reader.text("answer"),
                tags=reader.strings("tags"),
                phrasings=phrasings,
            )
        )
    return entries
