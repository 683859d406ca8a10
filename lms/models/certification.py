"""Certification: trainers' go-live sign-offs and the certificates agents earn."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
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
    revoked_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoke_reason: Mapped[str | None] = mapped_column(Text)
    #: The content the certificate was earned on: course versions, lesson and question versions,
    #: the rule book's version and rules, the script library's entries (hashes) — what changed since
    #: is what a "what changed" refresher covers.
    content_version: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    #: 1 for the first certificate, +1 at each recertification (the row is renewed in place; the
    #: earlier cycles are kept in `certificate_history`).
    cycle: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    #: When the first cycle was issued (None: `issued_at`): days live count from here.
    first_issued_at: Mapped[dt.datetime | None]
    #: When the recertification work was assigned (the new cycle's attempts count from here).
    recert_started_at: Mapped[dt.datetime | None]
    #: A missed "what changed" refresher ends validity here (sooner than the period would).
    lapses_at: Mapped[dt.datetime | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def valid(self) -> bool:
        """Not revoked (whether it has expired depends on the programme's period: see certification.validity)."""
        return self.revoked_at is None

    @property
    def live_since(self) -> dt.datetime:
        """When the holder first went live (recertification keeps it)."""
        return self.first_issued_at or self.issued_at


class CertificateHistory(Base):
    """An earlier cycle of a certificate, kept when it was renewed: its code still verifies."""

    __tablename__ = "certificate_history"

    id: Mapped[intpk]
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    code: Mapped[str] = mapped_column(String(40), unique=True)
    cycle: Mapped[int] = mapped_column(Integer)
    issued_at: Mapped[timestamp]
    renewed_at: Mapped[timestamp]
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    content_version: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    certificate: Mapped[Certificate] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
