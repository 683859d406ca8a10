"""The staff desk's shape, and what it says about people: who has no role, which agents have no store,
which cohorts a trainer's desk covers, and the security log's latest entries (once that log exists).

Every desk item is a `Shortlist`: how many there are, and the first few, most urgent first. Each item
is one function taking a Session, in a fixed number of queries however large the team (the areas'
desk modules follow the same pattern: assignments, learning, certification, qc, kpi).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, Table, and_, exists, func, select
from sqlalchemy.orm import Session, joinedload, lazyload

from lms.db import Base
from lms.models import Cohort, Role, User, UserRole, UserStore

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


#: The security log of issue 13 (throttled sign-ins, denied access, token and CSRF failures). Until a
#: model with this table is registered, the desk has no security section at all.
SECURITY_LOG_TABLE = "security_events"
_WHEN = ("last_at", "last_seen_at", "at", "created_at", "first_at")
_WHAT = ("kind", "event", "action", "what")
_WHO = ("username", "ip", "address", "who")


@dataclass
class SecurityEntry:
    """One line of the security log as the desk shows it: what happened, to or from whom, how often, when."""

    what: str
    who: str
    count: int
    when: dt.datetime | None


def security_log_table() -> Table | None:
    """The security log's table, once a model defines it (None before: the desk leaves the section out)."""
    return Base.metadata.tables.get(SECURITY_LOG_TABLE)


def _column(table: Table, names: tuple[str, ...]) -> Any:
    return next((table.c[name] for name in names if name in table.c), None)


def latest_security_events(session: Session, limit: int = SHORTLIST) -> Shortlist[SecurityEntry] | None:
    """The latest entries of the security log (two queries), or None while there is no security log.

    The log's columns are read by their usual names (when: last_at/at/created_at; what: kind/event/
    action; who: username/ip; repeats: count), so the section works with the log as it lands."""
    table = security_log_table()
    if table is None:
        return None
    when, what, who = _column(table, _WHEN), _column(table, _WHAT), _column(table, _WHO)
    repeats = _column(table, ("count", "repeats"))
    total = int(session.scalar(select(func.count()).select_from(table)) or 0)
    order = [when.desc()] if when is not None else []
    order += [c.desc() for c in table.primary_key.columns]
    rows = session.execute(select(table).order_by(*order).limit(limit)).mappings().all() if total else []
    entries = [
        SecurityEntry(
            str(row[what.key]) if what is not None else "",
            str(row[who.key] or "") if who is not None else "",
            int(row[repeats.key] or 1) if repeats is not None else 1,
            _aware(row[when.key]) if when is not None else None,
        )
        for row in rows
    ]
    return Shortlist(total, entries)


def _aware(value: object) -> dt.datetime | None:
    """A timestamp as an aware UTC datetime (SQLite hands back naive ones through a plain Table)."""
    if not isinstance(value, dt.datetime):
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
