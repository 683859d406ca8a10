"""Typed reading of one TOML table: each getter reports what is wrong at the key's real line."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any, Protocol

from lms.content.problems import Problems
from lms.content.toml_source import Path


class Lines(Protocol):
    """Anything that knows the line of a path (a TomlSource, a GIFT file's settings)."""

    def line(self, *path: str | int) -> int: ...


class TableReader:
    """Reads typed values out of one table of a file, reporting problems against their lines."""

    def __init__(
        self, table: dict[str, Any], path: str, problems: Problems, source: Lines, base: Path = ()
    ) -> None:
        self.table, self.path, self.problems, self.source, self.base = table, path, problems, source, base

    def line(self, *at: str | int) -> int:
        """The line of a key (or element) of this table; the table's own line without one."""
        return self.source.line(*self.base, *at) if (self.base or at) else 1

    def report(self, message: str, *at: str | int) -> None:
        """Record a problem at a key (or element) of this table."""
        self.problems.add(self.path, self.line(*at), message)

    def child(self, table: dict[str, Any], *at: str | int) -> TableReader:
        """A reader for a table inside this one (a `[[name]]` entry or an inline table)."""
        return TableReader(table, self.path, self.problems, self.source, (*self.base, *at))

    def unknown_keys(self, allowed: Iterable[str], what: str = "") -> None:
        """Report every key this table may not have."""
        for key in sorted(set(self.table) - set(allowed)):
            self.report(f"unknown key `{key}`{' in ' + what if what else ''}", key)

    def text(self, key: str, *, required: bool = True, default: str = "", max_len: int = 20000) -> str:
        """A text value."""
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

    def optional_text(self, key: str, max_len: int = 20000) -> str | None:
        """A text value that may be left out (empty counts as left out)."""
        value = self.text(key, required=False, max_len=max_len)
        return value or None

    def integer(self, key: str, default: int, lo: int, hi: int, *, required: bool = False) -> int:
        """A whole number within [lo, hi]."""
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

    def number(self, key: str, default: float, lo: float, hi: float, *, required: bool = False) -> float:
        """A number within [lo, hi]."""
        value = self.table.get(key)
        if value is None:
            if required:
                self.report(f"missing `{key}`")
            return default
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            self.report(f"`{key}` must be a number", key)
            return default
        if not lo <= value <= hi:
            self.report(f"`{key}` must be between {lo:g} and {hi:g} (is {value:g})", key)
            return default
        return float(value)

    def boolean(self, key: str, default: bool) -> bool:
        """true or false."""
        value = self.table.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.report(f"`{key}` must be true or false", key)
            return default
        return value

    def choice(self, key: str, options: tuple[str, ...], default: str) -> str:
        """One of a fixed set of words."""
        value = self.table.get(key, default)
        if value not in options:
            self.report(f"`{key}` must be one of {', '.join(options)} (is {value!r})", key)
            return default
        return str(value)

    def strings(self, key: str, *, required: bool = False, unique: bool = False) -> tuple[str, ...]:
        """A list of texts."""
        value = self.table.get(key)
        if value is None:
            if required:
                self.report(f"missing `{key}`")
            return ()
        if not isinstance(value, list):
            self.report(f"`{key}` must be a list of texts", key)
            return ()
        good = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.report(
                    f"`{key}` must hold only non-empty texts (item {index + 1} is {item!r})", key, index
                )
            elif unique and item in good:
                self.report(f"`{key}` lists {item!r} twice", key, index)
            else:
                good.append(item)
        return tuple(good)

    def tables(self, key: str, *, required: bool = False) -> list[tuple[int, dict[str, Any]]]:
        """The entries of an array of tables (`[[key]]` or `key = [{…}, …]`), with their positions."""
        value = self.table.get(key)
        if value is None:
            if required:
                self.report(f"missing `{key}`")
            return []
        if not isinstance(value, list):
            self.report(f"`{key}` must be a list of tables", key)
            return []
        entries = []
        for index, item in enumerate(value):
            if isinstance(item, dict):
                entries.append((index, item))
            else:
                self.report(f"`{key}` must hold only tables (item {index + 1} is {item!r})", key, index)
        return entries
