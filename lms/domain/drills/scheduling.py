"""The FSRS scheduler (the `fsrs` package) and the card's state in and out of the database."""

from __future__ import annotations

import datetime as dt

import fsrs

from lms.models.drills import AGAIN, REVIEW, DrillCard

#: One learning and one relearning step of ten minutes: a card answered Again comes back in the
#: same session, a new card answered Good graduates at once.
STEP = dt.timedelta(minutes=10)
#: Cards still being learned may be served this much before they are due (Anki's learn-ahead).
LEARN_AHEAD = dt.timedelta(minutes=20)

SCHEDULER = fsrs.Scheduler(learning_steps=(STEP,), relearning_steps=(STEP,), enable_fuzzing=False)


def to_fsrs(card: DrillCard) -> fsrs.Card:
    """The FSRS card of a stored card."""
    return fsrs.Card(
        card_id=card.id,
        state=fsrs.State(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
    )


def review(card: DrillCard, rating: int, now: dt.datetime, seconds: float | None = None) -> None:
    """Apply one rating to a stored card: FSRS moves it, and a lapse from review is counted."""
    was_review = card.state == REVIEW
    if card.last_review is None or card.last_review.date() != now.date():
        card.review_days = (card.review_days or 0) + 1
    moved, _log = SCHEDULER.review_card(
        to_fsrs(card), fsrs.Rating(rating), now, None if seconds is None else int(seconds * 1000)
    )
    card.state, card.step = int(moved.state), moved.step
    card.stability, card.difficulty = moved.stability, moved.difficulty
    card.due, card.last_review = moved.due, moved.last_review
    card.reps = (card.reps or 0) + 1
    if rating == AGAIN and was_review:
        card.lapses = (card.lapses or 0) + 1
