"""What every question type provides, and the registry that finds a type by name."""

from __future__ import annotations

import random
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar


class ResponseError(Exception):
    """A response does not fit the question (wrong shape, foreign or repeated ids)."""

    def __init__(self, message: str, field: str = "response") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass
class Grade:
    """The result of grading one response."""

    score: float
    max: float
    feedback: list[str] = field(default_factory=list)
    needs_review: bool = False
    detail: dict[str, Any] = field(default_factory=dict)


#: parse() reports problems through this: (message, key the problem is on or None).
Report = Callable[[str, str | None], None]


def prefixed(report: Report, prefix: str, key: str) -> Report:
    """A report that puts `prefix` before every message and files it under `key`."""

    def inner(message: str, _key: str | None) -> None:
        report(f"{prefix}: {message}", key)

    return inner


def weight(value: Any, report: Report, key: str) -> float:
    """A weight in percent (-100..100)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        report(f"`{key}` must be a number (a percent)", key)
        return 0.0
    if not -100 <= value <= 100:
        report(f"`{key}` must be between -100 and 100", key)
    return float(value)


def text_of(raw: dict[str, Any], key: str, report: Report, *, required: bool = True) -> str:
    """A string value (required unless said otherwise)."""
    value = raw.get(key)
    if value is None:
        if required:
            report(f"missing `{key}`", None)
        return ""
    if not isinstance(value, str):
        report(f"`{key}` must be text", key)
        return ""
    if required and not value.strip():
        report(f"`{key}` is empty", key)
    return value


def list_of(
    raw: dict[str, Any],
    key: str,
    report: Report,
    kind: type | tuple[type, ...] = dict,
    *,
    required: bool = True,
) -> list[Any]:
    """A list value whose elements are all of `kind`."""
    value = raw.get(key)
    if value is None:
        if required:
            report(f"missing `{key}`", None)
        return []
    if not isinstance(value, list) or not all(isinstance(v, kind) and not isinstance(v, bool) for v in value):
        report(f"`{key}` must be a list", key)
        return []
    return value


class QuestionType(ABC):
    """One kind of question: parse and check its keys, show it, check and grade answers."""

    name: ClassVar[str]
    #: The keys this type adds to a [[questions]] table.
    keys: ClassVar[frozenset[str]] = frozenset()
    #: Graded by a person (essays) rather than by the key.
    manual: ClassVar[bool] = False

    @abstractmethod
    def parse(self, raw: dict[str, Any], report: Report) -> dict[str, Any]:
        """The canonical body (the type's keys as written in the file), reporting problems."""

    def default_points(self, body: dict[str, Any]) -> float:
        """Points when the file gives none."""
        return 1.0

    def public(self, body: dict[str, Any], rng: random.Random | None) -> dict[str, Any]:
        """What the learner's screen needs: never a key, a weight, a flag or feedback."""
        return {}

    @abstractmethod
    def check_response(self, body: dict[str, Any], response: Any) -> None:
        """Raise ResponseError unless the response has this type's shape."""

    @abstractmethod
    def grade(
        self, body: dict[str, Any], points: float, response: Any, *, elapsed_seconds: float | None = None
    ) -> Grade:
        """Score a response (never below zero)."""

    def review(self, body: dict[str, Any]) -> dict[str, Any]:
        """The right answers and per-option feedback, for after submission."""
        return dict(body)


REGISTRY: dict[str, QuestionType] = {}


def register(cls: type[QuestionType]) -> type[QuestionType]:
    """Class decorator: make a question type known by its name."""
    REGISTRY[cls.name] = cls()
    return cls


def get_type(name: str) -> QuestionType:
    """The question type called `name` (KeyError when unknown)."""
    return REGISTRY[name]


def require_dict(response: Any) -> dict[str, Any]:
    """Every response is one JSON object."""
    if not isinstance(response, dict):
        raise ResponseError("a response is a JSON object", "response")
    return response


def index_in(value: Any, size: int, field_name: str) -> int:
    """A 0-based position inside a list of `size`."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < size:
        raise ResponseError(f"`{field_name}` must be a position from 0 to {size - 1}", field_name)
    return value


def shuffled(count: int, rng: random.Random | None) -> list[int]:
    """Positions 0..count-1, shuffled when a generator is given."""
    order = list(range(count))
    if rng is not None:
        rng.shuffle(order)
    return order
