"""Signing in and out, and changing one's password."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask import session as cookie
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from lms.access import public, signed_in
from lms.db import db_session
from lms.domain.accounts import people
from lms.domain.errors import DomainError
from lms.web.auth.forms import ChangePasswordForm, LoginForm
from lms.web.forms import apply_domain_error
from lms.web.identity import me
from lms.web.rate_limits import limited
from lms.web.redirects import safe_next

bp = Blueprint("auth", __name__)


def _login_username_key() -> str:
    """Rate-limit key: the username being tried, so one account cannot be brute-forced from many IPs."""
    return "user:" + people.normalise_username(request.form.get("username", ""))[:80]


def _ip_rate() -> str:
    rate: str = current_app.config["LMS"].login_rate_ip
    return rate


def _user_rate() -> str:
    rate: str = current_app.config["LMS"].login_rate_user
    return rate


def landing_url() -> str:
    """Where a signed-in person starts: staff to their desk, learners to their programme (a learner who
    is also staff sees their own Today page first, and the desk second in the menu)."""
    if current_user.is_authenticated and current_user.is_staff and not current_user.has_role("learner"):
        return url_for("home.staff")
    return url_for("home.learner")


@bp.route("/login", methods=["GET", "POST"])
@public
@limited(_ip_rate, methods=["POST"])
@limited(_user_rate, key_func=_login_username_key, methods=["POST"])
def login() -> Response | str:
    """The sign-in form. Errors never tell whether the username exists."""
    if current_user.is_authenticated:
        return redirect(landing_url())
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        session = db_session()
        user = people.authenticate(
            session, form.username.data or "", form.password.data or "", ip=request.remote_addr
        )
        session.commit()
        if user is not None:
            login_user(user, remember=bool(form.remember.data))
            # Kept in the cookie too, for the pages that cannot ask the database (lms/web/errors.py).
            if user.locale:
                cookie["locale"] = user.locale
            return redirect(safe_next(form.next.data) or landing_url())
        flash(_("That username and password do not match an active account."), "error")
    return render_template(
        "auth/login.html", form=form, mail_enabled=bool(current_app.config["LMS"].smtp_url)
    )


@bp.post("/logout")
@signed_in
def logout() -> Response:
    """Sign out here and everywhere else (the session version moves on)."""
    session = db_session()
    people.end_other_sessions(me())
    session.commit()
    logout_user()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@signed_in
def change_password() -> Response | str:
    """Change one's own password; every other session of the account ends."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        session = db_session()
        try:
            people.change_own_password(
                session, me(), form.current_password.data or "", form.new_password.data or ""
            )
        except DomainError as err:
            session.rollback()
            apply_domain_error(form, err)
        else:
            session.commit()
            login_user(me())  # keep this session on the new version
            flash(_("Your password has been changed. Other sessions have been signed out."), "success")
            return redirect(landing_url())
    return render_template("auth/change_password.html", form=form)
