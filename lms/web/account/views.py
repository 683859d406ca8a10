"""The signed-in person's account: personal access tokens for the API."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response

from lms.access import signed_in
from lms.db import db_session
from lms.domain.accounts import tokens
from lms.domain.errors import DomainError, NotFound
from lms.models import ApiToken
from lms.web.account.forms import TokenForm
from lms.web.forms import apply_domain_error
from lms.web.identity import me
from lms.web.security_log import note_if_someone_elses

bp = Blueprint("account", __name__)


@bp.route("/tokens", methods=["GET", "POST"])
@signed_in
def api_tokens() -> Response | str:
    """List, create and revoke one's API tokens; a new token is shown once."""
    session = db_session()
    user = me()
    form = TokenForm()
    if not user.is_staff:
        form.scope.choices = [c for c in form.scope.choices if c[0] == "learner"]
    secret = None
    if form.validate_on_submit():
        try:
            _token, secret = tokens.create_token(session, user, form.name.data or "", form.scope.data)
        except DomainError as err:
            session.rollback()
            apply_domain_error(form, err)
        else:
            session.commit()
            flash(_("Token created. Copy it now: it will not be shown again."), "success")
            form = TokenForm(formdata=None)
            if not user.is_staff:
                form.scope.choices = [c for c in form.scope.choices if c[0] == "learner"]
    rows = session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc())
    ).all()
    return render_template("account/tokens.html", form=form, rows=rows, secret=secret, revoke=FlaskForm())


@bp.post("/tokens/<int:token_id>/revoke")
@signed_in
def revoke_token(token_id: int) -> Response:
    """Revoke one of one's tokens."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    session = db_session()
    try:
        tokens.revoke_token(session, me(), token_id)
    except NotFound:
        note_if_someone_elses(ApiToken, token_id)
        abort(404)
    session.commit()
    flash(_("Token revoked."), "success")
    return redirect(url_for("account.api_tokens"))
