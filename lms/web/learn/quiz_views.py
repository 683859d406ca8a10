"""Taking quizzes in the browser: the quiz page, one question per page, autosave, submit, review."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy.exc import DBAPIError
from werkzeug.wrappers import Response

from lms.access import signed_in
from lms.content.questions import get_type
from lms.content.questions.reply import Message, messages_of
from lms.content.rulebook import RuleBook
from lms.db import commits_relaxed, db_session, utcnow
from lms.domain.errors import Conflict, DomainError, NotFound
from lms.domain.learning import attempts as engine
from lms.markdown import render_inline, render_markdown
from lms.models import Attempt
from lms.web.errors import database_unavailable
from lms.web.forms import translate_error
from lms.web.identity import me
from lms.web.learn.answers import response_from_form
from lms.web.learn.reading import shown, shown_display, shown_feedback
from lms.web.learn.review import review_allowed
from lms.web.security_log import note_if_someone_elses

bp = Blueprint("quiz", __name__)

GAP = re.compile(r"\{\{(\d+)\}\}")


@bp.app_template_global()
def reply_messages(response: Any) -> list[Message]:
    """The messages of a chat reply as saved ({"text"} or {"messages"}), for pages; [] when none."""
    try:
        return messages_of(response) if response is not None else []
    except ValueError:
        return []


def is_practice(attempt: Attempt) -> bool:
    """A practice quiz counts towards nothing: its pages offer the "check my wording" box."""
    return not attempt.quiz.gates


@bp.get("/quizzes/<slug>")
@signed_in
def quiz(slug: str) -> str:
    """What the quiz is before starting: questions, time, pass mark, attempts, what it unlocks."""
    session = db_session()
    try:
        page = engine.quiz_for_page(session, slug, me())
    except NotFound:
        abort(404)
    now = utcnow()
    found = page.quiz
    status, closed = engine.status_closing_overdue(
        session, me(), found, now, cycle_from=page.cycle_from, all_attempts=page.attempts
    )
    question_count = sum(int(p["count"]) for p in found.draw) if found.draw else page.active
    if closed:
        session.commit()
    return render_template(
        "learn/quiz.html",
        quiz=found,
        status=status,
        question_count=question_count,
        reason=_(status.reason, **status.reason_params) if status.reason else None,
    )


@bp.post("/quizzes/<slug>/start")
@signed_in
def start(slug: str) -> Response:
    """Start (or resume) an attempt."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    session = db_session()
    try:
        found = engine.visible_quiz(session, slug)
        attempt = engine.start_attempt(session, me(), found, utcnow())
    except NotFound:
        abort(404)
    except DomainError as err:
        session.rollback()
        flash(translate_error(err), "error")
        return redirect(url_for("quiz.quiz", slug=slug))
    session.commit()
    return redirect(url_for("quiz.question", attempt_id=attempt.id, position=0))


def _own_attempt(attempt_id: int) -> Attempt:
    try:
        return engine.get_attempt(db_session(), me(), attempt_id)
    except NotFound:
        note_if_someone_elses(Attempt, attempt_id)
        abort(404)


def render_question_text(
    text: str, qtype: str, attempt_id: int, position: int, saved: dict[str, Any] | None
) -> Markup:
    """The question's Markdown; a cloze gets its inputs where the gaps are."""
    html = str(render_markdown(text))
    if qtype != "cloze":
        return Markup(html)  # noqa: S704 - sanitised by render_markdown
    answers = (saved or {}).get("gaps", [])

    def gap(match: re.Match[str]) -> str:
        n = int(match.group(1))
        value = answers[n - 1] if n - 1 < len(answers) else ""
        value = str(Markup.escape(value))
        return (
            f'<input type="text" class="gap" name="gap-{n}" value="{value}" '
            f'aria-label="{_("Gap %(n)s", n=n)}" autocomplete="off">'
        )

    return Markup(GAP.sub(gap, html))  # noqa: S704 - inputs built from escaped values


