"""Playing a practice chat: start (or resume), reply, abandon — on the server's clock.

The server stamps every line: the shopper's line appears `typing_delay` after the previous reply
(the page shows "typing…" until then) and a reply's time is counted from there to its arrival.
Advancing a turn is raced safely without locks: the reply is written only into a turn that has
none (`UPDATE … WHERE reply_text IS NULL`), and the run moves on only from the turn count it was
read at, so of ten parallel posts exactly one makes the turn; the others get Conflict and change
nothing. A run in play is unique per learner and scenario (a partial unique index), so a reload
or a double start resumes it.
"""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.content.scenarios import NodeSpec, ScenarioSpec, scenario_from_json
from lms.domain import audit, events
from lms.domain.curriculum.rulebook import book_by_id, current_book
from lms.domain.errors import N_, Conflict, DomainError, NotFound
from lms.domain.practice.requirements import close_for_run, is_official
from lms.domain.practice.scoring import medal_for, phrasing, run_score, score_reply
from lms.models import PracticeRun, PracticeTurn, Scenario, ScenarioVersion, User
from lms.models.practice import ABANDONED, ACTIVE, FINISHED

#: The longest reply accepted (a chat message, not an essay); longer is refused (413 on the web).
MAX_REPLY = 2000
#: What the shopper's "typing" takes: a second, plus a little per character, at most four.
TYPING_MIN, TYPING_MAX, TYPING_PER_CHAR = 1.0, 4.0, 1 / 15


class ReplyTooLong(DomainError):
    """A reply longer than MAX_REPLY characters."""


def typing_delay(line: str) -> dt.timedelta:
    """How long the shopper seems to type a line."""
    return dt.timedelta(seconds=min(TYPING_MAX, TYPING_MIN + len(line) * TYPING_PER_CHAR))


def spec_of(run: PracticeRun) -> ScenarioSpec:
    """The scenario version the run plays."""
    return scenario_from_json(run.version.spec)


def _shopper_turn(
    run: PracticeRun, spec: ScenarioSpec, node: NodeSpec, number: int, now: dt.datetime
) -> PracticeTurn:
    choice = phrasing(run.seed, number, len(node.shopper))
    line = node.shopper[choice]
    return PracticeTurn(
        run_id=run.id,
        number=number,
        node_id=node.id,
        phrasing=choice,
        shopper_text=line,
        shopper_at=now + typing_delay(line),
        final=node.is_end,
    )


def active_run(session: Session, user: User, scenario: Scenario) -> PracticeRun | None:
    """The learner's run in play of this scenario, if any."""
    return session.scalars(
        select(PracticeRun).where(
            PracticeRun.user_id == user.id,
            PracticeRun.scenario_id == scenario.id,
            PracticeRun.status == ACTIVE,
        )
    ).one_or_none()


def start_run(
    session: Session,
    user: User,
    scenario: Scenario,
    now: dt.datetime,
    *,
    official: bool | None = None,
    preview: bool = False,
    seed: int | None = None,
) -> PracticeRun:
    """Start a run of the scenario's current version, or resume the one in play.

    The run is official when the scenario is a requirement for the learner (go-live or an open
    assignment) unless `official` says otherwise; a preview is never official.
    """
    existing = active_run(session, user, scenario)
    if existing is not None:
        return existing
    if scenario.current_version_id is None or not scenario.active:
        raise NotFound(N_("No such practice chat."))
    if not scenario.published and not preview:
        raise NotFound(N_("No such practice chat."))
    version = session.get(ScenarioVersion, scenario.current_version_id)
    assert version is not None
    spec = scenario_from_json(version.spec)
    book = current_book(session)
    run = PracticeRun(
        user_id=user.id,
        scenario_id=scenario.id,
        version_id=version.id,
        rule_book_id=book.id if book else None,
        official=(is_official(session, user, scenario) if official is None else official) and not preview,
        preview=preview,
        seed=seed if seed is not None else secrets.randbelow(2**31),
        status=ACTIVE,
        node_id=spec.start,
        started_at=now,
    )
    try:
        with session.begin_nested():
            session.add(run)
            session.flush()
    except IntegrityError:
        found = active_run(session, user, scenario)  # a parallel start made it first
        if found is None:
            raise
        return found
    run.version = version
    session.add(_shopper_turn(run, spec, spec.node(spec.start), 1, now))
    session.flush()
    return run


def run_of(session: Session, user: User, run_id: int) -> PracticeRun:
    """The learner's own run (someone else's is NotFound, like one that does not exist)."""
    run = session.get(PracticeRun, run_id)
    if run is None or run.user_id != user.id:
        raise NotFound(N_("No such practice chat."))
    return run


