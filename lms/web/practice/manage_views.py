"""Trainers' practice-chat pages: per scenario the distribution, failing turns, runs, a cohort
leaderboard, a transcript viewer; and the authoring form with "play it as a learner" and publish.

Only official runs (a requirement or an assignment) are shown: practice runs are the learner's own.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from lms.access import roles_required
from lms.content.scenarios import MOODS, OUTCOMES, scenario_from_json
from lms.db import db_session, utcnow
from lms.domain.authoring import scenario_editing as editing
from lms.domain.curriculum.scenarios import by_slug
from lms.domain.errors import DomainError, NotFound
from lms.domain.practice import history, runs, stats
from lms.models import Cohort, Course, Role
from lms.web.forms import translate_error
from lms.web.identity import me
from lms.web.practice.views import bp

staff = roles_required(Role.TRAINER, Role.QC, Role.ADMIN)
editors = roles_required(Role.TRAINER, Role.ADMIN)


@bp.get("/manage")
@staff
def manage() -> str:
    """Every scenario with its official runs counted."""
    return render_template("practice/manage.html", rows=stats.overview(db_session()))


@bp.get("/manage/<slug>")
@staff
def scenario_stats(slug: str) -> str:
    """One scenario: run distribution, the turns where most runs fail, recent runs, a cohort leaderboard."""
    session = db_session()
    scenario = by_slug(session, slug)
    if scenario is None:
        abort(404)
    cohorts = list(session.scalars(select(Cohort).order_by(Cohort.start_date.desc())))
    cohort_id = request.args.get("cohort", type=int)
    return render_template(
        "practice/stats.html",
        scenario=scenario,
        dist=stats.distribution(session, scenario.id),
        failing=stats.failing_turns(session, scenario.id),
        recent=stats.recent_runs(session, scenario.id),
        board=stats.leaderboard(session, scenario.id, cohort_id),
        cohorts=cohorts,
        cohort_id=cohort_id,
    )


@bp.get("/manage/runs/<int:run_id>")
@staff
def transcript(run_id: int) -> str:
    """An official run's transcript with each turn's score and reasons (practice runs are private)."""
    try:
        shown = history.transcript(db_session(), run_id)
    except NotFound:
        abort(404)
    if not shown.run.official:
        abort(404)
    return render_template("practice/transcript.html", t=shown, now=utcnow(), error=None)


def _form_from_request() -> editing.ScenarioForm:
    form = editing.ScenarioForm(
        slug=request.form.get("slug", "").strip(),
        course=request.form.get("course", ""),
        title=request.form.get("title", ""),
        persona=request.form.get("persona", ""),
        mood=request.form.get("mood", "calm"),
        target_seconds=request.form.get("target_seconds", 60, type=int) or 60,
    )
    for i in range(editing.MAX_FORM_NODES):
        form.nodes.append(
            editing.NodeForm(
                id=request.form.get(f"node-{i}-id", "").strip(),
                end=request.form.get(f"node-{i}-end", ""),
                shopper=request.form.get(f"node-{i}-shopper", ""),
                key_points=request.form.get(f"node-{i}-key_points", ""),
                model=request.form.get(f"node-{i}-model", ""),
                branches=request.form.get(f"node-{i}-branches", ""),
            )
        )
    return form


def _render_form(form: editing.ScenarioForm, problems: list[str], status: int = 200) -> tuple[str, int]:
    while len(form.nodes) < editing.MAX_FORM_NODES:
        form.nodes.append(editing.NodeForm())
    courses = list(db_session().scalars(select(Course).order_by(Course.slug)))
    return (
        render_template(
            "practice/author.html",
            form=form,
            problems=problems,
            moods=MOODS,
            outcomes=OUTCOMES,
            courses=courses,
            conditions=editing.when_words(),
        ),
        status,
    )


@bp.get("/manage/new")
@editors
def new() -> tuple[str, int]:
    """The authoring form (a blank scenario)."""
    return _render_form(editing.ScenarioForm(), [])


@bp.post("/manage/new")
@editors
def save() -> Response | tuple[str, int]:
    """Check and save the form as a draft; then it can be played as a learner and published."""
    session = db_session()
    form = _form_from_request()
    try:
        scenario, problems, _text = editing.save(session, me(), form)
    except DomainError as err:
        session.rollback()
        return _render_form(form, [translate_error(err)], 409)
    if scenario is None:
        session.rollback()
        return _render_form(form, [_(p) for p in problems], 422)
    session.commit()
    flash(_("Saved as a draft. Play it as a learner, then publish it."), "success")
    return redirect(url_for("practice.draft", slug=scenario.slug))


@bp.get("/manage/<slug>/edit")
@editors
def edit(slug: str) -> tuple[str, int]:
    """The form filled from a browser scenario's current version (saving makes a new version)."""
    scenario = by_slug(db_session(), slug)
    if scenario is None or scenario.source != "browser" or scenario.current_version is None:
        abort(404)
    spec = scenario_from_json(scenario.current_version.spec)
    return _render_form(editing.form_from_spec(spec, scenario.course.slug if scenario.course else ""), [])


