"""Trainers follow their cohorts: the requirement matrix, CSV, a learner's drill-down, go-live sign-off."""

from __future__ import annotations

import csv
import io

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload
from werkzeug.wrappers import Response

from lms.access import roles_required
from lms.db import db_session, utcnow
from lms.domain.accounts.desk import trainer_scope
from lms.domain.certification import golive
from lms.domain.certification.cohort_matrix import Matrix, cohort_matrix, neutralise
from lms.domain.certification.desk import ready_for_signoff
from lms.domain.errors import DomainError
from lms.domain.learning.desk import FAILED_EXAM_DAYS
from lms.domain.learning.desk import failed_exams as desk_failed_exams
from lms.models import Attempt, Cohort, GoLiveSignoff, Role, User
from lms.web.forms import translate_error
from lms.web.id_links import link_around_id
from lms.web.identity import me, reads_plan
from lms.web.labels import label
from lms.web.plan_cache import cached_gate_rules, cached_schedule

bp = Blueprint("cohorts", __name__)
staff = roles_required(Role.TRAINER, Role.QC, Role.ADMIN)
#: The longest list a full page shows (the desk shows the first few).
FULL_LIST = 500


def _matrix(cohort_id: int) -> tuple[Cohort, Matrix, str]:
    session = db_session()
    cohort = session.get(Cohort, cohort_id) or abort(404)
    schedule = cached_schedule(session)
    if schedule is None:
        abort(404)
    matrix = cohort_matrix(session, cohort, schedule, utcnow().date(), cached_gate_rules(session, schedule))
    order = request.args.get("sort", "name")
    if request.args.get("show") == "behind":
        matrix.rows = [r for r in matrix.rows if r.behind and not r.live]
    if order == "behind":
        matrix.rows.sort(key=lambda r: (r.done - r.expected, r.user.display_name))
    elif order == "progress":
        matrix.rows.sort(key=lambda r: (-r.done, r.user.display_name))
    return cohort, matrix, order


def _kept_rules(session: Session) -> golive.GoLiveRules | None:
    """The go-live rules as this process keeps them (None before `lms content sync`)."""
    schedule = cached_schedule(session)
    return cached_gate_rules(session, schedule) if schedule else None


@bp.get("/")
@staff
def index() -> str:
    """Cohorts, newest first."""
    cohorts = (
        db_session()
        .scalars(select(Cohort).options(joinedload(Cohort.trainer)).order_by(Cohort.start_date.desc()))
        .all()
    )
    return render_template("cohorts/index.html", cohorts=cohorts)


@bp.get("/<int:cohort_id>")
@reads_plan
@staff
def matrix(cohort_id: int) -> str:
    """Learners × go-live requirements: done, in progress, failed, overdue; who is behind."""
    cohort, data, order = _matrix(cohort_id)
    show = "behind" if request.args.get("show") == "behind" else ""
    rows = _rows_markup(data)
    return render_template(
        "cohorts/matrix.html", cohort=cohort, matrix=data, order=order, show=show, rows=rows
    )


def _rows_markup(data: Matrix) -> list[Markup]:
    """Each learner's table row, built in Python: a cohort of 200 is 2,600 cells and 200 links, which
    the template engine would escape and join one fragment at a time."""
    cells = _cell_markup()
    # Each learner's link is the same URL around their id: built once, not once per row.
    before_id, after_id = (escape(part) for part in link_around_id("cohorts.learner", "user_id"))
    behind = Markup(' <span class="badge badge-off">{}</span>').format(_("behind"))
    cert_badges: dict[str, Markup] = {}
    rows: list[Markup] = []
    for row in data.rows:
        if row.live:
            live = Markup("✓")
        elif row.signed_off and not row.cert_state:
            live = Markup("✍")
        else:
            live = Markup("")
        state = row.cert_state
        if state and state != "valid":
            if state not in cert_badges:
                cert_badges[state] = Markup(' <span class="badge cert-{}">{}</span>').format(
                    state, label(state, "cert")
                )
            live += cert_badges[state]
        # Escaped piece by piece and joined as text: Markup.format runs a Python formatter per call.
        rows.append(
            Markup(  # noqa: S704
                f'<tr class="{"behind" if row.behind else ""}"><td><a href="{before_id}{row.user.id}'
                f'{after_id}">{escape(row.user.display_name)}</a>{behind if row.behind else ""}</td>'
                f"{''.join([cells[s] for s in row.cells])}<td>{live}</td></tr>\n"
            )
        )
    return rows


