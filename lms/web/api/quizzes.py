"""The JSON API for quizzes: read a quiz, start an attempt, save answers, submit, review."""

from __future__ import annotations

from typing import Any, NoReturn

from flask import jsonify, request
from werkzeug.wrappers import Response

from lms.access import signed_in
from lms.content.questions import get_type
from lms.db import commits_relaxed, db_session, utcnow
from lms.domain.errors import Conflict, DomainError, NotFound
from lms.domain.learning import attempts as engine
from lms.domain.learning.answer_saves import NoSuchAttempt, keep_started_items, save_answer, save_target
from lms.models import Attempt, AttemptItem
from lms.web.api.errors import ApiError, fail, not_found
from lms.web.api.views import bp
from lms.web.identity import locks_caller, me
from lms.web.learn.review import review_allowed
from lms.web.security_log import note_if_someone_elses


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _question_json(item: AttemptItem) -> dict[str, Any]:
    version = item.version
    return {
        "id": item.question_key,
        "position": item.position,
        "type": version.type,
        "text": version.text,
        "points": item.max_score,
        "display": item.display,
        "response": item.response,
        "version": item.response_version,
        "saved_at": _iso(item.saved_at),
    }


def _attempt_json(attempt: Attempt, *, with_questions: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": attempt.id,
        "quiz": attempt.quiz.slug,
        "number": attempt.number,
        "status": attempt.status,
        "started_at": _iso(attempt.started_at),
        "deadline": _iso(attempt.deadline),
        "submitted_at": _iso(attempt.submitted_at),
    }
    if attempt.status != "in_progress" and attempt.quiz.review != "never":
        data.update(
            score=attempt.score, max=attempt.max_score, percent=attempt.percent, passed=attempt.passed
        )
    if with_questions:
        data["questions"] = [_question_json(item) for item in attempt.items]
    return data


def _own_attempt(attempt_id: int, *, items: bool = True, lock: bool = False) -> Attempt:
    try:
        return engine.get_attempt(db_session(), me(), attempt_id, items=items, lock=lock)
    except NotFound:
        _no_such_attempt(attempt_id)


def _no_such_attempt(attempt_id: int) -> NoReturn:
    note_if_someone_elses(Attempt, attempt_id)
    not_found("No such attempt.")


@bp.get("/quizzes/<slug>")
@signed_in
def get_quiz(slug: str) -> Response:
    """A quiz's settings and where the caller stands with it."""
    session = db_session()
    try:
        quiz = engine.visible_quiz(session, slug)
    except NotFound:
        not_found("No such quiz.")
    now = utcnow()
    status, closed = engine.status_closing_overdue(session, me(), quiz, now)
    if closed:
        session.commit()
    return jsonify(
        slug=quiz.slug,
        title=quiz.title,
        course=quiz.course.slug if quiz.course else None,
        description=quiz.description,
        pass_percent=quiz.pass_percent,
        max_attempts=quiz.max_attempts,
        cooldown_minutes=quiz.cooldown_minutes,
        time_limit_minutes=quiz.time_limit_minutes,
        grading=quiz.grading,
        review=quiz.review,
        gates=quiz.gates,
        questions=sum(int(p["count"]) for p in quiz.draw)
        if quiz.draw
        else len([q for q in quiz.questions if q.active]),
        attempts_left=status.attempts_left,
        next_start_at=_iso(status.next_start_at),
        grade_percent=status.grade_percent,
        passed=status.passed,
        can_start=status.can_start,
        open_attempt=status.open_attempt.id if status.open_attempt else None,
        attempts=[_attempt_json(a, with_questions=False) for a in status.attempts],
    )


@bp.post("/quizzes/<slug>/attempts")
@signed_in
@locks_caller
def start_attempt(slug: str) -> tuple[Response, int]:
    """Start an attempt (or get the one in progress): questions without keys, and the deadline."""
    session = db_session()
    try:
        quiz = engine.visible_quiz(session, slug)
        attempt = engine.start_attempt(session, me(), quiz, utcnow())
    except NotFound:
        not_found("No such quiz.")
    except Conflict as err:
        session.rollback()
        fail(409, "conflict", str(err))
    except DomainError as err:
        session.rollback()
        fail(422, "invalid", str(err))
    session.commit()
    body = jsonify(_attempt_json(attempt, with_questions=True))
    keep_started_items(me().id, attempt)  # its first saves in this worker need no read
    return body, 201


