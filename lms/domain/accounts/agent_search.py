"""Finding one agent among thousands by what staff type: part of a name or a username.

The spot-check and assignment forms named the agent from a list of every active learner (10,000
agents: a 0.5 MB page that took 0.6 s to build). They now take what staff type, and suggest the
matches as they type (`lms/web/agent_picker.py`)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from lms.models import Role, User, UserRole

#: How many matches are suggested at most.
SUGGESTIONS = 20
#: How much of what was typed is searched for.
LONGEST = 100
#: The largest id a row can have (a 32-bit integer column): a longer number names nobody, and is
#: never sent to the database (PostgreSQL refuses it as out of range).
LARGEST_ID = 2**31 - 1


@dataclass(frozen=True)
class AgentMatch:
    """A suggestion: the username to enter and the name to show."""

    id: int
    username: str
    display_name: str


def _active_learners() -> Select[tuple[int, str, str]]:
    return (
        select(User.id, User.username, User.display_name)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.LEARNER.value, User.active.is_(True))
    )


def _like(text: str) -> str:
    """A LIKE pattern for "contains `text`", its own % and _ matched as themselves."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def find_agents(session: Session, typed: str, limit: int = SUGGESTIONS) -> list[AgentMatch]:
    """Active learners whose username or name contains what was typed (any case), usernames that
    start with it first, then by name; none for an empty entry (one query)."""
    text = typed.strip()[:LONGEST].lower()
    if not text:
        return []
    pattern = _like(text)
    username, name = func.lower(User.username), func.lower(User.display_name)
    stmt = (
        _active_learners()
        .where(username.like(pattern, escape="\\") | name.like(pattern, escape="\\"))
        .order_by(~username.startswith(text, autoescape=True), User.display_name, User.id)
        .limit(limit)
    )
    return [AgentMatch(*row) for row in session.execute(stmt).tuples()]


def agent_by_entry(session: Session, entry: str) -> User | None:
    """The active learner an entry names: their username (any case), or, when no username is that,
    their id (the links that open a form for one agent carry it)."""
    text = entry.strip()[:LONGEST]
    if not text:
        return None
    found = session.execute(_active_learners().where(func.lower(User.username) == text.lower())).all()
    if len(found) > 1:  # "Wang" and "wang": only the one written exactly so
        found = [row for row in found if row[1] == text]
    if not found and text.isdecimal() and int(text) <= LARGEST_ID:
        found = session.execute(_active_learners().where(User.id == int(text))).all()
    return session.get(User, found[0][0]) if len(found) == 1 else None
