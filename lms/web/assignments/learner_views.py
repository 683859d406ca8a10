"""Learner side: my assignments (due soonest first) and my notices."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from lms.access import signed_in
from lms.db import db_session, utcnow
from lms.domain.assignments import assigning
from lms.domain.assignments.assigning import open_assignments, recently_closed
from lms.domain.assignments.reminders import mark_read, notices_for
from lms.domain.errors import DomainError, NotFound
from lms.web.forms import translate_error
from lms.web.identity import me

bp = Blueprint("my_assignments", __name__)


@bp.get("/assignments")
@signed_in
def mine() -> str:
    """Open work with due dates (overdue flagged), what was finished lately, and the notices."""
    session = db_session()
    user = me()
    return render_template(
        "assignments/mine.html",
        open_work=open_assignments(session, user),
        closed=recently_closed(session, user),
        notices=notices_for(session, user),
        today=utcnow().date(),
        form=FlaskForm(),
    )


@bp.post("/notices/read")
@signed_in
def read_notices() -> Response:
    """Mark every notice read."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    session = db_session()
    mark_read(session, me(), utcnow())
    session.commit()
    return redirect(url_for("my_assignments.mine"))


@bp.post("/assignments/<int:assignment_id>/done")
@signed_in
def acknowledge(assignment_id: int) -> Response:
    """The learner has read a refresher's changed rules and script entries (one listing no lesson)."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    session = db_session()
    try:
        assigning.acknowledge(session, me(), assignment_id, utcnow())
    except NotFound:
        abort(404)
    except DomainError as err:
        session.rollback()
        flash(translate_error(err), "error")
        return redirect(url_for("my_assignments.mine"))
    session.commit()
    flash(_("Done: the refresher is complete."), "success")
    return redirect(url_for("my_assignments.mine"))
