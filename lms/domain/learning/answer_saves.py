"""Saving one answer by its attempt's id and the question's id: what an API client does every few
seconds while a learner works through a quiz.

The usual save (an attempt in progress, in time, a question of the attempt that is not a chat reply)
reads the few columns it checks in one statement and writes the answer with one UPDATE, without
loading the attempt, the item and the question version as objects: that loading was about a sixth
of a save. Every other case (submitted, out of time, not a question of the attempt, a chat reply)
goes through `attempts.save_response`, which answers each; both apply the same checks
(`attempts.check_answer`).

A question saved into before (the same attempt and question, in this worker), or of an attempt this
worker started or resumed through the API (`keep_started_items`), needs no read at all:
which item row it is and its question version never change once an attempt is started, so the
worker keeps them (`KnownItem`), checks the answer's shape against the kept version, and writes with
one UPDATE whose conditions are the read's checks (the user's attempt, in progress, in time, the
version the caller showed, the same item and version). That is one round trip to the database fewer
per save. When the UPDATE finds no such row, or the answer has the wrong shape, the save reads and
goes the usual way, which says what is wrong in the same order as always.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, bindparam, exists, func, inspect, or_, select, update
from sqlalchemy.orm import Session

from lms.content.questions import ResponseError, get_type
from lms.db import read_rows, write_rows
from lms.domain.accounts.locks import lock_person
from lms.domain.errors import N_, NotFound
from lms.domain.learning.attempts import (
    GRACE,
    answer_written,
    attempt_and_item,
    check_answer,
    deadline_passed,
    save_response,
)
from lms.domain.learning.grading import WRITE_ITEM
from lms.models import Attempt, AttemptItem, QuestionVersion, User
from lms.models.learning import IN_PROGRESS


class NoSuchAttempt(NotFound):
    """The attempt does not exist or is someone else's."""

    def __init__(self) -> None:
        super().__init__(N_("No such attempt."))


@dataclass(frozen=True)
class SavedAnswer:
    """An answer as stored by a save."""

    question_key: str
    response: Any
    version: int
    saved_at: dt.datetime | None


#: What a save checks, for one of a user's attempts and one question id (the item's columns are
#: NULL when the question is not part of the attempt).
_SAVE_TARGET = (
    select(
        Attempt.status,
        Attempt.deadline,
        AttemptItem.id,
        AttemptItem.served_at,
        AttemptItem.response_version,
        QuestionVersion.type,
        QuestionVersion.body,
        QuestionVersion.id,
        QuestionVersion.content_hash,
    )
    .select_from(Attempt)
    .outerjoin(
        AttemptItem,
        (AttemptItem.attempt_id == Attempt.id) & (AttemptItem.question_key == bindparam("key")),
    )
    .outerjoin(QuestionVersion, QuestionVersion.id == AttemptItem.question_version_id)
    .where(Attempt.id == bindparam("attempt_id"), Attempt.user_id == bindparam("user_id"))
)


@dataclass(frozen=True)
class SaveTarget:
    """One question of one of a user's attempts, as a save reads it (after the learner's lock)."""

    attempt_id: int
    question_key: str
    status: str
    deadline: dt.datetime | None
    item_id: int | None  # None: the question is not part of the attempt
    served_at: dt.datetime | None
    current_version: int
    question_type: str | None
    body: dict[str, Any] | None


@dataclass(frozen=True)
class KnownVersion:
    """A question version as a save checks answers against it (versions never change; the content
    hash guards against a row id used again after a deletion)."""

    id: int
    content_hash: str
    question_type: str
    body: dict[str, Any]


@dataclass(frozen=True)
class KnownItem:
    """A question of one of a user's attempts that this worker has read for a save before: its item row
    and question version, which never change once the attempt is started."""

    attempt_id: int
    question_key: str
    item_id: int
    version: KnownVersion


class KnownItems:
    """The items a worker has read for saves, by (user, attempt, question id), each version kept once
    however many attempts share it; bounded (emptied when full: a learner's next save reads again).
    A kept item is only a hint: the write checks it."""

    MAX = 2048

    def __init__(self) -> None:
        self._items: dict[tuple[int, int, str], KnownItem] = {}
        self._versions: dict[int, KnownVersion] = {}

    def get(self, user_id: int, attempt_id: int, question_key: str) -> KnownItem | None:
        return self._items.get((user_id, attempt_id, question_key))

    def keep(
        self, user_id: int, attempt_id: int, question_key: str, item_id: int, version: KnownVersion
    ) -> KnownItem:
        if len(self._items) >= self.MAX:
            self.clear()
        kept = self._versions.get(version.id)
        if kept is None or kept.content_hash != version.content_hash:
            kept = self._versions[version.id] = version
        item = self._items[(user_id, attempt_id, question_key)] = KnownItem(
            attempt_id, question_key, item_id, kept
        )
        return item

    def clear(self) -> None:
        self._items.clear()
        self._versions.clear()


#: This worker's kept items (a process's; each worker and server keeps its own).
KNOWN_ITEMS = KnownItems()


#: What a kept version holds: a start that did not load them leaves its items to be read.
_KEPT_COLUMNS = frozenset({"id", "content_hash", "type", "body"})


def keep_started_items(user_id: int, attempt: Attempt) -> None:
    """Keep the items of an attempt this worker has just started (or resumed) and committed, so that
    their first saves need no read either: the attempt's items with their question versions, as the
    start left them in the session (no statement is sent). A chat reply is saved the usual way and
    is not kept, as after a read."""
    for item in attempt.items:
        version = item.version
        if _KEPT_COLUMNS & inspect(version).unloaded:
            continue  # not read by the start: kept after its first save's read instead
        if version.type != "reply" and version.body is not None:
            KNOWN_ITEMS.keep(
                user_id,
                attempt.id,
                item.question_key,
                item.id,
                KnownVersion(version.id, version.content_hash, version.type, version.body),
            )


