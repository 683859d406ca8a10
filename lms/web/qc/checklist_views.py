"""The QC checklist: QC and trainers read it, administrators change it."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from lms.access import roles_required
from lms.db import db_session
from lms.domain.errors import N_, DomainError
from lms.domain.qc.checklist import all_items, parse_topics, save_item
from lms.models import ChecklistItem, Role
from lms.web.forms import form_int, translate_error
from lms.web.identity import me

bp = Blueprint("qc_checklist", __name__)


@bp.get("/checklist")
@roles_required(Role.QC, Role.TRAINER, Role.ADMIN)
def checklist() -> str:
    """Every item with its points and topics; an admin edits in place."""
    return render_template("qc/checklist.html", items=all_items(db_session()), form=FlaskForm())


@bp.post("/checklist")
@roles_required(Role.ADMIN)
def save() -> Response:
    """Add an item (no id) or change one."""
    session = db_session()
    if not FlaskForm().validate_on_submit():
        abort(400)
    item_id = form_int(request.form, "id") if request.form.get("id") else None
    item = session.get(ChecklistItem, item_id) if item_id else None
    if request.form.get("id") and item is None:
        abort(404)
    try:
        points = form_int(request.form, "points", low=1, high=100)
        if points is None:
            raise DomainError(N_("Points must be between 1 and 100."), "points")
        save_item(
            session,
            me(),
            item=item,
            label=request.form.get("label", ""),
            label_zh=request.form.get("label_zh", ""),
            points=points,
            topics=parse_topics(request.form.get("topics", "")),
            position=form_int(request.form, "position", high=10_000) or 0,
            active=request.form.get("active") == "1",
        )
    except DomainError as err:
        session.rollback()
        flash(translate_error(err), "error")
    else:
        session.commit()
        flash(_("Checklist saved."), "success")
    return redirect(url_for("qc_checklist.checklist"))
