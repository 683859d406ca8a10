"""The rule book's pages: staff read the rules by category and try any text in the tester;
everyone signed in can check their own wording (the box beside the script library and in
practice quizzes). Text is bounded (MAX_CHECK characters, 413 above) and always shown escaped."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from werkzeug.wrappers import Response

from lms.access import roles_required, signed_in
from lms.content.questions.base import MAX_TEXT
from lms.content.rulebook import CATEGORIES, RuleBookSpec, marked_runs
from lms.db import db_session
from lms.domain.curriculum.rulebook import current_book, newest_version, version_count
from lms.models import Role

bp = Blueprint("rulebook", __name__)
staff = roles_required(Role.TRAINER, Role.QC, Role.ADMIN)
# The categories' names in both languages, for every page that shows a hit.
bp.record_once(lambda state: state.app.jinja_env.globals.update(CATEGORY_LABELS=CATEGORIES))
#: The longest text the tester and the wording box read (a chat message is far shorter).
MAX_CHECK = MAX_TEXT


def _check(text: str, *, exempted: bool) -> dict[str, Any]:
    """What the newest rule book finds in a text, ready for the templates."""
    loaded = current_book(db_session())
    if loaded is None:
        return {"loaded": False, "text": text}
    hits = loaded.book.check(text, exempted=exempted) if text.strip() else []
    return {
        "loaded": True,
        "version": loaded.version,
        "text": text,
        "hits": [h for h in hits if not h.exempted_by],
        "exempted": [h for h in hits if h.exempted_by],
        "runs": marked_runs(text, hits),
    }


def _submitted_text() -> tuple[str, bool]:
    """The posted text and whether it is longer than MAX_CHECK (it is then not read)."""
    text = request.form.get("text", "")
    return (text, False) if len(text) <= MAX_CHECK else ("", True)


@bp.get("/")
@staff
def index() -> str:
    """The rules of the newest version, by category, with their sources and hints."""
    session = db_session()
    row = newest_version(session)
    spec = RuleBookSpec.from_json(row.rules) if row is not None else None
    groups = []
    if spec is not None:
        for name, category in CATEGORIES.items():
            rules = [r for r in spec.rules if r.category == name]
            if rules:
                groups.append((category, rules))
    return render_template(
        "rulebook/index.html", row=row, spec=spec, groups=groups, versions=version_count(session)
    )


@bp.route("/tester", methods=["GET", "POST"])
@staff
def tester() -> tuple[str, int]:
    """Paste any text: every hit with its rule, the exemptions that let words pass, the hints."""
    if request.method == "GET":
        return render_template("rulebook/tester.html", result=None, too_long=False, max_check=MAX_CHECK), 200
    text, too_long = _submitted_text()
    result = None if too_long else _check(text, exempted=True)
    partial = request.headers.get("HX-Request") == "true"
    template = "rulebook/_tester_result.html" if partial else "rulebook/tester.html"
    return render_template(template, result=result, too_long=too_long, max_check=MAX_CHECK), (
        413 if too_long else 200
    )


@bp.post("/check")
@signed_in
def check_wording() -> tuple[str, int] | Response:
    """The "check my wording" box: the hits in what the agent typed, with the better wording."""
    text, too_long = _submitted_text()
    result = None if too_long else _check(text, exempted=False)
    partial = request.headers.get("HX-Request") == "true"
    template = "rulebook/_wording_result.html" if partial else "rulebook/wording.html"
    return render_template(template, result=result, too_long=too_long, max_check=MAX_CHECK), (
        413 if too_long else 200
    )
