"""The trainer's cohort matrix: every learner against every go-live requirement, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy import Integer, Select, any_, bindparam, exists, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from lms.db import read_rows
from lms.domain.certification.golive import GoLiveRules, go_live_rules, lessons_done_statement
from lms.domain.certification.validity import EXPIRING, VALID, Validity
from lms.domain.curriculum.programme import Schedule
from lms.domain.people_statements import Group, PerPeople
from lms.models import (
    Attempt,
    Certificate,
    Cohort,
    Course,
    GoLiveSignoff,
    Quiz,
    User,
)
from lms.models.certification import GO_LIVE
from lms.models.learning import GRADED, IN_PROGRESS

DONE, IN_PROGRESS_STATE, FAILED, OVERDUE, NOT_STARTED = "done", "in_progress", "failed", "overdue", "todo"


class Member(NamedTuple):
    """A learner as the matrix shows them: the four columns it reads, not the whole account."""

    id: int
    username: str
    display_name: str
    cohort_id: int | None


@dataclass
class MatrixRow:
    """One learner's states, column by column."""

    user: Member
    cells: list[str]
    done: int
    expected: int
    live: bool
    signed_off: bool
    #: valid | expiring | expired | revoked, None without a certificate.
    cert_state: str | None = None

    @property
    def behind(self) -> bool:
        """Behind schedule: something that should be done by today is not."""
        return self.done < self.expected


@dataclass
class Matrix:
    """Columns (requirements) and rows (learners)."""

    columns: list[tuple[str, str, int]]  # (kind, title, programme day)
    rows: list[MatrixRow] = field(default_factory=list)
    day: int = 0
    titles_en: list[str | None] = field(default_factory=list)  # the columns' English titles, when written


@dataclass
class _Requirements:
    """The programme's go-live quizzes and courses, each with the day it is due."""

    courses: list[tuple[Course, int]]
    quizzes: list[tuple[Quiz, int]]
    lesson_totals: dict[int, int]
    course_keys: list[tuple[int, int, int]] = field(init=False)  # (course id, due day, lessons)
    quiz_keys: list[tuple[int, int]] = field(init=False)  # (quiz id, due day)

    def __post_init__(self) -> None:
        # Plain ids and numbers for the per-learner loop (thousands of rows on a staff desk).
        self.course_keys = [(c.id, day, self.lesson_totals.get(c.id, 0)) for c, day in self.courses]
        self.quiz_keys = [(q.id, day) for q, day in self.quizzes]

    @property
    def columns(self) -> list[tuple[str, str, int]]:
        return [("course", c.title, day) for c, day in self.courses] + [
            ("quiz", q.title, day) for q, day in self.quizzes
        ]

    @property
    def titles_en(self) -> list[str | None]:
        return [c.title_en for c, _day in self.courses] + [q.title_en for q, _day in self.quizzes]


@dataclass
class _Progress:
    """What a group of learners has done, keyed by learner (loaded in four queries, whatever its size)."""

    lessons_done: dict[int, dict[int, int]]  # learner → course → lessons done
    attempt_state: dict[int, dict[int, str]]  # learner → quiz → state
    live: set[int]
    signed: set[int]
    cert_state: dict[int, str]


def _requirements(rules: GoLiveRules, schedule: Schedule) -> _Requirements:
    return _Requirements(
        [
            (rules.courses[s], schedule.course_days.get(s, (1, 1))[1])
            for s in rules.course_slugs
            if s in rules.courses
        ],
        [
            (rules.quizzes[s], schedule.quiz_days.get(s, schedule.days))
            for s in rules.quiz_slugs
            if s in rules.quizzes
        ],
        rules.lesson_totals,
    )


