"""Course and lesson editing pages: settings, lesson order, versions, and the Markdown editor with preview."""

from __future__ import annotations

import re
from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from lms.db import db_session
from lms.domain import audit
from lms.domain.authoring import course_editing as editing
from lms.domain.authoring.course_files import course_images, save_image
from lms.domain.errors import N_, Conflict, DomainError
from lms.markdown import render_markdown
from lms.models import Course, Lesson
from lms.web.course_files import send_course_image
from lms.web.editing import bp, editors
from lms.web.editing.forms import BumpForm, CourseForm, LessonForm, NewLessonForm
from lms.web.forms import apply_domain_error, translate_error
from lms.web.identity import me


def _course(slug: str) -> Course:
    found = (
        db_session()
        .scalars(select(Course).where(Course.slug == slug).options(selectinload(Course.lessons)))
        .one_or_none()
    )
    if found is None:
        abort(404)
    return found


def _lesson(course: Course, slug: str) -> Lesson:
    found = next((le for le in course.lessons if le.slug == slug), None)
    if found is None:
        abort(404)
    return found


def _course_page(
    course: Course,
    settings: CourseForm | None = None,
    bump: BumpForm | None = None,
    new: NewLessonForm | None = None,
    status: int = 200,
) -> tuple[str, int]:
    token = editing.edit_token(course)
    if settings is None:
        settings = CourseForm(
            formdata=None,
            title=course.title,
            title_en=course.title_en or "",
            summary=course.summary,
            summary_en=course.summary_en or "",
            topics=", ".join(course.topics or []),
            published=course.published,
            refresher_on_major=course.refresher_on_major,
            expected=token,
        )
    if bump is None:
        bump = BumpForm(formdata=None, expected=token)
    lessons = [le for le in course.lessons if le.active]
    page = render_template(
        "editing/course.html",
        course=course,
        settings=settings,
        bump=bump,
        new=new or NewLessonForm(formdata=None),
        lessons=lessons,
        removed=[le for le in course.lessons if not le.active],
        move_form=NewLessonForm(formdata=None),  # only its CSRF token is used
    )
    return page, status


@bp.route("/courses/<slug>", methods=["GET", "POST"])
@editors
def course(slug: str) -> Response | tuple[str, int]:
    """A course's settings, its lessons in order, adding a lesson and raising the version."""
    session = db_session()
    found = _course(slug)
    if request.method == "GET":
        return _course_page(found)
    form = CourseForm()
    if not form.validate():
        return _course_page(found, settings=form, status=400)
    try:
        editing.update_course(
            session,
            me(),
            found,
            title=form.title.data or "",
            title_en=form.title_en.data,
            summary=form.summary.data or "",
            summary_en=form.summary_en.data,
            topics=[t for t in re.split(r"[,\s，、]+", form.topics.data or "") if t],
            published=bool(form.published.data),
            refresher_on_major=bool(form.refresher_on_major.data),
            expected_updated_at=form.expected.data,
        )
    except DomainError as err:
        session.rollback()
        apply_domain_error(form, err)
        return _course_page(found, settings=form, status=409 if isinstance(err, Conflict) else 400)
    session.commit()
    flash(_("The course is saved."), "success")
    return redirect(url_for("editing.course", slug=slug))


@bp.post("/courses/<slug>/version")
@editors
def bump(slug: str) -> Response | tuple[str, int]:
    """Raise the course's version; a major change may assign refresher training."""
    session = db_session()
    found = _course(slug)
    form = BumpForm()
    if not form.validate():
        return _course_page(found, bump=form, status=400)
    try:
        result = editing.bump_version(
            session,
            me(),
            found,
            form.kind.data or "",
            form.note.data or "",
            expected_updated_at=form.expected.data or "",
            due_days=current_app.config["LMS"].refresher_due_days,
        )
    except DomainError as err:
        session.rollback()
        apply_domain_error(form, err)
        return _course_page(found, bump=form, status=409 if isinstance(err, Conflict) else 400)
    session.commit()
    flash(_("The course is now version %(v)s.", v=result.revision.to_version), "success")
    if result.refreshers is not None and result.refreshers.assigned:
        flash(_("Refresher training was assigned to %(n)s people.", n=result.refreshers.assigned), "info")
    return redirect(url_for("editing.course", slug=slug))


@bp.post("/courses/<slug>/lessons")
@editors
def new_lesson(slug: str) -> Response | tuple[str, int]:
    """Add a lesson at the end and open it in the editor."""
    session = db_session()
    found = _course(slug)
    form = NewLessonForm()
    if not form.validate():
        return _course_page(found, new=form, status=400)
    try:
        lesson = editing.create_lesson(
            session, me(), found, title=form.title.data or "", slug=form.slug.data or None
        )
    except DomainError as err:
        session.rollback()
        apply_domain_error(form, err)
        return _course_page(found, new=form, status=400)
    session.commit()
    flash(_("The lesson is added. Write it here."), "success")
    return redirect(url_for("editing.lesson", slug=slug, lesson=lesson.slug))


@bp.post("/courses/<slug>/lessons/<lesson>/move/<any(up, down):direction>")
@editors
def move(slug: str, lesson: str, direction: str) -> Response:
    """Move a lesson one place up or down."""
    session = db_session()
    found = _course(slug)
    editing.move_lesson(session, me(), found, _lesson(found, lesson), direction)
    session.commit()
    return redirect(url_for("editing.course", slug=slug) + "#lessons")


