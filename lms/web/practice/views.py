"""The learner's practice chats: the list with medals, the chat window, the history per scenario.

The chat window posts each reply (htmx swaps the thread; without script the page reloads). The
server stamps every line; the shopper's next line carries the time it "appears" and the page shows
"typing…" until then. A reply to someone else's run is 404, to an ended run, twice or out of
turn 409, and one over MAX_REPLY characters 413; none of them changes the run.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from lms.access import signed_in
from lms.db import db_session, utcnow
from lms.domain.curriculum.scenarios import by_slug, playable
from lms.domain.errors import Conflict, DomainError, NotFound
from lms.domain.practice import history, runs
from lms.models import PracticeRun
from lms.web.forms import translate_error
from lms.web.identity import me
from lms.web.security_log import note_if_someone_elses

bp = Blueprint("practice", __name__)


@bp.get("/")
@signed_in
def index() -> str:
    """Every published practice chat with the learner's best medal and runs."""
    session = db_session()
    scenarios = playable(session)
    standing = history.standings(session, me().id, [s.id for s in scenarios])
    return render_template("practice/index.html", scenarios=scenarios, standing=standing)


@bp.post("/<slug>/start")
@signed_in
def start(slug: str) -> Response:
    """Start a run (or resume the one in play) and open the chat window."""
    session = db_session()
    scenario = by_slug(session, slug)
    if scenario is None or not scenario.active or not scenario.published:
        abort(404)
    run = runs.start_run(session, me(), scenario, utcnow())
    session.commit()
    return redirect(url_for("practice.run", run_id=run.id))


def _own_transcript(run_id: int) -> history.Transcript:
    try:
        return history.transcript(db_session(), run_id, user_id=me().id)
    except NotFound:
        note_if_someone_elses(PracticeRun, run_id)
        abort(404)


@bp.get("/runs/<int:run_id>")
@signed_in
def run(run_id: int) -> str:
    """The chat window while the run is in play; the transcript with every turn's reasons after."""
    shown = _own_transcript(run_id)
    return render_template("practice/run.html", t=shown, now=utcnow(), error=None)


@bp.post("/runs/<int:run_id>/reply")
@signed_in
def reply(run_id: int) -> Response | tuple[str, int] | str:
    """Send the reply to the shopper's waiting line."""
    session = db_session()
    text = request.form.get("text", "")
    turn = request.form.get("turn", type=int)
    status, error = 200, None
    try:
        runs.reply(session, me(), run_id, text, utcnow(), turn=turn)
        session.commit()
    except NotFound:
        session.rollback()
        note_if_someone_elses(PracticeRun, run_id)
        abort(404)
    except runs.ReplyTooLong as err:
        session.rollback()
        status, error = 413, translate_error(err)
    except Conflict as err:
        session.rollback()
        status, error = 409, translate_error(err)
    except DomainError as err:
        session.rollback()
        status, error = 422, translate_error(err)
    if not request.headers.get("HX-Request"):
        if error:
            flash(error, "error")
        return redirect(url_for("practice.run", run_id=run_id))
    shown = _own_transcript(run_id)
    return render_template("practice/_thread.html", t=shown, now=utcnow(), error=error), status


@bp.post("/runs/<int:run_id>/abandon")
@signed_in
def abandon(run_id: int) -> Response:
    """Leave the chat: the run ends unscored."""
    session = db_session()
    try:
        run = runs.abandon(session, me(), run_id, utcnow())
        session.commit()
    except NotFound:
        session.rollback()
        note_if_someone_elses(PracticeRun, run_id)
        abort(404)
    except Conflict as err:
        session.rollback()
        flash(translate_error(err), "error")
        return redirect(url_for("practice.run", run_id=run_id))
    flash(_("You left the chat. Start again whenever you like."), "info")
    return redirect(url_for("practice.history_page", slug=run.scenario.slug))


@bp.get("/<slug>")
@signed_in
def history_page(slug: str) -> str:
    """The learner's history with one scenario: the best medal and every run."""
    session = db_session()
    scenario = by_slug(session, slug)
    if scenario is None or not scenario.active:
        abort(404)
    mine = history.runs_of(session, me().id, scenario.id)
    standing = history.standings(session, me().id, [scenario.id]).get(scenario.id)
    return render_template("practice/history.html", scenario=scenario, runs=mine, standing=standing)
