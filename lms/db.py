"""The database: declarative base, shared column types, engine and a session per request."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any, TypeVar

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import (
    CursorResult,
    DateTime,
    Engine,
    Executable,
    MetaData,
    String,
    create_engine,
    event,
    literal,
    literal_column,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.orm import DeclarativeBase, Session, mapped_column, sessionmaker
from sqlalchemy.sql import operators
from sqlalchemy.types import TypeDecorator

from lms.statement_cache import StatementCache

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timestamp stored in UTC and always returned timezone-aware (SQLite forgets zones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class PartialIndexKey(String):
    """A short code (a status) that a partial index's WHERE names: compared with a plain value (`==`,
    `!=`), the value is written into the SQL instead of bound.

    SQLite re-prepares a statement each time a parameter compared with such a column is bound (the
    value decides whether the partial index may be used), and Python's sqlite3 binds on every
    execution: `attempts.status = ?` made the Today page's go-live statement cost 0.49 ms instead of
    0.13 ms. A written-in constant keeps the prepared statement. The values are the column's own few
    codes, so the statement cache still sees one SQL text per code.

    A code (lower-case letters and `_`) is written in when the statement is compiled, so the compiled
    statement is kept with it; any other value is written in when it runs (quoted by the dialect),
    which SQLAlchemy does by rewriting the statement's SQL on every execution (about 25 µs for the
    Today page's larger statements).
    """

    cache_ok = True

    class comparator_factory(String.Comparator[str]):
        def operate(self, op: Any, *other: Any, **kwargs: Any) -> Any:
            if op in (operators.eq, operators.ne) and len(other) == 1 and isinstance(other[0], str):
                value = other[0]
                if _CODE.fullmatch(value):
                    other = (literal_column(f"'{value}'", String()),)
                else:
                    other = (literal(value, String(), literal_execute=True),)
            return super().operate(op, *other, **kwargs)


#: A status code that may be written into SQL as it is.
_CODE = re.compile(r"[a-z_]{1,40}")


def utcnow() -> dt.datetime:
    """The current time, timezone-aware UTC."""
    return dt.datetime.now(dt.UTC)


intpk = Annotated[int, mapped_column(primary_key=True)]
str40 = Annotated[str, mapped_column(String(40))]
str80 = Annotated[str, mapped_column(String(80))]
str200 = Annotated[str, mapped_column(String(200))]
timestamp = Annotated[dt.datetime, mapped_column(UTCDateTime(), default=utcnow)]


class Base(DeclarativeBase):
    """Base of every model."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dt.datetime: UTCDateTime()}


#: How long a request waits for the database — SQLite's write lock, a PostgreSQL connection or row
#: lock — before it gives up and the visitor gets a 503 "try again" (LMS_DATABASE_TIMEOUT). Well below
#: gunicorn's worker timeout (gunicorn.conf.py), so a stuck database never gets a worker killed.
DEFAULT_TIMEOUT = 5.0
#: The longest one statement may run on PostgreSQL in the app (reports included); also inside the
#: worker timeout. Migrations run without it: rewriting a big table may take longer.
STATEMENT_TIMEOUT = 30.0


#: An execution option (SQLite): this transaction's commit does not wait for the disk. In WAL mode
#: (`synchronous=NORMAL`) such a commit is as safe from corruption and from a crash of the app as any,
#: but a power cut or a crash of the machine may undo it until a later commit that waits (any other
#: write: it flushes the whole log, this commit's part with it) or the next checkpoint. Only answer
#: autosaves may commit so (`commits_relaxed`), and only where the deployment opts in
#: (LMS_RELAXED_AUTOSAVES): the one write made every few seconds, whose wait for the disk was over a
#: fifth of its CPU here (the fsync, and the process running on cold caches after it). By default
#: every commit waits. An autosave that finds its attempt out of time closes it in the same commit;
#: if a power cut undoes that, the attempt is closed again, with the same answers, when next opened.
RELAXED_COMMIT = "lms_relaxed_commit"
_SYNCHRONOUS = "lms_synchronous"
#: A view attribute: its request's writes may commit relaxed (`commits_relaxed`).
_RELAXED_VIEW = "_lms_commits_relaxed"

