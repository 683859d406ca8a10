"""Staff view of the ladder: the tier distribution and the leaderboard; an admin's demotion."""

from __future__ import annotations

import json

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response

from lms.access import roles_required
from lms.db import db_session, utcnow
from lms.domain.errors import DomainError
from lms.domain.kpi.scores import month_scores
from lms.domain.tiers import ladder as tier_rules
from lms.models import KpiRecord, Role, User
from lms.web.forms import translate_error
from lms.web.identity import me
from lms.web.kpi.views import bp, staff


@bp.get("/staff/tiers")
@staff
def ladder() -> str:
    """How many agents stand on each tier, and the leaderboard: by tier, then by the latest KPI."""
    session = db_session()
    names = tier_rules.tier_names(session)
    order = list(names)
    users = session.scalars(select(User).where(User.active.is_(True))).all()
    tier_by_user = tier_rules.tiers_of(session, [u.id for u in users])
    month = session.scalars(select(KpiRecord.month).order_by(KpiRecord.month.desc()).limit(1)).first()
    kpi = {e.user.id: e.score for e in month_scores(session, month)} if month else {}
    rows = sorted(
        ((u, tier_by_user[u.id], kpi.get(u.id)) for u in users if u.id in tier_by_user),
        key=lambda r: (-order.index(r[1]) if r[1] in order else 0, -(r[2] or 0), r[0].display_name),
    )
    counts = [sum(1 for _u, t, _k in rows if t == slug) for slug in order]
    chart = json.dumps({"labels": [names[s]["en"] for s in order], "counts": counts})
    return render_template(
        "kpi/ladder.html",
        rows=rows,
        names=names,
        month=month,
        chart=chart,
        counts=dict(zip(order, counts, strict=True)),
    )


@bp.post("/admin/users/<int:user_id>/demote")
@roles_required(Role.ADMIN)
def demote(user_id: int) -> Response:
    """An admin moves an agent down one tier, with a reason (audited)."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    session = db_session()
    user = session.get(User, user_id) or abort(404)
    try:
        award = tier_rules.demote(session, me(), user, request.form.get("reason", ""), utcnow())
    except DomainError as err:
        session.rollback()
        flash(translate_error(err), "error")
    else:
        session.commit()
        flash(_("%(name)s is now at tier %(tier)s.", name=user.display_name, tier=award.tier), "success")
    return redirect(url_for("cohorts.learner", user_id=user.id))
