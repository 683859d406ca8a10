"""Reading the script library (话术库): faq.toml entries."""

from __future__ import annotations

import re
from pathlib import Path

from lms.content.checks import array_of_tables
from lms.content.problems import Problems
from lms.content.specs import FaqEntrySpec

ENTRY_KEYS = {"id", "kind", "question", "answer", "tags", "phrasings"}


def read_faq(path: Path, root: Path, problems: Problems) -> list[FaqEntrySpec]:
    """Every [[entries]] table of a faq.toml."""
    entries, seen = [], set()
    for reader in array_of_tables(path, root, problems, "entries", ENTRY_KEYS, "an FAQ entry"):
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