V = TypeVar("V", bound=Callable[..., Any])


def commits_relaxed(view: V) -> V:
    """Mark a view whose writes are answer autosaves: on SQLite, where the deployment opts in
    (LMS_RELAXED_AUTOSAVES), its commit does not wait for the disk (RELAXED_COMMIT)."""
    setattr(view, _RELAXED_VIEW, True)
    return view


def make_engine(
    url: str, *, timeout: float = DEFAULT_TIMEOUT, statement_timeout: float | None = STATEMENT_TIMEOUT
) -> Engine:
    """An engine tuned per backend: SQLite gets WAL, foreign keys and one writer at a time.

    Waiting is bounded everywhere (`timeout`), so an unavailable database fails fast instead of
    holding the request until the worker is killed.
    """
    parsed = make_url(url)
    wait_ms = max(1, int(timeout * 1000))
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(
            url,
            connect_args={"timeout": timeout, "check_same_thread": False},
            execution_options={"compiled_cache": StatementCache()},
        )

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
            # We issue BEGIN ourselves (below), so pysqlite must not.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={wait_ms}")
            if parsed.database and parsed.database != ":memory:":
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")  # every commit waits for the disk (see RELAXED_COMMIT)
            cur.close()
            _record.info[_SYNCHRONOUS] = "FULL"

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            # Sessions that write take the write lock up front (IMMEDIATE): a deferred
            # transaction that later writes fails with "database is locked" instead of waiting
            # when another writer got there first. Reading sessions keep a deferred snapshot.
            options = conn.get_execution_options()
            mode = options.get("lms_begin", "IMMEDIATE")
            if mode == "NONE":
                return
            # How the commit waits for the disk is set between transactions (SQLite refuses it
            # inside one), on this connection only, and only when it changes.
            synchronous = "NORMAL" if options.get(RELAXED_COMMIT) else "FULL"
            if conn.connection.info.get(_SYNCHRONOUS) != synchronous:
                conn.connection.dbapi_connection.execute(f"PRAGMA synchronous={synchronous}")
                conn.connection.info[_SYNCHRONOUS] = synchronous
            # Sent on the driver's connection, not through SQLAlchemy's statement execution (events,
            # an execution context, a result): every request begins once, and that machinery was
            # about 0.04 ms of the 0.7 ms a signed-in request costs before its page does anything.
            # A failure (the write lock not free within busy_timeout) is raised as SQLAlchemy
            # raises any database error, so it is answered as one (503, try again).
            try:
                conn.connection.dbapi_connection.execute(f"BEGIN {mode}")
            except sqlite3.Error as err:
                raise DBAPIError.instance(f"BEGIN {mode}", (), err, sqlite3.Error) from err

        return engine
    connect_args: dict[str, Any] = {}
    if parsed.get_backend_name() == "postgresql":
        options = f"-c lock_timeout={wait_ms}"
        if statement_timeout:
            options += f" -c statement_timeout={int(statement_timeout * 1000)}"
        connect_args = {"connect_timeout": max(1, round(timeout)), "options": options}
    engine = create_engine(
        url,
        pool_size=10,
        max_overflow=10,
        pool_timeout=timeout,
        connect_args=connect_args,
        execution_options={"compiled_cache": StatementCache()},
    )
    _ping_after_idle(engine)
    if parsed.get_backend_name() == "postgresql":
        _reads_alone_until_a_write(engine)
    return engine


