"""Saving one answer by ids (the API's save): one read of columns and one UPDATE for the usual save,
one UPDATE alone for a question saved into before, and the same answers as `save_response` for
every other case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import delete, event, select
from sqlalchemy.orm import Session, selectinload

from lms.domain.errors import Conflict, NotFound
from lms.domain.learning import attempts as engine
from lms.domain.learning.answer_saves import (
    KNOWN_ITEMS,
    KnownItem,
    KnownItems,
    KnownVersion,
    NoSuchAttempt,
    SavedAnswer,
    keep_started_items,
    save_answer,
    save_target,
)
from lms.models import Attempt, AttemptItem, QuestionVersion
from lms.models.learning import IN_PROGRESS
from tests.domain.learning.test_attempts import T0, make_quiz
from tests.factories import UserFactory


@pytest.fixture
def loads(db: Session) -> Iterator[list[str]]:
    """The classes of the objects the ORM loads while the test runs."""
    loaded: list[str] = []

    def on_load(target: object, _context: object) -> None:
        loaded.append(type(target).__name__)

    for cls in (Attempt, AttemptItem):
        event.listen(cls, "load", on_load)
    yield loaded
    for cls in (Attempt, AttemptItem):
        event.remove(cls, "load", on_load)


def _save(db: Session, user, attempt_id: int, key: str, response, now: dt.datetime, **kw) -> SavedAnswer:  # type: ignore[no-untyped-def]
    """What the API's save does: read the target after the lock, then save."""
    return save_answer(db, user, save_target(db, user, attempt_id, key), response, now, **kw)


def _stored(app: Flask, attempt_id: int, key: str) -> AttemptItem:
    other = Session(bind=app.extensions["lms.db"].engine)
    item = other.scalars(
        select(AttemptItem).where(AttemptItem.attempt_id == attempt_id, AttemptItem.question_key == key)
    ).one()
    other.expunge_all()
    other.close()
    return item


def test_a_save_writes_the_answer_with_one_read_and_one_update_and_loads_no_object(
    app: Flask, db: Session, loads: list[str], count_queries
) -> None:
    user = UserFactory()
    attempt = engine.start_attempt(db, user, make_quiz(db), T0)
    db.commit()
    attempt_id = attempt.id
    db.expunge_all()
    loads.clear()
    first, second = T0 + dt.timedelta(seconds=5), T0 + dt.timedelta(seconds=9)

    with count_queries() as counter:
        saved = _save(db, user, attempt_id, "hours", {"value": 24}, first, expected_version=0)
    assert saved == SavedAnswer("hours", {"value": 24}, 1, first)
    statements = [s for s in counter.statements if "pg_advisory" not in s and "FOR UPDATE" not in s]
    assert len(statements) == 2 and statements[1].startswith("UPDATE attempt_items"), statements
    assert loads == []  # neither the attempt nor its item was built as an object
    again = _save(db, user, attempt_id, "hours", {"value": 72}, second)  # no If-Match: last wins
    db.commit()
    assert again == SavedAnswer("hours", {"value": 72}, 2, second)

    stored = _stored(app, attempt_id, "hours")
    assert (stored.response, stored.response_version, stored.saved_at) == ({"value": 72}, 2, second)
    assert stored.served_at == first  # first seen at the first save; a later save never moves it


def test_every_other_case_answers_as_save_response_does(app: Flask, db: Session) -> None:
    user, someone_else = UserFactory(), UserFactory()
    quiz = make_quiz(db, time_limit_minutes=10)
    attempt = engine.start_attempt(db, user, quiz, T0)
    db.commit()
    attempt_id = attempt.id

    with pytest.raises(NoSuchAttempt):
        save_target(db, someone_else, attempt_id, "hours")
    with pytest.raises(NoSuchAttempt):
        save_target(db, user, attempt_id + 1000, "hours")
    with pytest.raises(NotFound, match="not part of the attempt") as missing:
        _save(db, user, attempt_id, "no-such-question", {"value": 72}, T0)
    assert not isinstance(missing.value, NoSuchAttempt)
    with pytest.raises(engine.ResponseInvalid) as invalid:
        _save(db, user, attempt_id, "hours", {"value": "seventy-two"}, T0)
    assert invalid.value.field == "value"
    db.rollback()

    _save(db, user, attempt_id, "hours", {"value": 72}, T0, expected_version=0)  # the other tab
    db.commit()
    with pytest.raises(engine.StaleAnswer) as stale:
        _save(db, user, attempt_id, "hours", {"value": 24}, T0, expected_version=0)
    assert stale.value.current_version == 1
    db.rollback()
    assert _stored(app, attempt_id, "hours").response == {"value": 72}  # the newer answer stays

    late = T0 + dt.timedelta(minutes=11)
    with pytest.raises(Conflict, match="Time is up"):
        _save(db, user, attempt_id, "state", {"choice": 0}, late)
    db.commit()  # as the API does: the closing is kept
    db.expire_all()
    closed = db.get(Attempt, attempt_id)
    assert closed is not None and closed.status != IN_PROGRESS
    with pytest.raises(Conflict, match="submitted"):
        _save(db, user, attempt_id, "hours", {"value": 72}, late)
    db.rollback()


