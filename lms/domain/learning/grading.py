"""Grading a submitted attempt's answers: read as rows, scored, written back with one UPDATE.

Submitting reads what grading needs of each item (the answer, its timing, its question's type, body,
points and tags) as plain rows, not the attempt's items and their question versions as objects: that
loading was over a quarter of a submit. The gradings are written with one executemany UPDATE; items
the session has loaded already (a page that showed them) take the written values, so nothing loaded
disagrees with the database. What the reactions to a grading read of it (`GradedItem`) travels with
the event, so they need not load the items either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, Update, bindparam, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from lms.content.questions import get_type
from lms.content.rulebook import RuleBook
from lms.db import read_rows, write_rows
from lms.models import Attempt, AttemptItem, QuestionVersion
from lms.models.learning import GRADED, SUBMITTED

#: A Core UPDATE of one item by id (an ORM-enabled one would go through the ORM's bulk-update
#: machinery); the SET clause comes from the parameters' names, compiled once per set of names.
_ITEMS_TABLE: Table = AttemptItem.__table__  # type: ignore[assignment]  # a mapped class's table
WRITE_ITEM = update(_ITEMS_TABLE).where(_ITEMS_TABLE.c.id == bindparam("item_id"))

#: The same for the attempt's own row.
_ATTEMPTS_TABLE: Table = Attempt.__table__  # type: ignore[assignment]  # a mapped class's table
WRITE_ATTEMPT = update(_ATTEMPTS_TABLE).where(_ATTEMPTS_TABLE.c.id == bindparam("attempt_id"))

#: What grading reads of an attempt's items, in position order (built once).
_GRADING_READ = (
    select(
        AttemptItem.id,
        AttemptItem.question_key,
        AttemptItem.response,
        AttemptItem.elapsed_seconds,
        AttemptItem.max_score,
        QuestionVersion.type,
        QuestionVersion.body,
        QuestionVersion.points,
        QuestionVersion.tags,
    )
    .join(QuestionVersion, QuestionVersion.id == AttemptItem.question_version_id)
    .where(AttemptItem.attempt_id == bindparam("attempt_id"))
    .order_by(AttemptItem.position)
)

_GRADING_COLUMNS = ("score", "max_score", "feedback", "needs_review")


@dataclass(frozen=True)
class GradedItem:
    """One question of a graded attempt, as the reactions to the grading read it."""

    question_key: str
    score: float
    max_score: float
    needs_review: bool
    #: The question version's tags (`faq:<entry>` names the script-library entry it tests).
    tags: tuple[str, ...]


def _grading(
    qtype: str,
    body: dict[str, Any],
    points: float,
    response: Any,
    elapsed_seconds: float | None,
    max_score: float,
    book: RuleBook | None,
) -> dict[str, Any]:
    """An item's grading: its score, maximum, feedback and whether a person must review it."""
    if response is None:  # nothing to review
        return {"score": 0.0, "max_score": max_score, "feedback": [], "needs_review": False}
    result = get_type(qtype).grade(body, points, response, elapsed_seconds=elapsed_seconds, book=book)
    return {
        "score": max(0.0, float(result.score)),
        "max_score": float(result.max),
        "feedback": list(result.feedback),
        "needs_review": bool(result.needs_review),
    }


def grade_items(session: Session, attempt: Attempt, book: RuleBook | None) -> list[GradedItem]:
    """Grade every item of the attempt as the database has it (answers not yet written are flushed
    first) and write the gradings; the caller holds the locks a submit takes."""
    rows = read_rows(session, _GRADING_READ, {"attempt_id": attempt.id}).all()
    writes = [
        {
            "item_id": row.id,
            **_grading(
                row.type, row.body, row.points, row.response, row.elapsed_seconds, row.max_score, book
            ),
        }
        for row in rows
    ]
    if not writes:
        return []
    write_rows(session, WRITE_ITEM, writes)
    loaded: list[AttemptItem] | None = attempt.__dict__.get("items")
    if loaded is not None:
        by_id = {write["item_id"]: write for write in writes}
        for item in loaded:
            written = by_id.get(item.id)
            if written is not None:
                for key in _GRADING_COLUMNS:
                    set_committed_value(item, key, written[key])
    return [
        GradedItem(
            row.question_key, write["score"], write["max_score"], write["needs_review"], tuple(row.tags or ())
        )
        for row, write in zip(rows, writes, strict=True)
    ]


def graded_items(attempt: Attempt) -> list[GradedItem]:
    """The attempt's items as graded, from its loaded items (a trainer's grading, a test's event)."""
    return [
        GradedItem(
            item.question_key,
            float(item.score or 0),
            float(item.max_score or 0),
            bool(item.needs_review),
            tuple(item.version.tags or ()),
        )
        for item in sorted(attempt.items, key=lambda i: i.position)
    ]


def totals(graded: Sequence[GradedItem], pass_percent: float, now: dt.datetime) -> dict[str, Any]:
    """The attempt's columns its items' gradings decide: score, maximum, percent and, unless a person
    must still review an answer, graded with a pass or a fail."""
    score = sum(item.score for item in graded)
    maximum = sum(item.max_score for item in graded)
    percent = round(100 * score / maximum, 2) if maximum else 0.0
    values: dict[str, Any] = {"score": round(score, 4), "max_score": round(maximum, 4), "percent": percent}
    if any(item.needs_review for item in graded):
        return values | {"status": SUBMITTED, "passed": None}
    return values | {"status": GRADED, "graded_at": now, "passed": percent >= pass_percent}


def _write(
    session: Session, statement: Update, row: dict[str, Any], loaded: Any, values: dict[str, Any]
) -> None:
    # The SET clause comes from the parameters' names (compiled once per set of names), not from a
    # `.values()` built on every write.
    write_rows(session, statement, row | values)
    for key, value in values.items():
        set_committed_value(loaded, key, value)


def write_item(session: Session, item: AttemptItem, values: dict[str, Any]) -> None:
    """Write these columns of one answer's row with one UPDATE, and set the loaded item to them as
    written: the answer a learner saves every few seconds skips the unit of work's flush (finding
    what changed, ordering, bookkeeping; about a sixth of a save in profiles, and the save costs 7 %
    fewer instructions without it). The caller holds the learner's lock, as for any save."""
    _write(session, WRITE_ITEM, {"item_id": item.id}, item, values)


def write_attempt(session: Session, attempt: Attempt, values: dict[str, Any]) -> None:
    """Write these columns of the attempt's row with one UPDATE and set the loaded attempt to them as
    written (not through the unit of work's flush); the caller holds the locks a submit takes."""
    _write(session, WRITE_ATTEMPT, {"attempt_id": attempt.id}, attempt, values)
