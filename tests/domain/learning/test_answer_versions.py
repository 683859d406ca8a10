"""Answer versions: a save against an older version (a stale tab) is refused; the newer answer stays."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from lms.domain.learning import attempts as engine
from lms.models import Attempt
from tests.concurrency import run_in_parallel
from tests.domain.learning.test_attempts import T0, make_quiz
from tests.factories import UserFactory


def _item(attempt: Attempt, key: str):  # type: ignore[no-untyped-def]
    return next(i for i in attempt.items if i.question_key == key)


def test_every_save_counts_the_version_up(db: Session) -> None:
    attempt = engine.start_attempt(db, UserFactory(), make_quiz(db), T0)
    assert _item(attempt, "hours").response_version == 0
    engine.save_response(db, attempt, "hours", {"value": 24}, T0, expected_version=0)
    engine.save_response(db, attempt, "hours", {"value": 48}, T0, expected_version=1)
    db.commit()
    assert _item(attempt, "hours").response_version == 2
    assert _item(attempt, "state").response_version == 0  # per answer, not per attempt


def test_a_stale_save_is_refused_and_the_newer_answer_kept(db: Session) -> None:
    attempt = engine.start_attempt(db, UserFactory(), make_quiz(db), T0)
    engine.save_response(db, attempt, "hours", {"value": 72}, T0, expected_version=0)  # the other tab
    db.commit()
    with pytest.raises(engine.StaleAnswer, match="changed in another window") as err:
        engine.save_response(db, attempt, "hours", {"value": 24}, T0, expected_version=0)
    db.rollback()
    assert err.value.current_version == 1
    db.expire_all()
    item = _item(db.get(Attempt, attempt.id), "hours")
    assert item.response == {"value": 72} and item.response_version == 1


def test_without_a_version_the_last_save_wins(db: Session) -> None:
    attempt = engine.start_attempt(db, UserFactory(), make_quiz(db), T0)
    engine.save_response(db, attempt, "hours", {"value": 72}, T0, expected_version=0)
    engine.save_response(db, attempt, "hours", {"value": 24}, T0 + dt.timedelta(seconds=1))
    db.commit()
    item = _item(attempt, "hours")
    assert item.response == {"value": 24} and item.response_version == 2


def test_parallel_saves_never_both_pass_against_one_version(app: Flask, db: Session) -> None:
    attempt = engine.start_attempt(db, UserFactory(), make_quiz(db), T0)
    db.commit()
    attempt_id = attempt.id
    values = iter(range(1, 100))
    passed: list[int] = []

    def save(session: Session) -> None:
        mine = session.get(Attempt, attempt_id)
        seen = _item(mine, "hours").response_version  # read before the lock, as a page does
        engine.save_response(session, mine, "hours", {"value": next(values)}, T0, expected_version=seen)
        passed.append(seen)

    errors = run_in_parallel(app, 6, save)
    assert all(isinstance(e, engine.StaleAnswer) for e in errors), errors
    assert len(passed) + len(errors) == 6
    assert sorted(passed) == sorted(set(passed)), "two saves went through against the same version"
    db.expire_all()
    assert _item(db.get(Attempt, attempt_id), "hours").response_version == len(passed)


def test_a_save_is_written_as_loaded_and_as_stored(app: Flask, db: Session) -> None:
    """A save writes its row with one UPDATE and sets the loaded item to it: what the request answers
    with, what a later save in the same transaction builds on, and what another session reads agree."""
    attempt = engine.start_attempt(db, UserFactory(), make_quiz(db), T0)
    served = _item(attempt, "hours").served_at
    first, second = T0 + dt.timedelta(seconds=5), T0 + dt.timedelta(seconds=9)
    engine.save_response(db, attempt, "hours", {"value": 24}, first, expected_version=0)
    item = engine.save_response(db, attempt, "hours", {"value": 72}, second, expected_version=1)
    assert (item.response, item.response_version, item.saved_at) == ({"value": 72}, 2, second)
    assert not db.dirty  # nothing left for the unit of work to write
    db.commit()
    other = Session(bind=app.extensions["lms.db"].engine)
    stored = _item(other.get(Attempt, attempt.id), "hours")
    assert (stored.response, stored.response_version) == ({"value": 72}, 2)
    assert stored.saved_at == second
    # first served when the attempt showed it, or at the first save: never moved by a later one
    assert stored.served_at == (served or first)
    other.close()
