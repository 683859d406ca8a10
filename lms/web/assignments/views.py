"""Staff side of assignments: the bulk form, the team's open and overdue work, withdrawing one."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response

from lms.access import roles_required
from lms.content.programme import MEDALS
from lms.db import db_session, utcnow
from lms.domain.accounts.agent_search import agent_by_entry
from lms.domain.assignments import assigning
from lms.domain.curriculum.scenarios import playable
from lms.domain.errors import N_, DomainError
from lms.domain.tiers.ladder import on_tier, tier_names
from lms.models import Cohort, Course, Quiz, Role, Scenario, Store
from lms.web.agent_picker import agent_field
from lms.web.forms import form_int, translate_error
from lms.web.identity import me
from lms.web.qc.views import DEFAULT_DUE_DAYS, parse_date

bp = Blueprint("assignments", __name__)
assigners = roles_required(Role.QC, Role.TRAINER, Role.ADMIN)


def _work(raw: str) -> tuple[Course | None, Quiz | None, Scenario | None]:
    """'course:12', 'quiz:7' or 'scenario:3' -> the model (or a DomainError naming the field)."""
    kind, _sep, ident = raw.partition(":")
    session = db_session()
    number = form_int({"id": ident}, "id") or 0
    course = session.get(Course, number) if kind == "course" else None
    quiz = session.get(Quiz, number) if kind == "quiz" else None
    scenario = session.get(Scenario, number) if kind == "scenario" else None
    if course is None and quiz is None and scenario is None:
        raise DomainError(N_("Choose one course, quiz or practice chat."), "work")
    return course, quiz, scenario


@bp.route("/new", methods=["GET", "POST"])
@assigners
def new() -> Response | tuple[str, int]:
    """Assign a course or quiz to one agent, a cohort, a store, a tier, everyone live, or everyone who
    learned a course's older major version — in one transaction, never twice to the same person."""
    session = db_session()
    form = FlaskForm()
    errors: dict[str, str] = {}
    values = request.form if request.method == "POST" else request.args
    today = utcnow().date()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            course, quiz, scenario = _work(request.form.get("work", ""))
            kind = request.form.get("audience", "")
            value = request.form.get(kind) if kind in ("agent", "cohort", "store", "tier") else None
            if kind in ("agent", "cohort", "store", "tier") and not (value or "").strip():
                raise DomainError(N_("Choose who gets the work."), "audience")
            if kind == "agent":
                agent = agent_by_entry(session, value or "")
                if agent is None:
                    raise DomainError(N_("Choose an active agent."), "audience")
                value = str(agent.id)
            if kind == "older_version" and course is None:
                raise DomainError(N_("Choose the course whose older version they learned."), "work")
            if kind == "tier":  # the live agents, narrowed to those on the tier
                people = on_tier(session, assigning.audience_ids(session, "live", None), value)
            else:
                people = assigning.audience_ids(session, kind, value, course=course)
            result = assigning.assign(
                session,
                me(),
                people,
                course=course,
                quiz=quiz,
                scenario=scenario,
                medal=request.form.get("medal") if request.form.get("medal") in MEDALS else None,
                due_on=parse_date(request.form.get("due_on"), "due_on"),
                reason=request.form.get("reason", ""),
                source="qc" if me().has_role(Role.QC) else "trainer",
                now=utcnow(),
            )
        except DomainError as err:
            session.rollback()
            errors[err.field or "form"] = translate_error(err)
        else:
            session.commit()
            flash(
                _("Assigned to %(n)s people; %(m)s already had it open.", n=result.count, m=result.skipped),
                "success",
            )
            return redirect(url_for("assignments.team"))
    return render_template(
        "assignments/new.html",
        form=form,
        values=values,
        errors=errors,
        courses=session.scalars(
            select(Course).where(Course.published.is_(True)).order_by(Course.title)
        ).all(),
        quizzes=session.scalars(select(Quiz).where(Quiz.published.is_(True)).order_by(Quiz.title)).all(),
        scenarios=playable(session),
        **agent_field(
            session, values.get("agent"), "audience" in errors and values.get("audience") == "agent"
        ),
        cohorts=session.scalars(select(Cohort).order_by(Cohort.start_date.desc())).all(),
        stores=session.scalars(select(Store).where(Store.active.is_(True)).order_by(Store.name)).all(),
        tiers=tier_names(session),
        default_due=(today + dt.timedelta(days=DEFAULT_DUE_DAYS)).isoformat(),
        today=today,
    ), (422 if errors else 200)


@bp.get("/")
@assigners
def team() -> str:
    """Open work across the team, due soonest first; overdue only on request; a trainer may see just their
    cohorts, and anyone just what quality control assigned."""
    session = db_session()
    today = utcnow().date()
    overdue = request.args.get("overdue") == "1"
    mine = request.args.get("mine") == "1"
    from_qc = request.args.get("from") == "qc"
    automatic = request.args.get("from") == "auto"
    rows = assigning.team_assignments(
        session,
        today=today,
        overdue_only=overdue,
        trainer=me() if mine else None,
        sources=assigning.QC_SOURCES if from_qc else None,
        automatic_only=automatic,
    )
    return render_template(
        "assignments/team.html",
        rows=rows,
        today=today,
        overdue=overdue,
        mine=mine,
        from_qc=from_qc,
        automatic=automatic,
        form=FlaskForm(),
    )


@bp.post("/<int:assignment_id>/cancel")
@assigners
def cancel(assignment_id: int) -> Response:
    """Withdraw an open assignment given by mistake."""
    session = db_session()
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        assigning.cancel(session, me(), assignment_id, utcnow())
    except DomainError:
        abort(404)
    session.commit()
    flash(_("Assignment withdrawn."), "success")
    return redirect(request.referrer or url_for("assignments.team"))