#: An execution option: this connection's plain SELECTs run without a transaction (PostgreSQL).
READS_ALONE = "lms_reads_alone"
#: A SELECT that locks or has side effects is not a plain read.
_NOT_PLAIN = re.compile(
    r"\bFOR\s+(?:NO\s+KEY\s+|KEY\s+)?(?:UPDATE|SHARE)\b|pg_advisory|nextval|setval|set_config", re.IGNORECASE
)


def _reads_alone_until_a_write(engine: Engine) -> None:
    """On connections marked READS_ALONE (a reading request's, which start in autocommit), the first
    statement that is not a plain SELECT (a write, a lock, a savepoint, DDL) opens a transaction
    first, which then lasts to the commit or rollback as on any other connection.

    A page that only reads so sends its statements and nothing else: no BEGIN before them, no
    ROLLBACK after (two round trips of a lesson page's six, and each round trip costs the worker
    about 0.3 ms of CPU here, most of it running slower after the switch to the database and back).
    What the reads see is unchanged: under READ COMMITTED each statement of a transaction takes its
    own snapshot, as each statement alone does. What a request writes is still all or nothing, and
    rows it locks stay locked to its end, because they are written and locked in a transaction.
    """

    @event.listens_for(engine, "before_cursor_execute")
    def _begin_before_writing(
        conn: Any, _cursor: Any, statement: str, _params: Any, _context: Any, _many: bool
    ) -> None:
        if not conn.get_execution_options().get(READS_ALONE):
            return
        dbapi_conn = conn.connection.dbapi_connection
        if not dbapi_conn.autocommit:
            return  # a transaction is open (or this connection never read alone)
        if is_plain_select(statement):
            return
        dbapi_conn.autocommit = False  # psycopg sends BEGIN before this statement


#: Statements already judged by `is_plain_select`, with the verdict (bounded: cleared when full).
_PLAIN_SELECTS: dict[str, bool] = {}
_PLAIN_SELECTS_MAX = 1024  # about as many texts as SQLAlchemy keeps compiled (500), a few MB at most


def is_plain_select(statement: str) -> bool:
    """Whether a statement is a SELECT that neither locks nor has side effects.

    The verdict is kept per statement text: the regular expression scans the whole text (0.9 ms for
    a 4 KB SELECT, measured on the build machine; judging every statement again was a fifth of a quiz
    page's instructions on PostgreSQL), while the texts are the few hundred SQLAlchemy compiles once
    and hands out again, whose hash Python keeps.
    """
    found = _PLAIN_SELECTS.get(statement)
    if found is None:
        found = statement.lstrip()[:6].upper() == "SELECT" and not _NOT_PLAIN.search(statement)
        if len(_PLAIN_SELECTS) >= _PLAIN_SELECTS_MAX:
            _PLAIN_SELECTS.clear()
        _PLAIN_SELECTS[statement] = found
    return found


#: A pooled connection unused this long is pinged before it is handed out (seconds).
PING_AFTER_IDLE = 1.0
_IDLE_SINCE = "lms_idle_since"


def _ping_after_idle(engine: Engine) -> None:
    """Hand out no dead connection, without a round trip on every request.

    A database restarted while connections sat in the pool leaves them dead; pinging on every
    checkout (`pool_pre_ping`) finds them, but costs a round trip on every request. A connection
    checked in less than PING_AFTER_IDLE ago was working a moment ago, so only one idle longer is
    pinged; a dead one is replaced by a fresh connection before the request sees it.
    """

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_conn: Any, record: Any) -> None:
        if record is not None:
            record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get(_IDLE_SINCE)
        if since is None or time.monotonic() - since < PING_AFTER_IDLE:
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
        except engine.dialect.loaded_dbapi.Error as err:
            raise DisconnectionError("the pooled connection is gone; taking a fresh one") from err


