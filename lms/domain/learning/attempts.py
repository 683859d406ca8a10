"""Taking quizzes: starting attempts, saving answers on the server's clock, submitting, grading.

The server owns the clock and the answer keys. Every rule that could be raced (double submits,
parallel starts, max attempts) is held by a row lock on PostgreSQL (SQLite has one writer) and by
unique constraints underneath. A chat reply is a list of messages, each stamped by the server
when it arrives (never by the client); an attempt is graded with the rule book in force when it is
submitted, and keeps that version, so a later rule change never changes a past result.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from sqlalchemy import Select, bindparam, case, func, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, load_only, object_session
from sqlalchemy.orm.attributes import set_committed_value

from lms.content.questions import ResponseError, get_type
from lms.content.questions.reply import MAX_MESSAGES, messages_of
from lms.db import read_rows
from lms.domain import audit, events
from lms.domain.accounts.locks import lock_person, takes_row_locks
from lms.domain.assignments.assigning import close_for_attempt
from lms.domain.curriculum.rulebook import LoadedBook, book_by_id, current_book
from lms.domain.errors import N_, Conflict, DomainError, NotFound
from lms.domain.learning.grading import (
    GradedItem,
    grade_items,
    graded_items,
    totals,
    write_attempt,
    write_item,
)
from lms.domain.transaction_memo import UNREAD, Unread
from lms.mapped_rows import MappedRows
from lms.models import Assignment, Attempt, AttemptItem, Question, QuestionVersion, Quiz, User
from lms.models.learning import GRADED, IN_PROGRESS

#: Answers may arrive this long after the deadline (network latency), then they are refused.
GRACE = dt.timedelta(seconds=5)


class ResponseInvalid(DomainError):
    """A saved answer does not fit its question (422 in the API)."""


@dataclass
class QuizStatus:
    """Where a learner stands with a quiz."""

    quiz: Quiz
    attempts: list[Attempt]
    open_attempt: Attempt | None
    attempts_left: int | None
    next_start_at: dt.datetime | None
    grade_percent: float | None
    passed: bool
    can_start: bool
    reason: str | None = None
    reason_params: dict[str, Any] = field(default_factory=dict)
    #: A recertification cycle is open: only attempts since this moment count (limits, grade).
    cycle_from: dt.datetime | None = None
    #: The highest attempt number ever (numbers continue across cycles).
    last_number: int = 0


#: The statements every quiz page runs, built once (building one costs more than running it).
_VISIBLE_QUIZ = (
    select(Quiz)
    .where(Quiz.slug == bindparam("slug"), Quiz.published.is_(True))
    .options(joinedload(Quiz.course))
)
_USER_ATTEMPTS = (
    select(Attempt)
    .where(Attempt.user_id == bindparam("user_id"), Attempt.quiz_id == bindparam("quiz_id"))
    .order_by(Attempt.number)
)


def _recert_start(quiz_id: Any) -> Select[tuple[dt.datetime]]:
    """When the learner's (`user_id`) open recertification of a quiz was assigned."""
    return select(func.min(Assignment.assigned_at)).where(
        Assignment.user_id == bindparam("user_id"),
        Assignment.quiz_id == quiz_id,
        Assignment.trigger == "recert",
        Assignment.closed_at.is_(None),
    )


_RECERT_CYCLE_START = _recert_start(bindparam("quiz_id"))
#: The quiz page's read, in one statement: the quiz, its course, its active questions counted, when
#: this learner's open recertification of it was assigned (what `recert_cycle_start` reads) and their
#: attempts at it, oldest first (what `user_attempts` reads): one row per attempt, or one without.
_QUIZ_PAGE = (
    _VISIBLE_QUIZ.add_columns(
        select(func.count())
        .select_from(Question)
        .where(Question.quiz_id == Quiz.id, Question.active.is_(True))
        .scalar_subquery(),
        _recert_start(Quiz.id).scalar_subquery(),
        Attempt,
    )
    .outerjoin(Attempt, (Attempt.quiz_id == Quiz.id) & (Attempt.user_id == bindparam("user_id")))
    .order_by(Attempt.number)
)


