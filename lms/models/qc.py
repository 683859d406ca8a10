"""Quality control: the spot-check checklist, spot checks of chat transcripts and their item results."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import Base, intpk, timestamp, utcnow
from lms.models.people import Store, User

CHANNELS = ("chat", "call")
OUTCOMES = ("pass", "fail", "na")


class ChecklistItem(Base):
    """One line of the QC checklist: what is checked, its points and the topics it tests."""

    __tablename__ = "checklist_items"
    __table_args__ = (CheckConstraint("points > 0 AND points <= 100", name="points_range"),)

    id: Mapped[intpk]
    key: Mapped[str] = mapped_column(String(60), unique=True)
    label: Mapped[str] = mapped_column(String(200))
    label_zh: Mapped[str | None] = mapped_column(String(200))
    points: Mapped[int] = mapped_column(Integer, default=10)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[timestamp] = mapped_column(onupdate=utcnow)


class SpotCheck(Base):
    """A QC specialist's check of one chat or call against the checklist."""

    __tablename__ = "spot_checks"
    __table_args__ = (CheckConstraint("channel IN ('chat', 'call')", name="known_channel"),)

    id: Mapped[intpk]
    agent_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    store_id: Mapped[int | None] = mapped_column(ForeignKey("stores.id", ondelete="SET NULL"))
    checker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    checked_on: Mapped[dt.date] = mapped_column(Date, index=True)
    channel: Mapped[str] = mapped_column(String(10), default="chat")
    transcript: Mapped[str] = mapped_column(Text, default="")
    score: Mapped[float] = mapped_column(default=0.0)
    max_score: Mapped[float] = mapped_column(default=0.0)
    percent: Mapped[float] = mapped_column(default=0.0)
    comment: Mapped[str] = mapped_column(Text, default="")
    # The rule-book version the transcript was read with (its hits pre-filled the checklist).
    rule_book_id: Mapped[int | None] = mapped_column(ForeignKey("rule_book_versions.id", ondelete="SET NULL"))
    created_at: Mapped[timestamp]

    agent: Mapped[User] = relationship(foreign_keys=[agent_id])
    checker: Mapped[User | None] = relationship(foreign_keys=[checker_id])
    store: Mapped[Store | None] = relationship()
    results: Mapped[list[SpotCheckResult]] = relationship(
        back_populates="spot_check", order_by="SpotCheckResult.position", cascade="all, delete-orphan"
    )

    @property
    def failed_topics(self) -> list[str]:
        """The topics of the failed items, in checklist order, each once."""
        seen: dict[str, None] = {}
        for result in self.results:
            if result.outcome == "fail":
                seen.update(dict.fromkeys(result.topics))
        return list(seen)


class SpotCheckResult(Base):
    """One checklist item's outcome in a spot check (label, points and topics kept as they were then)."""

    __tablename__ = "spot_check_results"
    __table_args__ = (CheckConstraint("outcome IN ('pass', 'fail', 'na')", name="known_outcome"),)

    id: Mapped[intpk]
    spot_check_id: Mapped[int] = mapped_column(ForeignKey("spot_checks.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("checklist_items.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    label: Mapped[str] = mapped_column(String(200))
    label_zh: Mapped[str | None] = mapped_column(String(200))
    points: Mapped[int] = mapped_column(Integer)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    outcome: Mapped[str] = mapped_column(String(4))
    note: Mapped[str] = mapped_column(Text, default="")

    spot_check: Mapped[SpotCheck] = relationship(back_populates="results")
