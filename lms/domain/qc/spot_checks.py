"""Spot checks: QC scores one chat or call against the checklist; failed topics suggest refreshers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from lms.db import utcnow
from lms.domain import audit, events
from lms.domain.curriculum.rulebook import LoadedBook, book_by_id, current_book
from lms.domain.errors import N_, DomainError, NotFound
from lms.domain.qc.checklist import active_items
from lms.domain.qc.transcripts import TranscriptReview, check_readable, review_transcript
from lms.models import Assignment, Course, Quiz, Role, SpotCheck, SpotCheckResult, Store, User
from lms.models.qc import CHANNELS, OUTCOMES

NOTE_MAX = 500
#: The window the tier ladder reads the QC average over.
AVERAGE_DAYS = 90


@dataclass
class ItemOutcome:
    """What QC chose for one checklist item."""

    outcome: str
    note: str = ""


def record_spot_check(
    session: Session,
    checker: User,
    agent: User,
    *,
    store_id: int | None,
    checked_on: dt.date,
    channel: str,
    transcript: str,
    outcomes: dict[int, ItemOutcome],
    comment: str,
    today: dt.date,
    rule_book_id: int | None = None,
) -> SpotCheck:
    """Score a transcript against the active checklist; any bad input raises before anything is written.

    `rule_book_id` is the rule-book version QC read the transcript with (kept with the check).
    """
    if not checker.has_role(Role.QC, Role.ADMIN):
        raise DomainError(N_("Only QC staff record spot checks."))
    if not agent.active or not agent.has_role(Role.LEARNER):
        raise DomainError(N_("Choose an active agent."), "agent")
    store = None
    if store_id is not None:
        store = session.get(Store, store_id)
        if store is None or not store.active:
            raise DomainError(N_("Choose one of the stores."), "store")
    if checked_on > today:
        raise DomainError(N_("The date of the chat cannot be in the future."), "checked_on")
    if checked_on < today - dt.timedelta(days=366):
        raise DomainError(N_("The chat is more than a year old."), "checked_on")
    if channel not in CHANNELS:
        raise DomainError(N_("Choose chat or call."), "channel")
    transcript = transcript.strip()
    if not transcript:
        raise DomainError(N_("Paste the transcript (or the call notes) you checked."), "transcript")
    check_readable(transcript)
    items = active_items(session)
    if not items:
        raise DomainError(N_("The checklist is empty: an administrator adds its items first."))
    results: list[SpotCheckResult] = []
    for position, item in enumerate(items):
        chosen = outcomes.get(item.id)
        if chosen is None or chosen.outcome not in OUTCOMES:
            raise DomainError(N_("Mark “%(item)s” pass, fail or n/a."), f"item-{item.id}", item=item.label)
        note = chosen.note.strip()
        if len(note) > NOTE_MAX:
            raise DomainError(
                N_("The note on “%(item)s” is too long (at most %(n)s characters)."),
                f"item-{item.id}",
                item=item.label,
                n=NOTE_MAX,
            )
        if chosen.outcome == "fail" and not note:
            raise DomainError(
                N_("Say what went wrong on “%(item)s”: the agent reads this note."),
                f"item-{item.id}",
                item=item.label,
            )
        results.append(
            SpotCheckResult(
                item_id=item.id,
                position=position,
                label=item.label,
                label_zh=item.label_zh,
                points=item.points,
                topics=list(item.topics),
                outcome=chosen.outcome,
                note=note,
            )
        )
    scored = [r for r in results if r.outcome != "na"]
    if not scored:
        raise DomainError(N_("At least one item must be pass or fail."))
    earned = sum(r.points for r in scored if r.outcome == "pass")
    maximum = sum(r.points for r in scored)
    check = SpotCheck(
        agent_id=agent.id,
        store_id=store.id if store else None,
        checker_id=checker.id,
        checked_on=checked_on,
        channel=channel,
        transcript=transcript,
        score=float(earned),
        max_score=float(maximum),
        percent=round(100 * earned / maximum, 1),
        comment=comment.strip()[:2000],
        results=results,
        rule_book_id=rule_book_id,
    )
    session.add(check)
    session.flush()
    audit.record(
        session,
        "spot_check.record",
        actor=checker,
        target=check,
        after={
            "agent": agent.username,
            "percent": check.percent,
            "failed": [r.label for r in results if r.outcome == "fail"],
        },
    )
    events.publish(events.spot_check_recorded, session, check=check, agent=agent, now=utcnow())
    return check


def read_transcript(session: Session, transcript: str) -> tuple[TranscriptReview, LoadedBook | None]:
    """Read a pasted transcript with the newest rule book (refuses one too long or mojibake)."""
    text = transcript.strip()
    check_readable(text)
    loaded = current_book(session)
    review = review_transcript(text, loaded.book if loaded else None, loaded.version if loaded else None)
    return review, loaded


def review_of(session: Session, check: SpotCheck) -> TranscriptReview | None:
    """A recorded check's transcript read again with the rule-book version it was recorded with."""
    if check.channel != "chat" or not check.transcript:
        return None
    loaded = book_by_id(session, check.rule_book_id)
    return review_transcript(
        check.transcript, loaded.book if loaded else None, loaded.version if loaded else None
    )