@dataclass(frozen=True)
class QuizPage:
    """What the quiz page reads about a quiz for one learner, in one statement."""

    quiz: Quiz
    #: How many active questions it has (not the questions loaded).
    active: int
    #: When the learner's open recertification of it began (None: no cycle is open).
    cycle_from: dt.datetime | None
    #: The learner's attempts at it, oldest first.
    attempts: list[Attempt]


def visible_quiz(session: Session, slug: str) -> Quiz:
    """A published quiz, or NotFound."""
    quiz = session.scalars(_VISIBLE_QUIZ, {"slug": slug}).one_or_none()
    if quiz is None:
        raise NotFound(N_("No such quiz."))
    return quiz


def quiz_for_page(session: Session, slug: str, user: User) -> QuizPage:
    """A published quiz (or NotFound) with its active questions counted, the user's open
    recertification's start and the user's attempts at it (`quiz_status` takes the last two)."""
    rows = session.execute(_QUIZ_PAGE, {"slug": slug, "user_id": user.id}).all()
    if not rows:
        raise NotFound(N_("No such quiz."))
    quiz, active, cycle_from, _attempt = rows[0]
    return QuizPage(quiz, int(active or 0), cycle_from, [row[3] for row in rows if row[3] is not None])


def quiz_grade(quiz: Quiz, attempts: list[Attempt]) -> float | None:
    """The quiz grade by its grading method over graded attempts (percent), or None."""
    graded = [
        a for a in sorted(attempts, key=lambda a: a.number) if a.status == GRADED and a.percent is not None
    ]
    if not graded:
        return None
    percents = [float(a.percent) for a in graded if a.percent is not None]
    method = quiz.grading
    if method == "last":
        return percents[-1]
    if method == "first":
        return percents[0]
    if method == "mean":
        return round(sum(percents) / len(percents), 2)
    return max(percents)


def user_attempts(session: Session, user: User, quiz: Quiz) -> list[Attempt]:
    """The user's attempts at the quiz, oldest first."""
    return list(session.scalars(_USER_ATTEMPTS, {"user_id": user.id, "quiz_id": quiz.id}))


def recert_cycle_start(session: Session, user_id: int, quiz_id: int) -> dt.datetime | None:
    """When the open recertification of this quiz was assigned (None: no cycle is open)."""
    return session.scalar(_RECERT_CYCLE_START, {"user_id": user_id, "quiz_id": quiz_id})


def quiz_status(
    session: Session,
    user: User,
    quiz: Quiz,
    now: dt.datetime,
    *,
    cycle_from: dt.datetime | None | Unread = UNREAD,
    all_attempts: list[Attempt] | Unread = UNREAD,
) -> QuizStatus:
    """Attempts, attempts left, cooldown, grade and whether a new attempt may start now.

    During a recertification the earlier cycle is history: its attempts count neither towards the
    limit nor the grade (they stay on record). `cycle_from` and `all_attempts` (the user's attempts at
    the quiz in every cycle, oldest first): as the caller read them in this transaction
    (`quiz_for_page`)."""
    every = user_attempts(session, user, quiz) if isinstance(all_attempts, Unread) else all_attempts
    if cycle_from is UNREAD:
        cycle_from = recert_cycle_start(session, user.id, quiz.id)
    attempts = [a for a in every if cycle_from is None or a.started_at >= cycle_from]
    open_attempt = next((a for a in every if a.status == IN_PROGRESS), None)
    finished = [a.submitted_at for a in attempts if a.submitted_at is not None]
    rule = _start_rule(quiz, len(attempts), max(finished, default=None), open_attempt is not None, now)
    grade = quiz_grade(quiz, attempts)
    passed = grade is not None and grade >= quiz.pass_percent
    return QuizStatus(
        quiz,
        attempts,
        open_attempt,
        rule.left,
        rule.next_start,
        grade,
        passed,
        rule.can_start,
        rule.reason,
        rule.params,
        cycle_from,
        max((a.number for a in every), default=0),
    )


