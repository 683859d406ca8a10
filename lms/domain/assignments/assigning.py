"""Assignments: work someone must complete by a date, given to one agent or many in one transaction.

An open assignment exists at most once per person and work (a partial unique index); bulk inserts use
`INSERT … ON CONFLICT DO NOTHING`, so parallel bulk runs never duplicate. Completing the work after the
assignment date closes it: passing the quiz (recorded with the attempt), or reading every lesson of the
course again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, ScalarSelect, Select, bindparam, event, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import InstrumentedAttribute, Session, object_session, selectinload

from lms.domain import audit
from lms.domain.errors import N_, DomainError, NotFound
from lms.domain.transaction_memo import forget, recalled, remember, remembered
from lms.models import (
    Assignment,
    Attempt,
    Certificate,
    Cohort,
    Course,
    CourseRevision,
    Lesson,
    LessonCompletion,
    Notification,
    Quiz,
    Role,
    Scenario,
    User,
    UserRole,
    UserStore,
)
from lms.models.certification import GO_LIVE

REASON_MAX = 500
#: Who may hand out work.
ASSIGNERS = (Role.QC, Role.TRAINER, Role.ADMIN)
AUDIENCES = ("agent", "cohort", "store", "tier", "live", "older_version")


@dataclass
class AssignResult:
    """How many people got the work, and how many already had it open."""

    created: list[int]
    skipped: int

    @property
    def count(self) -> int:
        return len(self.created)


def _major(version: str | None) -> int:
    try:
        return int(str(version).split(".")[0])
    except ValueError:
        return 0


def _learners(session: Session) -> Select[tuple[int]]:
    """Active people holding the learner role (a select of user ids to narrow further)."""
    return (
        select(User.id)
        .join(UserRole, UserRole.user_id == User.id)
        .where(User.active.is_(True), UserRole.role == Role.LEARNER.value)
    )


def _id(value: str | int | None) -> int:
    """An id from a form (0, which matches nothing, when it is not a usable one)."""
    text = str(value if value is not None else "").strip()
    return int(text) if text.isdecimal() and len(text) <= 10 and int(text) < 2**31 else 0


def audience_ids(
    session: Session, kind: str, value: str | int | None, *, course: Course | None = None
) -> list[int]:
    """The active learners an audience names: one agent, a cohort, a store, everyone live, or
    everyone who learned a course on an older major version (a tier: `tiers.ladder.on_tier` narrows "live")."""
    base = _learners(session)
    if kind == "agent":
        ids = session.scalars(base.where(User.id == _id(value))).all()
    elif kind == "cohort":
        ids = session.scalars(base.where(User.cohort_id == _id(value))).all()
    elif kind == "store":
        ids = session.scalars(
            base.join(UserStore, UserStore.user_id == User.id).where(UserStore.store_id == _id(value))
        ).all()
    elif kind == "live":
        ids = session.scalars(
            base.join(Certificate, Certificate.user_id == User.id).where(_live_now(session))
        ).all()
    elif kind == "older_version":
        if course is None:
            raise DomainError(N_("Choose the course whose older version they learned."), "work")
        ids = older_version_learners(session, course)
    else:
        raise DomainError(N_("Choose who gets the work."), "audience")
    return sorted(set(ids))


def older_version_learners(session: Session, course: Course, before: dt.datetime | None = None) -> list[int]:
    """Active learners who completed lessons of the course on an older major version, or were certified
    for go-live on it (the certificate predates the course's latest major revision)."""
    major = course.version_major
    completed = session.execute(
        _learners(session)
        .add_columns(LessonCompletion.course_version)
        .join(LessonCompletion, LessonCompletion.user_id == User.id)
        .join(Lesson, Lesson.id == LessonCompletion.lesson_id)
        .where(Lesson.course_id == course.id)
    ).all()
    ids = {user_id for user_id, version in completed if _major(version) < major}
    revised_at = before or session.scalar(
        select(func.max(CourseRevision.at)).where(
            CourseRevision.course_id == course.id, CourseRevision.major.is_(True)
        )
    )
    if revised_at is not None and _gates_go_live(session, course):
        ids.update(
            session.scalars(
                _learners(session)
                .join(Certificate, Certificate.user_id == User.id)
                .where(
                    Certificate.kind == GO_LIVE,
                    Certificate.revoked_at.is_(None),
                    Certificate.issued_at < revised_at,
                )
            )
        )
    return sorted(ids)


def _live_now(session: Session) -> ColumnElement[bool]:
    """A go-live certificate neither revoked nor expired now (the programme's `valid_days`; the full
    rule, with its window, is certification.validity — above this area)."""
    from lms.domain.curriculum.overview import get_programme

    now = dt.datetime.now(dt.UTC)
    programme = get_programme(session)
    days = ((programme.spec.get("go_live") or {}).get("valid_days") if programme else None) or 0
    clause = (
        (Certificate.kind == GO_LIVE)
        & Certificate.revoked_at.is_(None)
        & (Certificate.lapses_at.is_(None) | (Certificate.lapses_at > now))
    )
    if isinstance(days, int) and days > 0:
        clause = clause & (Certificate.issued_at > now - dt.timedelta(days=days))
    return clause


def _gates_go_live(session: Session, course: Course) -> bool:
    from lms.domain.curriculum.overview import get_programme

    programme = get_programme(session)
    go_live = (programme.spec.get("go_live") or {}) if programme else {}
    return course.slug in (go_live.get("courses") or []) or any(
        quiz.slug in (go_live.get("quizzes") or []) for quiz in course.quizzes
    )


def assign(
    session: Session,
    actor: User | None,
    user_ids: Iterable[int],
    *,
    course: Course | None = None,
    quiz: Quiz | None = None,
    due_on: dt.date,
    reason: str,
    source: str,
    now: dt.datetime,
    spot_check_id: int | None = None,
    revision_id: int | None = None,
    scenario: Scenario | None = None,
    medal: str | None = None,
) -> AssignResult:
    """Give the work to everyone listed, once: people who have it open already are skipped."""
    today = now.date()
    if actor is not None and not actor.has_role(*ASSIGNERS):
        raise DomainError(N_("Only trainers, QC and administrators assign work."))
    if sum(work is not None for work in (course, quiz, scenario)) != 1:
        raise DomainError(N_("Choose one course, quiz or practice chat."), "work")
    if due_on < today:
        raise DomainError(N_("The due date cannot be in the past."), "due_on")
    if due_on > today + dt.timedelta(days=366):
        raise DomainError(N_("The due date is more than a year away."), "due_on")
    reason = reason.strip()
    if not reason:
        raise DomainError(N_("Give a reason: the learner sees it."), "reason")
    if len(reason) > REASON_MAX:
        raise DomainError(N_("The reason is too long (at most %(n)s characters)."), "reason", n=REASON_MAX)
    ids = sorted(set(user_ids))
    if not ids:
        raise DomainError(N_("Nobody matches: choose who gets the work."), "audience")
    rows = [
        {
            "user_id": user_id,
            "course_id": course.id if course else None,
            "quiz_id": quiz.id if quiz else None,
            "scenario_id": scenario.id if scenario else None,
            "medal": (medal or "silver") if scenario else None,
            "due_on": due_on,
            "reason": reason,
            "source": source,
            "spot_check_id": spot_check_id,
            "revision_id": revision_id,
            "assigned_by_id": actor.id if actor else None,
            "assigned_at": now,
        }
        for user_id in ids
    ]
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(Assignment).on_conflict_do_nothing().returning(Assignment.id, Assignment.user_id)
    created = session.execute(statement, rows).all()
    work = course or quiz or scenario
    assert work is not None
    for assignment_id, user_id in created:
        session.add(
            Notification(
                user_id=user_id,
                kind="assigned",
                assignment_id=assignment_id,
                params={"title": work.title, "due_on": due_on.isoformat()},
            )
        )
    session.flush()
    audit.record(
        session,
        "assignment.create",
        actor=actor,
        target=work,
        after={
            "source": source,
            "due_on": due_on.isoformat(),
            "reason": reason,
            "assigned": len(created),
            "skipped": len(ids) - len(created),
        },
    )
    return AssignResult([a for a, _u in created], len(ids) - len(created))


def open_assignments(session: Session, user: User) -> list[Assignment]:
    """The learner's open assignments, due soonest first (their number is kept for the transaction:
    the nav badge on the same page does not count them again). When this transaction already
    counted none (the signed-in user's row comes with the count), there is nothing to read."""
    if recalled(session, _open_key(user.id)) == 0:
        return []
    found = list(session.scalars(_OPEN_ASSIGNMENTS, {"user_id": user.id}))
    remember_open_count(session, user.id, len(found))
    return found


_OPEN_ASSIGNMENTS = (
    select(Assignment)
    .where(Assignment.user_id == bindparam("user_id"), Assignment.closed_at.is_(None))
    .options(selectinload(Assignment.course), selectinload(Assignment.quiz))
    .order_by(Assignment.due_on, Assignment.id)
)


def open_count_of(user_id: int | ColumnElement[int] | InstrumentedAttribute[int]) -> ScalarSelect[int]:
    """The user's open assignments counted, as a value to select (alone, or beside the user's row)."""
    return (
        select(func.count())
        .select_from(Assignment)
        .where(Assignment.user_id == user_id, Assignment.closed_at.is_(None))
        .scalar_subquery()
    )


#: Built once: the nav badge asks on every page, and building a statement costs more than running it.
_OPEN_COUNT = select(open_count_of(bindparam("user_id")))


def _open_key(user_id: int) -> str:
    return f"open assignments of {user_id}"


@event.listens_for(Assignment.closed_at, "set")
def _closing_changes_the_count(target: Assignment, _value: object, _old: object, _initiator: object) -> None:
    """A count kept for the transaction is wrong once one of the learner's assignments closes (new
    work needs no such hook: `assign` flushes, and a flush ends the memo's transaction)."""
    session = object_session(target)
    if session is not None:
        forget(session, _open_key(target.user_id))


def remember_open_count(session: Session, user_id: int, count: int) -> None:
    """Keep a count read on the way (beside the signed-in user's row) for the transaction's badge."""
    remember(session, _open_key(user_id), count)


def open_count(session: Session, user_id: int) -> int:
    """How many open assignments (the nav badge): counted once per transaction at most."""
    return int(
        remembered(session, _open_key(user_id), lambda: session.scalar(_OPEN_COUNT, {"user_id": user_id}))
        or 0
    )


def recently_closed(session: Session, user: User, limit: int = 10) -> list[Assignment]:
    """The learner's latest finished assignments."""
    return list(
        session.scalars(
            select(Assignment)
            .where(Assignment.user_id == user.id, Assignment.closed_at.is_not(None))
            .options(selectinload(Assignment.course), selectinload(Assignment.quiz))
            .order_by(Assignment.closed_at.desc())
            .limit(limit)
        )
    )


#: Where an assignment made by quality control comes from: a spot check's suggestion, or QC's own.
QC_SOURCES = ("spot_check", "qc")


def open_team_work(
    *,
    today: dt.date,
    overdue_only: bool = False,
    cohort_ids: list[int] | Select[tuple[int]] | None = None,
    sources: tuple[str, ...] | None = None,
    automatic_only: bool = False,
) -> Select[tuple[Assignment]]:
    """Open assignments across the team, due soonest (most overdue) first, optionally narrowed to the
    overdue ones, to the people of some cohorts, to where they came from, or to the automatic ones."""
    stmt = (
        select(Assignment)
        .join(User, User.id == Assignment.user_id)
        .where(Assignment.closed_at.is_(None))
        .order_by(Assignment.due_on, Assignment.id)
    )
    if overdue_only:
        stmt = stmt.where(Assignment.due_on < today)
    if cohort_ids is not None:
        stmt = stmt.where(User.cohort_id.in_(cohort_ids))
    if sources is not None:
        stmt = stmt.where(Assignment.source.in_(sources))
    if automatic_only:
        stmt = stmt.where(Assignment.trigger.is_not(None))
    return stmt


def team_assignments(
    session: Session,
    *,
    today: dt.date,
    overdue_only: bool = False,
    trainer: User | None = None,
    sources: tuple[str, ...] | None = None,
    limit: int = 300,
    automatic_only: bool = False,
) -> list[Assignment]:
    """Open assignments across the team (overdue first); a trainer may narrow to their cohorts' people."""
    cohort_ids = select(Cohort.id).where(Cohort.trainer_id == trainer.id) if trainer is not None else None
    stmt = open_team_work(
        today=today,
        overdue_only=overdue_only,
        cohort_ids=cohort_ids,
        sources=sources,
        automatic_only=automatic_only,
    )
    return list(
        session.scalars(
            stmt.options(
                selectinload(Assignment.course),
                selectinload(Assignment.quiz),
                selectinload(Assignment.user),
                selectinload(Assignment.assigned_by),
            ).limit(limit)
        )
    )


def cancel(session: Session, actor: User, assignment_id: int, now: dt.datetime) -> Assignment:
    """Withdraw an open assignment (given by mistake)."""
    if not actor.has_role(*ASSIGNERS):
        raise DomainError(N_("Only trainers, QC and administrators assign work."))
    assignment = session.get(Assignment, assignment_id)
    if assignment is None:
        raise NotFound(N_("No such assignment."))
    if assignment.closed_at is None:
        assignment.closed_at, assignment.closed_how = now, "cancelled"
        audit.record(session, "assignment.cancel", actor=actor, target=assignment)
    return assignment


def close_for_attempt(session: Session, attempt: Attempt, now: dt.datetime) -> list[Assignment]:
    """A passed quiz closes the learner's open assignments of that quiz given before it was submitted."""
    if not attempt.passed:
        return []
    submitted = attempt.submitted_at or now
    closing = session.scalars(
        select(Assignment).where(
            Assignment.user_id == attempt.user_id,
            Assignment.quiz_id == attempt.quiz_id,
            Assignment.closed_at.is_(None),
            Assignment.assigned_at <= submitted,
        )
    ).all()
    for assignment in closing:
        assignment.closed_at, assignment.closed_how = now, "completed"
        assignment.closed_by_attempt_id = attempt.id
        audit.record(
            session,
            "assignment.complete",
            actor=attempt.user,
            target=assignment,
            after={"attempt": attempt.id},
        )
    return list(closing)


def open_course_assignment(session: Session, user_id: int, course_id: int) -> Assignment | None:
    """The learner's open assignment of this course, if any."""
    return session.scalars(
        select(Assignment).where(
            Assignment.user_id == user_id, Assignment.course_id == course_id, Assignment.closed_at.is_(None)
        )
    ).first()


def close_for_course(session: Session, user: User, course_id: int, now: dt.datetime) -> Assignment | None:
    """Every active lesson read since the course was assigned closes the assignment."""
    assignment = open_course_assignment(session, user.id, course_id)
    if assignment is None or assignment.items is not None:
        return None  # a "what changed" refresher closes on its own lessons (close_listed)
    lessons = session.scalar(
        select(func.count()).select_from(Lesson).where(Lesson.course_id == course_id, Lesson.active.is_(True))
    )
    read_since = session.scalar(
        select(func.count())
        .select_from(LessonCompletion)
        .join(Lesson, Lesson.id == LessonCompletion.lesson_id)
        .where(
            LessonCompletion.user_id == user.id,
            Lesson.course_id == course_id,
            Lesson.active.is_(True),
            LessonCompletion.done_at >= assignment.assigned_at,
        )
    )
    if not lessons or read_since != lessons:
        return None
    assignment.closed_at, assignment.closed_how = now, "completed"
    audit.record(session, "assignment.complete", actor=user, target=assignment, after={"course": course_id})
    return assignment


def read_since_assigned(
    user_id: int | ColumnElement[int], course_id: ColumnElement[int] | None = None
) -> ColumnElement[bool]:
    """True for a completion that no open assignment of its course asks to be read again (the
    course is the lesson's, or `course_id` when the caller knows it)."""
    return ~(
        select(Assignment.id)
        .where(
            Assignment.user_id == user_id,
            Assignment.closed_at.is_(None),
            Assignment.course_id == (Lesson.course_id if course_id is None else course_id),
            Assignment.assigned_at > LessonCompletion.done_at,
        )
        .exists()
    )


def open_listing(session: Session, user_id: int, lesson_id: int) -> list[Assignment]:
    """The learner's open refreshers that list this lesson among the items to read again."""
    return [
        a
        for a in session.scalars(
            select(Assignment).where(
                Assignment.user_id == user_id, Assignment.closed_at.is_(None), Assignment.items.is_not(None)
            )
        )
        if lesson_id in (a.items or {}).get("lessons", [])
    ]


def close_listed(session: Session, user: User, lesson_id: int, now: dt.datetime) -> list[Assignment]:
    """Close each open refresher listing this lesson once every lesson it lists was read since it was given."""
    closed = []
    for assignment in open_listing(session, user.id, lesson_id):
        wanted = set((assignment.items or {}).get("lessons", []))
        read = set(
            session.scalars(
                select(LessonCompletion.lesson_id).where(
                    LessonCompletion.user_id == user.id,
                    LessonCompletion.lesson_id.in_(wanted),
                    LessonCompletion.done_at >= assignment.assigned_at,
                )
            )
        )
        if wanted <= read:
            assignment.closed_at, assignment.closed_how = now, "completed"
            audit.record(session, "assignment.complete", actor=user, target=assignment, after={"items": True})
            closed.append(assignment)
    return closed


def acknowledge(session: Session, user: User, assignment_id: int, now: dt.datetime) -> Assignment:
    """The learner has read the changed rules and script entries of a refresher listing no lesson."""
    assignment = session.get(Assignment, assignment_id)
    if assignment is None or assignment.user_id != user.id:
        raise NotFound(N_("No such assignment."))
    if assignment.items is None or (assignment.items or {}).get("lessons"):
        raise DomainError(N_("Read the lessons listed: that completes this refresher."))
    if assignment.closed_at is None:
        assignment.closed_at, assignment.closed_how = now, "completed"
        audit.record(
            session, "assignment.complete", actor=user, target=assignment, after={"acknowledged": True}
        )
    return assignment
