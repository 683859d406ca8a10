"""A user's role names as one value beside their row, for the statements that sign a user in."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.selectable import ScalarSelect

from lms.models import UserRole


def role_names_of(user_id: ColumnElement[int] | InstrumentedAttribute[int]) -> ScalarSelect[str]:
    """The user's role names, comma-separated (NULL for none): what `User.keep_role_names` keeps.

    Read this way, the signed-in user's row needs no eager load of its role rows: the statement
    returns one row instead of one per role, and the ORM builds one object instead of three or four.
    """
    return (
        select(func.aggregate_strings(UserRole.role, ","))
        .where(UserRole.user_id == user_id)
        .scalar_subquery()
    )
