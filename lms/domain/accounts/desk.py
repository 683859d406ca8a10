"""The staff desk's shape, and what it says about people: who has no role, which agents have no store,
which cohorts a trainer's desk covers, and the security log's latest lines.

Every desk item is a `Shortlist`: how many there are, and the first few, most urgent first. Each item
is one function taking a Session, in a fixed number of queries however large the team (the areas'
desk modules follow the same pattern: assignments, learning, certification, qc, kpi).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from sqlalchemy import ColumnElement, Select, and_, exists, func, select
from sqlalchemy.orm import Session, joinedload, lazyload

from lms.domain.accounts.security_log import SecurityFilter, filtered
from lms.models import Cohort, Role, SecurityEvent, User, UserRole, UserStore

T = TypeVar("T")

#: How many of each item the desk lists; the count says how many there are in all.
SHORTLIST = 5


@dataclass
class Shortlist(Generic[T]):
    """A desk item: how many there are, and the first few (most urgent first)."""

    count: int = 0
    first: list[T] = field(default_factory=list)

    @property
    def more(self) -> int:
        """How many are not in the short list."""
        return max(0, self.count - len(self.first))


def shortlist(session: Session, stmt: Select[tuple[T]], limit: int = SHORTLIST) -> Shortlist[T]:
    """Count the rows of `stmt` and fetch its first `limit` (two queries, the second skipped when empty)."""
    count = int(session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0)
    first = list(session.scalars(stmt.limit(limit))) if count else []
    return Shortlist(count, first)


def people(stmt: Select[tuple[User]]) -> Select[tuple[User]]:
    """A select of users without the role rows' select-in load (a query per 500 people otherwise)."""
    return stmt.options(lazyload(User.role_rows))


def holds_no_role() -> ColumnElement[bool]:
    """The person holds no role at all: they can sign in and see nothing."""
    return ~exists().where(UserRole.user_id == User.id)


def agent_without_store() -> ColumnElement[bool]:
    """The person learns or works the chats (the learner role) and is linked to no store."""
    return and_(
        User.id.in_(select(UserRole.user_id).where(UserRole.role == Role.LEARNER.value)),
        ~exists().where(UserStore.user_id == User.id),
    )


def without_role(session: Session, limit: int = SHORTLIST) -> Shortlist[User]:
    """Active people who hold no role, newest first."""
    return shortlist(
        session,
        people(
            select(User)
            .where(User.active.is_(True), holds_no_role())
            .order_by(User.created_at.desc(), User.id.desc())
        ),
        limit,
    )


def agents_without_store(session: Session, limit: int = SHORTLIST) -> Shortlist[User]:
    """Active learners and agents not linked to any store (no KPI, no store to check), newest first."""
    return shortlist(
        session,
        people(
            select(User)
            .where(User.active.is_(True), agent_without_store())
            .order_by(User.created_at.desc(), User.id.desc())
        ),
        limit,
    )


@dataclass
class TrainerScope:
    """The cohorts a trainer's desk covers: those they lead, or every cohort when they lead none."""

    cohorts: list[Cohort]
    led: bool

    @property
    def ids(self) -> list[int]:
        return [c.id for c in self.cohorts]

    def members(self) -> Select[tuple[int]]:
        """The active people of these cohorts, as a select of ids (for `IN (...)`)."""
        return select(User.id).where(User.cohort_id.in_(self.ids), User.active.is_(True))


def trainer_scope(session: Session, trainer: User) -> TrainerScope:
    """The cohorts `trainer` leads, newest first; every cohort when they lead none (one or two queries)."""
    stmt = select(Cohort).options(joinedload(Cohort.trainer).lazyload(User.role_rows))
    led = list(
        session.scalars(stmt.where(Cohort.trainer_id == trainer.id).order_by(Cohort.start_date.desc()))
    )
    if led:
        return TrainerScope(led, True)
    return TrainerScope(list(session.scalars(stmt.order_by(Cohort.start_date.desc()))), False)


#: The desk's security item looks back this far: what was refused since yesterday morning's coffee.
SECURITY_HOURS = 24


def latest_security_events(
    session: Session, now: dt.datetime, limit: int = SHORTLIST
) -> Shortlist[SecurityEvent]:
    """Lines of the security log with a refusal in the last 24 hours, latest first (the log page's
    order; each line already counts its repeats)."""
    stmt = (
        filtered(SecurityFilter())
        .where(SecurityEvent.last_at >= now - dt.timedelta(hours=SECURITY_HOURS))
        .options(joinedload(SecurityEvent.user).lazyload(User.role_rows))
    )
    return shortlist(session, stmt, limit)
