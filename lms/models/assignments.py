"""Assignments (a course or quiz someone must complete by a date) and the in-app notices about them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import Base, intpk, timestamp
from lms.models.content import Course, CourseRevision, Quiz
from lms.models.people import User
from lms.models.practice import Scenario

SOURCES = ("spot_check", "revision", "trainer", "qc")
#: Exactly one piece of work: a course, a quiz or a practice-chat scenario.
ONE_WORK = (
    "(CASE WHEN course_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN quiz_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN scenario_id IS NULL THEN 0 ELSE 1 END) = 1"
)
#: What made an automatic assignment (None: a person, or a course's major revision as before).
TRIGGERS = ("recert", "changed", "kpi", "qc_repeat", "calendar")


class Assignment(Base):
    """A course or a quiz one person must complete by a date, with a reason and where it came from."""

    __tablename__ = "assignments"
    __table_args__ = (
        CheckConstraint(ONE_WORK, name="one_work"),
        CheckConstraint("source IN ('spot_check', 'revision', 'trainer', 'qc')", name="known_source"),
        # Never two open assignments of the same work to the same person, whatever races.
        Index(
            "uq_assignments_open_course",
            "user_id",
            "course_id",
            unique=True,
            sqlite_where=text("closed_at IS NULL AND course_id IS NOT NULL"),
            postgresql_where=text("closed_at IS NULL AND course_id IS NOT NULL"),
        ),
        Index(
            "uq_assignments_open_quiz",
            "user_id",
            "quiz_id",
            unique=True,
            sqlite_where=text("closed_at IS NULL AND quiz_id IS NOT NULL"),
            postgresql_where=text("closed_at IS NULL AND quiz_id IS NOT NULL"),
        ),
        Index(
            "uq_assignments_open_scenario",
            "user_id",
            "scenario_id",
            unique=True,
            sqlite_where=text("closed_at IS NULL AND scenario_id IS NOT NULL"),
            postgresql_where=text("closed_at IS NULL AND scenario_id IS NOT NULL"),
        ),
    )

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    quiz_id: Mapped[int | None] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"), index=True)
    scenario_id: Mapped[int | None] = mapped_column(
        ForeignKey("scenarios.id", ondelete="CASCADE"), index=True
    )
    #: For a scenario: the medal a run must earn (bronze, silver, gold).
    medal: Mapped[str | None] = mapped_column(String(10))
    due_on: Mapped[dt.date] = mapped_column(Date, index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(12))
    spot_check_id: Mapped[int | None] = mapped_column(ForeignKey("spot_checks.id", ondelete="SET NULL"))
    revision_id: Mapped[int | None] = mapped_column(ForeignKey("course_revisions.id", ondelete="SET NULL"))
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    assigned_at: Mapped[timestamp]
    closed_at: Mapped[dt.datetime | None]
    # completed | cancelled
    closed_how: Mapped[str | None] = mapped_column(String(10))
    closed_by_attempt_id: Mapped[int | None] = mapped_column(ForeignKey("attempts.id", ondelete="SET NULL"))
    closed_by_run_id: Mapped[int | None] = mapped_column(ForeignKey("practice_runs.id", ondelete="SET NULL"))
    #: recert | changed | kpi | qc_repeat | calendar for work the system assigned on its own.
    trigger: Mapped[str | None] = mapped_column(String(12), index=True)
    #: Why, in numbers (the KPI months, the failed spot checks, the changed rules…).
    evidence: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    #: Only these lessons need reading again (a "what changed" refresher), None: the whole course.
    items: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    assigned_by: Mapped[User | None] = relationship(foreign_keys=[assigned_by_id])
    course: Mapped[Course | None] = relationship()
    quiz: Mapped[Quiz | None] = relationship()
    scenario: Mapped[Scenario | None] = relationship()
    revision: Mapped[CourseRevision | None] = relationship()

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def is_overdue(self, today: dt.date) -> bool:
        """Open and past its due date."""
        return self.closed_at is None and self.due_on < today

    @property
    def title(self) -> str:
        """The work's title (course or quiz)."""
        work = self.course or self.quiz or self.scenario
        return work.title if work is not None else ""


class Notification(Base):
    """An in-app notice (and its email, when mail is configured); reminders exist once per assignment and kind."""

    __tablename__ = "notifications"
    __table_args__ = (UniqueConstraint("assignment_id", "kind"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # assigned | due_soon | overdue
    kind: Mapped[str] = mapped_column(String(20))
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[timestamp]
    read_at: Mapped[dt.datetime | None]
    # none (no address or no mail server) | pending | sent | failed
    email_status: Mapped[str] = mapped_column(String(10), default="none")
    email_attempts: Mapped[int] = mapped_column(Integer, default=0)
    emailed_at: Mapped[dt.datetime | None]

    user: Mapped[User] = relationship()
    assignment: Mapped[Assignment | None] = relationship()


class AutoClaim(Base):
    """One automatic action taken once (a recertification, a reminder, a refresher per dip or period):
    its key is inserted with ON CONFLICT DO NOTHING, so parallel `lms jobs run` never act twice."""

    __tablename__ = "auto_claims"

    id: Mapped[intpk]
    key: Mapped[str] = mapped_column(String(200), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignments.id", ondelete="SET NULL"))
    at: Mapped[timestamp]