def get_spot_check(session: Session, check_id: int) -> SpotCheck:
    """One spot check with its results, agent, checker and store."""
    check = session.scalars(
        select(SpotCheck)
        .where(SpotCheck.id == check_id)
        .options(
            selectinload(SpotCheck.results),
            selectinload(SpotCheck.agent),
            selectinload(SpotCheck.checker),
            selectinload(SpotCheck.store),
        )
    ).one_or_none()
    if check is None:
        raise NotFound(N_("No such spot check."))
    return check


def spot_checks_of(session: Session, agent: User, limit: int = 100) -> list[SpotCheck]:
    """The agent's spot checks, newest first."""
    return list(
        session.scalars(
            select(SpotCheck)
            .where(SpotCheck.agent_id == agent.id)
            .options(
                selectinload(SpotCheck.results),
                selectinload(SpotCheck.checker),
                selectinload(SpotCheck.store),
            )
            .order_by(SpotCheck.checked_on.desc(), SpotCheck.id.desc())
            .limit(limit)
        )
    )


def recent_spot_checks(session: Session, limit: int = 30) -> list[SpotCheck]:
    """The team's latest spot checks (the QC dashboard)."""
    return list(
        session.scalars(
            select(SpotCheck)
            .options(selectinload(SpotCheck.agent), selectinload(SpotCheck.checker))
            .order_by(SpotCheck.created_at.desc(), SpotCheck.id.desc())
            .limit(limit)
        )
    )


def spot_check_average(
    session: Session, user: User, today: dt.date | None = None, days: int = AVERAGE_DAYS
) -> tuple[float | None, int]:
    """The agent's average spot-check percent over the last `days` days, and how many checks that is."""
    since = (today or dt.date.today()) - dt.timedelta(days=days)
    average, count = session.execute(
        select(func.avg(SpotCheck.percent), func.count()).where(
            SpotCheck.agent_id == user.id, SpotCheck.checked_on > since
        )
    ).one()
    return (round(float(average), 1) if average is not None else None), int(count)


@dataclass
class Suggestion:
    """Refresher work that teaches the failed topics."""

    kind: str  # course | quiz
    work: Course | Quiz
    topics: list[str] = field(default_factory=list)
    open_assignment: Assignment | None = None

    @property
    def title(self) -> str:
        return self.work.title


def suggestions_for(session: Session, check: SpotCheck) -> list[Suggestion]:
    """Published courses (and their practice quizzes) whose topics cover the failed items' topics."""
    failed = set(check.failed_topics)
    if not failed:
        return []
    courses = session.scalars(
        select(Course)
        .where(Course.published.is_(True))
        .options(selectinload(Course.quizzes))
        .order_by(Course.title)
    ).all()
    open_work = {
        (a.course_id, a.quiz_id): a
        for a in session.scalars(
            select(Assignment).where(Assignment.user_id == check.agent_id, Assignment.closed_at.is_(None))
        )
    }
    groups: list[list[Suggestion]] = []
    for course in courses:
        matched = [t for t in course.topics if t in failed]
        if not matched:
            continue
        group = [Suggestion("course", course, matched, open_work.get((course.id, None)))]
        for quiz in course.quizzes:
            if quiz.published and not quiz.gates:  # practice checks; exams are assigned by hand
                group.append(Suggestion("quiz", quiz, matched, open_work.get((None, quiz.id))))
        groups.append(group)
    groups.sort(key=lambda g: -len(g[0].topics))  # the course covering most failed topics first
    return [s for group in groups for s in group]
