"""An agent's cards: made on the programme day that introduces each entry, served when FSRS says
they are due, answered once per serve.

A serve is the card put in front of the agent (`card.serve` counts them); the answer names its
serve, so an answer posted twice, late or for a card never served makes no second review.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.content.rulebook import RuleBook
from lms.domain import events
from lms.domain.curriculum.programme import load_schedule, programme_start
from lms.domain.drills import grading
from lms.domain.drills.scheduling import LEARN_AHEAD, review
from lms.domain.errors import N_, Conflict, NotFound
from lms.models import DrillCard, DrillReview, FaqEntry, FocusDrill, User
from lms.models.drills import LEARNING, RELEARNING


def programme_day(session: Session, user: User, today: dt.date) -> int:
    """The learner's working day of the programme (0 before the start; past the end keeps counting)."""
    schedule = load_schedule(session)
    if schedule is None:
        return 0
    start = programme_start(session, user) or today
    return schedule.day_number(start, today)


def ensure_cards(session: Session, user: User, now: dt.datetime) -> int:
    """Make the cards of every entry the programme has introduced by today; returns how many were made."""
    day = programme_day(session, user, now.date())
    if day <= 0:
        return 0
    have = set(session.scalars(select(DrillCard.entry_id).where(DrillCard.user_id == user.id)))
    entries = session.scalars(
        select(FaqEntry.id).where(FaqEntry.active.is_(True), FaqEntry.day.is_not(None), FaqEntry.day <= day)
    ).all()
    made = [
        DrillCard(user_id=user.id, entry_id=entry_id, due=now) for entry_id in entries if entry_id not in have
    ]
    if made:
        try:
            with session.begin_nested():
                session.add_all(made)
        except IntegrityError:  # a parallel request made them first
            return 0
    return len(made)


def user_cards(session: Session, user: User) -> list[DrillCard]:
    """Every card of the agent with its entry, in library order."""
    return list(
        session.scalars(
            select(DrillCard)
            .join(FaqEntry, FaqEntry.id == DrillCard.entry_id)
            .where(DrillCard.user_id == user.id, FaqEntry.active.is_(True))
            .order_by(FaqEntry.position, FaqEntry.id)
        ).unique()
    )


def focus_topics(session: Session, user: User) -> set[str]:
    """The FAQ topics a trainer asked this agent to drill first."""
    return set(session.scalars(select(FocusDrill.topic).where(FocusDrill.user_id == user.id)))


def _waiting(card: DrillCard) -> bool:
    return card.serve > card.answered_serve


def due_cards(cards: list[DrillCard], now: dt.datetime, focus: set[str] = frozenset()) -> list[DrillCard]:  # type: ignore[assignment]
    """The cards to serve now, in order: a card served and not answered, then the focus topics, then
    by due time. Cards being (re)learnt may come up to LEARN_AHEAD early, so an Again returns within
    the session."""
    ready = [
        c
        for c in cards
        if _waiting(c)
        or c.due <= now
        or (c.reps > 0 and c.state in (LEARNING, RELEARNING) and c.due <= now + LEARN_AHEAD)
    ]
    return sorted(
        ready,
        key=lambda c: (not _waiting(c), not (set(c.entry.tags or []) & focus), c.due > now, c.due),
    )


@dataclass
class Served:
    """A card in front of the agent: which serve, and (for operation entries) the steps as shown."""

    card: DrillCard
    serve: int
    steps: list[str] | None


def serve_next(session: Session, user: User, now: dt.datetime) -> Served | None:
    """The next card to answer (the same one again until it is answered: a session resumes), or None."""
    ensure_cards(session, user, now)
    queue = due_cards(user_cards(session, user), now, focus_topics(session, user))
    if not queue:
        return None
    card = queue[0]
    if not _waiting(card):
        card.serve += 1
        card.served_at = now
        card.hinted = False
        session.flush()
    return _served(card)


def _served(card: DrillCard) -> Served:
    steps = grading.shown_steps(card.entry, card.id, card.serve) if grading.is_ordering(card.entry) else None
    return Served(card, card.serve, steps)


