"""Problems found in content files, each shown as `path:line: message`."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one file: the path is relative to the content root, lines count from 1."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class Where(Protocol):
    """Reports a problem at a place given relative to the thing being read.

    `where("give at least two choices", "choices")` or `where("unknown key", "choices", 2)`:
    the reader of a TOML file turns the place into the line of that key or array element, the
    GIFT reader into the line of the question.
    """

    def __call__(self, message: str, *at: str | int) -> None: ...


@dataclass
class Problems:
    """Collects problems from every file; content with any problem is never loaded."""

    items: list[Problem] = field(default_factory=list)
    #: Translation warnings (a missing or stale English version): shown, but never block loading.
    warnings: list[Problem] = field(default_factory=list)
    #: Every translatable item read, for the freshness check and the lock (see translations.py).
    translatable: list[Any] = field(default_factory=list)

    def add(self, path: str, line: int, message: str) -> None:
        """Record one problem (lines below 1 become 1)."""
        self.items.append(Problem(path, max(1, line), message))

    def warn(self, path: str, line: int, message: str) -> None:
        """Record a translation warning (lines below 1 become 1)."""
        self.warnings.append(Problem(path, max(1, line), message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def sorted(self) -> list[Problem]:
        """Every distinct problem, by file and line."""
        return sorted(set(self.items))


def load_toml(text: str, path: str, problems: Problems) -> dict[str, Any] | None:
    """Parse TOML, reporting a syntax error with its line (tomllib stops at the first)."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        found = re.search(r"line (\d+)", str(err))
        problems.add(path, int(found.group(1)) if found else 1, f"not valid TOML: {err}")
        return None


def read_text(path: Any, rel: str, problems: Problems, max_bytes: int = 2 * 1024 * 1024) -> str | None:
    """A content file as text: UTF-8 (a BOM is allowed), LF line ends, at most `max_bytes`."""
    try:
        if path.stat().st_size > max_bytes:
            problems.add(rel, 1, f"the file is larger than {max_bytes // (1024 * 1024)} MB")
            return None
        data = path.read_bytes()
    except OSError as err:
        problems.add(rel, 1, f"cannot read the file: {err.strerror}")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        problems.add(rel, line, "not UTF-8 text")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")
