"""Quiz editing pages: new quiz, settings, the question bank, the question editor and "try it"."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response

from lms.access import roles_required
from lms.content.questions import REGISTRY
from lms.content.quizzes import GRADING, REVIEW
from lms.db import db_session
from lms.domain.authoring import quiz_editing as editing
from lms.domain.curriculum.rulebook import current_book
from lms.domain.errors import Conflict, DomainError, NotFound
from lms.domain.tiers.ladder import tier_names
from lms.markdown import render_inline
from lms.models import Course, Question, Quiz, Role
from lms.web.forms import form_int, translate_error
from lms.web.identity import me
from lms.web.learn.answers import response_from_form
from lms.web.learn.quiz_views import render_question_text
from lms.web.quiz_editing.question_form import body_to_form, form_to_raw, row_count

bp = Blueprint("quiz_editing", __name__)
authors = roles_required(Role.TRAINER, Role.ADMIN)
MAX_POOLS = 12
#: Question types in the order the editor offers them.
TYPES = (
    "single",
    "multiple",
    "truefalse",
    "short",
    "numeric",
    "matching",
    "ordering",
    "cloze",
    "essay",
    "reply",
)


def _quiz(slug: str) -> Quiz:
    try:
        return editing.quiz_with_questions(db_session(), slug)
    except NotFound:
        abort(404)


@bp.route("/new", methods=["GET", "POST"])
@authors
def new_quiz() -> Response | tuple[str, int]:
    """Start a quiz: a short name, a title and (optionally) its course; unpublished until ready."""
    session = db_session()
    form = FlaskForm()
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            quiz = editing.create_quiz(
                session,
                me(),
                slug=request.form.get("slug", ""),
                title=request.form.get("title", ""),
                course_id=form_int(request.form, "course"),
            )
        except DomainError as err:
            session.rollback()
            errors[err.field or "form"] = translate_error(err)
        else:
            session.commit()
            flash(_("Quiz created. Add its questions, then publish it."), "success")
            return redirect(url_for("quiz_editing.edit_quiz", slug=quiz.slug))
    courses = session.scalars(select(Course).order_by(Course.title)).all()
    return render_template(
        "quiz_editing/new_quiz.html", form=form, errors=errors, values=request.form, courses=courses
    ), (422 if errors else 200)


def _settings_form() -> dict[str, Any]:
    """The settings form with its lists: gates ticked, draw pools as rows of tags and a count."""
    data: dict[str, Any] = request.form.to_dict()
    data["gates"] = request.form.getlist("gates")
    pools = []
    for i in range(MAX_POOLS):
        tags = [
            t.strip()
            for t in request.form.get(f"draw-{i}-tags", "").replace("，", ",").split(",")
            if t.strip()
        ]
        count = request.form.get(f"draw-{i}-count", "").strip()
        if tags or count:
            pools.append(
                {"tags": tags, "count": int(count) if count.isdecimal() and len(count) < 10 else count}
            )
    data["draw"] = pools
    return data


@bp.route("/<slug>", methods=["GET", "POST"])
@authors
def edit_quiz(slug: str) -> Response | tuple[str, int]:
    """Settings (each with its help text) and the quiz's questions."""
    session = db_session()
    quiz = _quiz(slug)
    form = FlaskForm()
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            editing.update_quiz_settings(
                session, me(), quiz, _settings_form(), expected=request.form.get("expected", "")
            )
        except Conflict as err:
            session.rollback()
            errors["form"], status = translate_error(err), 409
        except DomainError as err:
            session.rollback()
            errors[err.field or "form"], status = translate_error(err), 422
        else:
            session.commit()
            flash(_("Quiz settings saved."), "success")
            return redirect(url_for("quiz_editing.edit_quiz", slug=slug))
    return render_template(
        "quiz_editing/quiz.html",
        quiz=quiz,
        form=form,
        errors=errors,
        values=request.form if request.method == "POST" else None,
        grading=GRADING,
        review=REVIEW,
        types=TYPES,
        gate_options=["go-live", *(f"tier:{slug}" for slug in list(tier_names(session))[1:])],
        courses=session.scalars(select(Course).order_by(Course.title)).all(),
        pools=(quiz.draw or []) + [{}, {}],
    ), status


@bp.get("/bank")
@authors
def bank() -> str:
    """Every active question, searchable by text or id and by tag."""
    text, tag = request.args.get("q", ""), request.args.get("tag", "")
    found = editing.question_bank(db_session(), text=text, tag=tag)
    return render_template("quiz_editing/bank.html", questions=found, q=text, tag=tag)


def _render_editor(
    quiz: Quiz,
    qtype: str,
    question: Question | None,
    values: dict[str, str],
    problems: list[tuple[str, str]],
    status: int,
    *,
    trial: dict[str, Any] | None = None,
    conflict: str | None = None,
) -> tuple[str, int]:
    version = question.current_version if question is not None else None
    tryout = None
    if version is not None:
        display = editing.public_view(version.body, version.type)
        tryout = {
            "display": display,
            "text": render_question_text(version.text, version.type, 0, 0, (trial or {}).get("response")),
            "saved": (trial or {}).get("response") or {},
        }
    return render_template(
        "quiz_editing/question.html",
        quiz=quiz,
        qtype=qtype,
        question=question,
        version=version,
        values=values,
        rows=row_count(qtype, values),
        problems=problems,
        conflict=conflict,
        form=FlaskForm(),
        tryout=tryout,
        trial=trial,
        render_inline=render_inline,
        used=editing.attempts_using(db_session(), question) if question is not None and question.id else 0,
    ), status


