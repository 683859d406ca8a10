"""Questions from a GIFT, Aiken, Excel or Moodle XML file into a quiz: upload → preview (every problem) → confirm.

Nothing is written until the trainer confirms, and a file with any problem cannot be confirmed. The
checked text (an Excel workbook or an XML file as base64) travels back to the confirmation signed with the app's secret key (bound to the quiz,
the format and the trainer, valid for an hour) and is parsed again there: what is imported is
exactly what was previewed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from lms.content.aiken import parse_aiken
from lms.content.gift import parse_gift
from lms.content.quizzes import gift_settings
from lms.content.specs import QuestionSpec
from lms.db import db_session
from lms.domain import audit
from lms.domain.authoring.question_import import import_questions
from lms.domain.authoring.quiz_editing import quiz_with_questions
from lms.domain.errors import DomainError, NotFound
from lms.models import Quiz
from lms.web.authoring import authors, bp
from lms.web.authoring.forms import MAX_UPLOAD, ConfirmImportForm, QuestionUploadForm
from lms.web.forms import translate_error
from lms.web.identity import me

SALT = "lms.authoring.question-import"
#: How long a preview may be confirmed (seconds).
MAX_AGE = 3600
Parser = Callable[[str], tuple[list[QuestionSpec], list[tuple[int, str]]]]


def _parse_binary(parse: Callable[[bytes], tuple[list[QuestionSpec], list[tuple[int, str]]]]) -> Parser:
    """A parser of files that are not text, fed the base64 the preview carries."""

    def parse_text(text: str) -> tuple[list[QuestionSpec], list[tuple[int, str]]]:
        try:
            data = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            return [], [(1, "the file could not be read back")]
        return parse(data)

    return parse_text


def _parse_xlsx(data: bytes) -> tuple[list[QuestionSpec], list[tuple[int, str]]]:
    from lms.content.xlsx import parse_xlsx  # openpyxl: loaded by the first upload, not by every worker

    return parse_xlsx(data)


def _parse_moodle_xml(data: bytes) -> tuple[list[QuestionSpec], list[tuple[int, str]]]:
    from lms.content.moodle_xml import parse_moodle_xml  # lxml: likewise

    return parse_moodle_xml(data)


PARSERS: dict[str, Parser] = {
    "gift": parse_gift,
    "aiken": parse_aiken,
    "xlsx": _parse_binary(_parse_xlsx),
    "moodle-xml": _parse_binary(_parse_moodle_xml),
}
#: Formats read as bytes (carried as base64), not as UTF-8 text.
BINARY = {"xlsx", "moodle-xml"}


def _notes(fmt: str, text: str) -> list[tuple[int, str]]:
    """What the file holds that is skipped or simplified (Moodle XML), shown beside the preview."""
    if fmt != "moodle-xml":
        return []
    from lms.content.moodle_xml import read_moodle_xml

    return read_moodle_xml(base64.b64decode(text)).notes


@dataclass(frozen=True)
class Planned:
    """A question of the file and what importing does to it: new, changed or unchanged."""

    spec: QuestionSpec
    outcome: str


def _quiz(slug: str) -> Quiz:
    try:
        return quiz_with_questions(db_session(), slug)
    except NotFound:
        abort(404)


def _plan(quiz: Quiz, questions: list[QuestionSpec]) -> list[Planned]:
    """What import_questions will do with each question (the same rule: the content hash)."""
    current = {q.key: q.current_version for q in quiz.questions}
    plan = []
    for spec in questions:
        if spec.id not in current:
            outcome = "new"
        else:
            version = current[spec.id]
            outcome = "unchanged" if version is not None and version.content_hash == spec.hash else "changed"
        plan.append(Planned(spec, outcome))
    return plan


def _decode(data: bytes) -> tuple[str, str | None]:
    """The upload as text, or why it is not usable text."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        return "", _(
            "The file is not UTF-8 text (the first byte that is not UTF-8 is on line %(n)s). "
            "Save it as UTF-8 (in your editor: Save as → Encoding: UTF-8) and upload it again.",
            n=line,
        )
    if "\x00" in text:
        return "", _("The file is not a text file.")
    if not text.strip():
        return "", _("The file is empty.")
    return text, None


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _preview(quiz: Quiz, fmt: str, filename: str, text: str, status: int = 200) -> tuple[str, int]:
    """Parse the text and show what importing it would do; a confirm button only without problems."""
    questions, problems = PARSERS[fmt](text)
    payload = {"quiz": quiz.slug, "format": fmt, "user": me().id, "filename": filename, "text": text}
    confirm = None if problems else ConfirmImportForm(payload=_serializer().dumps(payload))
    return render_template(
        "authoring/import_preview.html",
        quiz=quiz,
        format=fmt,
        filename=filename,
        plan=_plan(quiz, questions),
        problems=problems,
        notes=_notes(fmt, text),
        settings_ignored=fmt == "gift" and bool(gift_settings(text)[0]),
        confirm=confirm,
    ), (422 if problems else status)


