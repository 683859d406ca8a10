"""The curriculum in the database: programme, courses and lessons, quizzes and versioned questions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import Base, intpk, timestamp, utcnow

HASH = String(64)


class Programme(Base):
    """The onboarding programme (days, go-live rules, tier ladder) as loaded from program.toml."""

    __tablename__ = "programmes"

    id: Mapped[intpk]
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str | None] = mapped_column(String(200))
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(HASH)
    updated_at: Mapped[timestamp] = mapped_column(onupdate=utcnow)


class Course(Base):
    """A course: ordered lessons, a version, topics."""

    __tablename__ = "courses"

    id: Mapped[intpk]
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    #: Chinese (the teaching language); the *_en columns hold the English, None when not written.
    title: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str | None] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    summary_en: Mapped[str | None] = mapped_column(Text)
    version_major: Mapped[int] = mapped_column(Integer, default=1)
    version_minor: Mapped[int] = mapped_column(Integer, default=0)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    refresher_on_major: Mapped[bool] = mapped_column(Boolean, default=False)
    published: Mapped[bool] = mapped_column(Boolean, default=True)
    content_hash: Mapped[str] = mapped_column(HASH, default="")
    created_at: Mapped[timestamp]
    updated_at: Mapped[timestamp] = mapped_column(onupdate=utcnow)

    lessons: Mapped[list[Lesson]] = relationship(
        back_populates="course", order_by="Lesson.position", cascade="all, delete-orphan"
    )
    quizzes: Mapped[list[Quiz]] = relationship(back_populates="course", order_by="Quiz.slug")

    @property
    def version(self) -> str:
        """MAJOR.MINOR."""
        return f"{self.version_major}.{self.version_minor}"


class Lesson(Base):
    """One Markdown lesson of a course, scheduled on a programme day."""

    __tablename__ = "lessons"
    __table_args__ = (UniqueConstraint("course_id", "slug"),)

    id: Mapped[intpk]
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str | None] = mapped_column(String(200))
    day: Mapped[int | None] = mapped_column(Integer)
    minutes: Mapped[int] = mapped_column(Integer, default=0)
    position: Mapped[int] = mapped_column(Integer, default=0)
    body: Mapped[str] = mapped_column(Text, default="")
    #: The English version (the NN-name.en.md file), None when not written.
    body_en: Mapped[str | None] = mapped_column(Text)
    # Lessons removed from the course file stay for history but are no longer shown.
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    content_hash: Mapped[str] = mapped_column(HASH, default="")
    updated_at: Mapped[timestamp] = mapped_column(onupdate=utcnow)

    course: Mapped[Course] = relationship(back_populates="lessons")


class CourseRevision(Base):
    """A course's version changed; a major change may trigger refresher training."""

    __tablename__ = "course_revisions"

    id: Mapped[intpk]
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    from_version: Mapped[str | None] = mapped_column(String(20))
    to_version: Mapped[str] = mapped_column(String(20))
    major: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[timestamp]
    # Set once the refresher assignments for this revision have been made (refresher issue).
    handled_at: Mapped[dt.datetime | None]

    course: Mapped[Course] = relationship()


class Quiz(Base):
    """A quiz: settings and its questions."""

    __tablename__ = "quizzes"

    id: Mapped[intpk]
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str | None] = mapped_column(String(200))
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="SET NULL"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str | None] = mapped_column(Text)
    pass_percent: Mapped[int] = mapped_column(Integer, default=80)
    max_attempts: Mapped[int] = mapped_column(Integer, default=0)
    cooldown_minutes: Mapped[int] = mapped_column(Integer, default=0)
    time_limit_minutes: Mapped[int] = mapped_column(Integer, default=0)
    grading: Mapped[str] = mapped_column(String(10), default="highest")
    shuffle: Mapped[bool] = mapped_column(Boolean, default=False)
    review: Mapped[str] = mapped_column(String(20), default="after_submit")
    gates: Mapped[list[str]] = mapped_column(JSON, default=list)
    draw: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    published: Mapped[bool] = mapped_column(Boolean, default=True)
    source_format: Mapped[str] = mapped_column(String(10), default="toml")
    content_hash: Mapped[str] = mapped_column(HASH, default="")
    created_at: Mapped[timestamp]
    updated_at: Mapped[timestamp] = mapped_column(onupdate=utcnow)

    course: Mapped[Course | None] = relationship(back_populates="quizzes")
    questions: Mapped[list[Question]] = relationship(
        back_populates="quiz", order_by="Question.position", cascade="all, delete-orphan"
    )