@dataclass(frozen=True)
class _StartRule:
    left: int | None
    next_start: dt.datetime | None
    can_start: bool
    reason: str | None
    params: dict[str, Any]


def _start_rule(
    quiz: Quiz, in_cycle: int, last_submitted: dt.datetime | None, has_open: bool, now: dt.datetime
) -> _StartRule:
    """Whether a new attempt may start now, from the attempts of this cycle (their number and the
    last one submitted) and whether one is open: the limit and the cooldown."""
    left = None if quiz.max_attempts == 0 else max(0, quiz.max_attempts - in_cycle)
    next_start = None
    if last_submitted is not None and quiz.cooldown_minutes:
        candidate = last_submitted + dt.timedelta(minutes=quiz.cooldown_minutes)
        next_start = candidate if candidate > now else None
    if has_open:
        return _StartRule(left, next_start, False, None, {})
    if left == 0:
        return _StartRule(
            left, next_start, False, N_("You have used all %(n)s attempts."), {"n": quiz.max_attempts}
        )
    if next_start is not None:
        return _StartRule(
            left,
            next_start,
            False,
            N_("You can start another attempt at %(time)s (UTC)."),
            {"time": next_start.strftime("%Y-%m-%d %H:%M")},
        )
    return _StartRule(left, next_start, True, None, {})


_CYCLE_START = _recert_start(bindparam("quiz_id")).scalar_subquery()
_IN_CYCLE = or_(_CYCLE_START.is_(None), Attempt.started_at >= _CYCLE_START)
#: What starting an attempt needs from the learner's attempts at a quiz, summed up by the database
#: however many there are (a quiz may allow any number: reading them all made every start cost more
#: than the one before): how many in the open cycle and the last submitted of them, the highest
#: number ever and the open attempt's id.
_START_SUMMARY = select(
    func.count(Attempt.id).filter(_IN_CYCLE),
    func.max(Attempt.submitted_at).filter(_IN_CYCLE),
    func.max(Attempt.number),
    func.max(case((Attempt.status == IN_PROGRESS, Attempt.id))),
).where(Attempt.user_id == bindparam("user_id"), Attempt.quiz_id == bindparam("quiz_id"))


def _start_summary(
    session: Session, user: User, quiz: Quiz
) -> tuple[int, dt.datetime | None, int, int | None]:
    in_cycle, last_submitted, last_number, open_id = read_rows(
        session, _START_SUMMARY, {"user_id": user.id, "quiz_id": quiz.id}
    ).one()
    return int(in_cycle or 0), last_submitted, int(last_number or 0), open_id


@dataclass(frozen=True)
class Drawable:
    """A question a new attempt can draw: its id, its id in the quiz file and its current version."""

    id: int
    key: str
    version: QuestionVersion


def draw_questions(
    draw: list[dict[str, Any]] | None, active: list[Drawable], rng: random.Random
) -> list[Drawable]:
    """The questions of a new attempt: all active ones in file order, or random draws from tagged
    pools (`draw`, the quiz's)."""
    if not draw:
        return active
    chosen: list[Drawable] = []
    taken: set[int] = set()
    for pool in draw:
        tags = set(pool.get("tags", []))
        candidates = [q for q in active if q.id not in taken and tags <= set(q.version.tags or ())]
        count = int(pool.get("count", 0))
        if len(candidates) < count:
            raise DomainError(N_("The quiz's question pools are too small; tell your trainer."))
        picked = rng.sample(candidates, count)
        chosen.extend(picked)
        taken.update(q.id for q in picked)
    return chosen


#: A quiz's active questions with their current versions, in file order, for drawing a new attempt
#: (built once): the versions as objects (the new items refer to them) with what a start reads (the
#: explanation and the English load if something asks later), the questions as two plain columns,
#: and not the quiz again (joined onto every question row, its columns were read eighteen times).
_DRAWABLE = (
    select(QuestionVersion, Question.id, Question.key)
    .join(Question, Question.current_version_id == QuestionVersion.id)
    .where(Question.quiz_id == bindparam("quiz_id"), Question.active.is_(True))
    .order_by(Question.position)
    .options(
        load_only(
            QuestionVersion.type,
            QuestionVersion.text,
            QuestionVersion.points,
            QuestionVersion.tags,
            QuestionVersion.body,
            QuestionVersion.content_hash,  # what a save's kept item is checked by (`keep_started_items`)
        )
    )
)


