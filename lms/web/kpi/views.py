"""KPI pages: an agent's own history, the team's month with bonuses, the monthly import with preview."""

from __future__ import annotations

import base64
import binascii
import csv
import io
import json

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response

from lms.access import roles_required, signed_in
from lms.db import db_session, utcnow
from lms.domain.certification.cohort_matrix import neutralise
from lms.domain.errors import DomainError
from lms.domain.kpi.csv_import import MAX_BYTES, apply_kpi_import, check_upload, parse_kpi_csv
from lms.domain.kpi.metrics import METRICS
from lms.domain.kpi.scores import agent_history, month_scores, scheme_for
from lms.domain.kpi.team import SORTS, team_month
from lms.models import KpiRecord, Role
from lms.web.forms import translate_error
from lms.web.identity import me
from lms.web.pagination import Page, asked_page

bp = Blueprint("kpi", __name__)
staff = roles_required(Role.TRAINER, Role.QC, Role.ADMIN)


@bp.get("/learn/kpi")
@signed_in
def mine() -> str:
    """An agent's KPI history: a score line by month and each metric's points."""
    history = agent_history(db_session(), me())
    chart = {"labels": [h.month for h in history], "scores": [h.score for h in history]}
    return render_template(
        "kpi/mine.html",
        history=history,
        chart=json.dumps(chart),
        metrics=METRICS,
        scheme=scheme_for(db_session(), history[-1].month) if history else None,
    )


@bp.get("/staff/kpi")
@staff
def team() -> str:
    """The team's month: score per agent and store, band and bonus; sortable, searchable, one page
    at a time, with the month's agent count, average score and bonus total."""
    session = db_session()
    months = list(session.scalars(select(KpiRecord.month).distinct().order_by(KpiRecord.month.desc())))
    asked = request.args.get("month", "")
    month = asked if asked in months else (months[0] if months else None)
    order = request.args.get("sort", "score")
    order = order if order in SORTS else "score"
    query = request.args.get("q", "")[:100]
    month_page = team_month(session, month, query=query, sort=order, page=asked_page()) if month else None
    rows = month_page.rows if month_page else []
    from lms.domain.tiers.ladder import tier_names, tiers_of

    return render_template(
        "kpi/team.html",
        month=month,
        months=months,
        team=month_page,
        page=Page(rows, month_page.page, month_page.per_page, month_page.matched) if month_page else None,
        rows=rows,
        order=order,
        q=query,
        tiers=tiers_of(session, [r.user.id for r in rows]) if rows else {},
        tier_names=tier_names(session),
    )


@bp.get("/staff/kpi/<month>.csv")
@staff
def team_csv(month: str) -> Response:
    """The month's bonus sheet as CSV (formula-like cells neutralised)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["agent", "display_name", "month", "kpi_score", "band_base", "bonus", "stores"])
    for row in month_scores(db_session(), month):
        stores = "; ".join(
            f"{store.name} {score.score:g} ×{weight:g}%" for store, score, weight in row.stores
        )
        writer.writerow(
            [
                neutralise(v)
                for v in (
                    row.user.username,
                    row.user.display_name,
                    month,
                    f"{row.score:.2f}",
                    f"{row.base:.0f}",
                    f"{row.bonus:.2f}",
                    stores,
                )
            ]
        )
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="kpi-{month}.csv"'},
    )


@bp.route("/admin/kpi/import", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def import_month() -> Response | str:
    """Upload → preview (every problem by line; nothing written) → confirm."""
    form = FlaskForm()
    preview = payload = None
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        upload = request.files.get("file")
        filename: str | None = None
        if upload is not None and upload.filename:
            filename, data = upload.filename, upload.read(MAX_BYTES + 1)
        elif request.form.get("payload"):
            try:
                data = base64.b64decode(request.form.get("payload", ""), validate=True)
            except (binascii.Error, ValueError):
                data = b""
        else:
            flash(_("Choose the CSV file to import."), "error")
            return redirect(url_for("kpi.import_month"))
        try:
            check_upload(filename, data)
        except DomainError as err:
            flash(translate_error(err), "error")
            return redirect(url_for("kpi.import_month"))
        session = db_session()
        preview = parse_kpi_csv(session, data, utcnow().date())
        if request.form.get("confirm") == "1" and not preview.problems:
            count = apply_kpi_import(session, preview, actor=me())
            session.commit()
            flash(
                _("Imported %(n)s records for %(months)s.", n=count, months=", ".join(preview.months)),
                "success",
            )
            return redirect(url_for("kpi.team", month=preview.months[-1]))
        payload = base64.b64encode(data).decode("ascii")
    return render_template("kpi/import.html", form=form, preview=preview, payload=payload)
