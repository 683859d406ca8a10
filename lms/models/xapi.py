"""The xAPI outbox: learning records waiting to be sent to the company's learning record store."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import Base, intpk, timestamp
from lms.models.people import User


class XapiStatement(Base):
    """One xAPI statement: stored when the learning happens, sent later by `lms jobs run`, once.

    `statement_id` is the statement's own id (a uuid5 of what happened), unique here and in the
    store, so recording or sending twice never makes a second statement.
    """

    __tablename__ = "xapi_statements"
    __table_args__ = (Index("ix_xapi_statements_pending", "sent_at", "next_try_at"),)

    id: Mapped[intpk]
    statement_id: Mapped[str] = mapped_column(String(36), unique=True)
    #: lesson-completed, answered, passed, failed, certificate-earned
    kind: Mapped[str] = mapped_column(String(30))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    statement: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[timestamp]
    sent_at: Mapped[dt.datetime | None]
    tries: Mapped[int] = mapped_column(Integer, default=0)
    next_try_at: Mapped[dt.datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User | None] = relationship()