_ATTEMPT_ROWS = MappedRows(Attempt)
_ITEM_ROWS = MappedRows(AttemptItem)
_NEW_ATTEMPT = insert(_ATTEMPT_ROWS.table).returning(*_ATTEMPT_ROWS.columns)
_NEW_ITEMS = insert(_ITEM_ROWS.table).returning(*_ITEM_ROWS.columns)


def start_attempt(
    session: Session, user: User, quiz: Quiz, now: dt.datetime, seed: int | None = None
) -> Attempt:
    """Start an attempt, or return the one already in progress; refuses past the limits."""
    lock_person(session, user.id)
    in_cycle, last_submitted, last_number, open_id = _start_summary(session, user, quiz)
    if open_id is not None:
        open_attempt = session.scalars(_ATTEMPT, {"attempt_id": open_id, "user_id": user.id}).one()
        if not is_overdue(open_attempt, now):
            return open_attempt
        submit_attempt(session, open_attempt, now, closed_by="deadline")  # closed lazily on access
        in_cycle, last_submitted, last_number, _open = _start_summary(session, user, quiz)
    rule = _start_rule(quiz, in_cycle, last_submitted, False, now)
    if not rule.can_start:
        raise Conflict(rule.reason or N_("You cannot start this quiz now."), **rule.params)
    active = [
        Drawable(question_id, key, version)
        for version, question_id, key in session.execute(_DRAWABLE, {"quiz_id": quiz.id})
    ]
    seed = seed if seed is not None else random.SystemRandom().randrange(2**31)
    rng = random.Random(seed)
    questions = draw_questions(quiz.draw, active, rng)
    if not questions:
        raise DomainError(N_("This quiz has no questions yet."))
    values = {
        "user_id": user.id,
        "quiz_id": quiz.id,
        "number": last_number + 1,
        "status": IN_PROGRESS,
        "started_at": now,
        "deadline": now + dt.timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None,
        "seed": seed,
    }
    items: list[dict[str, Any]] = []
    for position, question in enumerate(questions):
        version = question.version
        qtype = get_type(version.type)
        items.append(
            {
                "position": position,
                "question_key": question.key,
                "question_version_id": version.id,
                "display": qtype.public(version.body, rng if quiz.shuffle else None),
                "max_score": version.points,
            }
        )
    try:
        with session.begin_nested():
            # The attempt, then its items in one batched INSERT (not one per question, as the unit
            # of work would send them), each returning its whole row, made the session's objects as
            # loaded (`mapped_rows`): no flush to plan, no loading machinery. The order rows come
            # back in is not promised, so the items are put in position order here, each given the
            # question version it was drawn with.
            connection = session.connection()
            attempt = _ATTEMPT_ROWS.make(session, connection.execute(_NEW_ATTEMPT, values).one())
            created = sorted(
                (
                    _ITEM_ROWS.make(session, row)
                    for row in connection.execute(
                        _NEW_ITEMS, [{"attempt_id": attempt.id, **item} for item in items]
                    )
                ),
                key=attrgetter("position"),
            )
            for item_row, question in zip(created, questions, strict=True):
                set_committed_value(item_row, "version", question.version)
            set_committed_value(attempt, "items", created)
    except IntegrityError:
        # A parallel start won the race; resume that one.
        existing = session.scalars(
            select(Attempt).where(
                Attempt.user_id == user.id, Attempt.quiz_id == quiz.id, Attempt.status == IN_PROGRESS
            )
        ).one_or_none()
        if existing is None:
            raise Conflict(N_("Another attempt was started at the same moment; reload the page.")) from None
        return existing
    audit.record(
        session,
        "attempt.start",
        actor=user,
        target=attempt,
        after={"quiz": quiz.slug, "number": attempt.number},
    )
    return attempt


