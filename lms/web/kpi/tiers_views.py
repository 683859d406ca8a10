"""Staff view of the ladder: the tier distribution and the leaderboard; an admin's demotion."""

from __future__ import annotations

import datetime as dt
import json

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from lms.access import roles_required
from lms.db import db_session, utcnow
from lms.domain.errors import DomainError
from lms.domain.tiers import ladder as tier_rules
from lms.domain.tiers import leaderboard
from lms.models import Role, User
from lms.web.forms import translate_error
from lms.web.id_links import link_around_id
from lms.web.identity import me
from lms.web.kpi.ladder_cache import cached_floor
from lms.web.kpi.views import bp, staff
from lms.web.pagination import Page, asked_page


@bp.get("/staff/tiers")
@staff
def ladder() -> str:
    """How many agents stand on each tier, and the leaderboard (by tier then KPI, by KPI or by name),
    searchable and one page at a time."""
    session = db_session()
    sort = request.args.get("sort", "tier")
    sort = sort if sort in leaderboard.SORTS else "tier"
    number = asked_page()
    query = request.args.get("q", "")[:100]
    snapshot, read_at = cached_floor(session)
    names = snapshot.names  # read with the floor: the programme's tiers are in its fingerprint
    standings = leaderboard.board(snapshot=snapshot, query=query, sort=sort, page=number)
    lang = "zh" if str(get_locale()) == "zh_Hans" else "en"
    chart = json.dumps(
        {"labels": [names[s][lang] for s in standings.counts], "counts": list(standings.counts.values())}
    )
    page = Page(
        items=standings.rows, number=standings.page, per_page=standings.per_page, total=standings.total
    )
    return render_template(
        "kpi/ladder.html",
        board=standings,
        page=page,
        chart=chart,
        sort=sort,
        q=query,
        read_at=dt.datetime.fromtimestamp(read_at, dt.UTC),
        tier_label={slug: name[lang] for slug, name in names.items()},
        learner_link=link_around_id("cohorts.learner", "user_id"),
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