def _kept(db: Session, user, **quiz_settings) -> int:  # type: ignore[no-untyped-def]
    """An attempt whose "hours" question has been saved once (version 1), so this worker keeps it."""
    attempt = engine.start_attempt(db, user, make_quiz(db, **quiz_settings), T0)
    db.commit()
    _save(db, user, attempt.id, "hours", {"value": 24}, T0 + dt.timedelta(seconds=5))
    db.commit()
    assert isinstance(KNOWN_ITEMS.get(user.id, attempt.id, "hours"), KnownItem)
    return attempt.id


def test_a_question_saved_into_before_is_saved_with_one_update_and_no_read(
    app: Flask, db: Session, loads: list[str], count_queries
) -> None:
    user = UserFactory()
    attempt_id = _kept(db, user)
    loads.clear()
    later = T0 + dt.timedelta(seconds=30)

    with count_queries() as counter:
        saved = _save(db, user, attempt_id, "hours", {"value": 72}, later, expected_version=1)
    db.commit()
    assert saved == SavedAnswer("hours", {"value": 72}, 2, later)
    statements = [s for s in counter.statements if "pg_advisory" not in s and "FOR UPDATE" not in s]
    assert len(statements) == 1 and statements[0].startswith("UPDATE attempt_items"), statements
    assert loads == []
    stored = _stored(app, attempt_id, "hours")
    assert (stored.response, stored.response_version, stored.saved_at) == ({"value": 72}, 2, later)
    assert stored.served_at == T0 + dt.timedelta(seconds=5)  # first seen at the first save, kept


def test_a_kept_item_answers_every_other_case_as_a_read_does(app: Flask, db: Session, count_queries) -> None:
    user = UserFactory()
    attempt_id = _kept(db, user, time_limit_minutes=10)
    soon = T0 + dt.timedelta(seconds=30)

    with pytest.raises(engine.ResponseInvalid) as invalid:
        _save(db, user, attempt_id, "hours", {"value": "seventy-two"}, soon)
    assert invalid.value.field == "value"
    db.rollback()
    with pytest.raises(engine.StaleAnswer) as stale:
        _save(db, user, attempt_id, "hours", {"value": 72}, soon, expected_version=0)
    assert stale.value.current_version == 1
    db.rollback()
    assert _stored(app, attempt_id, "hours").response == {"value": 24}  # neither wrote anything

    in_grace = T0 + dt.timedelta(minutes=10, seconds=4)  # the deadline passed, the grace has not
    with count_queries() as counter:
        assert _save(db, user, attempt_id, "hours", {"value": 48}, in_grace).version == 2
    db.commit()
    assert not any(s.lstrip().startswith("SELECT attempts") for s in counter.statements)  # no read
    late = T0 + dt.timedelta(minutes=10, seconds=6)
    with pytest.raises(Conflict, match="Time is up"):
        _save(db, user, attempt_id, "hours", {"value": 72}, late)
    db.commit()
    db.expire_all()
    closed = db.get(Attempt, attempt_id)
    assert closed is not None and closed.status != IN_PROGRESS
    assert _stored(app, attempt_id, "hours").response == {"value": 48}  # the last answer in time
    with pytest.raises(Conflict, match="submitted"):
        _save(db, user, attempt_id, "hours", {"value": 72}, late)
    db.rollback()