#: Built once: saving an answer reads an attempt and an item on every call, and building a statement
#: costs more than running it.
_ATTEMPT = select(Attempt).where(
    Attempt.id == bindparam("attempt_id"), Attempt.user_id == bindparam("user_id")
)
#: With its items (each with its question version) and its quiz in one statement (joined), not three:
#: a third less for an 18-question attempt, read on every attempt page.
_ATTEMPT_WITH_ITEMS = _ATTEMPT.options(joinedload(Attempt.items), joinedload(Attempt.quiz))
#: With its quiz only: submitting grades the items from rows (`grading.grade_items`).
_ATTEMPT_WITH_QUIZ = _ATTEMPT.options(joinedload(Attempt.quiz))
_ITEM = (
    select(AttemptItem)
    .where(AttemptItem.attempt_id == bindparam("attempt_id"), AttemptItem.question_key == bindparam("key"))
    .options(joinedload(AttemptItem.version))
    .execution_options(populate_existing=True)
)


#: One attempt of a user with one of its items (None when the attempt has no such question) and the
#: item's question version, read in one statement as committed.
_ATTEMPT_AND_ITEM = (
    select(Attempt, AttemptItem)
    .outerjoin(
        AttemptItem,
        (AttemptItem.attempt_id == Attempt.id) & (AttemptItem.question_key == bindparam("key")),
    )
    .where(Attempt.id == bindparam("attempt_id"), Attempt.user_id == bindparam("user_id"))
    .options(
        # Only what a save reads: the rest (scores, grading notes, the question's text, tags and
        # English) is loaded on first use, which a save never makes (about a tenth of its cost).
        load_only(Attempt.user_id, Attempt.quiz_id, Attempt.status, Attempt.deadline),
        load_only(
            AttemptItem.attempt_id,
            AttemptItem.question_key,
            AttemptItem.served_at,
            AttemptItem.response,
            AttemptItem.response_version,
            AttemptItem.saved_at,
        ),
        joinedload(AttemptItem.version).load_only(QuestionVersion.type, QuestionVersion.body),
    )
    .execution_options(populate_existing=True)
)


def attempt_and_item(
    session: Session, user: User, attempt_id: int, question_key: str
) -> tuple[Attempt, AttemptItem | None]:
    """One of the user's own attempts (anyone else's is NotFound) with its item for a question id
    (None when the question is not part of it), read in one statement after the learner's lock, so
    `save_response(..., read_after_lock=True, item=...)` reads nothing again."""
    lock_person(session, user.id)
    row = session.execute(
        _ATTEMPT_AND_ITEM, {"attempt_id": attempt_id, "user_id": user.id, "key": question_key}
    ).one_or_none()
    if row is None:
        raise NotFound(N_("No such attempt."))
    return row[0], row[1]


def get_attempt(
    session: Session, user: User, attempt_id: int, *, items: bool = True, lock: bool = False
) -> Attempt:
    """One of the user's own attempts with its quiz (anyone else's is NotFound, not Forbidden);
    `items=False` leaves its items unloaded (submitting grades them from rows).

    `lock=True` takes the learner's lock first and reads the attempt as committed, so a change made
    next (`save_response(..., read_after_lock=True)`) need not read its status again.
    """
    if lock:
        lock_person(session, user.id)
    attempt = (
        session.scalars(
            _ATTEMPT_WITH_ITEMS if items else _ATTEMPT_WITH_QUIZ,
            {"attempt_id": attempt_id, "user_id": user.id},
            execution_options={"populate_existing": True} if lock else {},
        )
        .unique()
        .one_or_none()
    )
    if attempt is None:
        raise NotFound(N_("No such attempt."))
    return attempt


def is_overdue(attempt: Attempt, now: dt.datetime) -> bool:
    """Whether the attempt's time is up (grace included)."""
    return deadline_passed(attempt.deadline, now)


def deadline_passed(deadline: dt.datetime | None, now: dt.datetime) -> bool:
    """Whether an attempt with this deadline is out of time (grace included)."""
    return deadline is not None and now > deadline + GRACE