@bp.route("/attempts/<int:attempt_id>/<int:position>", methods=["GET", "POST"])
@signed_in
def question(attempt_id: int, position: int) -> Response | str | tuple[str, int]:
    """One question of an attempt; POST saves it and moves on."""
    session = db_session()
    attempt = _own_attempt(attempt_id)
    now = utcnow()
    if attempt.status != "in_progress" or engine.is_overdue(attempt, now):
        if attempt.status == "in_progress":
            engine.submit_attempt(session, attempt, now, closed_by="deadline")
            session.commit()
            flash(_("Time is up: your attempt was submitted with the answers you had saved."), "info")
        return redirect(url_for("quiz.result", attempt_id=attempt.id))
    if not 0 <= position < len(attempt.items):
        abort(404)
    item = attempt.items[position]
    form = FlaskForm()
    stale: str | None = None
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        reply = item.version.type == "reply"
        # A reply is sent message by message; text left unsent in its box goes out as one more.
        response = None if reply else response_from_form(item.version.type, request.form, item.display)
        unsent = request.form.get("text", "") if reply else ""
        if response is not None or unsent.strip():
            try:
                if response is None:
                    engine.send_message(session, attempt, item.question_key, unsent, now)
                else:
                    engine.save_response(
                        session, attempt, item.question_key, response, now, expected_version=_shown_version()
                    )
            except engine.ResponseInvalid as err:
                session.rollback()
                flash(translate_error(err), "error")
                return redirect(url_for("quiz.question", attempt_id=attempt.id, position=position))
            except engine.StaleAnswer:
                # Another window saved first: keep its answer, show it here, and say so (409).
                session.rollback()
                attempt = _own_attempt(attempt_id)
                item = attempt.items[position]
                stale = _(
                    "This answer was changed in another window after this page was opened, so your "
                    "change was not saved. The newer answer is shown below: check it, and save again "
                    "if you want to change it."
                )
            except Conflict as err:
                session.commit()
                flash(translate_error(err), "error")
                return redirect(url_for("quiz.result", attempt_id=attempt.id))
    if request.method == "POST" and stale is None:
        session.commit()
        target = request.form.get("go", "next")
        if target == "submit":
            return redirect(url_for("quiz.confirm_submit", attempt_id=attempt.id))
        nxt = (
            int(target)
            if target.isdecimal() and len(target) < 10
            else position + (-1 if target == "prev" else 1)
        )
        nxt = max(0, min(nxt, len(attempt.items) - 1))
        return redirect(url_for("quiz.question", attempt_id=attempt.id, position=nxt))
    if item.served_at is None:
        item.served_at = now  # the reply clock starts when the question is first shown
        try:
            session.commit()
        except DBAPIError as err:
            session.rollback()  # best effort: the first save then starts the clock
            if not database_unavailable(err):
                raise
    version = item.version
    page = render_template(
        "learn/question.html",
        attempt=attempt,
        item=item,
        position=position,
        qtype=version.type,
        text=render_question_text(shown(version).text, version.type, attempt.id, position, item.response),
        display=shown_display(version, item.display),
        saved=item.response or {},
        messages=reply_messages(item.response) if version.type == "reply" else [],
        practice=is_practice(attempt),
        render_inline=render_inline,
        form=form,
        now=now,
        stale=stale,
    )
    return (page, 409) if stale else page


def _shown_version() -> int | None:
    """The answer's version the page was showing (None from a form without one: last save wins)."""
    raw = request.form.get("answer_version", "")
    return int(raw) if raw.isdecimal() and len(raw) < 10 else None


@bp.post("/attempts/<int:attempt_id>/<int:position>/autosave")
@signed_in
@commits_relaxed
def autosave(attempt_id: int, position: int) -> tuple[str, int] | str:
    """htmx: save the answer a few seconds after a change; returns a small status line."""
    session = db_session()
    attempt = _own_attempt(attempt_id)
    if not 0 <= position < len(attempt.items):
        abort(404)
    item = attempt.items[position]
    response = response_from_form(item.version.type, request.form, item.display)
    if response is None:
        return ""
    try:
        engine.save_response(
            session, attempt, item.question_key, response, utcnow(), expected_version=_shown_version()
        )
    except engine.StaleAnswer as err:
        session.rollback()
        return render_template("learn/_saved.html", error=translate_error(err), stale=True), 409
    except (engine.ResponseInvalid, Conflict) as err:
        session.commit()
        return render_template("learn/_saved.html", error=translate_error(err)), 200
    session.commit()
    return render_template("learn/_saved.html", saved_at=item.saved_at, version=item.response_version)


