"""Questions into and out of a quiz in the database (GIFT and Aiken files, the trainer's upload)."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lms.content.specs import QuestionSpec
from lms.domain.curriculum.question_versions import add_version
from lms.domain.errors import N_, DomainError, NotFound
from lms.models import Question, Quiz


def import_questions(session: Session, quiz_slug: str, questions: list[QuestionSpec]) -> dict[str, int]:
    """Add questions to a quiz (created with default settings if new); changed ones get new versions."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,79}", quiz_slug):
        raise DomainError(N_("A quiz slug is lowercase letters, digits and dashes."), "quiz")
    quiz = session.scalars(
        select(Quiz)
        .where(Quiz.slug == quiz_slug)
        .options(selectinload(Quiz.questions).selectinload(Question.versions))
    ).one_or_none()
    if quiz is None:
        quiz = Quiz(
            slug=quiz_slug,
            title=quiz_slug.replace("-", " ").capitalize(),
            published=False,
            source_format="gift",
            gates=[],
        )
        session.add(quiz)
    by_key = {q.key: q for q in quiz.questions}
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    next_position = max((q.position for q in quiz.questions), default=-1) + 1
    for spec in questions:
        question = by_key.get(spec.id)
        if (
            question is not None
            and question.current_version is not None
            and question.current_version.content_hash == spec.hash
        ):
            counts["unchanged"] += 1
            continue
        if question is None:
            question = Question(key=spec.id, position=next_position)
            next_position += 1
            quiz.questions.append(question)
            counts["created"] += 1
        else:
            counts["updated"] += 1
        add_version(question, spec)
        question.active = True
    session.flush()
    return counts


def quiz_questions(session: Session, quiz_slug: str) -> tuple[Quiz, list[QuestionSpec]]:
    """A quiz and its active questions' current versions, as specs."""
    quiz = session.scalars(
        select(Quiz)
        .where(Quiz.slug == quiz_slug)
        .options(selectinload(Quiz.questions).selectinload(Question.current_version))
    ).one_or_none()
    if quiz is None:
        raise NotFound(N_("No such quiz."))
    specs = []
    for question in quiz.questions:
        version = question.current_version
        if not question.active or version is None:
            continue
        specs.append(
            QuestionSpec(
                question.key,
                version.type,
                version.text,
                version.points,
                tuple(version.tags),
                version.explanation,
                dict(version.body),
                en=dict(version.en or {}),
            )
        )
    return quiz, specs
