"""The security log: refused and suspicious requests, counted rather than stored one row each."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import Base, intpk
from lms.models.people import User

#: What is logged: a throttled request (429), a denied page (403), someone else's attempt,
#: certificate or spot check asked for (answered 404), an API token refused, a CSRF failure.
SECURITY_KINDS = ("throttled", "forbidden", "not_owner", "bad_token", "csrf")


class SecurityEvent(Base):
    """One kind of refusal, by one person or address, on one route, within one window: `count` times."""

    __tablename__ = "security_events"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('throttled', 'forbidden', 'not_owner', 'bad_token', 'csrf')", name="known_kind"
        ),
        CheckConstraint("count > 0", name="positive_count"),
        Index("ix_security_events_kind_last_at", "kind", "last_at"),
    )

    id: Mapped[intpk]
    # sha256 of kind, user, address, method, route, window (and a throttled account): repeats meet here.
    key: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # What was tried: the account a throttle protects, the last refused token's prefix.
    subject: Mapped[str] = mapped_column(String(80), default="")
    ip: Mapped[str] = mapped_column(String(64), default="", index=True)
    method: Mapped[str] = mapped_column(String(10))
    route: Mapped[str] = mapped_column(String(200))
    path: Mapped[str] = mapped_column(String(200))  # the last address asked for on that route
    window_start: Mapped[dt.datetime]
    first_at: Mapped[dt.datetime]
    last_at: Mapped[dt.datetime] = mapped_column(index=True)
    count: Mapped[int] = mapped_column(Integer, default=1)

    user: Mapped[User | None] = relationship(lazy="joined")