def save_target(session: Session, user: User, attempt_id: int, question_key: str) -> SaveTarget | KnownItem:
    """Take the learner's lock and find what a save checks: one of the user's own attempts (anyone
    else's, or none: NoSuchAttempt) with its item for a question id. A question this worker has
    read for a save before comes back as the kept `KnownItem`, without a read."""
    lock_person(session, user.id)
    known = KNOWN_ITEMS.get(user.id, attempt_id, question_key)
    if known is not None:
        return known
    return _read_target(session, user, attempt_id, question_key)


def _read_target(session: Session, user: User, attempt_id: int, question_key: str) -> SaveTarget:
    row = read_rows(
        session, _SAVE_TARGET, {"attempt_id": attempt_id, "user_id": user.id, "key": question_key}
    ).one_or_none()
    if row is None:
        raise NoSuchAttempt()
    status, deadline, item_id, served_at, current, question_type, body, version_id, content_hash = row
    if item_id is not None and question_type not in (None, "reply") and body is not None:
        version = KnownVersion(version_id, content_hash, question_type, body)
        KNOWN_ITEMS.keep(user.id, attempt_id, question_key, item_id, version)
    return SaveTarget(
        attempt_id, question_key, status, deadline, item_id, served_at, current or 0, question_type, body
    )


_ITEMS: Table = AttemptItem.__table__  # type: ignore[assignment]  # a mapped class's table


def _write_known(if_match: bool) -> Any:
    """The UPDATE of a kept item: written only when the read's checks hold (the user's attempt, in
    progress, in time; the same item, question and version; with If-Match, the version shown)."""
    now = bindparam("now", type_=_ITEMS.c.saved_at.type)
    statement = (
        update(_ITEMS)
        .where(
            _ITEMS.c.id == bindparam("item_id"),
            _ITEMS.c.attempt_id == bindparam("of_attempt"),
            _ITEMS.c.question_key == bindparam("key"),
            _ITEMS.c.question_version_id == bindparam("version_id"),
            exists().where(
                Attempt.id == _ITEMS.c.attempt_id,
                Attempt.user_id == bindparam("user_id"),
                Attempt.status == IN_PROGRESS,
                or_(Attempt.deadline.is_(None), Attempt.deadline >= bindparam("in_time_since")),
            ),
            exists().where(
                QuestionVersion.id == _ITEMS.c.question_version_id,
                QuestionVersion.content_hash == bindparam("content_hash"),
            ),
        )
        .values(
            response=bindparam("answer", type_=_ITEMS.c.response.type),
            response_version=_ITEMS.c.response_version + 1,
            saved_at=now,
            served_at=func.coalesce(_ITEMS.c.served_at, now),
        )
        .returning(_ITEMS.c.response_version)
    )
    if if_match:
        statement = statement.where(_ITEMS.c.response_version == bindparam("expected"))
    return statement


_WRITE_KNOWN = {False: _write_known(False), True: _write_known(True)}


def _save_known(
    session: Session,
    user: User,
    known: KnownItem,
    response: Any,
    now: dt.datetime,
    expected_version: int | None,
) -> SavedAnswer | None:
    """Save into a kept item with one UPDATE; None when the usual way must answer (the answer's shape
    is wrong, or the UPDATE found no row: submitted, out of time, stale, or gone)."""
    version = known.version
    try:
        get_type(version.question_type).check_response(version.body, response)
    except ResponseError:
        return None
    params = {
        "item_id": known.item_id,
        "of_attempt": known.attempt_id,
        "key": known.question_key,
        "version_id": version.id,
        "content_hash": version.content_hash,
        "user_id": user.id,
        "in_time_since": now - GRACE,
        "now": now,
        "answer": response,
        "expected": expected_version,
    }
    row = write_rows(session, _WRITE_KNOWN[expected_version is not None], params).one_or_none()
    if row is None:
        return None
    return SavedAnswer(known.question_key, response, row[0], now)


def save_answer(
    session: Session,
    user: User,
    target: SaveTarget | KnownItem,
    response: Any,
    now: dt.datetime,
    *,
    expected_version: int | None = None,
) -> SavedAnswer:
    """Save one answer into the attempt found by `save_target` in this transaction. Raises as
    `attempts.save_response` does: StaleAnswer when `expected_version` is not the stored one,
    ResponseInvalid, NotFound for a question that is not part of the attempt, Conflict when the
    attempt is submitted or its time ran out (then it is submitted here); NoSuchAttempt when a kept
    item's attempt is gone. Nothing is written when it raises (but a closing for lack of time)."""
    if isinstance(target, KnownItem):
        fast = _save_known(session, user, target, response, now, expected_version)
        if fast is not None:
            return fast
        target = _read_target(session, user, target.attempt_id, target.question_key)
    if (
        target.status != IN_PROGRESS
        or deadline_passed(target.deadline, now)
        or target.item_id is None
        or target.question_type in (None, "reply")
        or target.body is None
    ):
        attempt, item = attempt_and_item(session, user, target.attempt_id, target.question_key)
        saved = save_response(
            session,
            attempt,
            target.question_key,
            response,
            now,
            expected_version=expected_version,
            read_after_lock=True,
            item=item,
            item_read=True,
        )
        return SavedAnswer(target.question_key, saved.response, saved.response_version, saved.saved_at)
    check_answer(target.question_type, target.body, response, target.current_version, expected_version)
    written = answer_written(response, target.current_version, target.served_at, now)
    write_rows(session, WRITE_ITEM, {"item_id": target.item_id, **written})
    return SavedAnswer(target.question_key, response, written["response_version"], now)
