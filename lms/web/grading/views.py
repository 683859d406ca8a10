"""The trainers' grading queue: essays and chat replies that need a person."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from lms.access import roles_required
from lms.db import db_session, utcnow
from lms.domain.errors import DomainError
from lms.domain.learning import attempts as engine
from lms.domain.learning.desk import waiting_answers
from lms.markdown import render_markdown
from lms.models import Attempt, AttemptItem, Role
from lms.web.forms import translate_error
from lms.web.identity import me
from lms.web.learn.reading import shown

bp = Blueprint("grading", __name__)
trainers = roles_required(Role.TRAINER, Role.ADMIN)


@bp.get("/")
@trainers
def queue() -> str:
    """Answers waiting for a grade, oldest first."""
    items = (
        db_session()
        .scalars(
            waiting_answers()
            .options(
                joinedload(AttemptItem.attempt).joinedload(Attempt.user),
                joinedload(AttemptItem.attempt).joinedload(Attempt.quiz),
            )
            .limit(200)
        )
        .all()
    )
    return render_template("grading/queue.html", items=items)


@bp.route("/items/<int:item_id>", methods=["GET", "POST"])
@trainers
def grade(item_id: int) -> Response | str:
    """One answer: the question, the rubric, the auto-score; the trainer's score and comment."""
    session = db_session()
    item = session.get(AttemptItem, item_id) or abort(404)
    if item.attempt.status == "in_progress":
        abort(404)
    form = FlaskForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        raw = (request.form.get("score") or "").strip().replace(",", ".")
        try:
            score = float(raw)
        except ValueError:
            flash(_("Give the score as a number."), "error")
            return redirect(url_for("grading.grade", item_id=item.id))
        try:
            engine.grade_manually(
                session, item, score, request.form.get("comment", "")[:2000], me(), utcnow()
            )
        except DomainError as err:
            session.rollback()
            flash(translate_error(err), "error")
            return redirect(url_for("grading.grade", item_id=item.id))
        session.commit()
        flash(
            _(
                "Graded. The attempt now stands at %(percent)s %%.",
                percent=round(item.attempt.percent or 0, 1),
            ),
            "success",
        )
        return redirect(url_for("grading.queue"))
    texts = shown(item.version)
    return render_template(
        "grading/item.html", item=item, form=form, text=render_markdown(texts.text), shown_body=texts.body
    )
