"""The statements themselves (pure): actor by account, ADL verbs, activities under the site's address."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from lms.models import Attempt, AttemptItem, Certificate, Lesson, User

VERSION = "1.0.3"
#: Our namespace for statement ids: uuid5(NAMESPACE, "what happened") is the same every time.
NAMESPACE = uuid.UUID("0b6f1d2e-8c3a-5f4e-9a71-c5d3e2f1a020")
ADL = "http://adlnet.gov/expapi/verbs/"
VERBS = {
    "completed": ADL + "completed",
    "answered": ADL + "answered",
    "passed": ADL + "passed",
    "failed": ADL + "failed",
    "earned": "http://id.tincanapi.com/verb/earned",
}
ACTIVITY_TYPES = {
    "lesson": "http://adlnet.gov/expapi/activities/lesson",
    "course": "http://adlnet.gov/expapi/activities/course",
    "assessment": "http://adlnet.gov/expapi/activities/assessment",
    "question": "http://adlnet.gov/expapi/activities/cmi.interaction",
    "certificate": "https://w3id.org/xapi/tla/activity-types/credential",
}
INTERACTIONS = {
    "single": "choice",
    "multiple": "choice",
    "truefalse": "true-false",
    "short": "fill-in",
    "cloze": "fill-in",
    "numeric": "numeric",
    "matching": "matching",
    "ordering": "sequencing",
    "essay": "long-fill-in",
    "reply": "long-fill-in",
}


def statement_id(*parts: object) -> str:
    """The stable id of a statement about these facts."""
    return str(uuid.uuid5(NAMESPACE, ":".join(str(p) for p in parts)))


def _time(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def duration(seconds: float) -> str:
    """ISO 8601 duration, as xAPI wants it (PT12.5S)."""
    return f"PT{round(max(seconds, 0.0), 2):g}S"


def actor(home: str, user: User) -> dict[str, Any]:
    """The learner by account: the site's address and the username (never an email)."""
    return {"objectType": "Agent", "account": {"homePage": home, "name": user.username}}


def _names(title: str, title_en: str | None) -> dict[str, str]:
    names = {"zh-CN": title}
    if title_en:
        names["en-US"] = title_en
    return names


def _activity(
    activity_id: str, kind: str, title: str, title_en: str | None = None, **more: Any
) -> dict[str, Any]:
    return {
        "objectType": "Activity",
        "id": activity_id,
        "definition": {"type": ACTIVITY_TYPES[kind], "name": _names(title, title_en), **more},
    }


def _statement(
    sid: str, who: dict[str, Any], verb: str, obj: dict[str, Any], when: dt.datetime, **more: Any
) -> dict[str, Any]:
    return {
        "id": sid,
        "actor": who,
        "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
        "object": obj,
        "timestamp": _time(when),
        "version": VERSION,
        **more,
    }


def _context(*parents: dict[str, Any], registration: str | None = None) -> dict[str, Any]:
    context: dict[str, Any] = {"platform": "CS Academy", "language": "zh-CN"}
    if parents:
        context["contextActivities"] = {
            "parent": [{"objectType": "Activity", "id": p["id"]} for p in parents]
        }
    if registration:
        context["registration"] = registration
    return context


def course_activity(home: str, lesson: Lesson) -> dict[str, Any]:
    course = lesson.course
    return _activity(
        f"{home}/courses/{course.slug}", "course", course.title, getattr(course, "title_en", None)
    )


def lesson_completed(home: str, user: User, lesson: Lesson, now: dt.datetime) -> dict[str, Any]:
    course = course_activity(home, lesson)
    obj = _activity(
        f"{course['id']}/lessons/{lesson.slug}", "lesson", lesson.title, getattr(lesson, "title_en", None)
    )
    return _statement(
        statement_id("lesson-completed", user.id, lesson.id),
        actor(home, user),
        "completed",
        obj,
        now,
        result={"completion": True},
        context=_context(course),
    )


def quiz_activity(home: str, attempt: Attempt) -> dict[str, Any]:
    quiz = attempt.quiz
    return _activity(f"{home}/quizzes/{quiz.slug}", "assessment", quiz.title, getattr(quiz, "title_en", None))


def _registration(attempt: Attempt) -> str:
    return statement_id("attempt", attempt.id)


def _graded_key(attempt: Attempt) -> str:
    return _time(attempt.graded_at or attempt.submitted_at or attempt.started_at)


def _response(item: AttemptItem) -> str:
    response = item.response or {}
    if isinstance(response.get("text"), str):
        return str(response["text"])
    if isinstance(response.get("messages"), list):
        return "\n".join(
            str(m.get("text", m)) if isinstance(m, dict) else str(m) for m in response["messages"]
        )
    return json.dumps(response, ensure_ascii=False, sort_keys=True)


def question_answered(home: str, attempt: Attempt, item: AttemptItem) -> dict[str, Any]:
    quiz = quiz_activity(home, attempt)
    version = item.version
    obj = _activity(
        f"{quiz['id']}/questions/{item.question_key}",
        "question",
        item.question_key,
        interactionType=INTERACTIONS.get(version.type, "other"),
        description=_names(version.text[:500], (version.en or {}).get("text")),
    )
    result: dict[str, Any] = {"response": _response(item)[:4000], "completion": item.response is not None}
    if item.score is not None and not item.needs_review:
        result["score"] = {
            "raw": item.score,
            "min": 0,
            "max": item.max_score,
            "scaled": round(item.score / item.max_score, 4) if item.max_score else 0,
        }
        result["success"] = item.score >= item.max_score
    if item.elapsed_seconds is not None:
        result["duration"] = duration(item.elapsed_seconds)
    elif item.served_at is not None and item.saved_at is not None:
        result["duration"] = duration((item.saved_at - item.served_at).total_seconds())
    return _statement(
        statement_id("answered", attempt.id, item.id, _graded_key(attempt)),
        actor(home, attempt.user),
        "answered",
        obj,
        attempt.submitted_at or attempt.graded_at or attempt.started_at,
        result=result,
        context=_context(quiz, registration=_registration(attempt)),
    )


def quiz_graded(home: str, attempt: Attempt, now: dt.datetime) -> dict[str, Any]:
    verb = "passed" if attempt.passed else "failed"
    result: dict[str, Any] = {"success": bool(attempt.passed), "completion": True}
    if attempt.score is not None and attempt.max_score:
        result["score"] = {
            "raw": attempt.score,
            "min": 0,
            "max": attempt.max_score,
            "scaled": round((attempt.percent or 0) / 100, 4),
        }
    if attempt.submitted_at is not None:
        result["duration"] = duration((attempt.submitted_at - attempt.started_at).total_seconds())
    return _statement(
        statement_id("graded", attempt.id, _graded_key(attempt)),
        actor(home, attempt.user),
        verb,
        quiz_activity(home, attempt),
        now,
        result=result,
        context=_context(registration=_registration(attempt)),
    )


def certificate_earned(home: str, certificate: Certificate) -> dict[str, Any]:
    obj = _activity(f"{home}/certificates/{certificate.kind}", "certificate", certificate.kind)
    return _statement(
        statement_id("certificate", certificate.id),
        actor(home, certificate.user),
        "earned",
        obj,
        certificate.issued_at,
        result={"completion": True, "success": True},
        context=_context(),
    )
