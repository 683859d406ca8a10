"""Translation freshness: is there an English version of each item, and was it written for this Chinese?

Every reader notes each translatable item it reads (`note`): the file holding its Chinese, an item id,
the line, a fingerprint of its Chinese text and what English it has. `lms content translations
--stamp` writes the fingerprints of the items that have English into courses/translations.lock
(TOML: one table per file, item id → fingerprint). `lms content check` then warns, with path and
line, about every item with no (or partial) English, and every item whose Chinese fingerprint is
not the one stamped (stale: the Chinese changed after the English was written) or was never stamped.

Item ids: "." for the file's own top-level item (and a lesson's Markdown), "questions.<id>",
"entries.<id>", "products.<sku>", "tiers.<slug>", "lessons.<file>".
"""

from __future__ import annotations

import json
import os
import tempfile
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lms.content.english import Shape, chinese_text, untranslated
from lms.content.problems import Problem, Problems
from lms.content.specs import content_hash

LOCK = "courses/translations.lock"
STAMP_HINT = "lms content translations --stamp"


@dataclass(frozen=True)
class TranslatableItem:
    """One item with Chinese text that an English version translates."""

    path: str
    item: str
    line: int
    fingerprint: str
    has_english: bool
    missing: tuple[str, ...] = ()
    #: Where the English lives when it is another file (a lesson's .en.md); else the same file.
    english_path: str = ""


def fingerprint(chinese: Any) -> str:
    """A short stable fingerprint of an item's Chinese text."""
    return content_hash(chinese)[:16]


def note(
    problems: Problems,
    path: str,
    item: str,
    line: int,
    raw: dict[str, Any],
    english: dict[str, Any],
    shape: Shape,
) -> None:
    """Record one TOML item (its Chinese and its checked `en` table) for the freshness check."""
    chinese = chinese_text(raw, shape)
    if not chinese:
        return
    problems.translatable.append(
        TranslatableItem(
            path,
            item,
            line,
            fingerprint(chinese),
            bool(english),
            tuple(untranslated(raw, english, shape)) if english else (),
        )
    )


def note_lesson(problems: Problems, path: str, body: str, english_path: str, english: str | None) -> None:
    """Record a lesson's Markdown and its `.en.md` (None when there is none)."""
    if not body.strip():
        return
    problems.translatable.append(
        TranslatableItem(path, ".", 1, fingerprint(body.strip()), english is not None, (), english_path)
    )


# -- the lock -----------------------------------------------------------------------------------


def read_lock(root: Path, problems: Problems | None = None) -> dict[str, dict[str, str]]:
    """courses/translations.lock as {file: {item: fingerprint}} (empty when there is none)."""
    path = root / LOCK
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        if problems is not None:
            problems.add(LOCK, 1, f"cannot read the translation lock: {err}; run `{STAMP_HINT}` again")
        return {}
    lock: dict[str, dict[str, str]] = {}
    for file, items in data.items():
        if isinstance(items, dict):
            lock[file] = {k: v for k, v in items.items() if isinstance(v, str)}
    return lock


def _quoted(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's, for the characters used here)."""
    return json.dumps(text, ensure_ascii=False)


def lock_text(lock: dict[str, dict[str, str]]) -> str:
    """The lock file's text: sorted, one table per file."""
    lines = [
        "# Fingerprints of the Chinese each English version was written for.",
        f"# Written by `{STAMP_HINT}`; do not edit by hand.",
    ]
    for file in sorted(lock):
        if not lock[file]:
            continue
        lines += ["", f"[{_quoted(file)}]"]
        lines += [f"{_quoted(item)} = {_quoted(lock[file][item])}" for item in sorted(lock[file])]
    return "\n".join(lines) + "\n"


def stamp(root: Path, items: Iterable[TranslatableItem], paths: list[str] | None = None) -> int:
    """Stamp the items that have English (all, or those in `paths`); returns how many were stamped.

    Entries of files outside `paths` are kept; the files inside are stamped afresh (an item removed
    from a file, or whose English was removed, drops out of the lock).
    """
    lock = read_lock(root)
    chosen = [i for i in items if paths is None or inside(i.path, paths) or inside(i.english_path, paths)]
    for file in {i.path for i in chosen}:
        lock.pop(file, None)
    if paths is None:
        lock.clear()
    count = 0
    for item in chosen:
        if item.has_english:
            lock.setdefault(item.path, {})[item.item] = item.fingerprint
            count += 1
    target = root / LOCK
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".translations.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(lock_text(lock))
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return count


def inside(path: str, wanted: list[str]) -> bool:
    return bool(path) and any(w in (".", path) or path.startswith(w.rstrip("/") + "/") for w in wanted)


# -- the warnings -------------------------------------------------------------------------------


def freshness_warnings(items: Iterable[TranslatableItem], lock: dict[str, dict[str, str]]) -> list[Problem]:
    """A warning for each item with no or partial English, or whose English is stale or unstamped."""
    found = []
    for item in items:
        where = "" if item.item == "." else f"{item.item}: "
        if not item.has_english:
            if item.english_path:
                message = f"no English version: write {item.english_path.rsplit('/', 1)[-1]}"
            else:
                message = "no English version: add an `en` table"
            found.append(Problem(item.path, item.line, where + message))
            continue
        if item.missing:
            keys = ", ".join(f"`{k}`" for k in item.missing)
            found.append(Problem(item.path, item.line, f"{where}the English version lacks {keys}"))
        stamped = lock.get(item.path, {}).get(item.item)
        if stamped is None:
            found.append(
                Problem(
                    item.path,
                    item.line,
                    f"{where}the English version is not stamped: check it, then run `{STAMP_HINT} {item.path}`",
                )
            )
        elif stamped != item.fingerprint:
            found.append(
                Problem(
                    item.path,
                    item.line,
                    f"{where}stale translation: the Chinese changed after the English was written; "
                    f"update the English, then run `{STAMP_HINT} {item.path}`",
                )
            )
    return found
