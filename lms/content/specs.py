"""The curriculum as read from files: typed, frozen, hashable descriptions."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any


def content_hash(value: Any) -> str:
    """A stable fingerprint of JSON-able content (decides created/updated/unchanged)."""
    encoded = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class LessonSpec:
    """A lesson: its file, title, programme day and minutes, and its Markdown."""

    slug: str
    file: str
    title: str
    day: int | None
    minutes: int
    body: str

    @property
    def hash(self) -> str:
        """The content hash: equal content, equal hash (sync uses it to skip unchanged rows)."""
        return content_hash(asdict(self))


@dataclass(frozen=True)
class CourseSpec:
    """A course folder."""

    slug: str
    title: str
    title_zh: str | None
    summary: str
    version: tuple[int, int]
    topics: tuple[str, ...]
    refresher_on_major: bool
    published: bool
    lessons: tuple[LessonSpec, ...]

    @property
    def version_text(self) -> str:
        """The version as written: "MAJOR.MINOR"."""
        return f"{self.version[0]}.{self.version[1]}"

    @property
    def hash(self) -> str:
        """The content hash: equal content, equal hash (sync uses it to skip unchanged rows)."""
        return content_hash(asdict(self))


@dataclass(frozen=True)
class QuestionSpec:
    """A question as written in a quiz file.

    `body` is the canonical dict of its type's keys, JSON-serialisable, as the file wrote them
    (plus `title`, `format` and `category` when a file gives them); `line` is where it starts.
    """

    id: str
    type: str
    text: str
    points: float
    tags: tuple[str, ...]
    explanation: str
    body: dict[str, Any] = field(hash=False, compare=True)
    line: int = field(default=0, compare=False)

    @property
    def hash(self) -> str:
        """The content hash, without the source line (moving a question does not change it)."""
        data = asdict(self)
        data.pop("line")
        return content_hash(data)


@dataclass(frozen=True)
class QuizSpec:
    """A quiz file: settings and questions."""

    slug: str
    title: str
    title_zh: str | None
    course: str | None
    description: str
    pass_percent: int
    max_attempts: int
    cooldown_minutes: int
    time_limit_minutes: int
    grading: str
    shuffle: bool
    review: str
    gates: tuple[str, ...]
    draw: tuple[dict[str, Any], ...] | None
    published: bool
    source_format: str
    questions: tuple[QuestionSpec, ...]

    def settings(self) -> dict[str, Any]:
        """The settings without the questions (what the quiz row holds)."""
        data = asdict(self)
        data.pop("questions")
        return data

    @property
    def hash(self) -> str:
        """The content hash: equal content, equal hash (sync uses it to skip unchanged rows)."""
        return content_hash({**self.settings(), "questions": [q.hash for q in self.questions]})


@dataclass(frozen=True)
class FaqEntrySpec:
    """An entry of the script library."""

    id: str
    kind: str
    question: str
    answer: str
    tags: tuple[str, ...]
    phrasings: tuple[str, ...]

    @property
    def hash(self) -> str:
        """The content hash: equal content, equal hash (sync uses it to skip unchanged rows)."""
        return content_hash(asdict(self))


@dataclass(frozen=True)
class ProductSpec:
    """A product from the product sheet."""

    sku: str
    name: str
    name_zh: str | None
    price: float
    details: dict[str, Any] = field(hash=False)

    @property
    def hash(self) -> str:
        """The content hash: equal content, equal hash (sync uses it to skip unchanged rows)."""
        return content_hash(asdict(self))


@dataclass(frozen=True)
class TierSpec:
    """A rung of the tier ladder and what it takes to reach it."""

    slug: str
    name: str
    name_zh: str | None
    exam: str | None
    exam_pass_percent: int
    kpi_min: float
    kpi_months: int
    days_live: int
    spot_check_min: float


@dataclass(frozen=True)
class ScheduledCourse:
    """A course on the programme's days `first_day`..`last_day`."""

    course: str
    first_day: int
    last_day: int


@dataclass(frozen=True)
class ScheduledQuiz:
    """A quiz due on a programme day."""

    quiz: str
    day: int


@dataclass(frozen=True)
class GoLiveSpec:
    """What must be true before an agent takes live chats."""

    quizzes: tuple[str, ...] = ()
    courses: tuple[str, ...] = ()
    trainer_signoff: bool = False
    faq_mastery_percent: int = 0


@dataclass(frozen=True)
class ProgrammeSpec:
    """The onboarding programme: days, schedule, go-live rules, tiers."""

    title: str
    title_zh: str | None
    days: int
    days_off: tuple[str, ...]
    holidays: tuple[str, ...]
    allow_work_ahead: bool
    courses: tuple[ScheduledCourse, ...]
    quizzes: tuple[ScheduledQuiz, ...]
    go_live: GoLiveSpec = GoLiveSpec()
    tiers: tuple[TierSpec, ...] = ()

    def as_json(self) -> dict[str, Any]:
        """The programme as plain JSON types (what the database stores)."""
        return _plain(asdict(self))

    @property
    def hash(self) -> str:
        """The content hash: equal content, equal hash (sync uses it to skip unchanged rows)."""
        return content_hash(self.as_json())


#: The names the brief and the README use.
ProgramSpec = ProgrammeSpec
FaqEntry = FaqEntrySpec
Product = ProductSpec


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


@dataclass
class ContentTree:
    """Everything read from courses/ and quizzes/."""

    programme: ProgrammeSpec | None = None
    courses: dict[str, CourseSpec] = field(default_factory=dict)
    quizzes: dict[str, QuizSpec] = field(default_factory=dict)
    faq: list[FaqEntrySpec] = field(default_factory=list)
    products: list[ProductSpec] = field(default_factory=list)
    #: The rule book (courses/compliance.toml), when there is one.
    rulebook: Any = None
    #: Every line an agent could send as is (rulebook/sendable.py), checked against the rule book.
    sendable: list[Any] = field(default_factory=list)
    #: Slugs of files that exist but could not be read: references to them are not reported twice.
    unreadable: set[str] = field(default_factory=set)

    def summary(self) -> str:
        """Counts, for the command line."""
        questions = sum(len(q.questions) for q in self.quizzes.values())
        lessons = sum(len(c.lessons) for c in self.courses.values())
        return (
            f"{len(self.courses)} courses, {lessons} lessons, {len(self.quizzes)} quizzes, "
            f"{questions} questions, {len(self.faq)} FAQ entries, {len(self.products)} products"
            + (f", {len(self.rulebook.rules)} rules" if self.rulebook is not None else "")
        )
