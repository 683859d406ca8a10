"""The security log: refused and suspicious requests, counted, never flooded.

A refusal is one *kind* (see `SECURITY_KINDS`) by one person or address on one route (and, for a
throttled account, that account). Within a window (`WINDOW`) every repeat adds one to the same
row's count: a brute force of ten thousand sign-ins from one address is one row saying 10,000,
enumerating other people's attempt ids is one row per route, not one per id, and random API
tokens are one row per address (the last prefix seen is kept). The row is found by a unique key and written with an upsert
(INSERT … ON CONFLICT DO UPDATE on both databases), so parallel requests never make two rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from sqlalchemy import Select, delete, func, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from lms.models import SecurityEvent, User
from lms.models.security import SECURITY_KINDS

#: Repeats within this window are counted on one row; the next window starts a new row, so the
#: log still shows when an attack went on (hour by hour) without storing every request.
WINDOW = dt.timedelta(hours=1)
#: Rows older than this are pruned by `lms jobs run`.
KEEP = dt.timedelta(days=180)


@dataclass(frozen=True)
class Refusal:
    """One refused request, as the web layer saw it."""

    kind: str
    user_id: int | None
    subject: str
    ip: str
    method: str
    route: str
    path: str


def window_start(now: dt.datetime) -> dt.datetime:
    """The start of the counting window holding `now`."""
    seconds = int(WINDOW.total_seconds())
    epoch = int(now.timestamp())
    return dt.datetime.fromtimestamp(epoch - epoch % seconds, dt.UTC)


def _key(refusal: Refusal, start: dt.datetime) -> str:
    # The subject tells rows apart only for a throttled account (one per account attacked); a
    # refused token's prefix is kept as "the last one seen", or random tokens would each make a row.
    parts = [
        refusal.kind,
        str(refusal.user_id or ""),
        refusal.subject if refusal.kind == "throttled" else "",
        refusal.ip,
        refusal.method,
        refusal.route,
        start.isoformat(),
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def record(session: Session, refusal: Refusal, now: dt.datetime) -> None:
    """Count one refusal: a new row for a new kind/person/address/route/window, else count + 1."""
    if refusal.kind not in SECURITY_KINDS:
        raise ValueError(f"unknown security event kind {refusal.kind!r}")
    start = window_start(now)
    values = {
        "key": _key(refusal, start),
        "kind": refusal.kind,
        "user_id": refusal.user_id,
        "subject": refusal.subject[:80],
        "ip": refusal.ip[:64],
        "method": refusal.method[:10],
        "route": refusal.route[:200],
        "path": refusal.path[:200],
        "window_start": start,
        "first_at": now,
        "last_at": now,
        "count": 1,
    }
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(SecurityEvent).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=[SecurityEvent.key],
        set_={
            "count": SecurityEvent.count + 1,
            "last_at": now,
            "path": values["path"],
            "subject": values["subject"],
        },
    )
    session.execute(stmt)


@dataclass
class SecurityFilter:
    """What the admin narrows the log to; empty fields do not filter."""

    kind: str = ""
    who: str = ""  # a username (signed in or tried) or an address, or the start of one
    since: dt.date | None = None
    until: dt.date | None = None


def filtered(flt: SecurityFilter) -> Select[tuple[SecurityEvent]]:
    """The log's rows matching the filter, most recent first."""
    stmt = select(SecurityEvent)
    if flt.kind in SECURITY_KINDS:
        stmt = stmt.where(SecurityEvent.kind == flt.kind)
    who = flt.who.strip().lower()[:80]
    if who:
        like = who.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(
            or_(
                SecurityEvent.user_id.in_(select(User.id).where(User.username.like(like, escape="\\"))),
                func.lower(SecurityEvent.subject).like(like, escape="\\"),
                SecurityEvent.ip.like(like, escape="\\"),
            )
        )
    if flt.since:
        stmt = stmt.where(SecurityEvent.last_at >= dt.datetime.combine(flt.since, dt.time(), dt.UTC))
    if flt.until:
        end = dt.datetime.combine(flt.until + dt.timedelta(days=1), dt.time(), dt.UTC)
        stmt = stmt.where(SecurityEvent.first_at < end)
    return stmt.order_by(SecurityEvent.last_at.desc(), SecurityEvent.id.desc())


def prune(session: Session, now: dt.datetime) -> int:
    """Forget rows whose last refusal is older than `KEEP`; returns how many went."""
    result = session.execute(delete(SecurityEvent).where(SecurityEvent.last_at < now - KEEP))
    return int(getattr(result, "rowcount", 0) or 0)
