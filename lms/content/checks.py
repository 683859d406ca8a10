"""Small typed readers for TOML tables: each reports what is wrong with its line."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from lms.content.problems import Problems, SourceLines, load_toml

#: Where a key is: key name -> line number.
Locate = Callable[[str], int]


def locator(lines: SourceLines, start: int, end: int | None) -> Locate:
    """Find keys between two lines (one table of an array of tables); no key means the table's line."""

    def locate(key: str) -> int:
        return lines.key(key, start, end) if key else start

    return locate


class TableReader:
    """Reads typed values out of one TOML table, reporting problems against a file and lines."""

    def __init__(self, table: dict[str, Any], path: str, problems: Problems, locate: Locate) -> None:
        self.table, self.path, self.problems, self.locate = table, path, problems, locate

    def report(self, message: str, key: str | None = None) -> None:
        self.problems.add(self.path, self.locate(key or ""), message)

    def unknown_keys(self, allowed: Iterable[str], what: str = "") -> None:
        extra = sorted(set(self.table) - set(allowed))
        for key in extra:
            self.report(f"unknown key `{key}`{' in ' + what if what else ''}", key)

    def text(self, key: str, *, required: bool = True, default: str = "", max_len: int = 20000) -> str:
        value = self.table.get(key)
        if value is None:
            if required:
                self.report(f"missing `{key}`")
            return default
        if not isinstance(value, str):
            self.report(f"`{key}` must be text", key)
            return default
        if required and not value.strip():
            self.report(f"`{key}` is empty", key)
        if len(value) > max_len:
            self.report(f"`{key}` is longer than {max_len} characters", key)
        return value

    def optional_text(self, key: str) -> str | None:
        value = self.text(key, required=False, default="")
        return value or None

    def integer(self, key: str, default: int, lo: int, hi: int, *, required: bool = False) -> int:
        value = self.table.get(key)
        if value is None:
            if required:
                self.report(f"missing `{key}`")
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.report(f"`{key}` must be a whole number", key)
            return default
        if not lo <= value <= hi:
            self.report(f"`{key}` must be between {lo} and {hi} (is {value})", key)
            return default
        return value

    def number(self, key: str, default: float, lo: float, hi: float) -> float:
        value = self.table.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.report(f"`{key}` must be a number", key)
            return default
        if not lo <= value <= hi:
            self.report(f"`{key}` must be between {lo:g} and {hi:g} (is {value})", key)
            return default
        return float(value)

    def boolean(self, key: str, default: bool) -> bool:
        value = self.table.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.report(f"`{key}` must be true or false", key)
            return default
        return value

    def choice(self, key: str, options: tuple[str, ...], default: str) -> str:
        value = self.table.get(key, default)
        if value not in options:
            self.report(f"`{key}` must be one of {', '.join(options)} (is {value!r})", key)
            return default
        return str(value)

    def strings(self, key: str, *, required: bool = False) -> tuple[str, ...]:
        value = self.table.get(key)
        if value is None:
            if required:
                self.report(f"missing `{key}`")
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.report(f"`{key}` must be a list of texts", key)
            return ()
        return tuple(value)

    def tables(self, key: str, *, required: bool = False) -> list[dict[str, Any]]:
        value = self.table.get(key)
        if value is None:
            if required:
                self.report(f"missing `{key}`")
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.report(f"`{key}` must be a list of tables", key)
            return []
        return value


def array_of_tables(
    path: Path, root: Path, problems: Problems, name: str, allowed_keys: set[str], what: str
) -> Iterator[TableReader]:
    """A reader for each `[[name]]` table of a file that holds only that array (FAQ, product sheet)."""
    rel = str(path.relative_to(root))
    text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    data = load_toml(text, rel, problems)
    if data is None:
        return
    lines = SourceLines(text)
    top = TableReader(data, rel, problems, lambda key: lines.key(key) if key else 1)
    top.unknown_keys({name})
    headers = lines.tables(name)
    for index, table in enumerate(top.tables(name, required=True)):
        start = headers[index] if index < len(headers) else 1
        end = headers[index + 1] if index + 1 < len(headers) else None
        reader = TableReader(table, rel, problems, locator(lines, start, end))
        reader.unknown_keys(allowed_keys, what)
        yield reader
