"""The xAPI outbox, as an admin checks it: whether it is on, what was sent, what keeps failing."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, render_template, request

from lms.db import db_session
from lms.domain.xapi.outbox import latest, summary
from lms.web.admin.views import admin_only, bp


@bp.get("/xapi")
@admin_only
def xapi_outbox() -> str:
    """Counts, the store's address (never its secret) and the newest statements or only the failing ones."""
    config = current_app.config["LMS"]
    failing_only = request.args.get("show") == "failing"
    session = db_session()
    endpoint = urlsplit(config.xapi_endpoint)
    return render_template(
        "admin/xapi.html",
        enabled=bool(config.xapi_endpoint),
        endpoint=f"{endpoint.scheme}://{endpoint.netloc.rsplit('@', 1)[-1]}{endpoint.path}"
        if config.xapi_endpoint
        else "",
        home=config.xapi_home,
        counts=summary(session),
        rows=latest(session, failing_only=failing_only),
        failing_only=failing_only,
    )
