"""QC pages: record a spot check, see one (QC, or the agent checked), assign the suggested refresher."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response

from lms.access import roles_required, signed_in
from lms.db import db_session, utcnow
from lms.domain.accounts.agent_search import agent_by_entry
from lms.domain.assignments import assigning
from lms.domain.assignments.assigning import team_assignments
from lms.domain.errors import N_, DomainError
from lms.domain.qc.checklist import active_items
from lms.domain.qc.spot_checks import (
    ItemOutcome,
    get_spot_check,
    read_transcript,
    record_spot_check,
    review_of,
    spot_checks_of,
    suggestions_for,
)
from lms.domain.qc.transcripts import TRANSCRIPT_MAX, Prefill, TranscriptReview, bounded
from lms.models import ChecklistItem, Course, Quiz, Role, Store, User
from lms.web.agent_picker import agent_field
from lms.web.forms import form_int, translate_error
from lms.web.identity import me
from lms.web.qc.dashboard import dashboard_context
from lms.web.security_log import note

bp = Blueprint("qc", __name__)
qc_staff = roles_required(Role.QC, Role.ADMIN)
assigners = roles_required(Role.QC, Role.TRAINER, Role.ADMIN)
DEFAULT_DUE_DAYS = 7


def parse_date(raw: str | None, field: str) -> dt.date:
    """A YYYY-MM-DD date from a form, or a DomainError naming the field."""
    try:
        return dt.date.fromisoformat((raw or "").strip())
    except ValueError:
        raise DomainError(N_("Enter a date as YYYY-MM-DD."), field) from None


def prefill_note(prefill: Prefill) -> str:
    """A pre-filled note in the reader's language, bounded to what an item holds."""
    return bounded(" ".join(_(template, **params) for template, params in prefill.parts))


def apply_prefill(values: dict[str, str], items: list[ChecklistItem], review: TranscriptReview) -> None:
    """Pre-fill the items the transcript decides, unless QC already chose something else.

    An item counts as QC's own once it differs from what was pre-filled last time (kept in the
    hidden `auto-item-N` / `auto-note-N` fields), so reading the transcript again never overwrites
    an override.
    """
    for item in items:
        suggestion = review.prefill.get(item.key)
        if suggestion is None:
            continue
        key, note_key = f"item-{item.id}", f"note-{item.id}"
        current, note = values.get(key, ""), values.get(note_key, "")
        untouched = current == values.get(f"auto-{key}", "") and note == values.get(f"auto-{note_key}", "")
        if not current or untouched:
            text = prefill_note(suggestion)
            values[key] = values[f"auto-{key}"] = suggestion.outcome
            values[note_key] = values[f"auto-{note_key}"] = text


@bp.get("/")
@assigners
def dashboard() -> str:
    """Scores over time, which topics fail most this month, who has not been checked lately."""
    days = form_int(request.args, "days", low=1, high=3650) or 30
    session, today = db_session(), utcnow().date()
    # Work the repeated failures assigned on their own, with why (a bounded list, five queries).
    escalated = team_assignments(session, today=today, sources=("qc",), automatic_only=True, limit=20)
    return render_template(
        "qc/dashboard.html", escalated=escalated, **dashboard_context(session, today, days)
    )


