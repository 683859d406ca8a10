"""The JSON API for the FAQ drill (a mobile client): the next due card, answers, the caller's cards.

A card never carries its model answer; the answer's review does, so the model answer cannot be
fetched before answering. Another agent's card is a 404.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from werkzeug.wrappers import Response

from lms.access import signed_in
from lms.db import db_session, utcnow
from lms.domain.curriculum.programme import load_schedule
from lms.domain.curriculum.rulebook import current_book
from lms.domain.drills import cards
from lms.domain.drills.grading import is_ordering, target_seconds
from lms.domain.drills.progress import drill_progress
from lms.domain.errors import Conflict, NotFound
from lms.models import DrillCard, DrillReview
from lms.web.api.errors import fail, not_found
from lms.web.api.views import bp
from lms.web.forms import MAX_ID
from lms.web.identity import me
from lms.web.security_log import note_if_someone_elses

RATINGS = {1: "again", 2: "hard", 3: "good", 4: "easy"}
STATES = {1: "learning", 2: "review", 3: "relearning"}


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def card_json(card: DrillCard) -> dict[str, Any]:
    """A card's schedule, without its answer."""
    return {
        "id": card.id,
        "entry": card.entry.key,
        "kind": "order" if is_ordering(card.entry) else "reply",
        "customer": card.entry.question,
        "state": STATES.get(card.state, "learning"),
        "due": _iso(card.due),
        "stability": card.stability,
        "reps": card.reps,
        "lapses": card.lapses,
    }


def review_json(review: DrillReview, card: DrillCard) -> dict[str, Any]:
    """An answered card: the rating and why, the model answer, when it is due again."""
    reasons = [
        template % params if params else template for template, params in review.detail.get("reasons", [])
    ]
    return {
        "id": review.id,
        "card": card.id,
        "serve": review.serve,
        "rating": RATINGS[review.rating],
        "reasons": reasons,
        "seconds": review.seconds,
        "answer": review.answer,
        "model_answer": card.entry.answer,
        "steps": list(card.entry.steps or []),
        "due": _iso(card.due),
    }


@bp.get("/drills/next")
@signed_in
def next_card() -> Response:
    """The next due card (the same until answered) and today's goal and streak."""
    session = db_session()
    user, now = me(), utcnow()
    served = cards.serve_next(session, user, now)
    progress = drill_progress(session, user, now.date(), load_schedule(session))
    session.commit()
    card = None
    if served is not None:
        card = {
            **card_json(served.card),
            "serve": served.serve,
            "steps": served.steps,
            "target_seconds": round(target_seconds(served.card.entry)),
            "hinted": served.card.hinted,
        }
    return jsonify(
        card=card,
        progress={"done_today": progress.done_today, "goal": progress.goal, "streak": progress.streak},
    )


@bp.get("/drills/cards")
@signed_in
def my_cards() -> Response:
    """The caller's cards and their schedule."""
    return jsonify(cards=[card_json(c) for c in cards.user_cards(db_session(), me())])


@bp.get("/drills/cards/<int:card_id>")
@signed_in
def one_card(card_id: int) -> Response:
    """One of the caller's cards (never its model answer)."""
    if card_id > MAX_ID:
        not_found("No such card.")
    try:
        card = cards.get_card(db_session(), me(), card_id)
    except NotFound:
        note_if_someone_elses(DrillCard, card_id)
        not_found("No such card.")
    return jsonify(card_json(card))


@bp.post("/drills/cards/<int:card_id>/answers")
@signed_in
def answer(card_id: int) -> Response:
    """Answer a served card: {"serve": n, "text": "..."} or {"serve": n, "order": [shown indexes]}.

    Once per serve: posting the same serve again returns the first review."""
    session = db_session()
    body = request.get_json(silent=True)
    serve = body.get("serve") if isinstance(body, dict) else None
    if isinstance(serve, float) and serve.is_integer():
        serve = int(serve)  # JSON Schema's integer: 3.0 is 3
    if not isinstance(serve, int) or isinstance(serve, bool) or not 0 <= serve <= MAX_ID:
        fail(
            422,
            "invalid_answer",
            'Send {"serve": n, "text": "..."} or {"serve": n, "order": [...]}.',
            "serve",
        )
    assert isinstance(body, dict)
    if set(body) - {"serve", "text", "order"}:
        fail(
            422,
            "invalid_answer",
            "Only serve, text and order are read: the answer is rated, never the agent.",
            "rating",
        )
    if card_id > MAX_ID:
        not_found("No such card.")
    text, order = body.get("text", ""), body.get("order", [])
    if not isinstance(text, str) or len(text) > 2000:
        fail(422, "invalid_answer", "text must be at most 2000 characters of text.", "text")
    if (
        not isinstance(order, list)
        or len(order) > 50
        or not all(isinstance(i, int) and not isinstance(i, bool) for i in order)
    ):
        fail(422, "invalid_answer", "order must be a list of step indexes.", "order")
    loaded = current_book(session)
    try:
        review = cards.answer(
            session,
            me(),
            card_id,
            serve,
            utcnow(),
            text=text,
            order=order,
            book=loaded.book if loaded else None,
        )
    except NotFound:
        session.rollback()
        note_if_someone_elses(DrillCard, card_id)
        not_found("No such card.")
    except Conflict as err:
        session.rollback()
        fail(409, "not_waiting", str(err), "serve")
    session.commit()
    card = session.get(DrillCard, card_id)
    assert card is not None
    return jsonify(review_json(review, card))
