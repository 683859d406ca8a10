"""The agent's drills, phone-first: due cards one at a time, the rating explained after each answer,
the typing drill and the first-response drill. The model answer is shown only after answering."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from lms.access import signed_in
from lms.db import db_session, utcnow
from lms.domain.curriculum.programme import load_schedule
from lms.domain.curriculum.rulebook import current_book
from lms.domain.drills import cards, first_response, typing
from lms.domain.drills.grading import target_seconds
from lms.domain.drills.mastery import mastery_of
from lms.domain.drills.progress import drill_progress
from lms.domain.errors import Conflict, DomainError, NotFound
from lms.models import DrillCard, DrillReview, FaqEntry, FirstResponseRun, TypingRun
from lms.web.forms import form_int, translate_error
from lms.web.identity import me
from lms.web.security_log import note_if_someone_elses

bp = Blueprint("drills", __name__)

MAX_STEPS = 20


def _check_form() -> None:
    if not FlaskForm().validate_on_submit():
        abort(400)


@bp.get("/")
@signed_in
def session_page() -> str:
    """The next due card (the same one until it is answered), today's goal and the streak."""
    session = db_session()
    user, now = me(), utcnow()
    served = cards.serve_next(session, user, now)
    progress = drill_progress(session, user, now.date(), load_schedule(session))
    session.commit()
    return render_template(
        "drills/session.html",
        served=served,
        progress=progress,
        target=round(target_seconds(served.card.entry)) if served else None,
    )


@bp.post("/answer")
@signed_in
def answer() -> Response:
    """Grade the answer to a served card, once per serve; then the result with the model answer."""
    _check_form()
    session = db_session()
    card_id, serve = form_int(request.form, "card"), form_int(request.form, "serve")
    if card_id is None or serve is None:
        abort(400)
    order = [form_int(request.form, f"step-{i}", high=MAX_STEPS) for i in range(1, MAX_STEPS + 1)]
    picked = [i - 1 for i in order if i is not None]
    loaded = current_book(session)
    try:
        review = cards.answer(
            session,
            me(),
            card_id,
            serve,
            utcnow(),
            text=request.form.get("text", ""),
            order=picked,
            book=loaded.book if loaded else None,
        )
    except NotFound:
        note_if_someone_elses(DrillCard, card_id)
        abort(404)
    except Conflict as err:
        session.rollback()
        flash(translate_error(err), "error")
        return redirect(url_for("drills.session_page"))
    session.commit()
    return redirect(url_for("drills.result", review_id=review.id))


@bp.post("/hint")
@signed_in
def hint() -> Response:
    """Show a hint for the served card: the answer can then be Hard at best."""
    _check_form()
    session = db_session()
    card_id, serve = form_int(request.form, "card"), form_int(request.form, "serve")
    if card_id is None or serve is None:
        abort(400)
    try:
        cards.hint(session, me(), card_id, serve)
    except NotFound:
        abort(404)
    except DomainError as err:
        session.rollback()
        flash(translate_error(err), "error")
    session.commit()
    return redirect(url_for("drills.session_page"))


@bp.get("/reviews/<int:review_id>")
@signed_in
def result(review_id: int) -> str:
    """One answered card: the rating and why, the answer marked, the model answer."""
    session = db_session()
    review = session.get(DrillReview, review_id)
    if review is None or review.user_id != me().id or review.source != "drill":
        note_if_someone_elses(DrillReview, review_id)
        abort(404)
    card = session.get(DrillCard, review.card_id)
    entry = session.get(FaqEntry, card.entry_id) if card else None
    return render_template("drills/result.html", review=review, entry=entry)


@bp.route("/typing", methods=["GET", "POST"])
@signed_in
def typing_page() -> str | Response:
    """Copy a script as fast and as exactly as you can; the server times it."""
    session = db_session()
    user, now = me(), utcnow()
    finished: TypingRun | None = None
    if request.method == "POST":
        _check_form()
        run_id = form_int(request.form, "run")
        if run_id is None:
            abort(400)
        try:
            finished = typing.finish_run(session, user, run_id, request.form.get("text", ""), now)
        except NotFound:
            abort(404)
        session.commit()
        return redirect(url_for("drills.typing_page", done=finished.id))
    done = form_int(request.args, "done")
    if done is not None:
        finished = session.get(TypingRun, done)
        if finished is None or finished.user_id != user.id:
            abort(404)
    run = typing.start_run(session, user, now)
    text = typing.target_text(session, run)
    recent = typing.recent_runs(session, user)
    best = mastery_of(session, [user.id])[user.id].best_cpm
    schedule = load_schedule(session)
    needed = int((schedule.go_live if schedule else {}).get("typing_cpm") or 0)
    session.commit()
    return render_template(
        "drills/typing.html", run=run, text=text, finished=finished, recent=recent, best=best, needed=needed
    )


@bp.route("/first-response", methods=["GET", "POST"])
@signed_in
def first_response_page() -> str | Response:
    """Shoppers' opening messages one after another: a fitting first line within 20 seconds each."""
    session = db_session()
    user, now = me(), utcnow()
    if request.method == "POST":
        _check_form()
        run_id = form_int(request.form, "run")
        if run_id is None:
            abort(400)
        loaded = current_book(session)
        try:
            done = first_response.answer(
                session, user, run_id, request.form.get("text", ""), now, loaded.book if loaded else None
            )
        except NotFound:
            abort(404)
        session.commit()
        return redirect(url_for("drills.first_response_page", done=done.id))
    last: FirstResponseRun | None = None
    done_id = form_int(request.args, "done")
    if done_id is not None:
        last = session.get(FirstResponseRun, done_id)
        if last is None or last.user_id != user.id:
            abort(404)
    run = first_response.next_message(session, user, now)
    entry = session.get(FaqEntry, run.entry_id) if run.entry_id else None
    session.commit()
    return render_template(
        "drills/first_response.html", run=run, entry=entry, last=last, limit=int(first_response.LIMIT_SECONDS)
    )
