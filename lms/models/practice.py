"""Practice chats (陪练): scenarios and their immutable versions, runs and their turns."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import Base, PartialIndexKey, intpk, timestamp, utcnow
from lms.models.content import Course
from lms.models.people import User

HASH = String(64)
ACTIVE, FINISHED, ABANDONED = "active", "finished", "abandoned"
MEDALS = ("bronze", "silver", "gold")


class Scenario(Base):
    """A practice chat's stable identity; its content lives in immutable versions.

    `source` is "file" (courses/<course>/scenarios/<slug>.toml, made by `lms content sync`) or
    "browser" (authored by a trainer; sync never touches it).
    """

    __tablename__ = "scenarios"

    id: Mapped[intpk]
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str | None] = mapped_column(String(200))
    published: Mapped[bool] = mapped_column(Boolean, default=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    source: Mapped[str] = mapped_column(String(10), default="file")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("scenario_versions.id", use_alter=True, ondelete="SET NULL")
    )
    created_at: Mapped[timestamp]
    updated_at: Mapped[timestamp] = mapped_column(onupdate=utcnow)

    course: Mapped[Course | None] = relationship()
    current_version: Mapped[ScenarioVersion | None] = relationship(
        foreign_keys=[current_version_id], post_update=True
    )


class ScenarioVersion(Base):
    """One immutable version of a scenario (its whole spec as JSON); runs keep the version they played."""

    __tablename__ = "scenario_versions"
    __table_args__ = (UniqueConstraint("scenario_id", "number"),)

    id: Mapped[intpk]
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    version_text: Mapped[str] = mapped_column(String(20), default="1.0")
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: The file as written (exported back verbatim, and what the browser form edits).
    source_text: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(HASH)
    created_at: Mapped[timestamp]

    scenario: Mapped[Scenario] = relationship(foreign_keys=[scenario_id])


class PracticeRun(Base):
    """One learner playing one scenario version, from the opening line to an end (or abandoned).

    `official` runs (a requirement or an assignment) are shown to trainers; practice runs are the
    learner's own. `preview` runs are a trainer trying a draft and count nowhere.
    """

    __tablename__ = "practice_runs"
    __table_args__ = (
        CheckConstraint("status IN ('active', 'finished', 'abandoned')", name="known_status"),
        # At most one run in play per learner and scenario, whatever races (a reload resumes it).
        Index(
            "uq_practice_runs_one_active",
            "user_id",
            "scenario_id",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
    )

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("scenario_versions.id", ondelete="CASCADE"))
    rule_book_id: Mapped[int | None] = mapped_column(ForeignKey("rule_book_versions.id", ondelete="SET NULL"))
    official: Mapped[bool] = mapped_column(Boolean, default=False)
    preview: Mapped[bool] = mapped_column(Boolean, default=False)
    seed: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(PartialIndexKey(10), default=ACTIVE)
    #: The node waiting for the learner's reply (None once the run ended).
    node_id: Mapped[str | None] = mapped_column(String(40))
    turn_count: Mapped[int] = mapped_column(Integer, default=0)
    outcome: Mapped[str | None] = mapped_column(String(20))
    score: Mapped[int | None] = mapped_column(Integer)
    medal: Mapped[str | None] = mapped_column(String(10))
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    started_at: Mapped[timestamp]
    ended_at: Mapped[dt.datetime | None]

    user: Mapped[User] = relationship()
    scenario: Mapped[Scenario] = relationship()
    version: Mapped[ScenarioVersion] = relationship()
    turns: Mapped[list[PracticeTurn]] = relationship(
        back_populates="run", order_by="PracticeTurn.number", cascade="all, delete-orphan"
    )


class PracticeTurn(Base):
    """One exchange: the shopper's line (stamped) and the learner's reply (stamped), scored with reasons.

    A turn row is made when the shopper speaks; the reply fills it exactly once (a reply is written
    only where none is yet, so parallel posts make one reply). The closing line of an end node is a
    `final` turn without a reply.
    """

    __tablename__ = "practice_turns"
    __table_args__ = (UniqueConstraint("run_id", "number"),)

    id: Mapped[intpk]
    run_id: Mapped[int] = mapped_column(ForeignKey("practice_runs.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    node_id: Mapped[str] = mapped_column(String(40))
    phrasing: Mapped[int] = mapped_column(Integer, default=0)
    shopper_text: Mapped[str] = mapped_column(Text)
    #: When the shopper's line appears (the server's clock, after the typing delay).
    shopper_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    final: Mapped[bool] = mapped_column(Boolean, default=False)
    reply_text: Mapped[str | None] = mapped_column(Text)
    reply_at: Mapped[dt.datetime | None]
    seconds: Mapped[float | None] = mapped_column(Float)
    score: Mapped[int | None] = mapped_column(Integer)
    failed: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Why: key points met and missed, rule hits with hints, time, the branch taken.
    reasons: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    next_node_id: Mapped[str | None] = mapped_column(String(40))

    run: Mapped[PracticeRun] = relationship(back_populates="turns")
