"""Trainers' and QC's view of the FAQ drill: the cohort heatmap (agents × topics), one agent's
topics and leeches, and assigning a focused drill on a topic."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response

from lms.access import roles_required
from lms.db import db_session
from lms.domain.certification.golive import go_live_rules
from lms.domain.drills.heatmap import Heatmap, assign_focus, heatmap
from lms.domain.errors import DomainError
from lms.models import Cohort, Role, User
from lms.web.forms import form_int, translate_error
from lms.web.identity import me

bp = Blueprint("drill_staff", __name__)
staff = roles_required(Role.TRAINER, Role.QC, Role.ADMIN)


def _heatmap(who: list[int] | object) -> Heatmap:
    session = db_session()
    rules = go_live_rules(session)
    stability, leech = (rules.faq_stability_days, rules.faq_leech_lapses) if rules else (10, 4)
    return heatmap(session, who, stability_days=stability, leech_lapses=leech)  # type: ignore[arg-type]


@bp.get("/cohorts/<int:cohort_id>")
@staff
def cohort_heatmap(cohort_id: int) -> str:
    """Agents × FAQ topics, coloured by mastery, with leeches and a focused drill to assign."""
    session = db_session()
    cohort = session.get(Cohort, cohort_id) or abort(404)
    data = _heatmap(select(User.id).where(User.cohort_id == cohort.id, User.active.is_(True)))
    return render_template("drills/heatmap.html", cohort=cohort, heat=data, agent=None)


@bp.get("/agents/<int:user_id>")
@staff
def agent_heatmap(user_id: int) -> str:
    """One agent's topics and leeches (what QC opens from a spot check)."""
    agent = db_session().get(User, user_id) or abort(404)
    return render_template("drills/heatmap.html", cohort=None, heat=_heatmap([agent.id]), agent=agent)


@bp.post("/agents/<int:user_id>/focus")
@staff
def focus(user_id: int) -> Response:
    """Ask an agent to drill a topic first."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    session = db_session()
    agent = session.get(User, user_id) or abort(404)
    topic = (request.form.get("topic") or "").strip()[:40]
    try:
        assign_focus(session, me(), agent, topic)
    except DomainError as err:
        session.rollback()
        flash(translate_error(err), "error")
    else:
        session.commit()
        flash(
            _("Focused drill on %(topic)s assigned to %(name)s.", topic=topic, name=agent.display_name),
            "success",
        )
    cohort_id = form_int(request.form, "cohort")
    if cohort_id is not None:
        return redirect(url_for("drill_staff.cohort_heatmap", cohort_id=cohort_id))
    return redirect(url_for("drill_staff.agent_heatmap", user_id=agent.id))