def _lesson_page(lesson: Lesson, form: LessonForm, status: int = 200) -> tuple[str, int]:
    html = render_markdown(
        form.body.data or "",
        image_base=url_for("editing.course_file", slug=lesson.course.slug, path=""),
        drop_title=True,
    )
    page = render_template(
        "editing/lesson.html",
        lesson=lesson,
        course=lesson.course,
        form=form,
        preview=html,
        images=course_images(db_session(), Path(current_app.config["LMS"].content_dir), lesson.course.slug),
        upload_form=FlaskForm(),
        days=editing.programme_days(db_session()),
        conflict=status == 409,
    )
    return page, status


@bp.route("/courses/<slug>/lessons/<lesson>", methods=["GET", "POST"])
@editors
def lesson(slug: str, lesson: str) -> Response | tuple[str, int]:
    """The lesson editor: Markdown with a live, sanitised preview."""
    session = db_session()
    found = _lesson(_course(slug), lesson)
    if request.method == "GET":
        form = LessonForm(
            formdata=None,
            title=found.title,
            day=found.day,
            minutes=found.minutes,
            body=found.body,
            title_en=found.title_en or "",
            body_en=found.body_en or "",
            expected=editing.edit_token(found),
        )
        return _lesson_page(found, form)
    form = LessonForm()
    if not form.validate():
        return _lesson_page(found, form, status=400)
    try:
        editing.update_lesson(
            session,
            me(),
            found,
            title=form.title.data or "",
            body=form.body.data or "",
            day=form.day.data,
            minutes=form.minutes.data or 0,
            expected_version=form.expected.data,
            title_en=form.title_en.data or "",
            body_en=form.body_en.data or "",
        )
    except DomainError as err:
        session.rollback()
        if isinstance(err, Conflict):
            flash(translate_error(err), "error")
            return _lesson_page(found, form, status=409)  # the form keeps what the editor wrote
        apply_domain_error(form, err)
        return _lesson_page(found, form, status=400)
    session.commit()
    flash(_("The lesson is saved."), "success")
    return redirect(url_for("editing.lesson", slug=slug, lesson=lesson))


@bp.post("/courses/<slug>/preview")
@editors
def preview(slug: str) -> str:
    """The Markdown sent, rendered and sanitised as learners will see it (an htmx fragment)."""
    body = request.form.get("body", "")
    if len(body) > editing.MAX_BODY:
        return render_template("editing/_preview.html", html=None, too_long=editing.MAX_BODY)
    html = render_markdown(
        body, image_base=url_for("editing.course_file", slug=slug, path=""), drop_title=True
    )
    return render_template("editing/_preview.html", html=html, too_long=None)


@bp.get("/courses/<slug>/lessons/<lesson>/as-learner")
@editors
def as_learner(slug: str, lesson: str) -> str:
    """The saved lesson in the learner's reader layout (works for drafts and trainers without the learner role)."""
    course = _course(slug)
    found = _lesson(course, lesson)
    html = render_markdown(
        found.body, image_base=url_for("editing.course_file", slug=slug, path=""), drop_title=True
    )
    live = course.published and found.active
    return render_template("editing/as_learner.html", lesson=found, course=course, html=html, live=live)


@bp.route("/courses/new", methods=["GET", "POST"])
@editors
def new_course() -> Response | tuple[str, int]:
    """Start a course: a short name (its folder in courses/), a title, its topics; unpublished."""
    session = db_session()
    form = FlaskForm()
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            course = editing.create_course(
                session,
                me(),
                slug=request.form.get("slug", ""),
                title=request.form.get("title", ""),
                topics=request.form.get("topics", "").replace("，", ",").split(","),
            )
        except DomainError as err:
            session.rollback()
            errors[err.field or "form"] = translate_error(err)
        else:
            session.commit()
            flash(_("Course created. Add its lessons, then publish it."), "success")
            return redirect(url_for("editing.course", slug=course.slug))
    return render_template("editing/new_course.html", form=form, errors=errors, values=request.form), (
        422 if errors else 200
    )


@bp.post("/courses/<slug>/lessons/<lesson>/images")
@editors
def upload_image(slug: str, lesson: str) -> Response:
    """A picture for the course (PNG, JPEG, GIF or WebP, at most 2 MB); shows the Markdown to paste."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    course = _course(slug)
    _lesson(course, lesson)
    upload = request.files.get("image")
    try:
        if upload is None or not upload.filename:
            raise DomainError(N_("Choose a picture to upload."), "image")
        path = save_image(
            db_session(), Path(current_app.config["LMS"].content_dir), course.slug, upload.filename, upload.read()
        )
    except DomainError as err:
        flash(translate_error(err), "error")
    else:
        audit.record(db_session(), "course.image", actor=me(), target=course, after={"path": path})
        db_session().commit()
        flash(
            _("Picture uploaded. Put it in the lesson with: %(md)s", md=f"![{_('description')}]({path})"),
            "success",
        )
    return redirect(url_for("editing.lesson", slug=slug, lesson=lesson))


@bp.get("/courses/<slug>/files/<path:path>")
@editors
def course_file(slug: str, path: str) -> Response:
    """A course picture for the editor's preview (drafts included; learners use their own route)."""
    _course(slug)
    return send_course_image(slug, path, max_age=300)


@bp.post("/courses/<slug>/lessons/<lesson>/<any(remove, restore):action>")
@editors
def remove_or_restore(slug: str, lesson: str, action: str) -> Response:
    """Take a lesson out of the course (learners' completions are kept) or bring it back."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    session = db_session()
    found = _course(slug)
    editing.set_lesson_active(session, me(), found, _lesson(found, lesson), action == "restore")
    session.commit()
    flash(
        _("The lesson is back in the course.")
        if action == "restore"
        else _("The lesson is out of the course."),
        "success",
    )
    return redirect(url_for("editing.course", slug=slug) + "#lessons")
