"""Certification: trainers' go-live sign-offs and the certificates agents earn."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import Base, intpk, timestamp
from lms.models.people import User

GO_LIVE = "go-live"


class GoLiveSignoff(Base):
    """A trainer's word that a new hire is ready for live chats."""

    __tablename__ = "go_live_signoffs"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    trainer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    comment: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[timestamp]

    trainer: Mapped[User | None] = relationship(foreign_keys=[trainer_id])


class Certificate(Base):
    """A certificate (go-live, later tiers); one per person and kind, verifiable by its code."""

    __tablename__ = "certificates"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    code: Mapped[str] = mapped_column(String(40), unique=True)
    issued_at: Mapped[timestamp]
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    revoked_at: Mapped[dt.datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoke_reason: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def valid(self) -> bool:
        return self.revoked_at is None
