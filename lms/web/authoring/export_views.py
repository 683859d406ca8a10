"""Downloading a course or a quiz from the database as the files the loader reads, zipped."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, url_for
from werkzeug.wrappers import Response

from lms.db import db_session
from lms.domain.authoring.content_export import SLUG, Export, export_course, export_quiz
from lms.domain.authoring.question_import import quiz_questions
from lms.domain.errors import DomainError, NotFound
from lms.web.authoring import authors, bp
from lms.web.forms import translate_error


def _zip(export: Export, name: str) -> Response:
    return Response(
        export.as_zip(),
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}.zip"', "Cache-Control": "no-store"},
    )


@bp.get("/export/courses/<slug>.zip")
@authors
def export_course_zip(slug: str) -> Response:
    """courses/<slug>/ (course.toml, lessons, pictures) and its quizzes, to unpack at the content root."""
    if not SLUG.match(slug):
        abort(404)
    assets = current_app.config["LMS"].content_dir / "courses" / slug
    try:
        export = export_course(db_session(), slug, assets=assets)
    except NotFound:
        abort(404)
    except DomainError as err:
        flash(translate_error(err), "error")
        return redirect(url_for("curriculum.course", slug=slug))
    return _zip(export, f"course-{slug}")


@bp.get("/export/quizzes/<slug>.zip")
@authors
def export_quiz_zip(slug: str) -> Response:
    """quizzes/<slug>.toml (or .gift), to unpack at the content root."""
    try:
        export = export_quiz(db_session(), slug)
    except NotFound:
        abort(404)
    return _zip(export, f"quiz-{slug}")


def _download(data: bytes, name: str, mimetype: str) -> Response:
    return Response(
        data,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/import/template.xlsx")
@authors
def xlsx_template() -> Response:
    """The Excel question template: headers in Chinese and English, a help sheet, an example of each type."""
    from lms.content.xlsx import template_xlsx  # openpyxl only where a workbook is made

    return _download(template_xlsx(), "question-template.xlsx", XLSX)


@bp.get("/export/quizzes/<slug>.xlsx")
@authors
def export_quiz_xlsx(slug: str) -> Response:
    """A quiz's questions as the Excel template (what the template cannot hold is left out)."""
    try:
        _quiz, questions = quiz_questions(db_session(), slug)
    except NotFound:
        abort(404)
    from lms.content.xlsx import export_xlsx

    data, _left_out = export_xlsx(questions)
    return _download(data, f"quiz-{slug}.xlsx", XLSX)


@bp.get("/export/quizzes/<slug>.xml")
@authors
def export_quiz_moodle_xml(slug: str) -> Response:
    """A quiz's questions as Moodle XML (every type; what Moodle lacks is kept in tags for re-import)."""
    try:
        _quiz, questions = quiz_questions(db_session(), slug)
    except NotFound:
        abort(404)
    from lms.content.moodle_xml import export_moodle_xml  # lxml only where XML is written

    return _download(export_moodle_xml(questions), f"quiz-{slug}.xml", "application/xml")


@bp.get("/export/quizzes/<slug>.qti.zip")
@authors
def export_quiz_qti(slug: str) -> Response:
    """A quiz as an IMS QTI 1.2 package (imsmanifest.xml and the assessment) for Canvas or Blackboard."""
    try:
        quiz, questions = quiz_questions(db_session(), slug)
    except NotFound:
        abort(404)
    from lms.content.qti import export_qti

    data, _left_out = export_qti(quiz.slug, quiz.title, questions)
    return _download(data, f"quiz-{slug}.qti.zip", "application/zip")