def status_closing_overdue(
    session: Session,
    user: User,
    quiz: Quiz,
    now: dt.datetime,
    *,
    cycle_from: dt.datetime | None | Unread = UNREAD,
    all_attempts: list[Attempt] | Unread = UNREAD,
) -> tuple[QuizStatus, bool]:
    """The quiz status, after submitting the user's attempt if its time ran out (closed lazily on
    access): one read of the attempts when nothing was overdue. True when an attempt was closed
    (the caller commits that). `cycle_from` and `all_attempts` as `quiz_status` takes them; after a
    closing (which may close the recertification) both are read again."""
    status = quiz_status(session, user, quiz, now, cycle_from=cycle_from, all_attempts=all_attempts)
    if status.open_attempt is None or not is_overdue(status.open_attempt, now):
        return status, False
    submit_attempt(session, status.open_attempt, now, closed_by="deadline")
    return quiz_status(session, user, quiz, now), True


def item_by_key(attempt: Attempt, question_key: str) -> AttemptItem:
    """The attempt's item for a question id from the quiz file (one row read, with its question
    version and its columns as the database has them now, unless the attempt's items are loaded
    already)."""
    if "items" in attempt.__dict__:
        found = next((item for item in attempt.items if item.question_key == question_key), None)
    else:
        session = object_session(attempt)
        assert session is not None
        found = session.scalars(_ITEM, {"attempt_id": attempt.id, "key": question_key}).first()
    if found is None:
        raise NotFound(N_("This question is not part of the attempt."))
    return found


def serve_item(item: AttemptItem, now: dt.datetime) -> None:
    """Note when the learner first saw the question (reply questions are timed from here)."""
    if item.served_at is None:
        item.served_at = now


class StaleAnswer(Conflict):
    """The answer was saved elsewhere (another tab, device or client) after this one was loaded."""

    def __init__(self, current_version: int) -> None:
        super().__init__(
            N_(
                "This answer was changed in another window after this page was opened, so this change "
                "was not saved. Reload the page to see the newer answer."
            ),
            "response",
        )
        self.current_version = current_version


def save_response(
    session: Session,
    attempt: Attempt,
    question_key: str,
    response: Any,
    now: dt.datetime,
    *,
    expected_version: int | None = None,
    read_after_lock: bool = False,
    item: AttemptItem | None = None,
    item_read: bool = False,
) -> AttemptItem:
    """Save one answer into an attempt in progress, checked against its question's shape.

    Each save counts the item's `response_version` up by one. A caller that says which version it
    was showing (`expected_version`: the quiz page always does, the API with If-Match) is refused
    with StaleAnswer when another save came first, and the newer answer stays. Without it, the
    last save wins. The version is read after the lock, so two saves racing cannot both pass.
    `read_after_lock`: the caller read the attempt with `get_attempt(..., lock=True)` (or it and
    `item` with `attempt_and_item`: `item_read`, None when the question is not part of the attempt)
    in this transaction, so the lock is held and both are current.
    """
    if not read_after_lock:
        lock_person(session, attempt.user_id)
        _reread_status(session, attempt)
    if attempt.status != IN_PROGRESS:
        raise Conflict(N_("This attempt has been submitted; answers can no longer change."))
    if is_overdue(attempt, now):
        submit_attempt(session, attempt, now, closed_by="deadline", read_after_lock=True)
        raise Conflict(
            N_("Time is up: the attempt was submitted with the answers saved before the deadline.")
        )
    if item_read and read_after_lock:
        if item is None:
            raise NotFound(N_("This question is not part of the attempt."))
    else:
        preloaded = "items" in attempt.__dict__
        item = item_by_key(attempt, question_key)  # read after the lock unless the items were loaded
        if preloaded:
            session.refresh(item, ["response_version"])  # as committed, now that we hold the lock
    version = item.version
    check_answer(version.type, version.body, response, item.response_version, expected_version)
    if version.type != "reply":
        write_item(session, item, answer_written(response, item.response_version, item.served_at, now))
        return item
    if item.served_at is None:
        item.served_at = now
    _stamp_reply(item, [m.text for m in messages_of(response)], now)
    item.response_version += 1
    item.saved_at = now
    return item