def waiting_turn(session: Session, run: PracticeRun) -> PracticeTurn | None:
    """The turn waiting for the learner's reply (None once the run ended)."""
    if run.status != ACTIVE:
        return None
    return session.scalars(
        select(PracticeTurn).where(PracticeTurn.run_id == run.id, PracticeTurn.number == run.turn_count + 1)
    ).one_or_none()


def reply(
    session: Session, user: User, run_id: int, text: str, now: dt.datetime, *, turn: int | None = None
) -> PracticeRun:
    """Answer the shopper's waiting line: score it, choose the next node, say the next line.

    `turn` is the number of the turn the learner answers (the page sends it): a reply to another
    turn, to an ended run or a second reply to the same turn is Conflict, and changes nothing.
    """
    run = run_of(session, user, run_id)
    if len(text) > MAX_REPLY:
        raise ReplyTooLong(N_("A reply may be at most %(max)s characters."), "text", max=MAX_REPLY)
    if run.status != ACTIVE:
        raise Conflict(N_("This practice chat has ended."))
    number = run.turn_count + 1
    if turn is not None and turn != number:
        raise Conflict(N_("That line has already been answered."))
    if not text.strip():
        raise DomainError(N_("Write a reply first."), "text")
    current = waiting_turn(session, run)
    if current is None or current.final:
        raise Conflict(N_("This practice chat has ended."))
    spec = spec_of(run)
    node = spec.node(current.node_id)
    loaded = book_by_id(session, run.rule_book_id) if run.rule_book_id else current_book(session)
    seconds = max(0.0, (now - current.shopper_at).total_seconds())
    result = score_reply(spec, node, text, seconds, loaded.book if loaded else None)
    reasons = {**result.reasons}
    claimed = session.execute(
        update(PracticeTurn)
        .where(PracticeTurn.id == current.id, PracticeTurn.reply_text.is_(None))
        .values(
            reply_text=text,
            reply_at=now,
            seconds=seconds,
            score=result.score,
            failed=result.failed,
            reasons=reasons,
            next_node_id=result.next_node,
        )
        .execution_options(synchronize_session=False)
    )
    if getattr(claimed, "rowcount", 0) != 1:
        raise Conflict(N_("That line has already been answered."))
    moved = session.execute(
        update(PracticeRun)
        .where(
            PracticeRun.id == run.id, PracticeRun.turn_count == run.turn_count, PracticeRun.status == ACTIVE
        )
        .values(
            turn_count=number,
            node_id=result.next_node,
            flagged=run.flagged or result.failed,
        )
        .execution_options(synchronize_session=False)
    )
    if getattr(moved, "rowcount", 0) != 1:
        raise Conflict(N_("That line has already been answered."))
    session.refresh(current)
    session.refresh(run)
    following = spec.node(result.next_node)
    if following.is_end:
        session.add(_shopper_turn(run, spec, following, number + 1, now))
        _finish(session, run, following.end, now)
    elif number >= spec.max_turns:
        _finish(session, run, "left_unhappy", now)
    else:
        session.add(_shopper_turn(run, spec, following, number + 1, now))
    session.flush()
    return run


def _finish(session: Session, run: PracticeRun, outcome: str, now: dt.datetime) -> None:
    scores = list(
        session.scalars(
            select(PracticeTurn.score).where(PracticeTurn.run_id == run.id, PracticeTurn.score.is_not(None))
        )
    )
    run.status, run.outcome, run.ended_at, run.node_id = FINISHED, outcome, now, None
    run.score = run_score([int(s) for s in scores if s is not None])
    run.medal = medal_for(run.score, run.flagged)
    session.flush()
    if run.official and not run.preview:
        audit.record(
            session,
            "practice.finish",
            actor=run.user,
            target=run,
            after={
                "scenario": run.scenario.slug,
                "score": run.score,
                "medal": run.medal,
                "flagged": run.flagged,
            },
        )
    if not run.preview:
        close_for_run(session, run, now)
        events.publish(events.practice_run_finished, session, run=run, now=now)


def abandon(session: Session, user: User, run_id: int, now: dt.datetime) -> PracticeRun:
    """The learner leaves the chat: the run ends unscored (Conflict when it already ended)."""
    run = run_of(session, user, run_id)
    moved = session.execute(
        update(PracticeRun)
        .where(PracticeRun.id == run.id, PracticeRun.status == ACTIVE)
        .values(status=ABANDONED, ended_at=now, node_id=None)
        .execution_options(synchronize_session=False)
    )
    if getattr(moved, "rowcount", 0) != 1:
        raise Conflict(N_("This practice chat has ended."))
    session.refresh(run)
    return run
