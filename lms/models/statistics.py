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
