"""A fact is read once per transaction, and read again in the next one."""

from __future__ import annotations

from sqlalchemy.orm import Session

from lms.domain.transaction_memo import remember, remembered


def test_a_fact_is_loaded_once_per_transaction_and_again_after_commit_or_rollback(db: Session) -> None:
    loads: list[int] = []

    def load() -> int:
        loads.append(1)
        return len(loads)

    db.connection()  # a transaction is open
    assert remembered(db, "fact", load) == 1
    assert remembered(db, "fact", load) == 1
    db.commit()
    db.connection()
    assert remembered(db, "fact", load) == 2
    db.rollback()
    db.connection()
    assert remembered(db, "fact", load) == 3
    assert remembered(db, "other", load) == 4


def test_nothing_found_is_not_remembered_so_a_row_created_later_is_seen(db: Session) -> None:
    found: list[str | None] = [None]
    db.connection()
    assert remembered(db, "programme", lambda: found[0]) is None
    found[0] = "loaded since"
    assert remembered(db, "programme", lambda: found[0]) == "loaded since"


def test_a_value_found_on_the_way_is_kept_until_the_transaction_ends(db: Session) -> None:
    db.connection()
    remember(db, "open assignments of 7", 0)
    assert remembered(db, "open assignments of 7", lambda: 99) == 0  # kept, even when it is 0
    db.rollback()
    db.connection()
    assert remembered(db, "open assignments of 7", lambda: 3) == 3
