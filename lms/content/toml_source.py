"""Where things are in a TOML file: tomllib gives values but no line numbers, so we scan the text.

Every table header and key assignment gets a *path* from the document root, with array-of-table
entries numbered: the `weight` key of the third `[[questions]]` table is
`("questions", 2, "weight")`; the second element of its `choices = [...]` array is
`("questions", 2, "choices", 1)`. `line(*path)` answers with the line of the longest known prefix,
so a problem is always pinned to the most precise place we know.

The scanner runs only on text tomllib has accepted, so it can be lenient about malformed input.
"""

from __future__ import annotations

from collections.abc import Iterator

Path = tuple[str | int, ...]

_BARE = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


class TomlSource:
    """Line numbers of the headers, keys and array elements of one TOML text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._lines: dict[Path, int] = {}
        self._counts: dict[Path, int] = {}
        self._pos = 0
        self._line = 1
        self._scan()

    # -- queries --------------------------------------------------------------------------

    def line(self, *path: str | int) -> int:
        """The line of the deepest known prefix of `path` (1 when nothing is known)."""
        for end in range(len(path), 0, -1):
            found = self._lines.get(tuple(path[:end]))
            if found is not None:
                return found
        return 1

    def has(self, *path: str | int) -> bool:
        """Whether `path` itself (not just a prefix) was found."""
        return tuple(path) in self._lines

    def paths(self) -> Iterator[tuple[Path, int]]:
        """Every known path with its line, in file order."""
        return iter(sorted(self._lines.items(), key=lambda item: item[1]))

    # -- scanning -------------------------------------------------------------------------

    def _peek(self, offset: int = 0) -> str:
        at = self._pos + offset
        return self.text[at] if at < len(self.text) else ""

    def _advance(self, count: int = 1) -> None:
        for _ in range(count):
            if self._pos < len(self.text):
                if self.text[self._pos] == "\n":
                    self._line += 1
                self._pos += 1

    def _skip_blank(self, newlines: bool) -> None:
        """Skip spaces (and newlines and comments when `newlines`)."""
        while self._pos < len(self.text):
            char = self.text[self._pos]
            if char in " \t\r" or (newlines and char == "\n"):
                self._advance()
            elif char == "#" and newlines:
                while self._pos < len(self.text) and self.text[self._pos] != "\n":
                    self._advance()
            else:
                return

    def _skip_line(self) -> None:
        while self._pos < len(self.text) and self.text[self._pos] != "\n":
            self._advance()

    def _string(self) -> str:
        """Read a basic or literal string (single or multi-line); return its raw content."""
        quote = self._peek()
        triple = self.text.startswith(quote * 3, self._pos)
        self._advance(3 if triple else 1)
        start = self._pos
        while self._pos < len(self.text):
            char = self.text[self._pos]
            if char == "\\" and quote == '"':
                self._advance(2)
                continue
            if triple and self.text.startswith(quote * 3, self._pos):
                # A closing run may hold up to two extra quotes that belong to the string.
                run = 3
                while self._peek(run) == quote and run < 5:
                    run += 1
                content = self.text[start : self._pos + run - 3]
                self._advance(run)
                return content
            if not triple and char == quote:
                content = self.text[start : self._pos]
                self._advance()
                return content
            if not triple and char == "\n":
                break
            self._advance()
        return self.text[start : self._pos]

    def _key(self) -> list[str]:
        """A dotted key: bare or quoted parts separated by dots."""
        parts: list[str] = []
        while True:
            self._skip_blank(newlines=False)
            char = self._peek()
            if char in ('"', "'"):
                parts.append(self._string())
            else:
                start = self._pos
                while self._peek() in _BARE and self._peek():
                    self._advance()
                parts.append(self.text[start : self._pos])
            self._skip_blank(newlines=False)
            if self._peek() == ".":
                self._advance()
                continue
            return parts

    def _value(self, path: Path) -> None:
        """Skip one value, recording the line of each element when it is an array."""
        self._skip_blank(newlines=False)
        char = self._peek()
        if char in ('"', "'"):
            self._string()
        elif char == "[":
            self._advance()
            index = 0
            while True:
                self._skip_blank(newlines=True)
                if self._peek() in ("]", ""):
                    self._advance()
                    return
                self._lines.setdefault((*path, index), self._line)
                self._value((*path, index))
                self._skip_blank(newlines=True)
                if self._peek() == ",":
                    self._advance()
                index += 1
        elif char == "{":
            self._advance()
            while True:
                self._skip_blank(newlines=True)
                if self._peek() in ("}", ""):
                    self._advance()
                    return
                line = self._line
                key = self._key()
                self._lines.setdefault((*path, *key), line)
                if self._peek() == "=":
                    self._advance()
                self._value((*path, *key))
                self._skip_blank(newlines=True)
                if self._peek() == ",":
                    self._advance()
        else:
            while self._peek() not in (",", "]", "}", "\n", "#", ""):
                self._advance()

    def _header_path(self, parts: list[str], array: bool) -> Path:
        """The path of a `[a.b]` or `[[a.b]]` header, numbering array-of-tables entries."""
        path: Path = ()
        for depth, part in enumerate(parts):
            path = (*path, part)
            last = depth == len(parts) - 1
            if last and array:
                index = self._counts.get(path, 0)
                self._counts[path] = index + 1
                path = (*path, index)
            elif path in self._counts:
                # A sub-table of an array of tables belongs to its latest entry.
                path = (*path, self._counts[path] - 1)
        return path

    def _scan(self) -> None:
        table: Path = ()
        while True:
            self._skip_blank(newlines=True)
            if self._pos >= len(self.text):
                return
            line = self._line
            if self._peek() == "[":
                array = self._peek(1) == "["
                self._advance(2 if array else 1)
                parts = self._key()
                table = self._header_path(parts, array)
                self._lines.setdefault(table, line)
                if array:
                    # `[[questions]]` itself also answers for ("questions",).
                    self._lines.setdefault(table[:-1], line)
                self._skip_line()
                continue
            key = self._key()
            if self._peek() != "=":
                self._skip_line()
                continue
            self._advance()
            path = (*table, *key)
            self._lines.setdefault(path, line)
            self._value(path)
            self._skip_line()
