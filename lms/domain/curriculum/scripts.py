"""The script library (话术库) as agents read it: the active FAQ entries, optionally searched."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from lms.models import FaqEntry

#: The longest search accepted (a word or two; longer input is cut).
MAX_QUERY = 100


def script_library(session: Session, query: str = "") -> list[FaqEntry]:
    """Active entries in file order; with a query, those whose question, answer or phrasings hold it."""
    statement = select(FaqEntry).where(FaqEntry.active.is_(True)).order_by(FaqEntry.position, FaqEntry.id)
    words = query.strip()[:MAX_QUERY]
    if words:
        escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        like = f"%{escaped}%"
        statement = statement.where(
            or_(
                FaqEntry.question.ilike(like, escape="\\"),
                FaqEntry.answer.ilike(like, escape="\\"),
                FaqEntry.key.ilike(like, escape="\\"),
            )
        )
    return list(session.scalars(statement))
