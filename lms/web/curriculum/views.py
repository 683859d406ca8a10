"""The curriculum as loaded: the programme overview and a course's lessons, for staff."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.access import roles_required
from lms.db import db_session
from lms.domain.curriculum.overview import overview
from lms.markdown import render_markdown
from lms.models import Course, Lesson, Question, Quiz, Role
from lms.web.i18n import in_reader_language

bp = Blueprint("curriculum", __name__)
staff = roles_required(Role.TRAINER, Role.QC, Role.ADMIN)


@bp.get("/")
@staff
def index() -> str:
    """Programme days, courses, lessons and quizzes, with counts."""
    return render_template("curriculum/index.html", data=overview(db_session()))


@bp.get("/courses/<slug>")
@staff
def course(slug: str) -> str:
    """A course's lessons and quizzes."""
    session = db_session()
    found = session.scalars(
        select(Course).where(Course.slug == slug).options(selectinload(Course.lessons))
    ).one_or_none() or abort(404)
    return render_template("curriculum/course.html", course=found)


@bp.get("/courses/<slug>/lessons/<lesson>")
@staff
def lesson(slug: str, lesson: str) -> str:
    """A lesson rendered as learners will see it."""
    session = db_session()
    found = session.scalars(
        select(Lesson).join(Course).where(Course.slug == slug, Lesson.slug == lesson)
    ).one_or_none() or abort(404)
    return render_template(
        "curriculum/lesson.html",
        lesson=found,
        html=render_markdown(in_reader_language(found, "body"), drop_title=True),
    )


@bp.get("/quizzes/<slug>")
@staff
def quiz(slug: str) -> str:
    """A quiz's settings and questions (staff see the keys)."""
    session = db_session()
    found = session.scalars(
        select(Quiz)
        .where(Quiz.slug == slug)
        .options(selectinload(Quiz.questions).selectinload(Question.current_version))
    ).one_or_none() or abort(404)
    return render_template("curriculum/quiz.html", quiz=found)
