"""Facts read once per database transaction, however many domain functions ask for them.

A page asks several areas for the same row (the Today page read the programme six times: the
schedule, the go-live rules, the tier ladder and the tier names each loaded it). `remembered` keeps
what one load returned in the session until the transaction ends — commit, rollback or close — so
a later transaction, which may see newer data, always loads again. Nothing is remembered when the
load finds nothing, so a row created later in the same transaction is found.

A page may also hand a fact it read to the functions that need it: those take it as an argument
defaulting to UNREAD (not read yet, as opposed to read and found missing, None) and read it
themselves only then.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

T = TypeVar("T")
_KEY = "lms.transaction_memo"


class Unread(enum.Enum):
    """The type of UNREAD (one value, so a type checker narrows `x is UNREAD`)."""

    TOKEN = 0


#: A fact the caller has not read (None would say it read it and found nothing).
UNREAD = Unread.TOKEN


def remembered(session: Session, key: str, load: Callable[[], T | None]) -> T | None:
    """What `load()` returns, loaded at most once in the session's current transaction."""
    memo: dict[str, Any] = session.info.setdefault(_KEY, {})
    if key in memo:
        return memo[key]
    value = load()
    if value is not None:
        memo[key] = value
    return value


def recalled(session: Session, key: str) -> Any:
    """What is kept under this key in the current transaction, without loading (None: nothing)."""
    memo: dict[str, Any] | None = session.info.get(_KEY)
    return memo.get(key) if memo is not None else None


def remember(session: Session, key: str, value: object) -> None:
    """Keep a value found on the way for the rest of the transaction (a later `remembered` with
    the same key returns it instead of loading)."""
    session.info.setdefault(_KEY, {})[key] = value


def forget(session: Session, key: str) -> None:
    """Drop a kept value the transaction has just made wrong (the next `remembered` loads again)."""
    memo: dict[str, Any] | None = session.info.get(_KEY)
    if memo is not None:
        memo.pop(key, None)


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, _transaction: SessionTransaction) -> None:
    session.info.pop(_KEY, None)
