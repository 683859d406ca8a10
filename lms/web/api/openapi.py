"""The OpenAPI 3.1 description of /api/v1 (tests validate real responses against it)."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from werkzeug.wrappers import Response

from lms.access import public
from lms.web.api.views import bp


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERROR_CODES = (400, 401, 403, 404, 409, 413, 422, 429, 503)
ERRORS = {str(code): {"$ref": f"#/components/responses/E{code}"} for code in ERROR_CODES}
NULLABLE_TIME = {"type": ["string", "null"], "format": "date-time"}

SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                    "field": {"type": "string"},
                    "incident": {
                        "type": "string",
                        "description": "On a 500 or 503: the id the error is logged under (also the "
                        "X-Request-Id header); quote it when reporting the problem.",
                    },
                },
            }
        },
    },
    "Me": {
        "type": "object",
        "required": ["id", "username", "display_name", "roles", "locale"],
        "properties": {
            "id": {"type": "integer"},
            "username": {"type": "string"},
            "display_name": {"type": "string"},
            "roles": {"type": "array", "items": {"enum": ["learner", "trainer", "qc", "admin"]}},
            "locale": {"type": ["string", "null"]},
            "cohort": {"type": ["string", "null"]},
            "stores": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"name": {"type": "string"}, "main": {"type": "boolean"}},
                },
            },
        },
    },
    "Status": {
        "type": "object",
        "required": ["user_id", "username", "certified_live", "live_since", "tier"],
        "properties": {
            "user_id": {"type": "integer"},
            "username": {"type": "string"},
            "display_name": {"type": "string"},
            "active": {"type": "boolean"},
            "certified_live": {
                "type": "boolean",
                "description": "True while the go-live certificate is valid or expiring; false before "
                "certification and once it is revoked or expired (its validity period, from the "
                "programme, has ended without recertification).",
            },
            "live_since": NULLABLE_TIME,
            "tier": {"type": ["string", "null"]},
            "certificate_status": {"enum": ["valid", "expiring", "expired", "revoked", None]},
            "certificate_expires_at": {
                **NULLABLE_TIME,
                "description": "When the certificate stops being valid; null when it never expires.",
            },
            "tier_status": {
                "enum": ["valid", "expiring", "expired", None],
                "description": "The tier's standing when the programme gives it a validity period "
                "(`[[tiers]] valid_days`); null for a tier held for good.",
            },
            "tier_expires_at": NULLABLE_TIME,
        },
    },
    "CourseSummary": {
        "type": "object",
        "required": ["slug", "title", "version", "lessons", "lessons_done"],
        "properties": {
            "slug": {"type": "string"},
            "title": {"type": "string"},
            "version": {"type": "string"},
            "first_day": {"type": ["integer", "null"]},
            "last_day": {"type": ["integer", "null"]},
            "lessons": {"type": "integer"},
            "lessons_done": {"type": "integer"},
        },
    },
    "Lesson": {
        "type": "object",
        "required": ["id", "slug", "title", "done"],
        "properties": {
            "id": {"type": "integer"},
            "slug": {"type": "string"},
            "title": {"type": "string"},
            "day": {"type": ["integer", "null"]},
            "minutes": {"type": "integer"},
            "done": {"type": "boolean"},
            "body_markdown": {"type": "string"},
        },
    },
    "Course": {
        "type": "object",
        "required": ["slug", "title", "version", "lessons", "quizzes"],
        "properties": {
            "slug": {"type": "string"},
            "title": {"type": "string"},
            "summary": {"type": "string"},
            "version": {"type": "string"},
            "topics": {"type": "array", "items": {"type": "string"}},
            "lessons": {"type": "array", "items": _ref("Lesson")},
            "quizzes": {"type": "array", "items": {"type": "string"}},
        },
    },
    "LessonDone": {
        "type": "object",
        "required": ["lesson_id", "done", "done_at", "course_version"],
        "properties": {
            "lesson_id": {"type": "integer"},
            "done": {"const": True},
            "done_at": {"type": "string", "format": "date-time"},
            "course_version": {"type": "string"},
        },
    },
    "AttemptSummary": {
        "type": "object",
        "required": ["id", "quiz", "number", "status", "started_at"],
        "properties": {
            "id": {"type": "integer"},
            "quiz": {"type": "string"},
            "number": {"type": "integer"},
            "status": {"enum": ["in_progress", "submitted", "graded"]},
            "started_at": {"type": "string", "format": "date-time"},
            "deadline": NULLABLE_TIME,
            "submitted_at": NULLABLE_TIME,
            "score": {"type": ["number", "null"]},
            "max": {"type": ["number", "null"]},
            "percent": {"type": ["number", "null"]},
            "passed": {"type": ["boolean", "null"]},
        },
    },
    "Question": {
        "type": "object",
        "required": ["id", "position", "type", "text", "points", "display"],
        "description": "A question of an attempt. `display` never holds a key, weight or feedback; choices, "
        "pairs and items are addressed by their 0-based position in the quiz file.",
        "properties": {
            "id": {"type": "string"},
            "position": {"type": "integer"},
            "type": {
                "enum": [
                    "single",
                    "multiple",
                    "truefalse",
                    "short",
                    "numeric",
                    "matching",
                    "ordering",
                    "cloze",
                    "essay",
                    "reply",
                ]
            },
            "text": {"type": "string"},
            "points": {"type": "number"},
            "display": {"type": "object"},
            "response": {"type": ["object", "null"]},
            "version": {
                "type": "integer",
                "description": "The saved answer's version: send it as If-Match when saving to refuse "
                "overwriting a newer answer.",
            },
            "saved_at": NULLABLE_TIME,
            "score": {"type": ["number", "null"]},
            "feedback": {"type": "array", "items": {"type": "string"}},
            "needs_review": {"type": "boolean"},
            "key": {"type": "object"},
            "explanation": {"type": "string"},
        },
    },
    "Attempt": {
        "allOf": [
            _ref("AttemptSummary"),
            {
                "type": "object",
                "required": ["questions"],
                "properties": {"questions": {"type": "array", "items": _ref("Question")}},
            },
        ]
    },
    "Quiz": {
        "type": "object",
        "required": [
            "slug",
            "title",
            "pass_percent",
            "max_attempts",
            "cooldown_minutes",
            "time_limit_minutes",
            "grading",
            "review",
            "gates",
            "questions",
            "can_start",
            "attempts",
        ],
        "properties": {
            "slug": {"type": "string"},
            "title": {"type": "string"},
            "course": {"type": ["string", "null"]},
            "description": {"type": "string"},
            "pass_percent": {"type": "integer"},
            "max_attempts": {"type": "integer"},
            "cooldown_minutes": {"type": "integer"},
            "time_limit_minutes": {"type": "integer"},
            "grading": {"enum": ["highest", "last", "first", "mean"]},
            "review": {"enum": ["after_submit", "after_pass", "score_only", "never"]},
            "gates": {"type": "array", "items": {"type": "string"}},
            "questions": {"type": "integer"},
            "attempts_left": {"type": ["integer", "null"]},
            "next_start_at": NULLABLE_TIME,
            "grade_percent": {"type": ["number", "null"]},
            "passed": {"type": "boolean"},
            "can_start": {"type": "boolean"},
            "open_attempt": {"type": ["integer", "null"]},
            "attempts": {"type": "array", "items": _ref("AttemptSummary")},
        },
    },
    "Response": {
        "description": "One answer, by question type: single {choice}, multiple {choices}, truefalse {value}, "
        "short/essay {text}, numeric {value}, matching {pairs}, ordering {order}, cloze {gaps}. A chat reply "
        "is {text} (one message) or {messages: [text, …]} (several, in the order sent); the server stamps "
        "each message with the seconds since the question opened, keeping the stamps of messages it already "
        "has (so send the whole list again with one more at the end), and never takes a time from the client.",
        "oneOf": [
            {"type": "object", "required": ["choice"], "properties": {"choice": {"type": "integer"}}},
            {
                "type": "object",
                "required": ["choices"],
                "properties": {"choices": {"type": "array", "items": {"type": "integer"}}},
            },
            {
                "type": "object",
                "required": ["value"],
                "properties": {"value": {"type": ["boolean", "number"]}},
            },
            {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}},
            {
                "type": "object",
                "required": ["messages"],
                "properties": {
                    "messages": {"type": "array", "minItems": 1, "maxItems": 30, "items": {"type": "string"}}
                },
            },
            {
                "type": "object",
                "required": ["pairs"],
                "properties": {"pairs": {"type": "object", "additionalProperties": {"type": "integer"}}},
            },
            {
                "type": "object",
                "required": ["order"],
                "properties": {"order": {"type": "array", "items": {"type": "integer"}}},
            },
            {
                "type": "object",
                "required": ["gaps"],
                "properties": {"gaps": {"type": "array", "items": {"type": "string"}}},
            },
        ],
    },
    "Message": {
        "type": "object",
        "required": ["text"],
        "description": 'One chat message of a reply: {"text": "..."}.',
        "properties": {"text": {"type": "string", "maxLength": 10000}},
        "additionalProperties": False,
    },
    "StampedReply": {
        "type": "object",
        "required": ["messages"],
        "description": "A chat reply as the server keeps it: each message with the seconds between the question "
        "opening and its arrival (the first is timed against the 20-second standard).",
        "properties": {
            "messages": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["text", "seconds"],
                    "properties": {"text": {"type": "string"}, "seconds": {"type": ["number", "null"]}},
                },
            }
        },
    },
    "PracticeScenarios": {
        "type": "object",
        "required": ["scenarios"],
        "properties": {
            "scenarios": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["slug", "title", "best_medal", "runs"],
                    "properties": {
                        "slug": {"type": "string"},
                        "title": {"type": "string"},
                        "title_en": {"type": ["string", "null"]},
                        "best_medal": {
                            "type": ["string", "null"],
                            "enum": ["bronze", "silver", "gold", None],
                        },
                        "runs": {"type": "integer"},
                        "active_run": {"type": ["integer", "null"]},
                    },
                },
            }
        },
    },
    "PracticeReply": {
        "type": "object",
        "required": ["text"],
        "properties": {
            "text": {
                "type": "string",
                "minLength": 1,
                "pattern": "\\S",
                "description": "One reply, at most 2000 characters (longer: 413).",
            },
            "turn": {
                "type": "integer",
                "description": "The turn answered (`waiting_turn`): refuses a stale post.",
            },
        },
        "additionalProperties": False,
    },
    "PracticeRun": {
        "type": "object",
        "required": ["id", "scenario", "status", "turns", "flagged"],
        "properties": {
            "id": {"type": "integer"},
            "scenario": {"type": "string"},
            "status": {"type": "string", "enum": ["active", "finished", "abandoned"]},
            "official": {"type": "boolean"},
            "waiting_turn": {"type": ["integer", "null"]},
            "outcome": {"type": ["string", "null"]},
            "score": {"type": ["integer", "null"]},
            "medal": {"type": ["string", "null"]},
            "flagged": {"type": "boolean"},
            "started_at": {"type": ["string", "null"], "format": "date-time"},
            "ended_at": {"type": ["string", "null"], "format": "date-time"},
            "turns": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["number", "shopper", "shows_at", "final"],
                    "properties": {
                        "number": {"type": "integer"},
                        "shopper": {"type": "string"},
                        "shows_at": {"type": "string", "format": "date-time"},
                        "final": {"type": "boolean"},
                        "reply": {"type": ["string", "null"]},
                        "replied_at": {"type": ["string", "null"]},
                        "seconds": {"type": ["number", "null"]},
                        "score": {"type": ["integer", "null"]},
                        "failed": {"type": "boolean"},
                        "reasons": {"type": ["object", "null"]},
                    },
                },
            },
        },
    },
    "Saved": {
        "type": "object",
        "required": ["question", "saved_at", "response", "version"],
        "properties": {
            "question": {"type": "string"},
            "saved_at": {"type": "string", "format": "date-time"},
            "response": {
                "type": "object",
                "description": "The answer as saved; a chat reply comes back as a StampedReply.",
            },
            "version": {"type": "integer", "description": "The answer's new version (also the ETag)."},
        },
    },
    "DrillCard": {
        "type": "object",
        "description": "A card of the FAQ drill: never its model answer.",
        "required": ["id", "entry", "kind", "customer", "state", "due", "reps", "lapses"],
        "properties": {
            "id": {"type": "integer"},
            "entry": {"type": "string", "description": "The script-library entry's id."},
            "kind": {"enum": ["reply", "order"], "description": "Type a reply, or put the steps in order."},
            "customer": {"type": "string", "description": "The shopper's message."},
            "state": {"enum": ["learning", "review", "relearning"]},
            "due": {"type": "string", "format": "date-time"},
            "stability": {"type": ["number", "null"], "description": "FSRS stability in days."},
            "reps": {"type": "integer"},
            "lapses": {"type": "integer"},
            "serve": {"type": "integer", "description": "The serve an answer must name."},
            "steps": {
                "type": ["array", "null"],
                "items": {"type": "string"},
                "description": "Shown shuffled.",
            },
            "target_seconds": {"type": "integer"},
            "hinted": {"type": "boolean"},
        },
    },
    "DrillNext": {
        "type": "object",
        "required": ["card", "progress"],
        "properties": {
            "card": {"oneOf": [{"$ref": "#/components/schemas/DrillCard"}, {"type": "null"}]},
            "progress": {
                "type": "object",
                "required": ["done_today", "goal", "streak"],
                "properties": {
                    "done_today": {"type": "integer"},
                    "goal": {"type": "integer"},
                    "streak": {"type": "integer"},
                },
            },
        },
    },
    "DrillAnswer": {
        "type": "object",
        "required": ["serve"],
        "additionalProperties": False,
        "properties": {
            "serve": {"type": "integer", "minimum": 0, "maximum": 2147483647},
            "text": {"type": "string", "maxLength": 2000},
            "order": {
                "type": "array",
                "maxItems": 50,
                "items": {"type": "integer"},
                "description": "Indexes of the shown steps, in the order the agent puts them.",
            },
        },
    },
    "DrillReview": {
        "type": "object",
        "required": ["id", "card", "rating", "reasons", "model_answer", "due"],
        "properties": {
            "id": {"type": "integer"},
            "card": {"type": "integer"},
            "serve": {"type": ["integer", "null"]},
            "rating": {"enum": ["again", "hard", "good", "easy"]},
            "reasons": {"type": "array", "items": {"type": "string"}},
            "seconds": {"type": ["number", "null"]},
            "answer": {"type": ["string", "null"]},
            "model_answer": {"type": "string"},
            "steps": {"type": "array", "items": {"type": "string"}},
            "due": {"type": "string", "format": "date-time"},
        },
    },
}


def _op(
    summary: str,
    ok: dict[str, Any],
    *errors: int,
    body: dict[str, Any] | None = None,
    params: list[dict[str, Any]] | None = None,
    status: str = "200",
    description: str = "",
) -> dict[str, Any]:
    op: dict[str, Any] = {
        "summary": summary,
        "responses": {status: ok, **{str(e): ERRORS[str(e)] for e in (401, 429, 503, *errors)}},
    }
    if body is not None:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    if params:
        op["parameters"] = params
    if description:
        op["description"] = description
    return op


def _path_param(name: str, kind: str = "string") -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": kind}}


def document() -> dict[str, Any]:
    """The OpenAPI document."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Service Academy API",
            "version": "1",
            "description": "For the mobile client and integrations. Authenticate with a personal access "
            "token: `Authorization: Bearer lms_…` (never in the URL). Every response carries an "
            "X-Request-Id; a 503 (the database is unavailable: retry after Retry-After seconds) or a "
            "500 also says it as `error.incident`.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": {
            "/me": {"get": _op("Who the caller is, their certificates and tier", _json(_ref("Me")))},
            "/users/{user_id}/status": {
                "get": _op(
                    "May this agent take live chats? (staff token; for seat allocation and IM systems)",
                    _json(_ref("Status")),
                    403,
                    404,
                    params=[_path_param("user_id", "integer")],
                )
            },
            "/courses": {
                "get": _op(
                    "Published courses with the caller's progress",
                    _json(
                        {
                            "type": "object",
                            "required": ["courses"],
                            "properties": {"courses": {"type": "array", "items": _ref("CourseSummary")}},
                        }
                    ),
                )
            },
            "/courses/{slug}": {
                "get": _op(
                    "One course with its lessons", _json(_ref("Course")), 404, params=[_path_param("slug")]
                )
            },
            "/lessons/{lesson_id}/done": {
                "post": _op(
                    "Mark a lesson done (idempotent)",
                    _json(_ref("LessonDone")),
                    400,
                    404,
                    params=[_path_param("lesson_id", "integer")],
                )
            },
            "/quizzes/{slug}": {
                "get": _op(
                    "A quiz and the caller's attempts", _json(_ref("Quiz")), 404, params=[_path_param("slug")]
                )
            },
            "/quizzes/{slug}/attempts": {
                "post": _op(
                    "Start an attempt (or resume the open one)",
                    _json(_ref("Attempt"), "Created"),
                    404,
                    409,
                    422,
                    params=[_path_param("slug")],
                    status="201",
                )
            },
            "/attempts/{attempt_id}": {
                "get": _op(
                    "An attempt; the review once submitted, per the quiz's policy",
                    _json(_ref("Attempt")),
                    404,
                    params=[_path_param("attempt_id", "integer")],
                )
            },
            "/attempts/{attempt_id}/responses/{question_id}": {
                "put": _op(
                    "Save one answer",
                    _json(_ref("Saved")),
                    400,
                    404,
                    409,
                    413,
                    422,
                    body=_ref("Response"),
                    params=[
                        _path_param("attempt_id", "integer"),
                        _path_param("question_id"),
                        {
                            "name": "If-Match",
                            "in": "header",
                            "required": False,
                            "description": 'The answer version the client last saw, e.g. "3" (the '
                            "question's `version`, or the ETag of the last save).",
                            "schema": {"type": "string"},
                        },
                    ],
                    description="Without If-Match the last save wins (a client that never reads "
                    "before writing keeps working). With If-Match, a save against an older version "
                    "than the stored one — the answer was changed meanwhile in another window, device "
                    "or client — is refused with 409 `stale_answer`; the stored answer stays and the "
                    "response's ETag names its version.",
                )
            },
            "/attempts/{attempt_id}/responses/{question_id}/messages": {
                "post": _op(
                    "Send one message of a chat reply (Enter in the chat window); the server stamps its time",
                    _json(_ref("Saved"), "Created"),
                    400,
                    404,
                    409,
                    413,
                    422,
                    body=_ref("Message"),
                    params=[_path_param("attempt_id", "integer"), _path_param("question_id")],
                    status="201",
                )
            },
            "/drills/next": {
                "get": _op("The next due FAQ drill card, today's goal and streak", _json(_ref("DrillNext")))
            },
            "/drills/cards": {
                "get": _op(
                    "The caller's drill cards",
                    _json(
                        {
                            "type": "object",
                            "required": ["cards"],
                            "properties": {"cards": {"type": "array", "items": _ref("DrillCard")}},
                        }
                    ),
                )
            },
            "/drills/cards/{card_id}": {
                "get": _op(
                    "One of the caller's cards",
                    _json(_ref("DrillCard")),
                    404,
                    params=[_path_param("card_id", "integer")],
                )
            },
            "/drills/cards/{card_id}/answers": {
                "post": _op(
                    "Answer a served card; rated from the answer; the model answer comes back",
                    _json(_ref("DrillReview")),
                    404,
                    409,
                    422,
                    body=_ref("DrillAnswer"),
                    params=[_path_param("card_id", "integer")],
                    description="One review per card per serve: posting the same serve again returns the "
                    "first review; a serve that is not waiting (never served, or already answered and "
                    "served again) is a 409 `not_waiting`.",
                )
            },
            "/practice/scenarios": {
                "get": _op(
                    "Published practice chats with the caller's best medal", _json(_ref("PracticeScenarios"))
                )
            },
            "/practice/scenarios/{slug}/runs": {
                "post": _op(
                    "Start a practice chat (or get the one in play)",
                    _json(_ref("PracticeRun"), "Created"),
                    404,
                    params=[_path_param("slug")],
                    status="201",
                )
            },
            "/practice/runs/{run_id}": {
                "get": _op(
                    "A practice chat: every line stamped; once ended, each turn's score and reasons",
                    _json(_ref("PracticeRun")),
                    404,
                    params=[_path_param("run_id", "integer")],
                )
            },
            "/practice/runs/{run_id}/replies": {
                "post": _op(
                    "Reply to the shopper's waiting line; the server stamps, scores and answers with the next line",
                    _json(_ref("PracticeRun"), "Created"),
                    404,
                    409,
                    413,
                    422,
                    body=_ref("PracticeReply"),
                    params=[_path_param("run_id", "integer")],
                    status="201",
                )
            },
            "/practice/runs/{run_id}/abandon": {
                "post": _op(
                    "Leave a practice chat (unscored)",
                    _json(_ref("PracticeRun")),
                    404,
                    409,
                    params=[_path_param("run_id", "integer")],
                )
            },
            "/attempts/{attempt_id}/submit": {
                "post": _op(
                    "Submit and grade (idempotent)",
                    _json(_ref("AttemptSummary")),
                    404,
                    params=[_path_param("attempt_id", "integer")],
                )
            },
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": SCHEMAS,
            "responses": {f"E{code}": _json(_ref("Error"), "Error") for code in ERROR_CODES},
        },
    }


@bp.get("/openapi.json")
@public
def openapi() -> Response:
    """The OpenAPI 3.1 document of this API."""
    return jsonify(document())
