"""What every question type provides, and the registry that finds a type by its name.

A type is one class in one module, registered with `@register`; adding a type touches one file.
Every method is pure: no database, no clock, no global state, so grading is deterministic.
"""

from __future__ import annotations

import math
import random
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from lms.content.problems import Where

if TYPE_CHECKING:
    from lms.content.gift_syntax import GiftParts
    from lms.content.rulebook.book import RuleBook
    from lms.content.specs import QuestionSpec

#: Longest text answer accepted (characters); a reply or essay is a chat message, not a book.
MAX_TEXT = 10_000
#: Longest answer to a short or cloze gap.
MAX_SHORT = 500


class ResponseError(ValueError):
    """A response does not fit its question: wrong shape, a foreign or repeated position."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass
class Grade:
    """The result of grading one response: `score` of `max` points, never below zero."""

    score: float
    max: float
    feedback: list[str] = field(default_factory=list)
    needs_review: bool = False
    detail: dict[str, Any] = field(default_factory=dict)


class QuestionType(ABC):
    """One kind of question: check its keys, show it, check, grade and review responses, GIFT."""

    name: ClassVar[str]
    #: The keys this type adds to a `[[questions]]` table.
    keys: ClassVar[frozenset[str]] = frozenset()
    #: Graded by a person rather than by the key.
    manual: ClassVar[bool] = False

    @abstractmethod
    def parse(self, raw: dict[str, Any], where: Where) -> dict[str, Any]:
        """The canonical body from a question's keys, reporting every problem through `where`."""

    def default_points(self, body: dict[str, Any]) -> float:
        """Points when the file gives none."""
        return 1.0

    def public(self, body: dict[str, Any], rng: random.Random | None) -> dict[str, Any]:
        """What the learner's screen needs: never a key, a weight, a correctness flag or feedback."""
        return {}

    @abstractmethod
    def check_response(self, body: dict[str, Any], response: Any) -> None:
        """Raise ResponseError unless the response has this type's JSON shape."""

    @abstractmethod
    def grade(
        self,
        body: dict[str, Any],
        points: float,
        response: Any,
        *,
        elapsed_seconds: float | None = None,
        book: RuleBook | None = None,
    ) -> Grade:
        """Score a (checked) response; raises ResponseError for one of the wrong shape."""

    def review(
        self, body: dict[str, Any], response: Any = None, book: RuleBook | None = None
    ) -> dict[str, Any]:
        """The right answers and per-option feedback, shown after submission."""
        return {k: v for k, v in body.items() if k not in META_KEYS}

    @abstractmethod
    def key_response(self, body: dict[str, Any]) -> Any:
        """A response that earns full marks (None when only a person can judge)."""

    # -- GIFT -----------------------------------------------------------------------------

    def from_gift(self, block: str, where: Where) -> dict[str, Any]:
        """This type's keys from a GIFT answer block (escapes still protected), as a file would hold."""
        where(f"GIFT has no {self.name} question")
        return {}

    def gift_parts(self, question: QuestionSpec) -> GiftParts | None:
        """The question as native GIFT (text and answer block), or None when GIFT cannot say it."""
        return None

    def gift_stand_in(self, question: QuestionSpec) -> GiftParts:
        """The nearest GIFT a Moodle reader understands, for a question GIFT cannot hold exactly."""
        from lms.content.gift_syntax import GiftParts

        return GiftParts(question.text, "")

    def to_gift(self, question: QuestionSpec) -> str:
        """The question as GIFT text (export → import gives the same question back)."""
        from lms.content.gift import to_gift

        return to_gift(question)


#: Keys any question body may carry besides its type's own: where it came from and how to show it.
META_KEYS = frozenset({"title", "format", "category"})

REGISTRY: dict[str, QuestionType] = {}


def register(cls: type[QuestionType]) -> type[QuestionType]:
    """Class decorator: make a question type known by its name."""
    if cls.name in REGISTRY:
        raise ValueError(f"question type {cls.name!r} is registered twice")
    REGISTRY[cls.name] = cls()
    return cls


def get_type(name: str) -> QuestionType:
    """The question type called `name` (KeyError when unknown)."""
    return REGISTRY[name]


# -- helpers shared by the types --------------------------------------------------------------


