"""Learning: lessons marked done, quiz attempts and their items, personal API tokens."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import Base, PartialIndexKey, intpk, timestamp
from lms.models.content import Lesson, QuestionVersion, Quiz
from lms.models.people import User


class LessonCompletion(Base):
    """A learner marked a lesson done, on a given version of its course."""

    __tablename__ = "lesson_completions"
    __table_args__ = (UniqueConstraint("user_id", "lesson_id"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id", ondelete="CASCADE"), index=True)
    course_version: Mapped[str] = mapped_column(String(20))
    done_at: Mapped[timestamp]

    lesson: Mapped[Lesson] = relationship()


IN_PROGRESS = "in_progress"
SUBMITTED = "submitted"  # waiting for a trainer to grade essays or replies
GRADED = "graded"


class Attempt(Base):
    """One try at a quiz: the questions drawn, the answers saved, the grade."""

    __tablename__ = "attempts"
    __table_args__ = (
        UniqueConstraint("user_id", "quiz_id", "number"),
        # At most one attempt in progress per learner and quiz, whatever races.
        Index(
            "uq_attempts_one_open",
            "user_id",
            "quiz_id",
            unique=True,
            sqlite_where=text("status = 'in_progress'"),
            postgresql_where=text("status = 'in_progress'"),
        ),
        CheckConstraint("status IN ('in_progress', 'submitted', 'graded')", name="known_status"),
        # A quiz's graded attempts and the newest grading time without reading the rows (the
        # statistics report's fingerprint, on every view).
        Index("ix_attempts_quiz_status_graded_at", "quiz_id", "status", "graded_at"),
    )

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(PartialIndexKey(20), default=IN_PROGRESS)
    started_at: Mapped[timestamp]
    deadline: Mapped[dt.datetime | None]
    submitted_at: Mapped[dt.datetime | None]
    graded_at: Mapped[dt.datetime | None]
    score: Mapped[float | None]
    max_score: Mapped[float | None]
    percent: Mapped[float | None]
    passed: Mapped[bool | None] = mapped_column(Boolean)
    seed: Mapped[int] = mapped_column(Integer, default=0)
    # The rule-book version the attempt was graded with (replies are checked against it).
    rule_book_id: Mapped[int | None] = mapped_column(ForeignKey("rule_book_versions.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship()
    quiz: Mapped[Quiz] = relationship()
    items: Mapped[list[AttemptItem]] = relationship(
        back_populates="attempt", order_by="AttemptItem.position", cascade="all, delete-orphan"
    )


class AttemptItem(Base):
    """One question of an attempt: the exact version given, the display order, the answer."""

    __tablename__ = "attempt_items"
    __table_args__ = (
        UniqueConstraint("attempt_id", "position"),
        # The grading queue: the few answers waiting for a trainer among every answer ever given
        # (50,000 attempts: 700,000 items, scanned on every view of the staff desk without it).
        Index(
            "ix_attempt_items_waiting",
            "attempt_id",
            sqlite_where=text("needs_review IS 1"),
            postgresql_where=text("needs_review IS true"),
        ),
    )

    id: Mapped[intpk]
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    question_key: Mapped[str] = mapped_column(String(80))
    question_version_id: Mapped[int] = mapped_column(ForeignKey("question_versions.id"))
    display: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    served_at: Mapped[dt.datetime | None]
    response: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Goes up by one with every save: a page or client saving against an older one is refused.
    response_version: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    saved_at: Mapped[dt.datetime | None]
    elapsed_seconds: Mapped[float | None]
    score: Mapped[float | None]
    max_score: Mapped[float] = mapped_column(default=1.0)
    feedback: Mapped[list[str] | None] = mapped_column(JSON)
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    grader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    grader_comment: Mapped[str | None] = mapped_column(Text)
    graded_at: Mapped[dt.datetime | None]

    attempt: Mapped[Attempt] = relationship(back_populates="items")
    version: Mapped[QuestionVersion] = relationship(lazy="joined")


class ApiToken(Base):
    """A personal access token for the JSON API; only its hash is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    scope: Mapped[str] = mapped_column(String(10), default="learner")
    created_at: Mapped[timestamp]
    last_used_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]

    user: Mapped[User] = relationship()