@bp.route("/spot-checks/new", methods=["GET", "POST"])
@qc_staff
def new_spot_check() -> Response | tuple[str, int]:
    """Record a spot check: agent, store, date, channel, transcript, each item pass/fail/n-a with a note."""
    session = db_session()
    form = FlaskForm()
    items = active_items(session)
    errors: dict[str, str] = {}
    values: dict[str, str] = request.form.to_dict() if request.method == "POST" else {}
    review: TranscriptReview | None = None
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        if len(values.get("transcript", "")) > TRANSCRIPT_MAX:
            # Never echo megabytes back into the page: say what happened, keep everything else.
            size = len(values.pop("transcript"))
            errors["transcript"] = _(
                "The transcript is %(size)s characters long; at most %(n)s are read. "
                "Paste the one chat you checked. Nothing was saved.",
                size=f"{size:,}",
                n=f"{TRANSCRIPT_MAX:,}",
            )
        elif request.form.get("action") == "read":
            try:
                if not values.get("transcript", "").strip():
                    raise DomainError(
                        N_("Paste the transcript (or the call notes) you checked."), "transcript"
                    )
                review, _loaded = read_transcript(session, values["transcript"])
            except DomainError as err:
                errors[err.field or "form"] = translate_error(err)
            else:
                apply_prefill(values, items, review)
        else:
            try:
                agent = agent_by_entry(session, request.form.get("agent", ""))
                if agent is None:
                    raise DomainError(N_("Choose an active agent."), "agent")
                store_id = form_int(request.form, "store") or None
                outcomes = {
                    item.id: ItemOutcome(
                        request.form.get(f"item-{item.id}", ""), request.form.get(f"note-{item.id}", "")
                    )
                    for item in items
                    if request.form.get(f"item-{item.id}")
                }
                channel = request.form.get("channel", "")
                transcript = request.form.get("transcript", "")
                reading = channel == "chat" and transcript.strip()
                loaded = read_transcript(session, transcript)[1] if reading else None
                check = record_spot_check(
                    session,
                    me(),
                    agent,
                    store_id=store_id,
                    checked_on=parse_date(request.form.get("checked_on"), "checked_on"),
                    channel=channel,
                    transcript=transcript,
                    outcomes=outcomes,
                    comment=request.form.get("comment", ""),
                    today=utcnow().date(),
                    rule_book_id=loaded.id if loaded is not None else None,
                )
            except DomainError as err:
                session.rollback()
                errors[err.field or "form"] = translate_error(err)
            else:
                session.commit()
                flash(_("Spot check saved: %(p)s %%.", p=f"{check.percent:g}"), "success")
                return redirect(url_for("qc.spot_check", check_id=check.id))
    stores = session.scalars(select(Store).where(Store.active.is_(True)).order_by(Store.name)).all()
    return render_template(
        "qc/spot_check_form.html",
        form=form,
        items=items,
        stores=stores,
        values=values,
        errors=errors,
        review=review,
        today=utcnow().date(),
        **agent_field(session, values.get("agent") or request.args.get("agent"), "agent" in errors),
    ), (422 if errors else 200)


@bp.get("/spot-checks/<int:check_id>")
@signed_in
def spot_check(check_id: int) -> str:
    """A spot check: the agent reads their own; QC, trainers and admins read all, and assign refreshers."""
    session = db_session()
    try:
        check = get_spot_check(session, check_id)
    except DomainError:
        abort(404)
    viewer = me()
    staff = viewer.has_role(Role.QC, Role.TRAINER, Role.ADMIN)
    if not staff and check.agent_id != viewer.id:
        note("not_owner")
        abort(404)
    today = utcnow().date()
    return render_template(
        "qc/spot_check.html",
        check=check,
        review=review_of(session, check),
        staff=staff,
        suggestions=suggestions_for(session, check) if staff else [],
        form=FlaskForm(),
        default_due=today + dt.timedelta(days=DEFAULT_DUE_DAYS),
        today=today,
    )


@bp.post("/spot-checks/<int:check_id>/assign")
@assigners
def assign_suggestion(check_id: int) -> Response:
    """Assign one suggested course or quiz to the checked agent, with a due date."""
    session = db_session()
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        check = get_spot_check(session, check_id)
    except DomainError:
        abort(404)
    kind, work_id = request.form.get("kind"), form_int(request.form, "work") or 0
    course = session.get(Course, work_id) if kind == "course" else None
    quiz = session.get(Quiz, work_id) if kind == "quiz" else None
    if course is None and quiz is None:
        abort(404)
    try:
        result = assigning.assign(
            session,
            me(),
            [check.agent_id],
            course=course,
            quiz=quiz,
            due_on=parse_date(request.form.get("due_on"), "due_on"),
            reason=request.form.get("reason")
            or _("Spot check of %(date)s", date=check.checked_on.isoformat()),
            source="spot_check",
            now=utcnow(),
            spot_check_id=check.id,
        )
    except DomainError as err:
        session.rollback()
        flash(translate_error(err), "error")
    else:
        session.commit()
        if result.count:
            flash(_("Assigned to %(name)s.", name=check.agent.display_name), "success")
        else:
            flash(_("%(name)s already has this open.", name=check.agent.display_name), "info")
    return redirect(url_for("qc.spot_check", check_id=check_id))


@bp.get("/agents/<int:user_id>")
@assigners
def agent_checks(user_id: int) -> str:
    """One agent's spot checks (staff view)."""
    session = db_session()
    agent = session.get(User, user_id) or abort(404)
    return render_template("qc/agent.html", agent=agent, checks=spot_checks_of(session, agent), staff=True)


@bp.get("/mine")
@signed_in
def mine() -> str:
    """The signed-in agent's spot checks and QC's notes."""
    agent = me()
    return render_template(
        "qc/agent.html", agent=agent, checks=spot_checks_of(db_session(), agent), staff=False
    )