@bp.route("/<slug>/questions/new", methods=["GET", "POST"])
@authors
def new_question(slug: str) -> Response | tuple[str, int]:
    """Write a new question of the chosen type."""
    quiz = _quiz(slug)
    qtype = request.values.get("type", "")
    if qtype not in REGISTRY:
        abort(404)
    if request.method == "GET":
        return _render_editor(quiz, qtype, None, {}, [], 200)
    return _save(quiz, qtype, None)


@bp.route("/<slug>/questions/<key>", methods=["GET", "POST"])
@authors
def edit_question(slug: str, key: str) -> Response | tuple[str, int]:
    """Edit a question: saving makes a new version; attempts keep the version they were given."""
    quiz = _quiz(slug)
    question = next((q for q in quiz.questions if q.key == key), None)
    if question is None or question.current_version is None:
        abort(404)
    version = question.current_version
    if request.method == "GET":
        values = body_to_form(
            version.type,
            version.text,
            version.points,
            version.tags,
            version.explanation,
            version.body,
            version.en,
        )
        return _render_editor(quiz, version.type, question, values, [], 200)
    return _save(quiz, version.type, question)


def _save(quiz: Quiz, qtype: str, question: Question | None) -> Response | tuple[str, int]:
    session = db_session()
    if not FlaskForm().validate_on_submit():
        abort(400)
    values = request.form.to_dict()
    raw = form_to_raw(qtype, request.form, question.key if question is not None else None)
    expected = form_int(request.form, "expected_version")
    try:
        saved, checked = editing.save_question(
            session, me(), quiz, raw, question=question, expected_version_id=expected
        )
    except Conflict as err:
        session.rollback()
        return _render_editor(quiz, qtype, question, values, [], 409, conflict=translate_error(err))
    except DomainError as err:
        session.rollback()
        return _render_editor(quiz, qtype, question, values, [(err.field or "", translate_error(err))], 422)
    if not checked.ok:
        session.rollback()
        return _render_editor(quiz, qtype, question, values, checked.problems, 422)
    session.commit()
    flash(_("Question saved."), "success")
    return redirect(url_for("quiz_editing.edit_question", slug=quiz.slug, key=saved.key))


@bp.post("/<slug>/questions/<key>/try")
@authors
def try_question(slug: str, key: str) -> tuple[str, int]:
    """Grade a sample answer against the saved key, as an attempt would; nothing is stored."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    quiz = _quiz(slug)
    question = next((q for q in quiz.questions if q.key == key), None)
    if question is None or question.current_version is None:
        abort(404)
    version = question.current_version
    values = body_to_form(
        version.type,
        version.text,
        version.points,
        version.tags,
        version.explanation,
        version.body,
        version.en,
    )
    display = editing.public_view(version.body, version.type)
    response = response_from_form(version.type, request.form, display)
    trial: dict[str, Any] = {"response": response}
    # A blank chat reply is no answer to try (its review would show an empty bubble).
    blank_reply = version.type == "reply" and response is not None and not str(response["text"]).strip()
    if response is None or blank_reply:
        trial["error"] = _("Give an answer to try.")
    else:
        try:
            loaded = current_book(db_session())
            book = loaded.book if loaded else None
            trial["grade"] = editing.try_question(version.body, version.type, version.points, response, book)
            if version.type == "reply":  # reviewed as the learner's results page does, translated
                trial["review"] = {"key": editing.try_review(version.body, version.type, response, book)}
        except editing.ResponseError as err:
            trial["error"] = err.message
    return _render_editor(quiz, version.type, question, values, [], 200, trial=trial)


@bp.post("/<slug>/questions/<key>/retire")
@authors
def retire(slug: str, key: str) -> Response:
    """Take the question out of the quiz (attempts that used it keep it)."""
    session = db_session()
    if not FlaskForm().validate_on_submit():
        abort(400)
    quiz = _quiz(slug)
    question = next((q for q in quiz.questions if q.key == key), None)
    if question is None:
        abort(404)
    editing.retire_question(session, me(), question)
    session.commit()
    flash(_("Question removed from the quiz."), "success")
    return redirect(url_for("quiz_editing.edit_quiz", slug=slug))


@bp.post("/<slug>/questions/<key>/move/<any(up, down):direction>")
@authors
def move(slug: str, key: str, direction: str) -> Response:
    """Move a question one place up or down in the quiz."""
    session = db_session()
    if not FlaskForm().validate_on_submit():
        abort(400)
    quiz = _quiz(slug)
    question = next((q for q in quiz.questions if q.key == key and q.active), None)
    if question is None:
        abort(404)
    editing.move_question(session, me(), quiz, question, direction)
    session.commit()
    return redirect(url_for("quiz_editing.edit_quiz", slug=slug) + "#questions")
