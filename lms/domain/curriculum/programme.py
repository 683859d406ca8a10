"""The onboarding programme day by day: which working day a learner is on, and what is due."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import CompoundSelect, bindparam, func, literal_column, select, true, union_all
from sqlalchemy.orm import Session, selectinload

from lms.db import read_rows
from lms.domain.curriculum.calendar_days import is_working_day
from lms.domain.curriculum.overview import PROGRAMME_SLUG, get_programme
from lms.domain.transaction_memo import remember, remembered
from lms.models import Attempt, Cohort, Course, Lesson, LessonCompletion, Programme, Quiz, User
from lms.models.change_counts import PLAN, ChangeCount
from lms.models.learning import GRADED


@dataclass(frozen=True)
class Schedule:
    """The programme's calendar rules."""

    days: int
    days_off: tuple[str, ...]
    holidays: frozenset[dt.date]
    allow_work_ahead: bool
    quiz_days: dict[str, int]
    course_days: dict[str, tuple[int, int]]
    go_live: dict[str, Any]
    #: The tier ladder as stored (the kept schedule holds a copy of its own: it is shared between
    #: requests and never changed).
    tiers: tuple[dict[str, Any], ...] = ()

    @classmethod
    def from_spec(cls, spec: dict[str, Any]) -> Schedule:
        """The schedule stored with the programme."""
        return cls(
            days=int(spec.get("days", 15)),
            days_off=tuple(spec.get("days_off", ("sat", "sun"))),
            holidays=frozenset(dt.date.fromisoformat(d) for d in spec.get("holidays", [])),
            allow_work_ahead=bool(spec.get("allow_work_ahead", True)),
            quiz_days={q["quiz"]: int(q["day"]) for q in spec.get("quizzes", [])},
            course_days={
                c["course"]: (int(c["first_day"]), int(c["last_day"])) for c in spec.get("courses", [])
            },
            go_live=dict(spec.get("go_live", {})),
            tiers=tuple(spec.get("tiers") or []),
        )

    def day_number(self, start: dt.date, today: dt.date) -> int:
        """Which working day `today` is, counting the start date as day 1 (0 before the start)."""
        if today < start:
            return 0
        count, current = 0, start
        while current <= today:
            if is_working_day(current, self.days_off, self.holidays):
                count += 1
            current += dt.timedelta(days=1)
        return count

    def date_of_day(self, start: dt.date, day: int) -> dt.date:
        """The calendar date of working day `day` for a cohort starting on `start`."""
        current, count = start, 0
        while True:
            if is_working_day(current, self.days_off, self.holidays):
                count += 1
                if count == day:
                    return current
            current += dt.timedelta(days=1)


@dataclass
class DueItem:
    """A lesson or quiz of the programme with its day and state for one learner."""

    kind: str  # "lesson" | "quiz"
    day: int
    title: str
    url_args: dict[str, str]
    done: bool
    overdue: bool = False
    failed: bool = False
    #: The English title (pages show it to English readers), None when not written.
    title_en: str | None = None


@dataclass(frozen=True)
class PlannedLesson:
    """An active lesson as the programme lists it."""

    id: int
    slug: str
    title: str
    title_en: str | None
    day: int | None


@dataclass(frozen=True)
class PlannedCourse:
    """A published course of the programme with its active lessons, in order."""

    id: int
    slug: str
    title: str
    title_en: str | None
    lessons: tuple[PlannedLesson, ...]


@dataclass(frozen=True)
class PlannedQuiz:
    """A published quiz of the programme."""

    id: int
    slug: str
    title: str
    title_en: str | None


@dataclass(frozen=True)
class Plan:
    """What the programme lists, the same for every learner: its published courses in programme order
    with their active lessons, and its published quizzes by slug. Plain values, so a process may
    keep one between requests (lms/web/plan_cache.py) while `plan_fingerprint` is unchanged."""

    courses: tuple[PlannedCourse, ...]
    quizzes: dict[str, PlannedQuiz]


def load_plan(session: Session, schedule: Schedule) -> Plan:
    """The programme's plan, in three queries."""
    courses = session.execute(
        select(Course.id, Course.slug, Course.title, Course.title_en).where(
            Course.published.is_(True), Course.slug.in_(list(schedule.course_days))
        )
    ).all()
    lessons: dict[int, list[PlannedLesson]] = {course.id: [] for course in courses}
    for row in session.execute(
        select(Lesson.course_id, Lesson.id, Lesson.slug, Lesson.title, Lesson.title_en, Lesson.day)
        .where(Lesson.course_id.in_(list(lessons)), Lesson.active.is_(True))
        .order_by(Lesson.course_id, Lesson.position, Lesson.id)
    ):
        lessons[row.course_id].append(PlannedLesson(row.id, row.slug, row.title, row.title_en, row.day))
    quizzes = session.execute(
        select(Quiz.id, Quiz.slug, Quiz.title, Quiz.title_en).where(
            Quiz.published.is_(True), Quiz.slug.in_(list(schedule.quiz_days))
        )
    ).all()
    return Plan(
        tuple(
            PlannedCourse(c.id, c.slug, c.title, c.title_en, tuple(lessons[c.id]))
            for c in sorted(courses, key=lambda c: (schedule.course_days[c.slug], c.slug))
        ),
        {q.slug: PlannedQuiz(q.id, q.slug, q.title, q.title_en) for q in quizzes},
    )