def get_card(session: Session, user: User, card_id: int, *, lock: bool = False) -> DrillCard:
    """One of the agent's own cards; another agent's card does not exist for them. `lock` holds the
    row until the transaction ends (answers to one card are taken one at a time)."""
    statement = select(DrillCard).where(DrillCard.id == card_id)
    if lock:
        statement = statement.with_for_update(of=DrillCard).execution_options(populate_existing=True)
    card = session.scalars(statement).unique().one_or_none()
    if card is None or card.user_id != user.id:
        raise NotFound(N_("No such card."))
    return card


def hint(session: Session, user: User, card_id: int, serve: int) -> str:
    """The first key point's phrases (or the first step) for a card being answered; the answer is Hard at best."""
    card = get_card(session, user, card_id)
    if serve != card.serve or not _waiting(card):
        raise Conflict(N_("This card is not waiting for an answer."))
    card.hinted = True
    entry = card.entry
    if grading.is_ordering(entry):
        return (entry.steps or [""])[0]
    points = entry.key_points or []
    return "、".join(points[0]["phrases"]) if points else ""


def answered_review(session: Session, card: DrillCard, serve: int) -> DrillReview | None:
    """The review already made for this serve, if any."""
    return session.scalars(
        select(DrillReview).where(DrillReview.card_id == card.id, DrillReview.serve == serve)
    ).one_or_none()


def answer(
    session: Session,
    user: User,
    card_id: int,
    serve: int,
    now: dt.datetime,
    *,
    text: str = "",
    order: list[int] | None = None,
    book: RuleBook | None = None,
) -> DrillReview:
    """Grade an answer to a served card and review it: once per serve (a repeat returns the first review)."""
    card = get_card(session, user, card_id, lock=True)
    existing = answered_review(session, card, serve)
    if existing is not None:
        return existing
    if serve != card.serve or not _waiting(card):
        raise Conflict(N_("This card is not waiting for an answer; open the drill again."))
    seconds = max(0.0, (now - (card.served_at or now)).total_seconds())
    entry = card.entry
    if grading.is_ordering(entry):
        shown = grading.shown_steps(entry, card.id, serve)
        result = grading.grade_order(entry, shown, list(order or []), seconds, card.hinted)
        written = " → ".join(result.detail["picked"])
    else:
        result = grading.grade_reply(entry, text[:2000], seconds, hinted=card.hinted, book=book)
        written = text[:2000]
    review(card, result.rating, now, seconds)
    card.answered_serve = serve
    row = DrillReview(
        card_id=card.id,
        user_id=user.id,
        source="drill",
        rating=result.rating,
        at=now,
        seconds=round(seconds, 2),
        serve=serve,
        answer=written,
        detail={"reasons": [[t, p] for t, p in result.reasons], **result.detail},
        stability=card.stability,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:  # the same serve answered in parallel
        session.expire(card)
        found = answered_review(session, card, serve)
        if found is None:
            raise
        return found
    events.publish(events.drill_reviewed, session, user=user, now=now)
    return row


def review_from(
    session: Session, user: User, entry_ids: list[int], rating: int, source: str, now: dt.datetime
) -> int:
    """Reviews from outside the drill (a passed exam question, a QC failure) on the agent's cards of
    these entries (cards not made yet are made first); returns how many cards moved."""
    if not entry_ids:
        return 0
    have = {
        c.entry_id: c
        for c in session.scalars(
            select(DrillCard).where(DrillCard.user_id == user.id, DrillCard.entry_id.in_(entry_ids))
        )
    }
    for entry_id in entry_ids:
        if entry_id not in have:
            card = DrillCard(user_id=user.id, entry_id=entry_id, due=now)
            session.add(card)
            have[entry_id] = card
    session.flush()
    for card in have.values():
        if source == "qc" and card.reps == 0:
            continue  # nothing learnt yet, nothing to lapse
        review(card, rating, now)
        session.add(
            DrillReview(
                card_id=card.id,
                user_id=user.id,
                source=source,
                rating=rating,
                at=now,
                stability=card.stability,
            )
        )
    session.flush()
    return len(have)
