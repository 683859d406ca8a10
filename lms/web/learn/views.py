"""The learner's side: courses, the lesson reader, marking lessons done."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from lms.access import signed_in
from lms.db import db_session, utcnow
from lms.domain.curriculum.library import script_library
from lms.domain.curriculum.programme import (
    load_schedule,
    may_open_day,
    programme_start,
)
from lms.domain.errors import NotFound
from lms.domain.learning import lessons as lesson_rules
from lms.domain.learning.lesson_pages import done_in_course
from lms.markdown import render_markdown
from lms.models import User
from lms.web.course_files import send_course_image
from lms.web.i18n import in_reader_language
from lms.web.identity import me, reads_plan
from lms.web.plan_cache import cached_lesson_page

bp = Blueprint("learn", __name__)


@bp.get("/courses/<slug>")
@signed_in
def course(slug: str) -> str:
    """A course: its lessons in order with day, minutes and done, and a progress bar."""
    session = db_session()
    try:
        found = lesson_rules.visible_course(session, slug)
    except NotFound:
        abort(404)
    progress = lesson_rules.course_progress(session, me(), found)
    return render_template("learn/course.html", progress=progress)


@bp.get("/courses/<slug>/lessons/<lesson>")
@reads_plan
@signed_in
def lesson(slug: str, lesson: str) -> str | Response:
    """The lesson reader: the lesson, previous/next, and the mark-as-done button. The lesson and its
    course's list are kept per process while the curriculum is unchanged (the plan's change counter
    comes with the signed-in user); which lessons this learner has done is read on every view."""
    session = db_session()
    try:
        page = cached_lesson_page(session, slug, lesson)
    except NotFound:
        abort(404)
    found = page.lesson
    user = me()
    if not user.is_staff and _day_closed(session, user, found.day, page.work_ahead):
        flash(_("This lesson opens on day %(n)s of your programme.", n=found.day), "info")
        return redirect(url_for("learn.course", slug=slug))
    done = done_in_course(session, user.id, found.course.id)
    index = page.index
    html = render_markdown(
        in_reader_language(found, "body"),
        image_base=url_for("learn.course_file", slug=slug, path=""),
        drop_title=True,
    )
    return render_template(
        "learn/lesson.html",
        lesson=found,
        html=html,
        done=found.id in done,
        done_count=sum(1 for head in page.lessons if head.id in done),
        total=len(page.lessons),
        previous=page.lessons[index - 1] if index > 0 else None,
        following=page.lessons[index + 1] if index + 1 < len(page.lessons) else None,
    )


def _day_closed(session: Session, user: User, day: int | None, work_ahead: bool | None) -> bool:
    """Whether the programme keeps a lesson of `day` closed to this learner today. The schedule and
    the start date are read only when the programme forbids working ahead (the shipped one allows
    it): `work_ahead` is the programme's answer, read with the lesson."""
    if day is None or work_ahead is not False:
        return False
    schedule = load_schedule(session)
    if schedule is None:
        return False
    return not may_open_day(schedule, programme_start(session, user), day, utcnow().date())


@bp.post("/courses/<slug>/lessons/<lesson>/done")
@signed_in
def mark_done(slug: str, lesson: str) -> Response:
    """Mark the lesson done and go on to the next one not yet done (`CourseProgress.next_to_read`)."""
    session = db_session()
    try:
        found = lesson_rules.visible_lesson(session, slug, lesson)
    except NotFound:
        abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    lesson_rules.mark_done(session, me(), found)
    session.commit()
    progress = lesson_rules.course_progress(session, me(), found.course)
    following = progress.next_to_read(found)
    if following is not None:
        return redirect(url_for("learn.lesson", slug=slug, lesson=following.slug))
    flash(
        _("You have finished every lesson of “%(course)s”.", course=in_reader_language(found.course)),
        "success",
    )
    return redirect(url_for("learn.course", slug=slug))


@bp.get("/courses/<slug>/files/<path:path>")
@signed_in
def course_file(slug: str, path: str) -> Response:
    """An image from the course's folder (lessons refer to them by relative path)."""
    session = db_session()
    try:
        lesson_rules.visible_course(session, slug)
    except NotFound:
        abort(404)
    return send_course_image(slug, path, max_age=3600)


@bp.get("/library")
@signed_in
def library() -> str:
    """The script library (searchable, with the "check my wording" box) and the product sheet, in the reader's language."""
    return render_template(
        "learn/library.html", library=script_library(db_session(), request.args.get("q", ""))
    )