def check_answer(
    question_type: str,
    body: dict[str, Any],
    response: Any,
    current_version: int,
    expected_version: int | None,
) -> None:
    """What every save checks before it writes: the answer was not changed elsewhere since the version
    the caller showed (StaleAnswer), and it has its question's shape (ResponseInvalid)."""
    if expected_version is not None and expected_version != current_version:
        raise StaleAnswer(current_version)
    try:
        get_type(question_type).check_response(body, response)
    except ResponseError as err:
        raise ResponseInvalid(err.message, err.field) from None


def answer_written(
    response: Any, current_version: int, served_at: dt.datetime | None, now: dt.datetime
) -> dict[str, Any]:
    """The columns a save of a (not chat) answer writes: the answer, its next version, when."""
    written = {"response": response, "response_version": current_version + 1, "saved_at": now}
    return written | ({"served_at": now} if served_at is None else {})


def _seconds_since_served(item: AttemptItem, now: dt.datetime) -> float:
    assert item.served_at is not None
    return round(max(0.0, (now - item.served_at).total_seconds()), 3)


def _stamp_reply(item: AttemptItem, texts: list[str], now: dt.datetime) -> None:
    """Store a reply's messages, each with the server's time: messages already sent keep theirs."""
    before = messages_of(item.response) if item.response is not None else []
    seconds = _seconds_since_served(item, now)
    stamped: list[tuple[str, float | None]] = []
    for index, text in enumerate(texts):
        kept = before[index] if index < len(before) and before[index].text == text else None
        if kept is None:
            before = before[:index]  # everything from the first changed message is new
        stamped.append((text, kept.seconds if kept is not None else seconds))
    item.response = {"messages": [{"text": text, "seconds": at} for text, at in stamped]}
    item.elapsed_seconds = next((at for text, at in stamped if text.strip()), None)


def send_message(
    session: Session, attempt: Attempt, question_key: str, text: str, now: dt.datetime
) -> AttemptItem:
    """Append one chat message to a reply, stamped by the server now (Enter in the reply box)."""
    item = item_by_key(attempt, question_key)
    if item.version.type != "reply":
        raise ResponseInvalid(N_("Only a chat reply takes messages one at a time."), "text")
    if not text.strip():
        raise ResponseInvalid(N_("The message is empty."), "text")
    lock_person(session, attempt.user_id)
    session.flush()
    session.refresh(item, ["response"])  # after the lock: a message sent a moment ago is kept
    sent = [m.text for m in messages_of(item.response)] if item.response is not None else []
    if len(sent) >= MAX_MESSAGES:
        raise ResponseInvalid(N_("A reply holds at most %(n)s messages."), "text", n=MAX_MESSAGES)
    return save_response(session, attempt, question_key, {"messages": [*sent, text]}, now)


def _after_grading(session: Session, attempt: Attempt, graded: list[GradedItem], now: dt.datetime) -> None:
    """A pass closes assignments of this quiz; the graded attempt is published (go-live, tiers react)."""
    session.flush()
    if attempt.passed:
        close_for_attempt(session, attempt, now)
    events.publish(events.attempt_graded, session, attempt=attempt, graded=graded, now=now)


#: What a change to an attempt reads again as committed first: another submit may have come first.
_STATUS_COLUMNS = ("status", "submitted_at", "score", "max_score", "percent", "passed")


def _reread_status(session: Session, attempt: Attempt) -> None:
    """Read the attempt's status as committed (after our lock), keeping unsaved answers."""
    session.flush()
    session.refresh(attempt, list(_STATUS_COLUMNS))


def grading_book(session: Session, attempt: Attempt) -> LoadedBook | None:
    """The rule book an attempt is (or was) graded with: its own version, else the newest."""
    return book_by_id(session, attempt.rule_book_id) or current_book(session)


#: Those columns, under the attempt's own row lock (PostgreSQL): whoever submits it (the learner,
#: the overdue sweep) waits, and reads them after the other's commit, in the statement that locks.
_LOCK_ATTEMPT = (
    select(*(getattr(Attempt, name) for name in _STATUS_COLUMNS))
    .where(Attempt.id == bindparam("attempt_id"))
    .with_for_update()
)