def test_a_kept_item_is_a_hint_the_write_checks(app: Flask, db: Session) -> None:
    user, someone_else = UserFactory(), UserFactory()
    attempt_id = _kept(db, user)
    known = KNOWN_ITEMS.get(user.id, attempt_id, "hours")
    assert known is not None
    soon = T0 + dt.timedelta(seconds=30)

    # Kept for another version's content (a row id used again after a deletion): the write finds no
    # row, and the answer is checked against the item's own question after a read.
    forged = KnownVersion(known.version.id, "0" * 64, "numeric", {})
    KNOWN_ITEMS.keep(user.id, attempt_id, "hours", known.item_id, forged)
    with pytest.raises(engine.ResponseInvalid):
        _save(db, user, attempt_id, "hours", {"value": "seventy-two"}, soon)
    db.rollback()
    assert KNOWN_ITEMS.get(user.id, attempt_id, "hours") == known  # the read kept the right one again

    # Someone else's hint for this attempt writes nothing into it.
    KNOWN_ITEMS.keep(someone_else.id, attempt_id, "hours", known.item_id, known.version)
    with pytest.raises(NoSuchAttempt):
        _save(db, someone_else, attempt_id, "hours", {"value": 1}, soon)
    db.rollback()
    assert _stored(app, attempt_id, "hours").response == {"value": 24}

    db.execute(delete(Attempt).where(Attempt.id == attempt_id))  # gone since the last save
    db.commit()
    with pytest.raises(NoSuchAttempt):
        _save(db, user, attempt_id, "hours", {"value": 72}, soon)
    db.rollback()


def test_kept_items_share_their_version_and_stay_bounded() -> None:
    kept = KnownItems()
    version = KnownVersion(7, "a" * 64, "single", {"choices": [{"text": "Alipay", "weight": 100.0}]})
    first = kept.keep(1, 10, "state", 100, version)
    second = kept.keep(2, 11, "state", 200, KnownVersion(7, "a" * 64, "single", dict(version.body)))
    assert second.version is first.version  # one body however many attempts were given the version
    changed = kept.keep(3, 12, "state", 300, KnownVersion(7, "b" * 64, "single", {}))
    assert changed.version.content_hash == "b" * 64  # a row id used again: the new content wins

    for n in range(KnownItems.MAX):
        kept.keep(4, 1000 + n, "state", n, version)
    assert kept.get(1, 10, "state") is None  # full: emptied, the next saves read again
    assert kept.get(4, 1000 + KnownItems.MAX - 1, "state") is not None


def test_an_attempt_started_here_is_saved_into_without_a_read_from_its_first_save(
    app: Flask, db: Session, count_queries
) -> None:
    user = UserFactory()
    attempt = engine.start_attempt(db, user, make_quiz(db), T0)
    db.commit()
    with count_queries() as started:
        keep_started_items(user.id, attempt)
    assert started.count == 0  # what the start loaded is enough: no statement
    kept = {key: KNOWN_ITEMS.get(user.id, attempt.id, key) for key in ("state", "hours", "essay")}
    assert all(isinstance(item, KnownItem) for item in kept.values()), kept
    first = T0 + dt.timedelta(seconds=5)
    with count_queries() as counter:
        saved = _save(db, user, attempt.id, "hours", {"value": 24}, first, expected_version=0)
    assert saved == SavedAnswer("hours", {"value": 24}, 1, first)
    writes = [s for s in counter.statements if "pg_advisory" not in s and "FOR UPDATE" not in s]
    assert len(writes) == 1 and writes[0].startswith("UPDATE attempt_items"), writes
    db.commit()
    assert _stored(app, attempt.id, "hours").response == {"value": 24}
    # A kept item is still only a hint: a wrong shape is refused as after a read, nothing written.
    with pytest.raises(engine.ResponseInvalid):
        _save(db, user, attempt.id, "hours", {"value": "twenty"}, first)
    db.rollback()
    assert _stored(app, attempt.id, "hours").response_version == 1


def test_a_resumed_attempt_is_kept_too_but_a_start_that_left_versions_unread_is_not(
    db: Session, count_queries
) -> None:
    user = UserFactory()
    quiz = make_quiz(db)
    started = engine.start_attempt(db, user, quiz, T0)
    db.commit()
    attempt_id = started.id
    db.expunge_all()
    resumed = engine.get_attempt(db, user, attempt_id, items=True)
    KNOWN_ITEMS.clear()
    keep_started_items(user.id, resumed)  # versions joined with every column
    assert KNOWN_ITEMS.get(user.id, attempt_id, "state") is not None
    db.expunge_all()
    KNOWN_ITEMS.clear()
    partial = db.scalars(
        select(Attempt)
        .where(Attempt.id == attempt_id)
        .options(selectinload(Attempt.items).joinedload(AttemptItem.version).load_only(QuestionVersion.type))
    ).one()
    with count_queries() as counter:
        keep_started_items(user.id, partial)
    assert counter.count == 0  # no column is read for it…
    assert KNOWN_ITEMS.get(user.id, attempt_id, "state") is None  # …and nothing is kept half-known