#: What a cell of the matrix shows for each state; its translated name is there for screen readers.
CELL_SYMBOLS = {"done": "✓", "in_progress": "…", "failed": "✗", "overdue": "!", "todo": "·"}


def _cell_markup() -> dict[str, Markup]:
    """Each state's table cell, built once per page rather than once per learner and requirement
    (a cohort of 200 has 2,600 cells)."""
    return {
        state: Markup('<td class="{}">{}<span class="visually-hidden"> {}</span></td>').format(
            state, symbol, label(state, "cell")
        )
        for state, symbol in CELL_SYMBOLS.items()
    }


@bp.get("/<int:cohort_id>.csv")
@reads_plan
@staff
def matrix_csv(cohort_id: int) -> Response:
    """The matrix as CSV (UTF-8 with BOM for Excel; formula-like cells neutralised)."""
    cohort, data, _order = _matrix(cohort_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "username",
            "display_name",
            *[title for _k, title, _d in data.columns],
            "done",
            "expected_by_today",
            "live",
        ]
    )
    for row in data.rows:
        writer.writerow(
            [
                neutralise(v)
                for v in [
                    row.user.username,
                    row.user.display_name,
                    *row.cells,
                    row.done,
                    row.expected,
                    "yes" if row.live else "no",
                ]
            ]
        )
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="cohort-{cohort.id}.csv"'},
    )


@bp.get("/learners/<int:user_id>")
@staff
def learner(user_id: int) -> str:
    """One learner: go-live checklist, attempts, certificate, sign-off."""
    session = db_session()
    user = session.get(User, user_id) or abort(404)
    attempts = session.scalars(
        select(Attempt)
        .where(Attempt.user_id == user.id)
        .options(joinedload(Attempt.quiz))
        .order_by(Attempt.started_at.desc())
        .limit(100)
    ).all()
    signoff = session.scalars(select(GoLiveSignoff).where(GoLiveSignoff.user_id == user.id)).one_or_none()
    return render_template(
        "cohorts/learner.html",
        learner=user,
        requirements=golive.go_live_requirements(session, user, _kept_rules(session)),
        attempts=attempts,
        cert=golive.certificate_of(session, user),
        signoff=signoff,
        form=FlaskForm(),
    )


@bp.post("/learners/<int:user_id>/signoff")
@roles_required(Role.TRAINER, Role.ADMIN)
def signoff(user_id: int) -> Response:
    """A trainer signs a new hire off for go-live, with a comment."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    session = db_session()
    user = session.get(User, user_id) or abort(404)
    try:
        golive.sign_off(session, me(), user, request.form.get("comment", ""), utcnow())
    except DomainError as err:
        session.rollback()
        flash(translate_error(err), "error")
    else:
        session.commit()
        flash(
            _(
                "%(name)s is signed off. The certificate is issued as soon as every other requirement is met.",
                name=user.display_name,
            ),
            "success",
        )
    back = {"desk": url_for("home.staff"), "ready": url_for("cohorts.ready")}.get(
        request.form.get("back", "")
    )
    return redirect(back or url_for("cohorts.learner", user_id=user.id))


@bp.get("/ready")
@roles_required(Role.TRAINER, Role.ADMIN)
def ready() -> str:
    """Everyone in the reader's cohorts who met every go-live requirement but the sign-off."""
    session = db_session()
    scope = trainer_scope(session, me())
    return render_template(
        "cohorts/ready.html",
        scope=scope,
        ready=ready_for_signoff(session, _kept_rules(session), scope.ids, limit=FULL_LIST),
        form=FlaskForm(),
    )


@bp.get("/failed-exams")
@staff
def failed_exams() -> str:
    """Exams failed in the last two days in the reader's cohorts and not passed since, newest first."""
    session = db_session()
    scope = trainer_scope(session, me())
    return render_template(
        "cohorts/failed_exams.html",
        scope=scope,
        failed=desk_failed_exams(session, scope.members(), utcnow(), limit=FULL_LIST),
        days=FAILED_EXAM_DAYS,
    )