def submit_attempt(
    session: Session,
    attempt: Attempt,
    now: dt.datetime,
    *,
    closed_by: str = "learner",
    read_after_lock: bool = False,
) -> Attempt:
    """Submit and grade the attempt; submitting again returns the same result (idempotent).

    `read_after_lock`: the caller read the attempt in this transaction after taking the learner's
    lock (`get_attempt(..., lock=True)`), so on SQLite, whose writing transactions hold the one write
    lock from their first statement, its status is current and is not read again. PostgreSQL always
    reads it again under the attempt's own row lock (the overdue sweep takes no learner's lock)."""
    if takes_row_locks(session):
        # Unsaved answers are flushed by this read (autoflush), then kept.
        row = session.execute(_LOCK_ATTEMPT, {"attempt_id": attempt.id}).one()
        for name, value in zip(_STATUS_COLUMNS, row, strict=True):
            set_committed_value(attempt, name, value)
    elif not read_after_lock:
        _reread_status(session, attempt)
    if attempt.status != IN_PROGRESS:
        return attempt
    # The book is read before anything changes: a change first would be flushed by that read, an
    # UPDATE of its own before the one that writes the grade.
    loaded = grading_book(session, attempt)
    graded = grade_items(session, attempt, loaded.book if loaded is not None else None)
    write_attempt(
        session,
        attempt,
        {
            "submitted_at": min(now, attempt.deadline + GRACE) if attempt.deadline else now,
            "rule_book_id": loaded.id if loaded is not None else None,
            **totals(graded, attempt.quiz.pass_percent, now),
        },
    )
    _after_grading(session, attempt, graded, now)
    audit.record(
        session,
        "attempt.grade",
        actor=attempt.user,
        target=attempt,
        after={
            "quiz": attempt.quiz.slug,
            "score": attempt.score,
            "max": attempt.max_score,
            "percent": attempt.percent,
            "passed": attempt.passed,
            "status": attempt.status,
            "closed_by": closed_by,
        },
    )
    return attempt


def grade_manually(
    session: Session, item: AttemptItem, score: float, comment: str, grader: User, now: dt.datetime
) -> Attempt:
    """A trainer grades an essay or reply; the attempt's total and pass follow."""
    if score < 0 or score > item.max_score:
        raise DomainError(N_("The score must be between 0 and %(max)s."), "score", max=item.max_score)
    attempt = item.attempt
    if attempt.status == IN_PROGRESS:
        raise Conflict(N_("The attempt has not been submitted yet."))
    before = {"score": item.score, "needs_review": item.needs_review}
    item.score, item.needs_review = float(score), False
    item.grader_id, item.grader_comment, item.graded_at = grader.id, comment.strip() or None, now
    graded = graded_items(attempt)
    for key, value in totals(graded, attempt.quiz.pass_percent, now).items():
        setattr(attempt, key, value)
    _after_grading(session, attempt, graded, now)
    audit.record(
        session,
        "attempt.grade_manual",
        actor=grader,
        target=attempt,
        before=before,
        after={
            "item": item.question_key,
            "score": score,
            "percent": attempt.percent,
            "passed": attempt.passed,
        },
    )
    return attempt


def close_overdue_attempts(session: Session, now: dt.datetime) -> int:
    """Submit every attempt whose deadline has passed (run by `lms jobs run`)."""
    overdue = session.scalars(
        select(Attempt).where(
            Attempt.status == IN_PROGRESS, Attempt.deadline.is_not(None), Attempt.deadline < now - GRACE
        )
    ).all()
    for attempt in overdue:
        submit_attempt(session, attempt, now, closed_by="deadline")
    return len(overdue)


def attempts_count(session: Session, quiz: Quiz) -> int:
    """How many attempts the quiz has had (all learners)."""
    return session.scalar(select(func.count()).select_from(Attempt).where(Attempt.quiz_id == quiz.id)) or 0
