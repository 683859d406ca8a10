"""The rule book in the database: versions made by sync, and the compiled book each caller needs.

A version is immutable: `lms content sync` adds a new one only when the file's rules hash
differently from the newest. Grading and QC read the book through `current_book` (the newest) or
`book_by_id` (the one an attempt or spot check was graded with); both compile at most once per
version per process (lms/content/rulebook/book.py caches by content hash), and when the compiled
book is cached they read only the id and hash, never the rules, from the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from lms.content.rulebook import RuleBook, RuleBookSpec, cached_book, compiled_from_json
from lms.models import RuleBookVersion


@dataclass(frozen=True)
class LoadedBook:
    """A compiled rule book and the database version it came from."""

    id: int
    version: int
    book: RuleBook


def sync_rulebook(session: Session, spec: RuleBookSpec) -> str:
    """Make a new version when the rules changed; returns "created", "updated" or "unchanged"."""
    newest = session.execute(
        select(RuleBookVersion.version, RuleBookVersion.content_hash)
        .order_by(RuleBookVersion.version.desc())
        .limit(1)
    ).one_or_none()
    if newest is not None and newest.content_hash == spec.hash:
        return "unchanged"
    session.add(
        RuleBookVersion(
            version=(newest.version + 1) if newest is not None else 1,
            title=spec.title,
            as_of=spec.as_of,
            rules=spec.as_json(),
            rule_count=len(spec.rules),
            source_text=spec.source_text,
            content_hash=spec.hash,
        )
    )
    session.flush()
    return "created" if newest is None else "updated"


def _load(session: Session, row_id: int, version: int, content_hash: str) -> LoadedBook:
    book = cached_book(content_hash)
    if book is None:
        rules = session.scalar(select(RuleBookVersion.rules).where(RuleBookVersion.id == row_id))
        book = compiled_from_json(rules or {}, content_hash)
    return LoadedBook(row_id, version, book)


#: Which version a book is and its hash (built once: every submitted attempt asks).
_VERSION_ROW = select(RuleBookVersion.id, RuleBookVersion.version, RuleBookVersion.content_hash)
_NEWEST = _VERSION_ROW.order_by(RuleBookVersion.version.desc()).limit(1)
_BY_ID = _VERSION_ROW.where(RuleBookVersion.id == bindparam("row_id"))


def current_book(session: Session) -> LoadedBook | None:
    """The newest rule book, compiled (None before the first sync)."""
    row = session.execute(_NEWEST).one_or_none()
    return _load(session, row.id, row.version, row.content_hash) if row is not None else None


def book_by_id(session: Session, row_id: int | None) -> LoadedBook | None:
    """A given version, compiled (None when it does not exist)."""
    if row_id is None:
        return None
    row = session.execute(_BY_ID, {"row_id": row_id}).one_or_none()
    return _load(session, row.id, row.version, row.content_hash) if row is not None else None


def newest_version(session: Session) -> RuleBookVersion | None:
    """The newest version row itself (the rule-book page, the export)."""
    return session.scalars(
        select(RuleBookVersion).order_by(RuleBookVersion.version.desc()).limit(1)
    ).one_or_none()


def version_count(session: Session) -> int:
    """How many versions the rule book has had."""
    return int(session.scalar(select(func.count()).select_from(RuleBookVersion)) or 0)