def plan_fingerprint(session: Session) -> tuple[object, ...]:
    """What a Plan and the go-live rules depend on (read once per transaction): how many writes the
    programme, courses, lessons, quizzes and practice-chat scenarios have had, a counter kept by
    database triggers (migration 0020), so one key lookup."""
    found = remembered(session, _FINGERPRINT, lambda: (session.scalar(_PLAN_CHANGES),))
    assert found is not None
    return found


_PLAN_CHANGES = select(ChangeCount.changes).where(ChangeCount.topic == PLAN)
_FINGERPRINT = "plan fingerprint"  # its key in the transaction's memo
#: The same counter as a value to select beside another row (the signed-in user's, on the pages that
#: keep the plan): `remember_plan_fingerprint` then saves `plan_fingerprint` its statement.
PLAN_CHANGES_COLUMN = _PLAN_CHANGES.scalar_subquery()


def remember_plan_fingerprint(session: Session, changes: int | None) -> None:
    """Keep a counter read beside another row (`PLAN_CHANGES_COLUMN`) as this transaction's
    fingerprint. Only for a transaction that does not change the curriculum before it asks."""
    remember(session, _FINGERPRINT, (changes,))


@dataclass
class CourseProgressRow:
    """Lessons done in one course."""

    course: PlannedCourse
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass
class TodayView:
    """What a learner sees on their Today page."""

    day: int
    days: int
    started: bool
    finished: bool
    #: False when the learner has no start date (no cohort, no hiring date): no day is counted, and
    #: nothing is due or overdue, until a trainer adds them to a cohort.
    dated: bool = True
    today: list[DueItem] = field(default_factory=list)
    overdue: list[DueItem] = field(default_factory=list)
    courses: list[CourseProgressRow] = field(default_factory=list)
    done_items: int = 0
    total_items: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.done_items / self.total_items) if self.total_items else 0


def load_schedule(session: Session) -> Schedule | None:
    """The loaded programme's schedule, or None before `lms content sync`."""
    programme = get_programme(session)
    return Schedule.from_spec(programme.spec) if programme else None


#: Whether learners may open later days' lessons early (the schedule's `allow_work_ahead`, true
#: unless the programme says otherwise), as a column of another statement: the lesson reader reads
#: it with the lesson on every view, and needs the whole schedule (the programme's row, its spec
#: parsed) only when working ahead is not allowed. NULL before `lms content sync` (no programme).
WORK_AHEAD_COLUMN = (
    select(func.coalesce(Programme.spec["allow_work_ahead"].as_boolean(), true()))
    .where(Programme.slug == PROGRAMME_SLUG)
    .scalar_subquery()
    .label("work_ahead")
)


_COHORT_START = select(Cohort.start_date).where(Cohort.id == bindparam("cohort_id"))


def programme_start(session: Session, user: User) -> dt.date | None:
    """The day the user's programme started: their cohort's start date, else their hiring date (None
    when neither is known). The cohort is read as one date unless the session has it already."""
    if user.cohort_id is None:
        return user.hired_on
    cohort = user.__dict__.get("cohort") or session.identity_map.get(
        session.identity_key(Cohort, user.cohort_id)
    )
    if isinstance(cohort, Cohort):
        return cohort.start_date
    start = session.scalars(_COHORT_START, {"cohort_id": user.cohort_id}).one_or_none()
    return start if start is not None else user.hired_on


#: The learner's done lessons and graded attempts in one statement (the Today page asks on every
#: view): ("lesson", lesson id, true) and ("quiz", quiz id, passed).
_DONE_AND_GRADED: CompoundSelect[tuple[str, int, bool]] = union_all(
    select(literal_column("'lesson'").label("kind"), LessonCompletion.lesson_id, true()).where(
        LessonCompletion.user_id == bindparam("user_id")
    ),
    select(literal_column("'quiz'"), Attempt.quiz_id, Attempt.passed).where(
        Attempt.user_id == bindparam("user_id"), Attempt.status == GRADED
    ),
)


#: A learner's (lessons done, quizzes passed, quizzes graded without a pass), by id.
Progress = tuple[set[int], set[int], set[int]]


def progress_from_rows(rows: Iterable[Sequence[Any]]) -> Progress:
    """Progress from rows ("lesson", lesson id, _) and ("quiz", quiz id, passed)."""
    done: set[int] = set()
    passed: set[int] = set()
    tried: set[int] = set()
    for kind, key, ok in rows:
        if kind == "lesson":
            done.add(key)
        else:
            (passed if ok else tried).add(key)
    return done, passed, tried - passed


