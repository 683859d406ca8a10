"""Administration: users and roles, stores, cohorts, the audit log."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.wrappers import Response

from lms.access import roles_required
from lms.db import db_session
from lms.domain.accounts import people
from lms.domain.accounts.desk import agent_without_store, holds_no_role
from lms.domain.errors import DomainError
from lms.models import AuditEvent, Cohort, Role, Store, User, UserRole, UserStore
from lms.web.admin.forms import (
    AuditFilterForm,
    CohortForm,
    ConfirmForm,
    PasswordResetForm,
    StoreForm,
    UserForm,
    role_choices,
)
from lms.web.forms import apply_domain_error, translate_error
from lms.web.identity import me
from lms.web.pagination import Page, paginate

bp = Blueprint("admin", __name__)
admin_only = roles_required(Role.ADMIN)


def _fill_choices(form: UserForm) -> None:
    session = db_session()
    form.roles.choices = role_choices()
    cohorts = session.scalars(select(Cohort).order_by(Cohort.start_date.desc())).all()
    form.cohort.choices = [("", _("— none —"))] + [(c.name, c.name) for c in cohorts]
    stores = session.scalars(select(Store).where(Store.active.is_(True)).order_by(Store.name)).all()
    form.main_store.choices = [("", _("— none —"))] + [(s.name, s.name) for s in stores]
    form.other_stores.choices = [(s.name, s.name) for s in stores]


def _user_data(form: UserForm) -> people.UserData:
    stores = [form.main_store.data] if form.main_store.data else []
    stores += [s for s in (form.other_stores.data or []) if s and s not in stores]
    return people.UserData(
        username=form.username.data or "",
        display_name=form.display_name.data or "",
        email=form.email.data or None,
        roles=people.parse_roles(form.roles.data or []),
        locale=form.locale.data or None,
        hired_on=form.hired_on.data,
        cohort=form.cohort.data or None,
        stores=stores,
        password=(form.password.data or None) if form.password is not None else None,
    )


@bp.get("/users")
@admin_only
def users() -> str:
    """Everyone, searchable and filterable by role and status."""
    q = request.args.get("q", "").strip()[:80]
    role = request.args.get("role", "")
    status = request.args.get("status", "active")
    missing = request.args.get("missing", "")
    stmt: Select[tuple[User]] = select(User).options(joinedload(User.cohort), selectinload(User.store_links))
    if q:
        like = f"%{q.lower()}%"
        stmt = stmt.where(or_(func.lower(User.username).like(like), func.lower(User.display_name).like(like)))
    if role in {r.value for r in Role}:
        stmt = stmt.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == role)))
    if missing == "role":
        stmt = stmt.where(holds_no_role())
    elif missing == "store":
        stmt = stmt.where(agent_without_store())
    else:
        missing = ""
    if status == "active":
        stmt = stmt.where(User.active.is_(True))
    elif status == "inactive":
        stmt = stmt.where(User.active.is_(False))
    page: Page[User] = paginate(db_session(), stmt.order_by(User.username), per_page=50)
    return render_template(
        "admin/users.html", page=page, q=q, role=role, status=status, missing=missing, roles=role_choices()
    )


@bp.route("/users/new", methods=["GET", "POST"])
@admin_only
def new_user() -> Response | str:
    """Create a user with roles, cohort and stores."""
    form = UserForm()
    _fill_choices(form)
    if request.method == "GET":
        form.roles.data = ["learner"]
    if form.validate_on_submit():
        session = db_session()
        try:
            user = people.create_user(session, _user_data(form), actor=me())
        except DomainError as err:
            session.rollback()
            apply_domain_error(form, err)
        else:
            session.commit()
            flash(_("%(name)s has been created.", name=user.display_name), "success")
            return redirect(url_for("admin.edit_user", user_id=user.id))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@admin_only
def edit_user(user_id: int) -> Response | str:
    """Edit a user's details, roles, cohort and stores; deactivate or reset the password."""
    session = db_session()
    user = session.get(User, user_id) or abort(404)
    form = UserForm(obj=None)
    _fill_choices(form)
    del form.password
    if request.method == "GET":
        form.username.data = user.username
        form.display_name.data = user.display_name
        form.email.data = user.email
        form.roles.data = sorted(user.roles)
        form.locale.data = user.locale or ""
        form.hired_on.data = user.hired_on
        form.cohort.data = user.cohort.name if user.cohort else ""
        names = [link.store.name for link in user.store_links]
        form.main_store.data = names[0] if names else ""
        form.other_stores.data = names[1:]
    if form.validate_on_submit():
        data = _user_data(form)
        data.username = user.username
        try:
            people.update_user(session, user, data, actor=me())
        except DomainError as err:
            session.rollback()
            apply_domain_error(form, err)
        else:
            session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("admin.edit_user", user_id=user.id))
    return render_template(
        "admin/user_form.html",
        form=form,
        user=user,
        confirm=ConfirmForm(),
        reset=PasswordResetForm(),
    )