#: What a group did, built once for lists of learners and per group (PerPeople): four statements a matrix.
_LESSONS_DONE = PerPeople(lessons_done_statement)
_ATTEMPTS = PerPeople(
    lambda who: (
        select(Attempt.user_id, Attempt.quiz_id, Attempt.status, Attempt.passed)
        .where(Attempt.user_id.in_(who), Attempt.quiz_id.in_(bindparam("quiz_ids", expanding=True)))
        .order_by(Attempt.id)
    )
)
_CERTIFICATES = PerPeople(
    lambda who: select(Certificate).where(Certificate.user_id.in_(who), Certificate.kind == GO_LIVE)
)
#: PostgreSQL: the learners' go-live certificates by their ids, bound as one array (`= ANY`), when the
#: ids are already read. Given the group's select of ids instead, PostgreSQL's planner (at its default
#: costs) hashes every go-live certificate of the centre, a scan of 10,000 rows at contact-centre size
#: and about 2 ms of the database's time a matrix, rather than look 200 up in the (user, kind) index;
#: SQLite looks them up either way and keeps the group.
_CERTIFICATES_BY_IDS = select(Certificate).where(
    Certificate.user_id == any_(bindparam("ids", type_=ARRAY(Integer))), Certificate.kind == GO_LIVE
)
_SIGNED = PerPeople(lambda who: select(GoLiveSignoff.user_id).where(GoLiveSignoff.user_id.in_(who)))


def _progress(
    session: Session,
    who: Group | Select[tuple[int]] | Sequence[int],
    required: _Requirements,
    validity: Validity | None = None,
    now: dt.datetime | None = None,
    *,
    ids: Sequence[int] | None = None,
) -> _Progress:
    """What the learners did, and each one's certificate status at `now` (the programme's validity);
    `ids`: the same learners' ids, when the caller has read them (PostgreSQL reads the certificates by
    them)."""
    validity = validity or Validity()
    now = now or dt.datetime.now(dt.UTC)
    course_ids = [c.id for c, _day in required.courses]
    quiz_ids = [q.id for q, _day in required.quizzes]
    lessons_done: dict[int, dict[int, int]] = {}
    for user_id, course_id, n in read_rows(session, *_LESSONS_DONE(who, course_ids=course_ids)):
        lessons_done.setdefault(user_id, {})[course_id] = n
    attempt_state: dict[int, dict[int, str]] = {}
    for user_id, quiz_id, status, passed in read_rows(session, *_ATTEMPTS(who, quiz_ids=quiz_ids)):
        states = attempt_state.setdefault(user_id, {})
        if status == GRADED and passed:
            states[quiz_id] = DONE
        elif states.get(quiz_id) != DONE:
            states[quiz_id] = IN_PROGRESS_STATE if status in (IN_PROGRESS, "submitted") else FAILED
    if ids is not None and session.get_bind().dialect.name == "postgresql":
        certificates = session.scalars(_CERTIFICATES_BY_IDS, {"ids": list(ids)})
    else:
        certificates = session.scalars(*_CERTIFICATES(who))
    cert_state = {cert.user_id: validity.status(cert, now) for cert in certificates}
    live = {uid for uid, state in cert_state.items() if state in (VALID, EXPIRING)}
    signed = set(read_rows(session, *_SIGNED(who)).scalars())
    return _Progress(lessons_done, attempt_state, live, signed, cert_state)


def _row(user: Member, day: int, required: _Requirements, progress: _Progress) -> MatrixRow:
    """One learner's cells on programme day `day`: what is done, and how much should be by today."""
    uid = user.id
    cells: list[str] = []
    done = expected = 0
    # Run for every learner and requirement (2,600 cells for a cohort of 200): plain names, no tuples.
    lessons = progress.lessons_done.get(uid, _NOTHING)
    for course_id, due_day, total in required.course_keys:
        count = lessons.get(course_id, 0)
        if total and count >= total:
            cells.append(DONE)
            done += 1
        else:
            cells.append(OVERDUE if due_day < day else IN_PROGRESS_STATE if count else NOT_STARTED)
        expected += due_day < day
    states = progress.attempt_state.get(uid, _NOTHING)
    for quiz_id, due_day in required.quiz_keys:
        state = states.get(quiz_id, NOT_STARTED)
        if state == DONE:
            done += 1
        elif due_day < day and state != FAILED:
            state = OVERDUE
        cells.append(state)
        expected += due_day < day
    return MatrixRow(
        user,
        cells,
        done,
        min(expected, len(cells)),
        uid in progress.live,
        uid in progress.signed,
        progress.cert_state.get(uid),
    )


#: An empty mapping for a learner with nothing done (never written to).
_NOTHING: dict[int, Any] = {}


