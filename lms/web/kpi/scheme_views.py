"""The KPI scheme editor: an admin sets weights, mappings, bonus bands and store weights from a month on."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from lms.access import roles_required
from lms.db import db_session, utcnow
from lms.domain.errors import DomainError
from lms.domain.kpi.schemes import parse_scheme_form, save_scheme, scheme_for, schemes
from lms.models import Role
from lms.web.forms import translate_error
from lms.web.identity import me
from lms.web.kpi.views import bp


@bp.route("/staff/kpi/scheme", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def scheme() -> Response | tuple[str, int]:
    """Show the scheme in force this month, prefilled; save a version from a chosen month on."""
    session = db_session()
    form = FlaskForm()
    today = utcnow().date()
    this_month = today.strftime("%Y-%m")
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            metrics, bands, weights = parse_scheme_form(request.form)
            save_scheme(
                session,
                me(),
                from_month=request.form.get("from_month", "").strip(),
                metrics=metrics,
                bands=bands,
                store_weights=weights,
                today=today,
            )
        except DomainError as err:
            session.rollback()
            errors[err.field or "form"] = translate_error(err)
        else:
            session.commit()
            flash(_("KPI scheme saved from %(month)s on.", month=request.form.get("from_month")), "success")
            return redirect(url_for("kpi.scheme"))
    current = scheme_for(session, this_month)
    return render_template(
        "kpi/scheme.html",
        form=form,
        current=current,
        values=request.form if request.method == "POST" else None,
        errors=errors,
        versions=schemes(session),
        this_month=this_month,
    ), (422 if errors else 200)