@bp.post("/users/<int:user_id>/active")
@admin_only
def set_active(user_id: int) -> Response:
    """Deactivate (every session of theirs ends) or reactivate a user."""
    session = db_session()
    user = session.get(User, user_id) or abort(404)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    active = request.form.get("active") == "1"
    try:
        people.set_active(session, user, active, actor=me())
    except DomainError as err:
        session.rollback()
        flash(translate_error(err), "error")
    else:
        session.commit()
        if active:
            flash(_("%(name)s can sign in again.", name=user.display_name), "success")
        else:
            flash(_("%(name)s is deactivated and signed out everywhere.", name=user.display_name), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.post("/users/<int:user_id>/password")
@admin_only
def reset_password(user_id: int) -> Response | str:
    """Set a new password for someone who forgot theirs."""
    session = db_session()
    user = session.get(User, user_id) or abort(404)
    form = PasswordResetForm()
    if form.validate_on_submit():
        try:
            people.set_password(session, user, form.password.data or "", actor=me())
        except DomainError as err:
            session.rollback()
            flash(translate_error(err), "error")
        else:
            session.commit()
            flash(_("The password of %(name)s has been reset.", name=user.display_name), "success")
    else:
        for errors in form.errors.values():
            for message in errors:
                flash(str(message), "error")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/stores", methods=["GET", "POST"])
@admin_only
def stores() -> Response | str:
    """The stores agents work in."""
    session = db_session()
    form = StoreForm()
    if form.validate_on_submit():
        try:
            people.create_store(
                session, form.name.data or "", form.platform.data or "tmall", form.code.data, actor=me()
            )
        except DomainError as err:
            session.rollback()
            apply_domain_error(form, err)
        else:
            session.commit()
            flash(_("Store added."), "success")
            return redirect(url_for("admin.stores"))
    rows = session.execute(
        select(Store, func.count(UserStore.user_id))
        .outerjoin(UserStore)
        .group_by(Store.id)
        .order_by(Store.name)
    ).all()
    return render_template("admin/stores.html", rows=rows, form=form)


@bp.route("/stores/<int:store_id>", methods=["GET", "POST"])
@admin_only
def edit_store(store_id: int) -> Response | str:
    """Rename a store, change its code or platform."""
    session = db_session()
    store = session.get(Store, store_id) or abort(404)
    form = StoreForm(obj=store) if request.method == "GET" else StoreForm()
    if form.validate_on_submit():
        try:
            people.update_store(
                session,
                store,
                form.name.data or "",
                form.platform.data or "tmall",
                form.code.data,
                actor=me(),
            )
        except DomainError as err:
            session.rollback()
            apply_domain_error(form, err)
        else:
            session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("admin.stores"))
    return render_template("admin/store_form.html", form=form, store=store)


