"""Rule-book versions: made by sync when the rules change, compiled once, read cheaply."""

from __future__ import annotations

import dataclasses

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.domain.curriculum.rulebook import book_by_id, current_book, newest_version
from lms.domain.curriculum.sync import sync_content
from lms.models import RuleBookVersion


def test_sync_makes_a_version_only_when_the_rules_change(db: Session) -> None:
    assert current_book(db) is None
    tree, problems = check(PROJECT_ROOT)
    assert problems == [] and tree.rulebook is not None
    report = sync_content(db, tree)
    assert report.counts["rule book"]["created"] == 1
    assert sync_content(db, tree).counts["rule book"]["unchanged"] == 1
    first = current_book(db)
    assert first is not None and first.version == 1 and len(first.book) == len(tree.rulebook.rules)
    changed = dataclasses.replace(tree.rulebook, rules=tree.rulebook.rules[1:])
    tree.rulebook = changed
    assert sync_content(db, tree).counts["rule book"]["updated"] == 1
    db.commit()
    newest = current_book(db)
    assert newest is not None and newest.version == 2 and len(newest.book) == len(first.book) - 1
    old = book_by_id(db, first.id)
    assert old is not None and old.book is first.book  # the same compiled object, from the cache
    row = newest_version(db)
    assert row is not None and row.source_text.startswith("# The rule book")
    assert db.scalar(select(func.count()).select_from(RuleBookVersion)) == 2


def test_a_cached_book_is_found_without_reading_the_rules(db: Session, count_queries) -> None:
    tree, _problems = check(PROJECT_ROOT)
    sync_content(db, tree)
    db.commit()
    assert current_book(db) is not None
    with count_queries() as counter:
        loaded = current_book(db)
    assert loaded is not None and counter.count == 1
    assert book_by_id(db, None) is None and book_by_id(db, 10**6) is None