def progress_of(session: Session, user: User) -> Progress:
    """The learner's lessons done, quizzes passed and quizzes graded without a pass."""
    return progress_from_rows(read_rows(session, _DONE_AND_GRADED, {"user_id": user.id}))


def today_view(
    session: Session,
    user: User,
    today: dt.date,
    plan: Plan | None = None,
    schedule: Schedule | None = None,
    progress: Progress | None = None,
) -> TodayView | None:
    """The learner's programme for `today`: day N, what is due today, what is overdue, progress.
    `plan` and `schedule` are the programme's when the caller keeps them (else they are read);
    `progress` the learner's when the caller has read it (`progress_of`)."""
    schedule = schedule or load_schedule(session)
    if schedule is None:
        return None
    start = programme_start(session, user)
    # No start date: day 0, so nothing is due (counting from today would make every day day 1).
    day = schedule.day_number(start, today) if start is not None else 0
    plan = plan or load_plan(session, schedule)
    courses, quizzes = plan.courses, plan.quizzes
    done, passed, failed = progress if progress is not None else progress_of(session, user)
    view = TodayView(
        day=min(day, schedule.days),
        days=schedule.days,
        started=day > 0,
        finished=day > schedule.days,
        dated=start is not None,
    )
    # Only what the page lists (today's items, and earlier ones not done) becomes a DueItem; the rest
    # is counted (a programme has 50-odd lessons, and the page lists a handful).
    shown: list[DueItem] = []
    for course in courses:
        lessons = course.lessons
        course_day = schedule.course_days.get(course.slug, (1, 1))[0]
        done_here = 0
        for lesson in lessons:
            is_done = lesson.id in done
            done_here += is_done
            lesson_day = lesson.day or course_day
            if lesson_day == day or (lesson_day < day and not is_done):
                shown.append(
                    DueItem(
                        "lesson",
                        lesson_day,
                        lesson.title,
                        {"slug": course.slug, "lesson": lesson.slug},
                        is_done,
                        title_en=lesson.title_en,
                    )
                )
        view.courses.append(CourseProgressRow(course, done_here, len(lessons)))
        view.total_items += len(lessons)
        view.done_items += done_here
    for slug, quiz_day in schedule.quiz_days.items():
        quiz = quizzes.get(slug)
        if quiz is None:
            continue
        is_passed = quiz.id in passed
        view.total_items += 1
        view.done_items += is_passed
        if quiz_day == day or (quiz_day < day and not is_passed):
            shown.append(
                DueItem(
                    "quiz",
                    quiz_day,
                    quiz.title,
                    {"slug": slug},
                    is_passed,
                    failed=quiz.id in failed,
                    title_en=quiz.title_en,
                )
            )
    for item in sorted(shown, key=lambda i: (i.day, i.kind != "lesson")):
        if item.day == day:
            view.today.append(item)
        else:
            item.overdue = True
            view.overdue.append(item)
    return view


def may_open_day(
    schedule: Schedule | None, start: dt.date | None, lesson_day: int | None, today: dt.date
) -> bool:
    """Whether a learner may open content of `lesson_day` today (work ahead only when allowed)."""
    if schedule is None or schedule.allow_work_ahead or lesson_day is None or start is None:
        return True
    return lesson_day <= schedule.day_number(start, today)


def _ics_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def calendar_for(schedule: Schedule, start: dt.date, session: Session) -> str:
    """An iCalendar (RFC 5545) file with one all-day event per programme day listing its lessons and quizzes."""
    titles: dict[int, list[str]] = {}
    for course in session.scalars(
        select(Course)
        .where(Course.published.is_(True))
        .options(selectinload(Course.lessons).defer(Lesson.body))
    ):
        if course.slug not in schedule.course_days:
            continue
        for lesson in course.lessons:
            if lesson.active:
                titles.setdefault(lesson.day or schedule.course_days[course.slug][0], []).append(lesson.title)
    quiz_titles = dict(
        session.execute(select(Quiz.slug, Quiz.title).where(Quiz.slug.in_(list(schedule.quiz_days))))
        .tuples()
        .all()
    )
    for slug, day in schedule.quiz_days.items():
        if slug in quiz_titles:
            titles.setdefault(day, []).append(f"Quiz: {quiz_titles[slug]}")
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Service Academy//Onboarding//EN",
        "CALSCALE:GREGORIAN",
    ]
    for day in range(1, schedule.days + 1):
        date = schedule.date_of_day(start, day)
        lines += [
            "BEGIN:VEVENT",
            f"UID:onboarding-{start.isoformat()}-day-{day}@service-academy",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{date.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(date + dt.timedelta(days=1)).strftime('%Y%m%d')}",
            f"SUMMARY:{_ics_text(f'Onboarding day {day} of {schedule.days}')}",
            f"DESCRIPTION:{_ics_text(chr(10).join(titles.get(day, [])))}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"
