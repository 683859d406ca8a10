"""The curriculum as read from files: typed, frozen, hashable descriptions."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any


def _lean(data: dict[str, Any]) -> dict[str, Any]:
    """Hash input without the bilingual fields while they are empty (older content keeps its hash)."""
    return {k: v for k, v in data.items() if not (k in _OPTIONAL_FIELDS and v in ({}, (), [], None, ""))}


_OPTIONAL_FIELDS = frozenset({"en", "day", "key_points", "steps"})


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
    #: The English: `title` (from course.toml) and `body` (the NN-name.en.md file), when written.
    en: dict[str, Any] = field(default_factory=dict, hash=False, compare=True)

    @property
    def hash(self) -> str:
        """The content hash: equal content, equal hash (sync uses it to skip unchanged rows)."""
        return content_hash(_lean(asdict(self)))


@dataclass(frozen=True)
class CourseSpec:
    """A course folder."""

    slug: str
    title: str
    summary: str
    version: tuple[int, int]
    topics: tuple[str, ...]
    refresher_on_major: bool
    published: bool
    lessons: tuple[LessonSpec, ...]
    #: The English of `title` and `summary`.
    en: dict[str, Any] = field(default_factory=dict, hash=False, compare=True)

    @property
    def version_text(self) -> str:
        """The version as written: "MAJOR.MINOR"."""
        return f"{self.version[0]}.{self.version[1]}"

    @property
    def hash(self) -> str:
        """The content hash: equal content, equal hash (sync uses it to skip unchanged rows)."""
        data = _lean(asdict(self))
        data["lessons"] = [_lean(lesson) for lesson in data["lessons"]]
        return content_hash(data)


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
    #: The English of the question's translatable keys (see lms/content/english.py), same shapes.
    en: dict[str, Any] = field(default_factory=dict, hash=False, compare=True)

    @property
    def hash(self) -> str:
        """The content hash, without the source line (moving a question does not change it)."""
        data = _lean(asdict(self))
        data.pop("line")
        return content_hash(data)


@dataclass(frozen=True)
class QuizSpec:
    """A quiz file: settings and questions."""

    slug: str
    title: str
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
    #: The English of `title` and `description`.
    en: dict[str, Any] = field(default_factory=dict, hash=False, compare=True)

    def settings(self) -> dict[str, Any]:
        """The settings without the questions (what the quiz row holds)."""
        data = asdict(self)
        data.pop("questions")
        return data

    @property
    def hash(self) -> str:
        """The content hash: equal content, equal hash (sync uses it to skip unchanged rows)."""
        return content_hash(_lean({**self.settings(), "questions": [q.hash for q in self.questions]}))


@dataclass(frozen=True)
class FaqEntrySpec:
    """An entry of the script library."""

    id: str
    kind: str
    question: str
    answer: str
    tags: tuple[str, ...]
    phrasings: tuple[str, ...]
    #: The programme day the entry is introduced (inside the script-library course's days).
    day: int | None = None
    #: What a drilled answer must contain: ({"points": n, "phrases": [Chinese, …]}, …).
    key_points: tuple[dict[str, Any], ...] = field(default=(), hash=False, compare=True)
    #: An operation entry's ordered steps.
    steps: tuple[str, ...] = ()
    #: The English of `question`, `answer` and `steps`.
    en: dict[str, Any] = field(default_factory=dict, hash=False, compare=True)

    @property
    def hash(self) -> str:
        """The content hash: equal content, equal hash (sync uses it to skip unchanged rows)."""
        return content_hash(_lean(asdict(self)))


@dataclass(frozen=True)
class ProductSpec:
    """A product from the product sheet."""

    sku: str
    name: str
    price: float
    details: dict[str, Any] = field(hash=False)
    #: The English of `name` and the descriptive details.
    en: dict[str, Any] = field(default_factory=dict, hash=False, compare=True)

    @property
    def hash(self) -> str:
        """The content hash: equal content, equal hash (sync uses it to skip unchanged rows)."""
        return content_hash(_lean(asdict(self)))


@dataclass(frozen=True)
class TierSpec:
    """A rung of the tier ladder and what it takes to reach it."""

    slug: str
    name: str
    exam: str | None
    exam_pass_percent: int
    kpi_min: float
    kpi_months: int
    days_live: int
    spot_check_min: float
    description: str = ""
    #: Practice-chat scenarios each needing `scenario_medal` or better.
    scenarios: tuple[str, ...] = ()
    scenario_medal: str = "silver"
    #: Days a promotion to this tier stays valid before the tier exam is due again (None: for good).
    valid_days: int | None = None
    #: The English of `name` (and `description`).
    en: dict[str, Any] = field(default_factory=dict, hash=False, compare=True)


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
    #: A card counts as mastered from this FSRS stability (days) on, unless it lapsed this often.
    faq_stability_days: int = 10
    faq_leech_lapses: int = 4
    #: The typing drill's target in Chinese characters a minute (0 = not required).
    typing_cpm: int = 0
    #: Practice-chat scenarios (courses/*/scenarios/) each needing `scenario_medal` or better.
    scenarios: tuple[str, ...] = ()
    scenario_medal: str = "silver"
    #: Days a certificate stays valid (None: it never expires).
    valid_days: int | None = None
    #: A certificate is "expiring" this many days before it ends.
    expiring_days: int = 30
    #: The recertification work (a quiz) is assigned this many days before expiry (None: not assigned).
    recertify_days_before: int | None = None
    recertify_quiz: str | None = None
    #: A "what changed" refresher is due this many days after it is assigned.
    changed_due_days: int = 14


@dataclass(frozen=True)
class ProgrammeSpec:
    """The onboarding programme: days, schedule, go-live rules, tiers."""

    title: str
    days: int
    days_off: tuple[str, ...]
    holidays: tuple[str, ...]
    allow_work_ahead: bool
    courses: tuple[ScheduledCourse, ...]
    quizzes: tuple[ScheduledQuiz, ...]
    go_live: GoLiveSpec = GoLiveSpec()
    tiers: tuple[TierSpec, ...] = ()
    #: Refreshers from the floor: `kpi` (a dip for N months) and `qc` (repeated failures on a topic).
    signals: dict[str, Any] = field(default_factory=dict, hash=False, compare=True)
    #: Promotion periods (双十一, 618 …): a preparation course or quiz for everyone live, once a year.
    promotions: tuple[dict[str, Any], ...] = field(default=(), hash=False, compare=True)
    #: The English of `title`.
    en: dict[str, Any] = field(default_factory=dict, hash=False, compare=True)

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
    #: Practice chats (lms/content/scenarios.py) by slug: courses/<course>/scenarios/<slug>.toml.
    scenarios: dict[str, Any] = field(default_factory=dict)
    #: The rule book (courses/compliance.toml), when there is one.
    rulebook: Any = None
    #: Every line an agent could send as is (rulebook/sendable.py), checked against the rule book.
    sendable: list[Any] = field(default_factory=list)
    #: Slugs of files that exist but could not be read: references to them are not reported twice.
    unreadable: set[str] = field(default_factory=set)
    #: Missing, partial, stale or unstamped English versions (problems.Problem), by file and line.
    translation_warnings: list[Any] = field(default_factory=list)
    #: Every translatable item read (translations.TranslatableItem), for `--stamp`.
    translatable: list[Any] = field(default_factory=list)

    def summary(self) -> str:
        """Counts, for the command line."""
        questions = sum(len(q.questions) for q in self.quizzes.values())
        lessons = sum(len(c.lessons) for c in self.courses.values())
        return (
            f"{len(self.courses)} courses, {lessons} lessons, {len(self.quizzes)} quizzes, "
            f"{questions} questions, {len(self.faq)} FAQ entries, {len(self.products)} products"
            + (f", {len(self.scenarios)} practice chats" if self.scenarios else "")
            + (f", {len(self.rulebook.rules)} rules" if self.rulebook is not None else "")
        )
