"""The typing drill: copy a script-library answer; speed in Chinese characters a minute, errors by
edit distance (rapidfuzz's Levenshtein), timed by the server from the serve to the answer."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.domain import events
from lms.domain.errors import N_, DomainError, NotFound
from lms.models import FaqEntry, TypingRun, User

#: Faster than this (characters a minute) is pasting, not typing: the run does not count.
MAX_CPM = 400
#: A run shorter than this is not measured.
MIN_SECONDS = 3.0


def start_run(session: Session, user: User, now: dt.datetime, rng: random.Random | None = None) -> TypingRun:
    """A new run on a reply entry of the library (the agent's open run, if one is waiting)."""
    open_run = session.scalars(
        select(TypingRun).where(TypingRun.user_id == user.id, TypingRun.finished_at.is_(None))
    ).first()
    if open_run is not None:
        return open_run
    ids = session.scalars(
        select(FaqEntry.id).where(FaqEntry.active.is_(True), FaqEntry.kind == "reply").order_by(FaqEntry.id)
    ).all()
    if not ids:
        raise DomainError(N_("The script library is empty."))
    run = TypingRun(user_id=user.id, entry_id=(rng or random.Random()).choice(ids), started_at=now)
    session.add(run)
    session.flush()
    return run


def target_text(session: Session, run: TypingRun) -> str:
    """The answer to copy."""
    entry = session.get(FaqEntry, run.entry_id) if run.entry_id else None
    return entry.answer if entry else ""


def measure(target: str, typed: str, seconds: float) -> tuple[int, int, float, float]:
    """(characters typed, errors, net characters a minute, accuracy) of one copy."""
    typed = typed.strip()
    from rapidfuzz.distance import Levenshtein  # here: only a typing test needs it (about 3 MB a worker)

    errors = Levenshtein.distance(target, typed)
    accuracy = max(0.0, 1.0 - errors / len(target)) if target else 0.0
    net = max(0, len(typed) - errors)
    cpm = net * 60.0 / max(seconds, MIN_SECONDS)
    return len(typed), errors, round(cpm, 1), round(accuracy, 3)


def finish_run(session: Session, user: User, run_id: int, typed: str, now: dt.datetime) -> TypingRun:
    """Measure a run once (finishing it again returns the first measure)."""
    run = session.get(TypingRun, run_id)
    if run is None or run.user_id != user.id:
        raise NotFound(N_("No such typing run."))
    if run.finished_at is not None:
        return run
    seconds = max(0.0, (now - run.started_at).total_seconds())
    chars, errors, cpm, accuracy = measure(target_text(session, run), typed[:2000], seconds)
    run.finished_at, run.characters, run.errors, run.accuracy = now, chars, errors, accuracy
    run.cpm = cpm if seconds >= MIN_SECONDS and cpm <= MAX_CPM else None
    session.flush()
    events.publish(events.drill_reviewed, session, user=user, now=now)
    return run


def recent_runs(session: Session, user: User, limit: int = 10) -> list[TypingRun]:
    """The agent's latest finished runs."""
    return list(
        session.scalars(
            select(TypingRun)
            .where(TypingRun.user_id == user.id, TypingRun.finished_at.is_not(None))
            .order_by(TypingRun.finished_at.desc(), TypingRun.id.desc())
            .limit(limit)
        )
    )
