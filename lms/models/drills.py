"""FAQ mastery drills: one spaced-repetition card per script-library entry per agent, its review
log, and the typing and first-response drill runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import Base, intpk, timestamp
from lms.models.content import FaqEntry
from lms.models.people import User

#: Where a review came from: the drill page, a passed exam question, a QC spot check.
SOURCES = ("drill", "exam", "qc")
#: FSRS ratings as stored (fsrs.Rating values): Again, Hard, Good (Easy is never given).
AGAIN, HARD, GOOD = 1, 2, 3
#: FSRS card states (fsrs.State values).
LEARNING, REVIEW, RELEARNING = 1, 2, 3


class DrillCard(Base):
    """An agent's memory of one script-library entry, as FSRS schedules it.

    The FSRS state is kept in columns (state, step, stability, difficulty, due, last_review) so the
    gate and the heatmap read it in SQL; `serve` counts how often the card was put in front of the
    agent, and an answer names the serve it answers (one review per card per serve).
    """

    __tablename__ = "drill_cards"
    __table_args__ = (
        UniqueConstraint("user_id", "entry_id"),
        Index("ix_drill_cards_user_due", "user_id", "due"),
    )

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    entry_id: Mapped[int] = mapped_column(ForeignKey("faq_entries.id", ondelete="CASCADE"), index=True)
    state: Mapped[int] = mapped_column(Integer, default=LEARNING)
    step: Mapped[int | None] = mapped_column(Integer, default=0)
    stability: Mapped[float | None] = mapped_column(Float)
    difficulty: Mapped[float | None] = mapped_column(Float)
    due: Mapped[dt.datetime]
    last_review: Mapped[dt.datetime | None]
    #: On how many different days the card was reviewed (the gate wants two at least).
    review_days: Mapped[int] = mapped_column(Integer, default=0)
    reps: Mapped[int] = mapped_column(Integer, default=0)
    lapses: Mapped[int] = mapped_column(Integer, default=0)
    serve: Mapped[int] = mapped_column(Integer, default=0)
    served_at: Mapped[dt.datetime | None]
    #: The serve last answered (== serve when the card waits for a new serve).
    answered_serve: Mapped[int] = mapped_column(Integer, default=0)
    #: A hint was shown during the current serve (the answer can be Hard at best).
    hinted: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[timestamp]

    user: Mapped[User] = relationship(lazy="raise")
    entry: Mapped[FaqEntry] = relationship(lazy="joined")


class DrillReview(Base):
    """One rating of one card: from the drill, an exam or QC. Append-only."""

    __tablename__ = "drill_reviews"
    __table_args__ = (
        UniqueConstraint("card_id", "serve"),
        CheckConstraint("source IN ('drill', 'exam', 'qc')", name="known_source"),
        CheckConstraint("rating BETWEEN 1 AND 4", name="rating_range"),
        Index("ix_drill_reviews_user_at", "user_id", "at"),
    )

    id: Mapped[intpk]
    card_id: Mapped[int] = mapped_column(ForeignKey("drill_cards.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(8))
    rating: Mapped[int] = mapped_column(Integer)
    at: Mapped[dt.datetime]
    #: Seconds from the serve to the answer (None for exam and QC reviews).
    seconds: Mapped[float | None] = mapped_column(Float)
    #: The drill serve answered (None for exam and QC reviews, which need no serve).
    serve: Mapped[int | None] = mapped_column(Integer)
    answer: Mapped[str | None] = mapped_column(Text)
    #: Why this rating: reason codes and the grading's details, shown after answering.
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    stability: Mapped[float | None] = mapped_column(Float)

    card: Mapped[DrillCard] = relationship(lazy="raise")


class TypingRun(Base):
    """One typing-drill run: an agent copies a script-library answer; speed in characters a minute."""

    __tablename__ = "typing_runs"
    __table_args__ = (Index("ix_typing_runs_user_at", "user_id", "finished_at"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("faq_entries.id", ondelete="SET NULL"))
    started_at: Mapped[dt.datetime]
    finished_at: Mapped[dt.datetime | None]
    characters: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    cpm: Mapped[float | None] = mapped_column(Float)
    accuracy: Mapped[float | None] = mapped_column(Float)


class FirstResponseRun(Base):
    """One opening message served in the first-response drill, timed by the server."""

    __tablename__ = "first_response_runs"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("faq_entries.id", ondelete="SET NULL"))
    served_at: Mapped[dt.datetime]
    answered_at: Mapped[dt.datetime | None]
    answer: Mapped[str | None] = mapped_column(Text)
    seconds: Mapped[float | None] = mapped_column(Float)
    fitting: Mapped[bool | None]
    passed: Mapped[bool | None]


class FocusDrill(Base):
    """A trainer asked an agent to drill one FAQ topic (tag) first."""

    __tablename__ = "focus_drills"
    __table_args__ = (UniqueConstraint("user_id", "topic"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    topic: Mapped[str] = mapped_column(String(40))
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    assigned_at: Mapped[timestamp]
