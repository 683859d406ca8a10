"""Landing pages: the learner's and the staff's."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from lms.access import public, roles_required, signed_in
from lms.db import db_session, utcnow
from lms.domain.assignments.assigning import open_assignments
from lms.domain.certification.golive import certificate_of, go_live_requirements
from lms.domain.curriculum.programme import calendar_for, load_schedule, today_view
from lms.domain.tiers.ladder import current_tier, next_tier_requirements, tier_names
from lms.models import Cohort, Role, Store, User, UserRole

bp = Blueprint("home", __name__)


@bp.get("/")
@public
def index() -> Response:
    """Send people where they start."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    if current_user.is_staff:
        return redirect(url_for("home.staff"))
    return redirect(url_for("home.learner"))


@bp.get("/learn/")
@signed_in
def learner() -> str:
    """The learner's home: their cohort, trainer, stores and programme."""
    session = db_session()
    user = session.get(User, current_user.id)
    assert user is not None
    today = utcnow().date()
    view = today_view(session, user, today)
    requirements = go_live_requirements(session, user)
    cert = certificate_of(session, user)
    tier = current_tier(session, user)
    next_tier, tier_requirements = next_tier_requirements(session, user, today)
    return render_template(
        "home/learner.html",
        open_work=open_assignments(session, user),
        today_date=today,
        user=user,
        cohort=user.cohort,
        today=view,
        requirements=requirements,
        cert=cert,
        tier=tier,
        next_tier=next_tier,
        tier_requirements=tier_requirements,
        tier_names=tier_names(session),
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
    start = user.cohort.start_date if user.cohort else (user.hired_on or utcnow().date())
    body = calendar_for(schedule, start, session)
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": 'attachment; filename="onboarding.ics"'},
    )


@bp.get("/staff/")
@roles_required(Role.TRAINER, Role.QC, Role.ADMIN)
def staff() -> str:
    """The staff desk: the team at a glance and where each tool is."""
    session = db_session()
    role_counts: dict[str, int] = dict(
        session.execute(
            select(UserRole.role, func.count())
            .join(User)
            .where(User.active.is_(True))
            .group_by(UserRole.role)
        )
        .tuples()
        .all()
    )
    cohorts = session.scalars(select(Cohort).order_by(Cohort.start_date.desc()).limit(10)).all()
    cohort_sizes: dict[int, int] = dict(
        session.execute(
            select(User.cohort_id, func.count())
            .where(User.cohort_id.is_not(None), User.active.is_(True))
            .group_by(User.cohort_id)
        )
        .tuples()
        .all()  # type: ignore[arg-type]
    )
    stores = session.scalar(select(func.count()).select_from(Store).where(Store.active.is_(True)))
    return render_template(
        "home/staff.html",
        role_counts=role_counts,
        cohorts=cohorts,
        cohort_sizes=cohort_sizes,
        store_count=stores or 0,
        curriculum_url=url_for("curriculum.index"),
    )
