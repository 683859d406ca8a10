"""Question statistics for trainers: which quizzes have attempts, and one quiz's report (page and CSV)."""

from __future__ import annotations

import csv
import io
import json

from flask import Blueprint, abort, render_template
from sqlalchemy import select
from werkzeug.wrappers import Response

from lms.access import roles_required
from lms.db import db_session
from lms.domain.authoring.quiz_statistics import (
    MIN_SAMPLE,
    TOO_EASY,
    TOO_HARD,
    QuestionStats,
    bucket_labels,
    quizzes_with_attempts,
)
from lms.domain.certification.cohort_matrix import neutralise
from lms.models import Quiz, Role
from lms.web.statistics.cache import cached_report

bp = Blueprint("statistics", __name__)
trainers = roles_required(Role.TRAINER, Role.ADMIN)


def _quiz(slug: str) -> Quiz:
    found: Quiz = db_session().scalars(select(Quiz).where(Quiz.slug == slug)).one_or_none() or abort(404)
    return found


@bp.get("/")
@trainers
def index() -> str:
    """Every quiz with its number of graded attempts."""
    return render_template("statistics/index.html", quizzes=quizzes_with_attempts(db_session()))


@bp.get("/quizzes/<slug>")
@trainers
def quiz(slug: str) -> str:
    """One quiz: summary, score distribution, and each question's facility, discrimination and options."""
    found = _quiz(slug)
    report = cached_report(db_session(), found)
    chart = {"labels": bucket_labels(), "counts": report.histogram}
    return render_template(
        "statistics/quiz.html",
        quiz=found,
        report=report,
        chart=json.dumps(chart),
        min_sample=MIN_SAMPLE,
        too_hard=TOO_HARD,
        too_easy=TOO_EASY,
    )


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _flag(question: QuestionStats) -> str:
    if question.nobody_right:
        return "nobody_right"
    if question.everyone_right:
        return "everyone_right"
    return ""


def _options(question: QuestionStats) -> str:
    return "; ".join(
        f"{o.index + 1}{'*' if o.right else ''} {o.text}: {o.count}".replace("\n", " ")
        for o in question.options
    )


@bp.get("/quizzes/<slug>.csv")
@trainers
def quiz_csv(slug: str) -> Response:
    """One row per question (formula-like cells neutralised); options as "n* text: count", * = right."""
    found = _quiz(slug)
    report = cached_report(db_session(), found)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "position",
            "key",
            "type",
            "question",
            "attempts",
            "answered",
            "facility",
            "discrimination",
            "flag",
            "options",
        ]
    )
    for number, q in enumerate(report.questions, start=1):
        # Numbers are ours and stay numbers (a negative discrimination is no formula); text is neutralised.
        writer.writerow(
            [
                number,
                neutralise(q.key),
                q.type,
                neutralise(q.text),
                q.attempts,
                q.answered,
                _number(q.facility),
                _number(q.discrimination),
                _flag(q),
                neutralise(_options(q)),
            ]
        )
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="statistics-{found.slug}.csv"'},
    )
