"""Forgot my password: ask for a link by email, then set a new password with it.

The rules are in lms/domain/accounts/password_reset.py. Here: the same answer whether or not an
account matched, limits per address and per account asked for (429s go to the security log), the
link built from LMS_BASE_URL (never from the request's Host header, which a visitor controls), and
the email sent in the background so the answer takes as long either way.
"""

from __future__ import annotations

import logging
import threading
from email.message import EmailMessage

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from lms.access import public
from lms.db import db_session, utcnow
from lms.domain.accounts import password_reset
from lms.domain.errors import DomainError
from lms.mail import SmtpSender
from lms.web.auth.forms import ForgotPasswordForm, ResetPasswordForm
from lms.web.auth.views import bp
from lms.web.forms import apply_domain_error, translate_error
from lms.web.rate_limits import limited

log = logging.getLogger(__name__)


def _ip_rate() -> str:
    rate: str = current_app.config["LMS"].reset_rate_ip
    return rate


def _account_rate() -> str:
    rate: str = current_app.config["LMS"].reset_rate_account
    return rate


def _account_key() -> str:
    """Rate-limit key: the account asked for, so one person's inbox cannot be flooded from many addresses."""
    return "reset:" + request.form.get("account", "").strip().lower()[:200]


def _mail_enabled() -> bool:
    return bool(current_app.config["LMS"].smtp_url)


def _send_in_background(sender: SmtpSender, message: EmailMessage) -> None:
    def deliver() -> None:
        try:
            sender.send(message)
        except Exception:  # a mail server failing must not take the worker with it
            log.exception("password reset email to %s could not be sent", message["To"])

    threading.Thread(target=deliver, name="reset-mail", daemon=True).start()


@bp.route("/forgot", methods=["GET", "POST"])
@public
@limited(_ip_rate, methods=["POST"])
@limited(_account_rate, key_func=_account_key, methods=["POST"])
def forgot_password() -> Response | str:
    """Ask for a reset link (when email is set up); the answer never says whether the account exists."""
    if not _mail_enabled():
        return render_template("auth/forgot.html", form=None)
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        session = db_session()
        config = current_app.config["LMS"]
        sender = SmtpSender(config.smtp_url, config.mail_from, config.base_url)
        now = utcnow()
        minutes = int(password_reset.LIFETIME.total_seconds() // 60)
        for user in password_reset.accounts_for(session, form.account.data or ""):
            token = password_reset.make_link_token(current_app.config["SECRET_KEY"], user, now)
            link = config.base_url.rstrip("/") + url_for("auth.reset_password", token=token)
            password_reset.link_sent(session, user, ip=request.remote_addr)
            _send_in_background(sender, sender.password_reset(user, link, minutes))
        session.commit()
        flash(
            _(
                "If an account with an email address matches, a link to set a new password is on its "
                "way there. It works once, for 30 minutes. No email? Check the spelling and the spam "
                "folder, or ask an administrator."
            ),
            "info",
        )
        return redirect(url_for("auth.forgot_password"))
    return render_template("auth/forgot.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str) -> Response | str | tuple[str, int]:
    """Choose a new password with a link from the email; every session of the account then ends."""
    session = db_session()
    secret = current_app.config["SECRET_KEY"]
    try:
        password_reset.user_for_link(session, secret, token, utcnow())
    except password_reset.ResetLinkInvalid as err:
        return render_template("auth/reset.html", form=None, problem=translate_error(err)), 410
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            password_reset.reset_with_link(
                session, secret, token, form.password.data or "", utcnow(), ip=request.remote_addr
            )
        except password_reset.ResetLinkInvalid as err:
            session.rollback()
            return render_template("auth/reset.html", form=None, problem=translate_error(err)), 410
        except DomainError as err:
            session.rollback()
            apply_domain_error(form, err)
        else:
            session.commit()
            flash(
                _(
                    "Your password has been changed, and every session of your account has been "
                    "signed out. Sign in with the new password."
                ),
                "success",
            )
            return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form, problem=None)
