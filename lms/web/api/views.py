"""The JSON API v1 for a mobile client and integrations: identity, courses, lessons."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, jsonify, request
from sqlalchemy import select
from werkzeug.wrappers import Response

from lms.access import roles_required, signed_in
from lms.db import db_session, utcnow
from lms.domain.certification.golive import certificate_of
from lms.domain.certification.validity import status_of
from lms.domain.curriculum.overview import overview
from lms.domain.errors import NotFound
from lms.domain.learning import lessons as lesson_rules
from lms.domain.tiers.ladder import current_tier
from lms.domain.tiers.renewal import tier_status
from lms.extensions import csrf
from lms.models import Certificate, Lesson, Role, User
from lms.web.api.errors import ApiError, fail, not_found
from lms.web.identity import me

bp = Blueprint("api", __name__)
csrf.exempt(bp)


@bp.before_request
def _guard() -> None:
    """Tokens only in the header; cookie-authenticated writes still need the CSRF token."""
    if any(k in request.args for k in ("access_token", "token", "api_key")):
        fail(400, "token_in_query", "Send the token in the Authorization header, never in the URL.")
    # The app-wide access check ran first and loaded the user (and any bearer token).
    if request.method not in ("GET", "HEAD", "OPTIONS") and g.get("api_token") is None:
        # No bearer token: this is a browser session, so it must prove it came from our pages.
        csrf.protect()


@bp.errorhandler(ApiError)
def _api_error(err: ApiError) -> Response:
    return err.response()


def _user_json() -> dict[str, Any]:
    user = me()
    return {
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "roles": sorted(user.roles),
        "locale": user.locale or None,
        "cohort": user.cohort.name if user.cohort else None,
        "stores": [{"name": link.store.name, "main": link.is_main} for link in user.store_links],
    }


def _status_json(user: User) -> dict[str, Any]:
    session = db_session()
    cert = certificate_of(session, user)
    status = status_of(session, cert, utcnow()) if cert is not None else None
    # Live: certified, neither revoked nor expired (seat allocation relies on it).
    live = status is not None and status.live
    tier = tier_status(session, user, utcnow()) if live else None
    return {
        "user_id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "active": user.active,
        "certified_live": live,
        "live_since": cert.live_since.isoformat() if live and cert else None,
        "tier": current_tier(session, user) if live else None,
        "certificate_status": status.state if status is not None else None,
        "certificate_expires_at": status.ends.isoformat() if status is not None and status.ends else None,
        "tier_status": tier.state if live and tier is not None else None,
        "tier_expires_at": tier.ends.isoformat() if live and tier is not None and tier.ends else None,
    }


@bp.get("/me")
@signed_in
def get_me() -> Response:
    """Who the caller is, their certificates and tier."""
    session = db_session()
    user = me()
    certs = session.scalars(select(Certificate).where(Certificate.user_id == user.id)).all()
    return jsonify(
        {
            **_user_json(),
            "tier": _status_json(user)["tier"],
            "certificates": [
                {
                    "kind": c.kind,
                    "code": c.code,
                    "issued_at": c.issued_at.isoformat(),
                    "revoked": not c.valid,
                    "status": status_of(session, c, utcnow()).state,
                }
                for c in certs
            ],
        }
    )


@bp.get("/users/<int:user_id>/status")
@roles_required(Role.TRAINER, Role.QC, Role.ADMIN)
def user_status(user_id: int) -> Response:
    """For seat allocation or the IM system: may this agent take live chats, since when, at what tier."""
    user = db_session().get(User, user_id)
    if user is None:
        not_found("No such user.")
    return jsonify(_status_json(user))


@bp.get("/courses")
@signed_in
def list_courses() -> Response:
    """Published courses in programme order, with the caller's progress."""
    session = db_session()
    data = overview(session, published_only=True)
    lesson_ids = [lesson.id for c in data.courses for lesson in c.lessons]
    done = lesson_rules.done_lesson_ids(session, me(), lesson_ids)
    return jsonify(
        courses=[
            {
                "slug": c.course.slug,
                "title": c.course.title,
                "version": c.course.version,
                "first_day": c.first_day,
                "last_day": c.last_day,
                "lessons": len(c.lessons),
                "lessons_done": sum(1 for lesson in c.lessons if lesson.id in done),
            }
            for c in data.courses
        ]
    )


def _lesson_json(lesson: Lesson, done: bool) -> dict[str, Any]:
    return {
        "id": lesson.id,
        "slug": lesson.slug,
        "title": lesson.title,
        "day": lesson.day,
        "minutes": lesson.minutes,
        "done": done,
    }


@bp.get("/courses/<slug>")
@signed_in
def get_course(slug: str) -> Response:
    """One course with its lessons (Markdown bodies included) and quizzes."""
    session = db_session()
    try:
        course = lesson_rules.visible_course(session, slug)
    except NotFound:
        not_found("No such course.")
    progress = lesson_rules.course_progress(session, me(), course, bodies=True)
    return jsonify(
        slug=course.slug,
        title=course.title,
        summary=course.summary,
        version=course.version,
        topics=course.topics,
        lessons=[
            {**_lesson_json(s.lesson, s.done), "body_markdown": s.lesson.body} for s in progress.lessons
        ],
        quizzes=[q.slug for q in course.quizzes if q.published],
    )


@bp.post("/lessons/<int:lesson_id>/done")
@signed_in
def lesson_done(lesson_id: int) -> Response:
    """Mark a lesson done (idempotent)."""
    session = db_session()
    lesson = session.get(Lesson, lesson_id)
    if lesson is None or not lesson.active or not lesson.course.published:
        not_found("No such lesson.")
    completion = lesson_rules.mark_done(session, me(), lesson)
    session.commit()
    return jsonify(
        lesson_id=lesson.id,
        done=True,
        done_at=completion.done_at.isoformat(),
        course_version=completion.course_version,
    )
