"""The signed-in person's row read as plain columns and made the session's `User`.

Every request signs someone in from a session cookie or an API token, and reading their row through
the ORM cost about 55 µs of a request's CPU, most of it the ORM's set-up around one row (its result
processors, built again for every statement, and its loading context), not the row: the same read of
plain columns on the session's connection costs 67 µs where the ORM's took 122 µs, and making the
`User` from it 25 µs more (measured in process on SQLite, with the session's begin and end).

`user_in_session` makes the instance the ORM would have (`lms.mapped_rows`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from lms.mapped_rows import MappedRows
from lms.models import User

_USERS = MappedRows(User)
#: The user's columns in the order `user_in_session` reads them: select these first.
USER_COLUMNS = _USERS.columns
#: How many values of a row are the user's (what follows is the statement's own).
N_USER_COLUMNS = len(USER_COLUMNS)


def user_in_session(session: Session, row: Sequence[Any], *, refresh: bool = False) -> User:
    """The `User` whose columns open `row` (`USER_COLUMNS`), persistent in `session`; `refresh`: one
    already there takes the row's values (as `populate_existing` would: a row read under a lock)."""
    return _USERS.make(session, row, refresh=refresh)
