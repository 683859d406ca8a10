"""Errors the rules raise for bad input; views and commands show them to people."""

from __future__ import annotations

from typing import Any


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    """Mark a message for translation without translating it here (the caller translates)."""
    return message


class DomainError(Exception):
    """Bad input or a refused action; `message` is an English %-template, `field` the input at fault."""

    def __init__(self, message: str, field: str | None = None, **params: Any) -> None:
        self.message = message
        self.field = field
        self.params = params
        super().__init__(str(self))

    def __str__(self) -> str:
        return self.message % self.params if self.params else self.message


class NotFound(DomainError):
    """The thing asked for does not exist (or the caller may not know it exists)."""


class Conflict(DomainError):
    """The action collides with the current state (a duplicate, a stale version)."""
