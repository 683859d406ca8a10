"""Problems found in content files, each as `path:line: message`."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one file."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class Problems:
    """Collects problems; content with any problem is never imported."""

    items: list[Problem] = field(default_factory=list)

    def add(self, path: str, line: int, message: str) -> None:
        self.items.append(Problem(path, max(1, line), message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def sorted(self) -> list[Problem]:
        """Problems by file and line."""
        return sorted(set(self.items))


class SourceLines:
    """Finds the line a TOML key or table lives on (tomllib does not say)."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def tables(self, name: str) -> list[int]:
        """Line numbers of every `[[name]]` header, in order."""
        pattern = re.compile(rf"^\s*\[\[\s*{re.escape(name)}\s*\]\]\s*(#.*)?$")
        return [i + 1 for i, line in enumerate(self.lines) if pattern.match(line)]

    def key(self, key: str, start: int = 1, end: int | None = None) -> int:
        """The first line in [start, end) that assigns `key`, else `start`."""
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        stop = end if end is not None else len(self.lines) + 1
        for number in range(start, min(stop, len(self.lines) + 1)):
            if pattern.match(self.lines[number - 1]):
                return number
        return start

    def text(self, needle: str, start: int = 1) -> int:
        """The first line from `start` containing `needle`, else `start`."""
        for number in range(start, len(self.lines) + 1):
            if needle in self.lines[number - 1]:
                return number
        return start


def load_toml(text: str, path: str, problems: Problems) -> dict[str, Any] | None:
    """Parse TOML, reporting a syntax error with its line."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        found = re.search(r"line (\d+)", str(err))
        problems.add(path, int(found.group(1)) if found else 1, f"not valid TOML: {err}")
        return None
