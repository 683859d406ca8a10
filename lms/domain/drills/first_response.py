"""The first-response drill: shoppers' opening messages one after another; a fitting first line
within 20 seconds each, timed by the server from the serve to the answer."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.content.questions.reply import judge
from lms.content.rulebook import RuleBook
from lms.domain.drills.grading import reply_body
from lms.domain.errors import N_, NotFound
from lms.models import FaqEntry, FirstResponseRun, User

#: The desk's first-response standard.
LIMIT_SECONDS = 20.0
#: Entries whose key points make any opening line fitting (a greeting, a holding line).
OPENERS = ("greeting", "holding-reply")


def next_message(
    session: Session, user: User, now: dt.datetime, rng: random.Random | None = None
) -> FirstResponseRun:
    """Serve one opening message (the waiting one, if the agent has not answered it)."""
    waiting = session.scalars(
        select(FirstResponseRun).where(
            FirstResponseRun.user_id == user.id, FirstResponseRun.answered_at.is_(None)
        )
    ).first()
    if waiting is not None:
        return waiting
    ids = session.scalars(
        select(FaqEntry.id).where(FaqEntry.active.is_(True), FaqEntry.kind == "reply").order_by(FaqEntry.id)
    ).all()
    run = FirstResponseRun(
        user_id=user.id, entry_id=(rng or random.Random()).choice(ids) if ids else None, served_at=now
    )
    session.add(run)
    session.flush()
    return run


def fitting(session: Session, entry: FaqEntry | None, text: str, book: RuleBook | None) -> bool:
    """A first line fits when it breaks no red line and meets a key point of the question or of an opener."""
    if not text.strip():
        return False
    candidates = list(session.scalars(select(FaqEntry).where(FaqEntry.key.in_(OPENERS))))
    if entry is not None:
        candidates.append(entry)
    for candidate in candidates:
        judgement = judge(reply_body(candidate), text, book)
        if judgement.blocked:
            return False
        if judgement.met:
            return True
    return False


def answer(
    session: Session, user: User, run_id: int, text: str, now: dt.datetime, book: RuleBook | None = None
) -> FirstResponseRun:
    """Time and judge the first line (once: answering again returns the first result)."""
    run = session.get(FirstResponseRun, run_id)
    if run is None or run.user_id != user.id:
        raise NotFound(N_("No such message."))
    if run.answered_at is not None:
        return run
    entry = session.get(FaqEntry, run.entry_id) if run.entry_id else None
    run.answered_at, run.answer = now, text[:500]
    run.seconds = round((now - run.served_at).total_seconds(), 1)
    run.fitting = fitting(session, entry, text, book)
    run.passed = run.fitting and run.seconds <= LIMIT_SECONDS
    session.flush()
    return run