class Database:
    """The engine and session factory bound to one app."""

    def __init__(
        self, url: str, timeout: float = DEFAULT_TIMEOUT, *, relaxed_autosaves: bool = False
    ) -> None:
        self.url = url
        self.engine = make_engine(url, timeout=timeout)
        self.sessionmaker = sessionmaker(bind=self.engine, expire_on_commit=False)
        #: What a relaxed session binds to: on SQLite, when the deployment opts in.
        self._relaxed = (
            self.engine.execution_options(**{RELAXED_COMMIT: True})
            if self.engine.dialect.name == "sqlite" and relaxed_autosaves
            else None
        )
        reading = self.engine.execution_options(lms_begin="DEFERRED")
        if self.engine.dialect.name == "postgresql":
            reading = reading.execution_options(isolation_level="AUTOCOMMIT", **{READS_ALONE: True})
        self.read_sessionmaker = sessionmaker(bind=reading, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        """Whether this is SQLite (one writer; no row locks)."""
        return self.engine.dialect.name == "sqlite"

    def session(self, *, relaxed: bool = False) -> Session:
        """A new session for work that writes; the caller closes it. `relaxed`: its commits need not
        wait for the disk (RELAXED_COMMIT; answer autosaves, where the deployment opts in)."""
        if relaxed and self._relaxed is not None:
            return self.sessionmaker(bind=self._relaxed)
        return self.sessionmaker()

    def read_session(self) -> Session:
        """A new session for work that mostly reads (on SQLite it takes no write lock up front)."""
        return self.read_sessionmaker()


def init_app(
    app: Flask, url: str, timeout: float = DEFAULT_TIMEOUT, *, relaxed_autosaves: bool = False
) -> Database:
    """Bind a database to the app and close the request's session after each request."""
    database = Database(url, timeout, relaxed_autosaves=relaxed_autosaves)
    app.extensions["lms.db"] = database

    @app.teardown_appcontext
    def _close_session(_exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()

    return database


def get_db() -> Database:
    """The current app's database."""
    db: Database = current_app.extensions["lms.db"]
    return db


def request_only_reads() -> bool:
    """Whether this is a request whose session only reads (GET, HEAD, OPTIONS): its transaction is
    never committed, so nothing it writes is kept."""
    return has_request_context() and request.method in ("GET", "HEAD", "OPTIONS")


def db_session() -> Session:
    """The session of the current request or CLI command (one per app context); a view marked
    `commits_relaxed` gets one whose commits need not wait for the disk."""
    if "db_session" not in g:
        if request_only_reads():
            g.db_session = get_db().read_session()
        else:
            g.db_session = get_db().session(relaxed=_view_commits_relaxed())
    session: Session = g.db_session
    return session


def _view_commits_relaxed() -> bool:
    if not has_request_context() or request.endpoint is None:
        return False
    return getattr(current_app.view_functions.get(request.endpoint), _RELAXED_VIEW, False)


def read_rows(
    session: Session, statement: Executable, params: Mapping[str, Any] | None = None
) -> CursorResult[Any]:
    """Run a select of columns (no mapped objects) on the session's connection, in its transaction.

    The rows are those `session.execute` returns, without the ORM's result machinery around them: on
    a small read that machinery costs about as much as SQLite takes to run the statement (measured:
    80 µs on the connection against 156 µs through the session for the same read of eleven columns).
    Pending changes are flushed first when the session autoflushes, as `session.execute` does."""
    return _on_connection(session, statement, params)


def write_rows(
    session: Session,
    statement: Executable,
    params: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None,
) -> CursorResult[Any]:
    """Run a Core INSERT, UPDATE or DELETE of a table (a list of parameter sets: one executemany) on the
    session's connection, in its transaction, as `read_rows` runs a select: without the ORM's
    execution machinery around it, pending changes flushed first. Objects the session has loaded
    are not told; the caller sets them to what it wrote (`set_committed_value`)."""
    return _on_connection(session, statement, params)


def _on_connection(
    session: Session,
    statement: Executable,
    params: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None,
) -> CursorResult[Any]:
    if session.autoflush:
        session.flush()
    return session.connection().execute(statement, params)
