"""The JSON API for practice chats: list, start (or resume), read, reply, abandon.

The server keeps the clock: `shows_at` is when the shopper's waiting line appears (a client shows
"typing…" until then) and a reply is timed from there. A reply to someone else's run is 404; after
the end, twice or out of turn 409 (nothing changes); longer than MAX_REPLY characters 413.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from werkzeug.wrappers import Response

from lms.access import signed_in
from lms.db import db_session, utcnow
from lms.domain.curriculum.scenarios import by_slug, playable
from lms.domain.errors import Conflict, DomainError, NotFound
from lms.domain.practice import history, runs
from lms.models import PracticeRun
from lms.web.api.errors import fail, not_found
from lms.web.api.views import bp
from lms.web.identity import me
from lms.web.security_log import note_if_someone_elses


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _run_json(shown: history.Transcript) -> dict[str, Any]:
    run = shown.run
    ended = run.status != "active"
    turns = []
    for turn in shown.turns:
        item: dict[str, Any] = {
            "number": turn.number,
            "shopper": turn.shopper_text,
            "shows_at": _iso(turn.shopper_at),
            "final": turn.final,
            "reply": turn.reply_text,
            "replied_at": _iso(turn.reply_at),
            "seconds": turn.seconds,
        }
        if ended and turn.reply_text is not None:
            item.update(score=turn.score, failed=turn.failed, reasons=turn.reasons)
        turns.append(item)
    return {
        "id": run.id,
        "scenario": run.scenario.slug,
        "status": run.status,
        "official": run.official,
        "waiting_turn": run.turn_count + 1 if not ended else None,
        "outcome": run.outcome,
        "score": run.score,
        "medal": run.medal,
        "flagged": run.flagged,
        "started_at": _iso(run.started_at),
        "ended_at": _iso(run.ended_at),
        "turns": turns,
    }


def _own(run_id: int) -> history.Transcript:
    try:
        return history.transcript(db_session(), run_id, user_id=me().id)
    except NotFound:
        note_if_someone_elses(PracticeRun, run_id)
        not_found("No such practice chat.")


@bp.get("/practice/scenarios")
@signed_in
def practice_scenarios() -> Response:
    """The published practice chats with the caller's best medal and runs."""
    session = db_session()
    scenarios = playable(session)
    standing = history.standings(session, me().id, [s.id for s in scenarios])
    return jsonify(
        scenarios=[
            {
                "slug": s.slug,
                "title": s.title,
                "title_en": s.title_en,
                "best_medal": standing[s.id].best_medal if s.id in standing else None,
                "runs": standing[s.id].runs if s.id in standing else 0,
                "active_run": standing[s.id].active_run_id if s.id in standing else None,
            }
            for s in scenarios
        ]
    )


@bp.post("/practice/scenarios/<slug>/runs")
@signed_in
def practice_start(slug: str) -> tuple[Response, int]:
    """Start a run (or get the one in play): the shopper's opening line and when it shows."""
    session = db_session()
    scenario = by_slug(session, slug)
    if scenario is None or not scenario.active or not scenario.published:
        not_found("No such practice chat.")
    run = runs.start_run(session, me(), scenario, utcnow())
    session.commit()
    return jsonify(_run_json(_own(run.id))), 201


@bp.get("/practice/runs/<int:run_id>")
@signed_in
def practice_run(run_id: int) -> Response:
    """A run: every line with its stamp; once it ended, each turn's score and reasons."""
    return jsonify(_run_json(_own(run_id)))


@bp.post("/practice/runs/<int:run_id>/replies")
@signed_in
def practice_reply(run_id: int) -> tuple[Response, int]:
    """Reply to the waiting line ({"text": "...", "turn": n}); the server stamps and scores it."""
    session = db_session()
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("text"), str) or set(body) - {"text", "turn"}:
        fail(422, "invalid", 'Send {"text": "...", "turn": n}.', "text")
    turn = body.get("turn")
    if turn is not None and (isinstance(turn, bool) or not isinstance(turn, int)):
        fail(422, "invalid", "`turn` must be the number of the turn answered.", "turn")
    try:
        runs.reply(session, me(), run_id, body["text"], utcnow(), turn=turn)
    except NotFound:
        session.rollback()
        note_if_someone_elses(PracticeRun, run_id)
        not_found("No such practice chat.")
    except runs.ReplyTooLong as err:
        session.rollback()
        fail(413, "too_long", str(err), "text")
    except Conflict as err:
        session.rollback()
        fail(409, "conflict", str(err))
    except DomainError as err:
        session.rollback()
        fail(422, "invalid", str(err), err.field)
    session.commit()
    return jsonify(_run_json(_own(run_id))), 201


@bp.post("/practice/runs/<int:run_id>/abandon")
@signed_in
def practice_abandon(run_id: int) -> Response:
    """Leave the chat: the run ends unscored (409 when it already ended)."""
    session = db_session()
    try:
        runs.abandon(session, me(), run_id, utcnow())
    except NotFound:
        session.rollback()
        note_if_someone_elses(PracticeRun, run_id)
        not_found("No such practice chat.")
    except Conflict as err:
        session.rollback()
        fail(409, "conflict", str(err))
    session.commit()
    return jsonify(_run_json(_own(run_id)))