@bp.route("/manage/<slug>/source", methods=["GET", "POST"])
@editors
def source(slug: str) -> Response | tuple[str, int]:
    """The whole scenario file in a text box (any scenario: a file's too), checked like the files."""
    session = db_session()
    scenario = by_slug(session, slug)
    if scenario is None or scenario.current_version is None:
        abort(404)
    text, problems, status = scenario.current_version.source_text, [], 200
    seen = scenario.current_version.number
    if request.method == "POST":
        text = request.form.get("text", "").replace("\r\n", "\n")
        seen = request.form.get("version", type=int) or 0
        if len(text) > editing.MAX_SOURCE:
            problems, status = [_("The file is too long.")], 413
        else:
            try:
                spec, problems = editing.save_text(session, me(), scenario, text, seen)
            except DomainError as err:
                session.rollback()
                problems, status = [translate_error(err)], 409
            else:
                if spec is not None:
                    session.commit()
                    flash(_("Saved: the next run plays the new version."), "success")
                    return redirect(url_for("practice.draft", slug=slug))
                session.rollback()
                status = 422
    return render_template(
        "practice/source.html", scenario=scenario, text=text, problems=problems, seen=seen
    ), status


@bp.get("/manage/<slug>/draft")
@editors
def draft(slug: str) -> str:
    """A saved scenario: its file, play it as a learner, publish or hide it."""
    scenario = by_slug(db_session(), slug)
    if scenario is None:
        abort(404)
    return render_template("practice/draft.html", scenario=scenario)


@bp.post("/manage/<slug>/preview")
@editors
def preview(slug: str) -> Response:
    """Play the current version as a learner (a preview run: counted nowhere)."""
    session = db_session()
    scenario = by_slug(session, slug)
    if scenario is None:
        abort(404)
    existing = runs.active_run(session, me(), scenario)
    if existing is not None and not existing.preview:
        flash(_("You have a chat of this scenario in play; finish or leave it first."), "error")
        return redirect(url_for("practice.run", run_id=existing.id))
    run = runs.start_run(session, me(), scenario, utcnow(), preview=True)
    session.commit()
    return redirect(url_for("practice.run", run_id=run.id))


@bp.post("/manage/<slug>/publish")
@editors
def publish(slug: str) -> Response:
    """Show the scenario to learners (or hide it again)."""
    session = db_session()
    scenario = by_slug(session, slug)
    if scenario is None:
        abort(404)
    show = request.form.get("published", "1") == "1"
    try:
        editing.publish(session, me(), scenario, show)
    except DomainError as err:
        session.rollback()
        flash(translate_error(err), "error")
        return redirect(url_for("practice.draft", slug=slug))
    session.commit()
    flash(
        _("Published: learners see it among the practice chats.") if show else _("Hidden from learners."),
        "success",
    )
    return redirect(url_for("practice.draft", slug=slug))