def is_number(value: Any) -> bool:
    """A finite int or float, not a bool (TOML and JSON both have all three)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def number_of(value: float) -> int | float:
    """Whole numbers as int, so 100.0 is written back as 100."""
    return int(value) if float(value).is_integer() else float(value)


def response_object(response: Any, keys: set[str], shape: str) -> dict[str, Any]:
    """The response as a JSON object holding exactly `keys`."""
    if not isinstance(response, dict) or set(response) != keys:
        field = next(iter(keys)) if len(keys) == 1 else "response"
        raise ResponseError(field, f"expected {shape}")
    return response


def position(value: Any, size: int, field: str) -> int:
    """A 0-based position into a list of `size` items."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < size:
        raise ResponseError(field, f"{value!r} is not a position from 0 to {size - 1}")
    return value


def text_response(response: Any, max_len: int = MAX_TEXT) -> str:
    """The `text` of a {"text": "..."} response."""
    text = response_object(response, {"text"}, '{"text": "..."}')["text"]
    if not isinstance(text, str):
        raise ResponseError("text", "must be text")
    if len(text) > max_len:
        raise ResponseError("text", f"is longer than {max_len} characters")
    return text


def shuffled(count: int, rng: random.Random | None) -> list[int]:
    """Positions 0..count-1, shuffled when a generator is given."""
    order = list(range(count))
    if rng is not None:
        rng.shuffle(order)
    return order


def mixed(count: int, rng: random.Random | None, seed: str) -> list[int]:
    """Positions always shown mixed (a list in key order would give the answer away).

    Without a generator the order is fixed per question (seeded by its content) so the page looks
    the same on every visit; it is never the key order itself.
    """
    order = list(range(count))
    (rng or random.Random(seed)).shuffle(order)
    if count > 1 and order == sorted(order):
        order = order[1:] + order[:1]
    return order


def score_of(points: float, fraction: float) -> float:
    """Points for a fraction of the answer, clamped to 0..points and rounded (no float noise)."""
    return round(points * min(1.0, max(0.0, fraction)), 6)


def feedback_list(*notes: Any) -> list[str]:
    """The non-empty notes, as a list."""
    return [str(note) for note in notes if note]


class Reader:
    """Typed access to one question's raw keys; every problem goes to `where` with its place."""

    def __init__(self, raw: dict[str, Any], where: Where) -> None:
        self.raw, self.where = raw, where

    def text(self, key: str, *, required: bool = True, at: tuple[str | int, ...] = ()) -> str:
        """A text; required ones must not be blank."""
        value = self.raw.get(key)
        place = at or (key,)
        if value is None:
            if required:
                self.where(f"missing `{key}`", *place[:-1])
            return ""
        if not isinstance(value, str):
            self.where(f"`{key}` must be text", *place)
            return ""
        if required and not value.strip():
            self.where(f"`{key}` is empty", *place)
        return value

    def tables(self, key: str, *, required: bool = True) -> list[tuple[int, dict[str, Any]]]:
        """The inline tables of a list, with their positions."""
        value = self.raw.get(key)
        if value is None:
            if required:
                self.where(f"missing `{key}`")
            return []
        if not isinstance(value, list):
            self.where(f"`{key}` must be a list of tables", key)
            return []
        found = []
        for index, item in enumerate(value):
            if isinstance(item, dict):
                found.append((index, item))
            else:
                self.where(f"`{key}` item {index + 1} must be a table {{ … }}", key, index)
        return found

    def texts(self, key: str, *, required: bool = True, at: tuple[str | int, ...] = ()) -> list[str]:
        """A list of non-empty texts."""
        value = self.raw.get(key)
        place = at or (key,)
        if value is None:
            if required:
                self.where(f"missing `{key}`", *place[:-1])
            return []
        if not isinstance(value, list):
            self.where(f"`{key}` must be a list of texts", *place)
            return []
        found = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.where(f"`{key}` item {index + 1} must be a non-empty text", *place, index)
            else:
                found.append(item)
        return found

    def weight(self, table: dict[str, Any], at: tuple[str | int, ...], default: float | None) -> float:
        """A weight in percent, -100..100 (fractions allowed, as in Moodle's 33.33333)."""
        value = table.get("weight", default)
        if value is None:
            self.where("missing `weight` (a percent)", *at)
            return 0.0
        if not is_number(value):
            self.where(f"`weight` must be a number, a percent (is {value!r})", *at)
            return 0.0
        if not -100 <= value <= 100:
            self.where(f"`weight` must be between -100 and 100 (is {value:g})", *at)
            return 0.0
        return float(value)

    def unknown(self, table: dict[str, Any], allowed: set[str], what: str, at: tuple[str | int, ...]) -> None:
        """Report keys an inline table may not have."""
        for key in sorted(set(table) - allowed):
            self.where(f"unknown key `{key}` in {what}", *at)
