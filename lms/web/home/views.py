"""Landing pages: the learner's and the staff's."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import Integer, bindparam, cast, literal_column, null, select, union_all
from werkzeug.wrappers import Response

from lms.access import public, roles_required, signed_in
from lms.db import db_session, read_rows, utcnow
from lms.domain.assignments.assigning import open_assignments
from lms.domain.certification.golive import go_live_requirements_and_progress
from lms.domain.curriculum.programme import calendar_for, load_schedule, programme_start, today_view
from lms.domain.drills.progress import DRILL_TIMES, progress_from_times, streak_since
from lms.domain.qc.desk import NOT_CHECKED_DAYS
from lms.domain.tiers.ladder import (
    cohort_certificate_and_tier,
    keep_cohort_certificate_and_award,
    next_tier_requirements,
    tier_names,
    with_cohort_certificate_and_award,
)
from lms.models import DrillReview, Role, Store, User, UserStore
from lms.web.auth.views import landing_url
from lms.web.forms import form_int
from lms.web.home.desk import desk_context
from lms.web.home.today_lists import course_rows, due_today, left_over
from lms.web.identity import WithUser, me, reads_plan, reads_with_user
from lms.web.plan_cache import cached_gate_rules, cached_plan, cached_schedule

bp = Blueprint("home", __name__)
for _build in (due_today, left_over, course_rows):
    bp.add_app_template_global(_build)


@bp.get("/")
@public
def index() -> Response:
    """Send people where they start."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(landing_url())


#: The learner's stores as the page lists them (name, whether it is the main one, in their order)
#: and their drill reviews of the streak window (`drill_progress`), in one statement:
#: ("store", name, is_main, NULL) and ("drill", NULL, NULL, at). The first part types the columns.
_STORES_AND_DRILL_TIMES = union_all(
    select(
        literal_column("'store'").label("kind"),
        Store.name.label("name"),
        UserStore.is_main.label("is_main"),
        cast(null(), DrillReview.at.type).label("at"),
        UserStore.position.label("position"),
        Store.id.label("store_id"),
    )
    .join(Store, Store.id == UserStore.store_id)
    .where(UserStore.user_id == bindparam("user_id")),
    DRILL_TIMES.with_only_columns(
        literal_column("'drill'"),
        cast(null(), Store.name.type),
        cast(null(), UserStore.is_main.type),
        DrillReview.at,
        cast(null(), Integer),
        cast(null(), Integer),
    ),
).order_by(literal_column("position"), literal_column("store_id"))


#: The Today page's cohort, certificate, tier and trainer come with the signed-in person's row.
_COHORT_CERTIFICATE_AND_AWARD = WithUser(with_cohort_certificate_and_award, keep_cohort_certificate_and_award)


@bp.get("/learn/")
@reads_with_user(_COHORT_CERTIFICATE_AND_AWARD)
@reads_plan
@signed_in
def learner() -> str:
    """The learner's home: their cohort, trainer, stores and programme."""
    session = db_session()
    user = session.get(User, current_user.id)
    assert user is not None
    today = utcnow().date()
    schedule = cached_schedule(session)
    tiers = schedule.tiers if schedule else None  # the kept ladder: the programme row is not read
    # The cohort with its trainer's name, the certificate and the tier, read with the signed-in person's
    # row (`reads_with_user`); the programme's start date (today_view) then finds the cohort in the
    # session.
    cohort, cert, tier, trainer = cohort_certificate_and_tier(session, user, known_tiers=tiers)
    rules = cached_gate_rules(session, schedule) if schedule else None
    # The go-live gate's figures and the learner's progress (every lesson and quiz) in one statement.
    requirements, progress = go_live_requirements_and_progress(session, user, rules) if rules else ([], None)
    view = (
        today_view(session, user, today, cached_plan(session, schedule), schedule, progress)
        if schedule
        else None
    )
    next_tier, tier_requirements = next_tier_requirements(
        session, user, today, cert=cert, tier=tier, known_tiers=tiers
    )
    rows = read_rows(session, _STORES_AND_DRILL_TIMES, {"user_id": user.id, "since": streak_since(today)})
    stores, drill_times = [], []
    for kind, name, is_main, at, _position, _store in rows:
        if kind == "store":
            stores.append((name, is_main))
        else:
            drill_times.append(at)
    # The drill from the programme's first day; without a start date it counts from today, as the
    # drill page does (`programme_day`), though the Today page counts no day.
    drill = (
        progress_from_times(drill_times, today, schedule)
        if view and (view.day >= 1 or not view.dated)
        else None
    )
    return render_template(
        "home/learner.html",
        drill=drill,
        open_work=open_assignments(session, user),
        stores=stores,
        today_date=today,
        user=user,
        cohort=cohort,
        trainer=trainer,
        today=view,
        requirements=requirements,
        cert=cert,
        tier=tier,
        next_tier=next_tier,
        tier_requirements=tier_requirements,
        tier_names=tier_names(session, known_tiers=tiers),
    )


@bp.get("/learn/programme.ics")
@signed_in
def programme_calendar() -> Response:
    """The learner's programme as an iCalendar file: one all-day event per working day."""
    session = db_session()
    user = session.get(User, current_user.id)
    assert user is not None
    schedule = load_schedule(session)
    if schedule is None:
        abort(404)
    start = programme_start(session, user) or utcnow().date()
    body = calendar_for(schedule, start, session)
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": 'attachment; filename="onboarding.ics"'},
    )


@bp.get("/staff/")
@reads_plan
@roles_required(Role.TRAINER, Role.QC, Role.ADMIN)
def staff() -> str:
    """The staff desk: what needs each of the reader's roles today, each item linking to its full page."""
    days = form_int(request.args, "days", low=1, high=365) or NOT_CHECKED_DAYS
    return render_template(
        "home/staff.html", form=FlaskForm(), **desk_context(db_session(), me(), utcnow(), days)
    )