def _if_match() -> int | None:
    """The answer version named by If-Match ("3", 3 or W/"3"); None when absent or `*` (last save wins)."""
    raw = request.headers.get("If-Match")
    if raw is None or raw.strip() == "*":
        return None
    value = raw.strip().removeprefix("W/").strip('"')
    if not value.isdecimal() or len(value) > 9:
        fail(400, "bad_request", 'If-Match must be an answer version, e.g. "3".', "If-Match")
    return int(value)


@bp.put("/attempts/<int:attempt_id>/responses/<question_id>")
@signed_in
@locks_caller
@commits_relaxed
def save_response(attempt_id: int, question_id: str) -> Response:
    """Save one answer (the JSON object of its question type); If-Match refuses a stale save."""
    session = db_session()
    try:
        # The attempt and this question's item in one read (none for a question saved into before
        # in this worker), after the learner's lock.
        target = save_target(session, me(), attempt_id, question_id)
    except NoSuchAttempt:
        _no_such_attempt(attempt_id)
    body = request.get_json(silent=True)
    if body is None:
        fail(400, "bad_request", "The body must be a JSON object.")
    expected = _if_match()
    try:
        saved = save_answer(session, me(), target, body, utcnow(), expected_version=expected)
    except NoSuchAttempt:  # deleted since this worker last saved into it
        session.rollback()
        _no_such_attempt(attempt_id)
    except engine.StaleAnswer as err:
        session.rollback()
        resp = ApiError(409, "stale_answer", str(err), "response").response()
        resp.headers["ETag"] = f'"{err.current_version}"'
        return resp
    except NotFound:
        session.rollback()
        not_found("This question is not part of the attempt.")
    except engine.ResponseInvalid as err:
        session.rollback()
        fail(422, "invalid_response", err.message, err.field)
    except Conflict as err:
        session.commit()  # an overdue attempt has just been closed: keep that
        fail(409, "conflict", str(err))
    session.commit()
    resp = jsonify(
        question=question_id,
        saved_at=_iso(saved.saved_at),
        response=saved.response,
        version=saved.version,
    )
    resp.headers["ETag"] = f'"{saved.version}"'
    return resp


@bp.post("/attempts/<int:attempt_id>/responses/<question_id>/messages")
@signed_in
@locks_caller
def send_message(attempt_id: int, question_id: str) -> tuple[Response, int]:
    """Send one message of a chat reply ({"text": "..."}); the server stamps when it arrived."""
    session = db_session()
    attempt = _own_attempt(attempt_id)
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or set(body) != {"text"} or not isinstance(body["text"], str):
        fail(422, "invalid_response", 'Send {"text": "..."}: one message.', "text")
    try:
        item = engine.send_message(session, attempt, question_id, body["text"], utcnow())
    except NotFound:
        session.rollback()
        not_found("This question is not part of the attempt.")
    except engine.ResponseInvalid as err:
        session.rollback()
        fail(422, "invalid_response", str(err), err.field)
    except Conflict as err:
        session.commit()  # an overdue attempt has just been closed: keep that
        fail(409, "conflict", str(err))
    session.commit()
    resp = jsonify(
        question=question_id,
        saved_at=_iso(item.saved_at),
        response=item.response,
        version=item.response_version,
    )
    resp.headers["ETag"] = f'"{item.response_version}"'
    return resp, 201


@bp.post("/attempts/<int:attempt_id>/submit")
@signed_in
@locks_caller
def submit(attempt_id: int) -> Response:
    """Submit and grade (idempotent: submitting again returns the same result)."""
    session = db_session()
    # After the learner's lock, without its items: grading reads them as rows.
    attempt = _own_attempt(attempt_id, items=False, lock=True)
    engine.submit_attempt(session, attempt, utcnow(), read_after_lock=True)
    session.commit()
    return jsonify(_attempt_json(attempt, with_questions=False))


@bp.get("/attempts/<int:attempt_id>")
@signed_in
def get_attempt(attempt_id: int) -> Response:
    """An attempt; once submitted, the review as the quiz's policy allows."""
    session = db_session()
    attempt = _own_attempt(attempt_id)
    data = _attempt_json(attempt, with_questions=True)
    if attempt.status != "in_progress":
        status = engine.quiz_status(session, me(), attempt.quiz, utcnow())
        if review_allowed(attempt.quiz, status):
            loaded = engine.grading_book(session, attempt)
            book = loaded.book if loaded is not None else None
            for question, item in zip(data["questions"], attempt.items, strict=True):
                question.update(
                    score=item.score,
                    feedback=item.feedback or [],
                    needs_review=item.needs_review,
                    key=get_type(item.version.type).review(item.version.body, item.response, book),
                    explanation=item.version.explanation,
                )
    return jsonify(data)
