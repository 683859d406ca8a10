"""One person's changes, one at a time: a lock on their users row, taken at most once per transaction.

On PostgreSQL the lock is a row lock (`SELECT … FOR UPDATE`), held to the end of the transaction;
SQLite has one writer at a time, so there is nothing to take. Whoever takes it reads what it guards
afterwards (an attempt's status, an answer's version), so two requests for the same person cannot
both act on what they read before the other's change.

The lock is remembered for the transaction (`transaction_memo`): a second request for it in the same
transaction costs nothing, and after a commit or rollback, which releases it, it is taken again.
The API's token lookup may take it in the same statement that reads the caller (`note_locked`),
which saves the request a round trip to the database.
"""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from lms.domain.transaction_memo import remember, remembered
from lms.models import User

_LOCK = select(User.id).where(User.id == bindparam("user_id")).with_for_update()


def _key(user_id: int) -> str:
    return f"person locked {user_id}"


def takes_row_locks(session: Session) -> bool:
    """Whether this database locks rows (PostgreSQL); SQLite serialises every writer instead."""
    return session.get_bind().dialect.name == "postgresql"


def lock_person(session: Session, user_id: int) -> None:
    """Hold this person's lock to the end of the transaction (a no-op on SQLite)."""
    if takes_row_locks(session):
        remembered(session, _key(user_id), lambda: session.scalar(_LOCK, {"user_id": user_id}))


def note_locked(session: Session, user_id: int) -> None:
    """The caller has just locked this person's row in this transaction by another statement."""
    remember(session, _key(user_id), user_id)