@bp.route("/import/quizzes/<slug>", methods=["GET", "POST"])
@authors
def import_upload(slug: str) -> str | tuple[str, int]:
    """The upload form; a valid upload is checked and previewed, never imported here."""
    quiz = _quiz(slug)
    form = QuestionUploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read(MAX_UPLOAD + 1)
        if len(data) > MAX_UPLOAD:
            form.file.errors = [_("The file is larger than 1 MB.")]
        else:
            fmt = form.format.data
            if fmt in BINARY:
                text, error = base64.b64encode(data).decode("ascii"), None
            else:
                text, error = _decode(data)
            if error is None:
                filename = (upload.filename or "").replace("\\", "/").rsplit("/", 1)[-1][:200]
                return _preview(quiz, fmt, filename, text)
            form.file.errors = [error]
    status = 422 if request.method == "POST" else 200
    return render_template("authoring/import_upload.html", quiz=quiz, form=form), status


def _signed_payload(form: ConfirmImportForm, quiz: Quiz) -> dict[str, Any] | None:
    """The previewed upload, if the signature holds, is fresh and was made for this quiz and user."""
    try:
        payload = _serializer().loads(form.payload.data or "", max_age=MAX_AGE)
    except BadSignature:  # also SignatureExpired
        return None
    if (
        not isinstance(payload, dict)
        or payload.get("quiz") != quiz.slug
        or payload.get("user") != me().id
        or payload.get("format") not in PARSERS
        or not isinstance(payload.get("text"), str)
    ):
        return None
    return payload


@bp.post("/import/quizzes/<slug>/confirm")
@authors
def import_confirm(slug: str) -> Response | tuple[str, int]:
    """Import the previewed file: parsed again, refused if it has any problem, recorded in the audit log."""
    quiz = _quiz(slug)
    form = ConfirmImportForm()
    payload = _signed_payload(form, quiz) if form.validate_on_submit() else None
    if payload is None:
        flash(_("The preview has expired or was changed. Upload the file again."), "error")
        return redirect(url_for("authoring.import_upload", slug=slug))
    fmt, text, filename = payload["format"], payload["text"], str(payload.get("filename", ""))
    questions, problems = PARSERS[fmt](text)
    if problems:
        return _preview(quiz, fmt, filename, text)
    session = db_session()
    try:
        counts = import_questions(session, quiz.slug, questions)
        audit.record(
            session,
            "quiz.import",
            actor=me(),
            target_type="quiz",
            target_id=quiz.slug,
            after={
                "format": fmt,
                "file": filename,
                "sha256": hashlib.sha256(
                    base64.b64decode(text) if fmt in BINARY else text.encode("utf-8")
                ).hexdigest(),
                "questions": len(questions),
                **counts,
            },
            ip=request.remote_addr,
        )
        session.commit()
    except DomainError as err:
        session.rollback()
        flash(translate_error(err), "error")
        return redirect(url_for("authoring.import_upload", slug=slug))
    except IntegrityError:
        session.rollback()
        flash(_("Someone changed this quiz at the same moment. Upload the file again to check it."), "error")
        return redirect(url_for("authoring.import_upload", slug=slug))
    flash(
        ngettext(
            "Imported %(num)s question: %(created)s new, %(updated)s changed, %(unchanged)s unchanged.",
            "Imported %(num)s questions: %(created)s new, %(updated)s changed, %(unchanged)s unchanged.",
            len(questions),
            **counts,
        ),
        "success",
    )
    return redirect(url_for("curriculum.quiz", slug=quiz.slug))
