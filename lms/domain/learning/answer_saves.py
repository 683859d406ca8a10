"""Saving one answer by its attempt's id and the question's id: what an API client does every few
seconds while a learner works through a quiz.

The usual save (an attempt in progress, in time, a question of the attempt that is not a chat reply)
reads the few columns it checks in one statement and writes the answer with one UPDATE, without
loading the attempt, the item and the question version as objects: that loading was about a sixth
of a save. Every other case (submitted, out of time, not a question of the attempt, a chat reply)
goes through `attempts.save_response`, which answers each; both apply the same checks
(`attempts.check_answer`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from lms.db import read_rows, write_rows
from lms.domain.accounts.locks import lock_person
from lms.domain.errors import N_, NotFound
from lms.domain.learning.attempts import (
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


def save_target(session: Session, user: User, attempt_id: int, question_key: str) -> SaveTarget:
    """Take the learner's lock and read what a save checks: one of the user's own attempts (anyone
    else's, or none: NoSuchAttempt) with its item for a question id."""
    lock_person(session, user.id)
    row = read_rows(
        session, _SAVE_TARGET, {"attempt_id": attempt_id, "user_id": user.id, "key": question_key}
    ).one_or_none()
    if row is None:
        raise NoSuchAttempt()
    status, deadline, item_id, served_at, current, question_type, body = row
    return SaveTarget(
        attempt_id, question_key, status, deadline, item_id, served_at, current or 0, question_type, body
    )


def save_answer(
    session: Session,
    user: User,
    target: SaveTarget,
    response: Any,
    now: dt.datetime,
    *,
    expected_version: int | None = None,
) -> SavedAnswer:
    """Save one answer into the attempt read by `save_target` in this transaction. Raises as
    `attempts.save_response` does: StaleAnswer when `expected_version` is not the stored one,
    ResponseInvalid, NotFound for a question that is not part of the attempt, Conflict when the
    attempt is submitted or its time ran out (then it is submitted here)."""
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
