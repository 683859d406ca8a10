"""Sending the outbox to the learning record store: batches, backoff, each statement stored once.

A batch that the store accepts (200 or 204) is marked sent. A batch it refuses as a whole (a 4xx)
is tried again one statement at a time, so one statement it cannot take does not hold back the
rest; a network error or a 5xx puts the batch back with a growing wait (1, 2, 4 … minutes, at most
six hours). A store that answers 409 for a statement already has it: that counts as sent.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from lms.models import XapiStatement

BATCH = 50
MAX_WAIT = dt.timedelta(hours=6)
TIMEOUT_SECONDS = 15
#: post(statements) → HTTP status; raises OSError when the store cannot be reached.
Post = Callable[[list[dict]], int]


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    batches: int = 0

    def line(self) -> str:
        return f"xAPI: {self.sent} statement(s) sent, {self.failed} to retry."


def http_post(endpoint: str, username: str, password: str) -> Post:
    """POST statements to `<endpoint>/statements` with Basic auth and the xAPI version header."""
    url = endpoint.rstrip("/") + "/statements"
    token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")

    def post(batch: list[dict]) -> int:
        request = urllib.request.Request(  # noqa: S310 - the admin's configured https/http endpoint
            url,
            data=json.dumps(batch, ensure_ascii=False).encode("utf-8"),
            method="POST",
            headers={
                "Authorization": f"Basic {token}",
                "Content-Type": "application/json",
                "X-Experience-API-Version": "1.0.3",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
                return int(response.status)
        except urllib.error.HTTPError as err:
            return int(err.code)

    return post


def backoff(tries: int) -> dt.timedelta:
    """How long to wait after the n-th failure."""
    return min(dt.timedelta(minutes=2 ** max(tries - 1, 0)), MAX_WAIT)


def pending(session: Session, now: dt.datetime, limit: int = BATCH) -> list[XapiStatement]:
    """The oldest statements due to be sent (locked on PostgreSQL, skipped if another run has them)."""
    query = (
        select(XapiStatement)
        .where(
            XapiStatement.sent_at.is_(None),
            or_(XapiStatement.next_try_at.is_(None), XapiStatement.next_try_at <= now),
        )
        .order_by(XapiStatement.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list(session.scalars(query))


def _mark(rows: list[XapiStatement], status: int | None, error: str, now: dt.datetime) -> bool:
    if status is not None and (200 <= status < 300 or status == 409):
        for row in rows:
            row.sent_at, row.last_error, row.next_try_at = now, None, None
        return True
    for row in rows:
        row.tries += 1
        row.last_error = error[:500]
        row.next_try_at = now + backoff(row.tries)
    return False


def _send(post: Post, rows: list[XapiStatement]) -> tuple[int | None, str]:
    try:
        status = post([row.statement for row in rows])
    except (OSError, ValueError) as err:
        reason = err.reason if isinstance(err, urllib.error.URLError) else err
        return None, f"{type(reason).__name__}: {reason}"
    return status, f"HTTP {status}"


def send_pending(session: Session, post: Post, now: dt.datetime, max_batches: int = 20) -> SendReport:
    """Send what is due, a batch per transaction (committed here: each batch stands on its own)."""
    report = SendReport()
    for _ in range(max_batches):
        rows = pending(session, now)
        if not rows:
            break
        report.batches += 1
        status, error = _send(post, rows)
        if status is not None and 400 <= status < 500 and status != 409 and len(rows) > 1:
            for row in rows:  # find the statement the store refuses; send the others
                one_status, one_error = _send(post, [row])
                if _mark([row], one_status, one_error, now):
                    report.sent += 1
                else:
                    report.failed += 1
        elif _mark(rows, status, error, now):
            report.sent += len(rows)
        else:
            report.failed += len(rows)
        session.commit()
        if status is None or status >= 500:
            break  # the store is down: try again at the next run
    return report
