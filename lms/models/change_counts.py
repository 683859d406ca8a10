"""Counters that database triggers move whenever a group of tables changes: what the caches kept per
process (the programme's plan, the leaderboard's floor) read as their fingerprint."""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import Base

#: The programme, its courses, lessons, quizzes and practice-chat scenarios (any change).
PLAN = "plan"
#: Certificates, tier steps, KPI records, and people added, removed, switched on or off.
FLOOR = "floor"


class ChangeCount(Base):
    """How many writes a topic's tables have had (migration 0020 keeps it: row triggers on SQLite,
    statement triggers on PostgreSQL, in the writing transaction).

    One key lookup, where the fingerprints it replaces counted rows and read the newest change of
    five tables each view (on PostgreSQL a count is a scan: 2.7 ms for the leaderboard's). A
    writer holds the counter's row until it commits, so a cache filled after one commit sees the
    next; a table belongs to one topic only, so two writers never wait on each other's counters
    in opposite orders."""

    __tablename__ = "change_counts"

    topic: Mapped[str] = mapped_column(String(20), primary_key=True)
    changes: Mapped[int] = mapped_column(Integer, default=0)
