"""The security log, as an admin reads it: refusals counted per kind, person, address and hour."""

from __future__ import annotations

from flask import render_template, request

from lms.db import db_session
from lms.domain.accounts.security_log import SecurityFilter, filtered
from lms.models import SecurityEvent
from lms.web.admin.forms import SECURITY_KIND_LABELS, SecurityFilterForm
from lms.web.admin.views import admin_only, bp
from lms.web.pagination import Page, paginate


@bp.get("/security")
@admin_only
def security_log() -> str:
    """Throttled sign-ins, denied pages, probes of others' records, refused tokens and forms."""
    form = SecurityFilterForm(request.args)
    form.validate()
    flt = SecurityFilter(
        kind=form.kind.data or "",
        who=form.who.data or "",
        since=form.since.data if not form.since.errors else None,
        until=form.until.data if not form.until.errors else None,
    )
    page: Page[SecurityEvent] = paginate(db_session(), filtered(flt), per_page=100)
    return render_template("admin/security.html", page=page, form=form, kinds=SECURITY_KIND_LABELS)
