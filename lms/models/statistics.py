"""Question statistics kept between views: the sums of one block of a quiz's graded attempts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import Base, UTCDateTime, intpk


class StatisticsBlock(Base):
    """The sums the report needs over the graded attempts of one quiz whose ids fall in one block.

    A block is right while its fingerprint holds: how many of its attempts are graded, the newest
    grading time among them (grading and regrading set it; attempts are never deleted) and the
    quiz's questions. A report adds its blocks up and recomputes only the blocks whose fingerprint
    moved, so a new grading costs one block's attempts, not the quiz's."""

    __tablename__ = "statistics_blocks"
    __table_args__ = (UniqueConstraint("quiz_id", "block"),)

    id: Mapped[intpk]
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"))
    block: Mapped[int] = mapped_column(Integer)
    attempts: Mapped[int] = mapped_column(Integer)
    graded_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    questions: Mapped[str] = mapped_column(String(200))
    sums: Mapped[dict[str, Any]] = mapped_column(JSON)


class QuizGradings(Base):
    """How many times a quiz's graded attempts have changed: kept by database triggers (migration
    0019) on every insert, update of status, grading time, score or quiz, and delete of an attempt that is or
    was graded, in the same transaction as the change. One row per quiz that has ever had a grading.

    The question statistics read it as their fingerprint: one key lookup, where counting a quiz's
    graded attempts read 50,000 index entries. On PostgreSQL the counter's row lock orders concurrent
    gradings of one quiz, so a report kept after one commit sees the next."""

    __tablename__ = "quiz_gradings"

    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"), primary_key=True)
    changes: Mapped[int] = mapped_column(Integer, default=0)
