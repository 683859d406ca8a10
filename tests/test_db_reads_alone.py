"""PostgreSQL: a reading request's plain SELECTs run without a transaction (no BEGIN, no ROLLBACK),
and the first write, lock or savepoint opens one, so what it writes is all or nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from psycopg.pq import TransactionStatus
from sqlalchemy import event, func, select, text
from sqlalchemy.orm import Session

from lms import db as db_module
from lms.access import public
from lms.db import Database, db_session, is_plain_select
from lms.models import Store
from tests.factories import StoreFactory


@pytest.fixture
def database(app: Flask) -> Database:
    found: Database = app.extensions["lms.db"]
    if found.is_sqlite:
        pytest.skip("SQLite's reads take no round trip: they stay in their deferred transaction")
    return found


@pytest.fixture
def statuses(database: Database) -> Iterator[list[tuple[str, Any]]]:
    """Each statement with the connection's transaction status as it ran."""
    seen: list[tuple[str, Any]] = []

    def after(conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        seen.append((statement.split()[0], conn.connection.dbapi_connection.info.transaction_status))

    event.listen(database.engine, "after_cursor_execute", after)
    yield seen
    event.remove(database.engine, "after_cursor_execute", after)


def test_plain_reads_run_alone_and_a_write_opens_a_transaction(
    database: Database, statuses: list[tuple[str, Any]]
) -> None:
    session = database.read_session()
    assert session.scalar(select(func.count()).select_from(Store)) == 0
    assert statuses == [("SELECT", TransactionStatus.IDLE)]  # no transaction open around it
    session.add(Store(code="TM01", name="天猫旗舰店"))
    session.flush()
    assert statuses[-1] == ("INSERT", TransactionStatus.INTRANS)
    session.add(Store(code="TM02", name="淘宝店"))
    session.flush()
    session.rollback()  # both, or neither
    session.close()
    check = database.session()
    assert check.scalar(select(func.count()).select_from(Store)) == 0
    check.close()


def test_a_locking_read_holds_its_lock_to_the_end(
    database: Database, statuses: list[tuple[str, Any]]
) -> None:
    session = database.session()
    session.add(Store(code="TM01", name="天猫旗舰店"))
    session.commit()
    session.close()
    reader = database.read_session()
    reader.scalars(select(Store).with_for_update()).all()
    assert statuses[-1] == ("SELECT", TransactionStatus.INTRANS)
    other = database.engine.connect()
    other.execute(text("SET lock_timeout = '100ms'"))
    with pytest.raises(Exception, match="lock timeout"):
        other.execute(text("UPDATE stores SET name = 'x'"))
    other.close()
    reader.commit()
    reader.close()


def test_a_reading_request_that_writes_commits_all_or_nothing(
    app: Flask, database: Database, db: Session
) -> None:
    StoreFactory(code="TM01", name="天猫旗舰店")
    db.commit()

    @app.get("/rename-then-fail")
    @public
    def rename_then_fail() -> str:
        session = db_session()
        for store in session.scalars(select(Store)):
            store.name = "改名"
        session.flush()
        session.add(Store(code="TM02", name="淘宝店"))
        session.flush()
        raise RuntimeError("after two writes")

    @app.get("/rename")
    @public
    def rename() -> str:
        session = db_session()
        for store in session.scalars(select(Store)):
            store.name = "改名"
        session.commit()
        return "ok"

    app.config["PROPAGATE_EXCEPTIONS"] = False
    client = app.test_client()
    assert client.get("/rename-then-fail").status_code == 500
    assert db.scalars(select(Store.name)).all() == ["天猫旗舰店"]  # nothing half-written
    assert client.get("/rename").status_code == 200
    assert db.scalars(select(Store.name)).all() == ["改名"]


def test_each_statement_is_judged_once_and_the_verdict_holds_when_asked_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(db_module, "_PLAIN_SELECTS", {})
    read = "SELECT stores.id, stores.name FROM stores WHERE stores.id = %(id)s::INTEGER"
    locking = "SELECT users.id FROM users WHERE users.id = %(id)s::INTEGER FOR UPDATE OF users"
    for judged in (False, True):
        if judged:  # the second time from the kept verdicts: the text is not scanned again

            class NoScan:
                def search(self, _statement: str) -> None:
                    raise AssertionError("a statement judged before was scanned again")

            monkeypatch.setattr(db_module, "_NOT_PLAIN", NoScan())
        assert is_plain_select(read)
        assert not is_plain_select(locking)
        assert not is_plain_select("  select nextval('attempts_id_seq')")
        assert not is_plain_select("SELECT set_config('lms.actor', '7', true)")
        assert not is_plain_select("UPDATE stores SET name = %(name)s")
        assert not is_plain_select("SAVEPOINT sa_savepoint_1")
    assert db_module._PLAIN_SELECTS[locking] is False


def test_the_kept_verdicts_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db_module, "_PLAIN_SELECTS", {})
    monkeypatch.setattr(db_module, "_PLAIN_SELECTS_MAX", 10)
    for n in range(25):  # e.g. IN lists rendered with each length
        assert is_plain_select("SELECT stores.id FROM stores WHERE stores.id IN (" + "1, " * n + "1)")  # noqa: S608 - judged, never run
    assert 0 < len(db_module._PLAIN_SELECTS) <= 10