def _trainer_choices() -> list[tuple[str, str]]:
    trainers = (
        db_session()
        .scalars(
            select(User)
            .join(UserRole)
            .where(UserRole.role == Role.TRAINER.value, User.active.is_(True))
            .order_by(User.display_name)
        )
        .all()
    )
    return [("", _("— none —"))] + [(str(t.id), f"{t.display_name} ({t.username})") for t in trainers]


def _trainer(form: CohortForm) -> User | None:
    if not form.trainer.data:
        return None
    if not str(form.trainer.data).isdecimal() or len(str(form.trainer.data)) > 10:
        raise DomainError("Unknown trainer.", "trainer")
    return db_session().get(User, int(form.trainer.data))


@bp.route("/cohorts", methods=["GET", "POST"])
@admin_only
def cohorts() -> Response | str:
    """Cohorts of new hires and their start dates."""
    session = db_session()
    form = CohortForm()
    form.trainer.choices = _trainer_choices()
    if request.method == "GET":
        form.start_date.data = dt.date.today()
    if form.validate_on_submit():
        try:
            people.create_cohort(
                session, form.name.data or "", form.start_date.data, _trainer(form), actor=me()
            )
        except DomainError as err:
            session.rollback()
            apply_domain_error(form, err)
        else:
            session.commit()
            flash(_("Cohort added."), "success")
            return redirect(url_for("admin.cohorts"))
    sizes = (
        select(User.cohort_id, func.count().label("size"))
        .where(User.cohort_id.is_not(None))
        .group_by(User.cohort_id)
        .subquery()
    )
    rows = session.execute(
        select(Cohort, func.coalesce(sizes.c.size, 0))
        .outerjoin(sizes, sizes.c.cohort_id == Cohort.id)
        .options(joinedload(Cohort.trainer))
        .order_by(Cohort.start_date.desc())
    ).all()
    return render_template("admin/cohorts.html", rows=rows, form=form)


@bp.route("/cohorts/<int:cohort_id>", methods=["GET", "POST"])
@admin_only
def edit_cohort(cohort_id: int) -> Response | str:
    """Rename a cohort, move its start date, change its trainer."""
    session = db_session()
    cohort = session.get(Cohort, cohort_id) or abort(404)
    form = CohortForm()
    form.trainer.choices = _trainer_choices()
    if request.method == "GET":
        form.name.data = cohort.name
        form.start_date.data = cohort.start_date
        form.trainer.data = str(cohort.trainer_id or "")
    if form.validate_on_submit():
        try:
            people.update_cohort(
                session, cohort, form.name.data or "", form.start_date.data, _trainer(form), actor=me()
            )
        except DomainError as err:
            session.rollback()
            apply_domain_error(form, err)
        else:
            session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("admin.cohorts"))
    return render_template("admin/cohort_form.html", form=form, cohort=cohort)


@bp.get("/audit")
@admin_only
def audit_log() -> str:
    """The audit log, newest first, filterable by action, person and dates."""
    form = AuditFilterForm(request.args)
    form.validate()
    stmt: Select[tuple[AuditEvent]] = select(AuditEvent).options(joinedload(AuditEvent.actor))
    if form.action.data:
        stmt = stmt.where(AuditEvent.action.startswith(form.action.data.strip()))
    if form.actor.data:
        actor = people.find_user(db_session(), form.actor.data)
        stmt = stmt.where(AuditEvent.actor_id == (actor.id if actor else -1))
    if form.since.data and not form.since.errors:
        start = dt.datetime.combine(form.since.data, dt.time(), tzinfo=dt.UTC)
        stmt = stmt.where(AuditEvent.at >= start)
    if form.until.data and not form.until.errors:
        end = dt.datetime.combine(form.until.data + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
        stmt = stmt.where(AuditEvent.at < end)
    page: Page[AuditEvent] = paginate(
        db_session(), stmt.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()), per_page=100
    )
    return render_template("admin/audit.html", page=page, form=form)
