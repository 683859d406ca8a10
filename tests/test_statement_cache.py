"""The compiled-statement cache: a statement's key seen twice is then found by identity, not by hash;
keys built afresh are found by hash as before; the answer is always the statement's own compiled form."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from lms import statement_cache
from lms.db import Database
from lms.models import User
from lms.statement_cache import StatementCache
from tests.factories import UserFactory

DIALECT = object()


class CountedKey(tuple[Any, ...]):
    """A statement key that counts how often it is hashed."""

    hashes = 0

    def __hash__(self) -> int:
        CountedKey.hashes += 1
        return tuple.__hash__(self)


def full_key(statement_key: object, columns: tuple[str, ...] = ()) -> tuple[Any, ...]:
    """The key SQLAlchemy builds around a statement's key on each execution (a new tuple each time)."""
    return (DIALECT, statement_key, columns, False, False)


def test_a_key_seen_twice_is_then_found_without_hashing_it() -> None:
    cache = StatementCache()
    key = CountedKey(("SELECT", ("users", "id"), ("where", "id", "=")))
    assert cache.get(full_key(key)) is None  # a miss: SQLAlchemy compiles and stores
    cache[full_key(key)] = "compiled users"
    assert cache.get(full_key(key)) == "compiled users"  # found by hash, and now known by identity
    CountedKey.hashes = 0
    for _ in range(10):
        assert cache.get(full_key(key)) == "compiled users"
    assert CountedKey.hashes == 0
    assert len(cache) == 1


def test_equal_keys_built_afresh_are_found_by_hash_and_not_kept_by_identity() -> None:
    cache = StatementCache()
    cache[full_key(CountedKey(("SELECT", "stores")))] = "compiled stores"
    CountedKey.hashes = 0
    for _ in range(3 * statement_cache.IDENTITY_MAX):
        assert cache.get(full_key(CountedKey(("SELECT", "stores")))) == "compiled stores"
    assert CountedKey.hashes == 3 * statement_cache.IDENTITY_MAX
    assert len(cache._known) <= 1  # only the key stored first can be seen again
    assert len(cache._seen_once) <= statement_cache.SEEN_ONCE_MAX


def test_the_same_statement_key_with_other_columns_gets_its_own_compiled_form() -> None:
    cache = StatementCache()
    key = CountedKey(("INSERT", "users"))
    cache[full_key(key, ("username",))] = "insert username"
    cache[full_key(key, ("username", "display_name"))] = "insert both"
    for _ in range(4):
        assert cache.get(full_key(key, ("username",))) == "insert username"
        assert cache.get(full_key(key, ("username", "display_name"))) == "insert both"
        assert cache.get(full_key(key, ("email",))) is None


def test_a_reused_id_is_not_mistaken_for_the_key_it_belonged_to() -> None:
    cache = StatementCache()
    key = CountedKey(("SELECT", "old"))
    cache[full_key(key)] = "old"
    cache.get(full_key(key))
    ident = id(key)
    # Another object under the same id (as after the first died) must not be answered from identity.
    impostor = CountedKey(("SELECT", "new"))
    cache._known[id(impostor)] = cache._known.pop(ident)
    assert cache.get(full_key(impostor)) is None


def test_the_tables_are_bounded_and_cleared() -> None:
    cache = StatementCache(size=10)
    keys = [CountedKey(("SELECT", n)) for n in range(statement_cache.IDENTITY_MAX + 50)]
    for n, key in enumerate(keys):
        cache[full_key(key)] = n
        cache.get(full_key(key))
    assert len(cache) <= 15  # SQLAlchemy's LRU trims to its size once past one and a half times it
    assert len(cache._known) <= statement_cache.IDENTITY_MAX
    assert cache.get(full_key(keys[-1])) == len(keys) - 1  # known by identity though evicted
    cache.clear()
    assert len(cache) == 0 and not cache._known and not cache._seen_once
    assert cache.get(full_key(keys[-1])) is None


#: Built once, as the app's hot statements are.
_USER_BY_NAME = select(User.id, User.username).where(User.username == bindparam("name"))


def test_the_app_engine_finds_a_statement_built_once_by_identity(app: Flask, db: Session) -> None:
    alice = UserFactory(username="alice")
    UserFactory(username="bob")
    db.commit()
    database: Database = app.extensions["lms.db"]
    cache = database.engine.get_execution_options()["compiled_cache"]

    assert isinstance(cache, StatementCache)
    with database.engine.connect() as conn:
        for name, expected in [("alice", alice.id), ("bob", None), ("alice", alice.id)] * 2:
            row = conn.execute(_USER_BY_NAME, {"name": name}).one()
            assert row.username == name
            if expected is not None:
                assert row.id == expected
    statement_key = _USER_BY_NAME._generate_cache_key()
    assert statement_key is not None
    assert id(statement_key.key) in cache._known