def _members(cohort_ids: list[int], *, live_too: bool = True) -> tuple[Select[Any], dict[str, Any]]:
    """The cohorts' active learners (live agents left out unless `live_too`), by name."""
    return (_MEMBERS if live_too else _MEMBERS_NOT_LIVE), {"cohort_ids": cohort_ids}


_ACTIVE_IN_COHORTS = (User.cohort_id.in_(bindparam("cohort_ids", expanding=True)), User.active.is_(True))
# Live agents are never "behind": the desk leaves them out before their rows are built.
_NOT_LIVE = ~exists().where(
    Certificate.user_id == User.id, Certificate.kind == GO_LIVE, Certificate.revoked_at.is_(None)
)
_MEMBERS = (
    select(User.id, User.username, User.display_name, User.cohort_id)
    .where(*_ACTIVE_IN_COHORTS)
    .order_by(User.display_name, User.id)
)
_MEMBERS_NOT_LIVE = _MEMBERS.where(_NOT_LIVE)
#: The same people as ids for the progress statements, bound by cohort (not one value per learner).
_MEMBER_IDS = Group("cohort members", select(User.id).where(*_ACTIVE_IN_COHORTS))
_MEMBER_IDS_NOT_LIVE = Group("cohort members not live", select(User.id).where(*_ACTIVE_IN_COHORTS, _NOT_LIVE))


def _moment(today: dt.date) -> dt.datetime:
    """The moment certificate status is read at: now when `today` is today, else that day's start."""
    now = dt.datetime.now(dt.UTC)
    return now if now.date() == today else dt.datetime.combine(today, dt.time.min, tzinfo=dt.UTC)


def cohort_matrix(
    session: Session,
    cohort: Cohort,
    schedule: Schedule,
    today: dt.date,
    rules: GoLiveRules | None = None,
) -> Matrix:
    """Learners × go-live requirements (quizzes passed, courses completed), with who is behind; the
    go-live rules are read unless given (the web keeps them per process)."""
    day = schedule.day_number(cohort.start_date, today)
    rules = rules or go_live_rules(session, schedule)
    assert rules is not None
    required = _requirements(rules, schedule)
    users = [Member(*row) for row in read_rows(session, *_members([cohort.id]))]
    progress = _progress(
        session,
        _MEMBER_IDS.bound(cohort_ids=[cohort.id]),
        required,
        Validity.from_spec(schedule.go_live),
        _moment(today),
        ids=[user.id for user in users],
    )
    matrix = Matrix(columns=required.columns, day=day, titles_en=required.titles_en)
    matrix.rows = [_row(user, day, required, progress) for user in users]
    return matrix


@dataclass
class CohortBehind:
    """A cohort's learners behind schedule (not yet live), most behind first."""

    cohort: Cohort
    day: int
    rows: list[MatrixRow]


def behind_by_cohort(
    session: Session,
    cohorts: list[Cohort],
    schedule: Schedule,
    today: dt.date,
    rules: GoLiveRules | None = None,
) -> list[CohortBehind]:
    """For each cohort, who is behind (the matrix's rule) and not yet live, in the matrix's queries
    for all the cohorts together; cohorts with nobody behind are left out."""
    if not cohorts:
        return []
    ids = [c.id for c in cohorts]
    rules = rules or go_live_rules(session, schedule)
    assert rules is not None
    required = _requirements(rules, schedule)
    users = [Member(*row) for row in read_rows(session, *_members(ids, live_too=False))]
    progress = _progress(
        session, _MEMBER_IDS_NOT_LIVE.bound(cohort_ids=ids), required, ids=[user.id for user in users]
    )
    by_cohort: dict[int, list[MatrixRow]] = {}
    days = {c.id: schedule.day_number(c.start_date, today) for c in cohorts}
    for user in users:
        assert user.cohort_id is not None
        row = _row(user, days[user.cohort_id], required, progress)
        if row.behind and not row.live:
            by_cohort.setdefault(user.cohort_id, []).append(row)
    found = [CohortBehind(c, days[c.id], by_cohort[c.id]) for c in cohorts if c.id in by_cohort]
    for group in found:
        group.rows.sort(key=lambda r: (r.done - r.expected, r.user.display_name))
    found.sort(key=lambda g: (-len(g.rows), g.cohort.start_date))
    return found


def neutralise(value: object) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
