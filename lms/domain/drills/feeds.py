"""Exams and QC feed the same memory model as the drill.

- A fully right exam question tagged `faq:<entry id>` is a Good review of that entry's card
  (source exam), once per attempt.
- A failed item of a QC spot check sets back (Again, a lapse when the card was in review) the
  agent's cards whose entries carry one of the item's topics (source qc).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.content.references import FAQ_TAG
from lms.domain.drills.cards import review_from
from lms.domain.learning.grading import GradedItem
from lms.models import Attempt, DrillReview, FaqEntry, SpotCheck, User
from lms.models.drills import AGAIN, GOOD


def _marker(attempt: Attempt) -> str:
    return f"exam attempt {attempt.id}"


def exam_reviews(session: Session, attempt: Attempt, graded: Sequence[GradedItem], now: dt.datetime) -> int:
    """Review the cards of the entries the attempt's fully right questions (`graded`: its items as
    graded) test; returns how many."""
    keys = {
        tag[len(FAQ_TAG) :]
        for item in graded
        if item.max_score and item.score >= item.max_score - 1e-9
        for tag in item.tags
        if tag.startswith(FAQ_TAG)
    }
    if not keys:
        return 0
    seen = session.scalar(
        select(DrillReview.id).where(
            DrillReview.user_id == attempt.user_id,
            DrillReview.source == "exam",
            DrillReview.answer == _marker(attempt),
        )
    )
    if seen is not None:
        return 0  # graded again: counted once
    ids = list(session.scalars(select(FaqEntry.id).where(FaqEntry.key.in_(keys), FaqEntry.active.is_(True))))
    user = session.get(User, attempt.user_id)
    assert user is not None
    moved = review_from(session, user, ids, GOOD, "exam", now)
    for row in session.scalars(
        select(DrillReview).where(
            DrillReview.user_id == user.id, DrillReview.source == "exam", DrillReview.at == now
        )
    ):
        row.answer = _marker(attempt)
    return moved


def qc_lapses(session: Session, check: SpotCheck, agent: User, now: dt.datetime) -> int:
    """Set back the agent's learnt cards on every topic a failed item of the check names."""
    topics = {topic for result in check.results if result.outcome == "fail" for topic in result.topics or []}
    if not topics:
        return 0
    entries = session.execute(select(FaqEntry.id, FaqEntry.tags).where(FaqEntry.active.is_(True))).tuples()
    ids = [entry_id for entry_id, tags in entries if set(tags or []) & topics]
    return review_from(session, agent, ids, AGAIN, "qc", now)