@bp.post("/attempts/<int:attempt_id>/<int:position>/messages")
@signed_in
def send_message(attempt_id: int, position: int) -> Response | str | tuple[str, int]:
    """Send one chat message of a reply (Enter in the reply box); the server stamps its time.

    htmx gets the thread back; without JavaScript the page reloads on the question.
    """
    session = db_session()
    attempt = _own_attempt(attempt_id)
    if not 0 <= position < len(attempt.items):
        abort(404)
    item = attempt.items[position]
    htmx = request.headers.get("HX-Request") == "true"
    error = None
    try:
        engine.send_message(session, attempt, item.question_key, request.form.get("text", ""), utcnow())
    except engine.ResponseInvalid as err:
        session.rollback()
        error = translate_error(err)
    except Conflict as err:
        session.commit()  # an overdue attempt has just been closed: keep that
        if not htmx:
            flash(translate_error(err), "error")
            return redirect(url_for("quiz.result", attempt_id=attempt.id))
        error = translate_error(err)
    else:
        session.commit()
    if not htmx:
        if error:
            flash(error, "error")
        return redirect(url_for("quiz.question", attempt_id=attempt.id, position=position))
    return render_template(
        "learn/_reply_thread.html",
        item=item,
        display=item.display,
        messages=reply_messages(item.response),
        error=error,
    ), (422 if error else 200)


@bp.route("/attempts/<int:attempt_id>/submit", methods=["GET", "POST"])
@signed_in
def confirm_submit(attempt_id: int) -> Response | str:
    """Check what is unanswered, then submit (a double click grades once)."""
    session = db_session()
    attempt = _own_attempt(attempt_id)
    if request.method == "POST":
        if not FlaskForm().validate_on_submit():
            abort(400)
        engine.submit_attempt(session, attempt, utcnow())
        session.commit()
        return redirect(url_for("quiz.result", attempt_id=attempt.id))
    if attempt.status != "in_progress":
        return redirect(url_for("quiz.result", attempt_id=attempt.id))
    unanswered = [i.position for i in attempt.items if i.response is None]
    return render_template("learn/submit.html", attempt=attempt, unanswered=unanswered, form=FlaskForm())


@bp.get("/attempts/<int:attempt_id>")
@signed_in
def result(attempt_id: int) -> Response | str:
    """The result, and the review when the quiz's policy allows it."""
    session = db_session()
    attempt = _own_attempt(attempt_id)
    if attempt.status == "in_progress" and not engine.is_overdue(attempt, utcnow()):
        return redirect(url_for("quiz.question", attempt_id=attempt.id, position=0))
    if attempt.status == "in_progress":
        engine.submit_attempt(session, attempt, utcnow(), closed_by="deadline")
        session.commit()
    status = engine.quiz_status(session, me(), attempt.quiz, utcnow())
    show_review = review_allowed(attempt.quiz, status)
    reviews = []
    if show_review:
        loaded = engine.grading_book(session, attempt)
        book: RuleBook | None = loaded.book if loaded is not None else None
        for item in attempt.items:
            qtype = get_type(item.version.type)
            texts = shown(item.version)
            reviews.append(
                {
                    "item": item,
                    "key": qtype.review(texts.body, item.response, book),
                    "text": render_markdown(texts.text),
                    "explanation": texts.explanation,
                    "feedback": shown_feedback(item),
                }
            )
    return render_template(
        "learn/result.html",
        attempt=attempt,
        status=status,
        show_review=show_review,
        reviews=reviews,
        render_inline=render_inline,
    )