class Question(Base):
    """A question's stable identity inside a quiz; its content lives in immutable versions."""

    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("quiz_id", "key"),)

    id: Mapped[intpk]
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("question_versions.id", use_alter=True, ondelete="SET NULL")
    )

    quiz: Mapped[Quiz] = relationship(back_populates="questions")
    current_version: Mapped[QuestionVersion | None] = relationship(
        foreign_keys=[current_version_id], post_update=True
    )
    versions: Mapped[list[QuestionVersion]] = relationship(
        back_populates="question",
        foreign_keys="QuestionVersion.question_id",
        order_by="QuestionVersion.number",
        cascade="all, delete-orphan",
    )


class QuestionVersion(Base):
    """One immutable version of a question; attempts keep the versions they were given."""

    __tablename__ = "question_versions"
    __table_args__ = (UniqueConstraint("question_id", "number"),)

    id: Mapped[intpk]
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    points: Mapped[float] = mapped_column(default=1.0)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    explanation: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: The English of this version's texts (lms/content/english.py shapes); kept with the version so
    #: an attempt shows the English of the exact version it was given.
    en: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(HASH)
    created_at: Mapped[timestamp]

    question: Mapped[Question] = relationship(back_populates="versions", foreign_keys=[question_id])


class FaqEntry(Base):
    """An entry of the script library (话术库): a shopper's question and the model answer."""

    __tablename__ = "faq_entries"

    id: Mapped[intpk]
    key: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(12))
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    phrasings: Mapped[list[str]] = mapped_column(JSON, default=list)
    day: Mapped[int | None] = mapped_column(Integer)
    key_points: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    steps: Mapped[list[str] | None] = mapped_column(JSON)
    #: The English of `question`, `answer` and `steps`.
    en: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    content_hash: Mapped[str] = mapped_column(HASH)


class Product(Base):
    """A product of the store, from the warehouse-week product sheet."""

    __tablename__ = "products"

    id: Mapped[intpk]
    sku: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    price: Mapped[float] = mapped_column(default=0)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: The English of `name` and the descriptive details.
    en: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    content_hash: Mapped[str] = mapped_column(HASH)


class RuleBookVersion(Base):
    """One version of the rule book (courses/compliance.toml): immutable once made.

    A sync makes a new version only when the rules' content hash changes; attempts and spot checks
    keep the version they were graded with, so a later rule change never changes a past result.
    """

    __tablename__ = "rule_book_versions"

    id: Mapped[intpk]
    version: Mapped[int] = mapped_column(Integer, unique=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    as_of: Mapped[str | None] = mapped_column(String(10))
    rules: Mapped[dict[str, Any]] = mapped_column(JSON)
    rule_count: Mapped[int] = mapped_column(Integer, default=0)
    #: The file as written, exported back verbatim with the curriculum.
    source_text: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(HASH, index=True)
    created_at: Mapped[timestamp]


class CourseImage(Base):
    """A picture uploaded in the browser for a course, kept in the database so that every app server
    sees it (the shipped curriculum's pictures stay files in courses/<slug>/images/). A name is
    never reused for other bytes, so a picture's address can be cached for a long time."""

    __tablename__ = "course_images"
    __table_args__ = (UniqueConstraint("course_slug", "name"),)

    id: Mapped[intpk]
    course_slug: Mapped[str] = mapped_column(String(80), index=True)
    name: Mapped[str] = mapped_column(String(120))
    sha256: Mapped[str] = mapped_column(String(64))
    mimetype: Mapped[str] = mapped_column(String(40))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[timestamp]
