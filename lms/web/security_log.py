"""Noting refused requests for the security log: gathered while the request runs, written after it.

Writing happens when the request is over, in a transaction of its own: the refusal is kept even
though the request's own work is rolled back, and on SQLite the request's session (which holds the
write lock on a POST) has ended first. A failure to write is logged and never changes the answer;
while the database is down (an incident page), notes go to the log only.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from flask import Flask, g, request
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from lms.db import db_session, get_db, utcnow
from lms.domain.accounts import security_log
from lms.models.security import SECURITY_KINDS

log = logging.getLogger("lms.security")

SUBJECT_CHARS = re.compile(r"[^A-Za-z0-9@._+-]")


def note(kind: str, subject: str = "", *, anonymous: bool = False) -> None:
    """Note a refusal of this request (written to the security log when the request ends).

    `anonymous`: the caller is the user loader itself (a refused token), so nobody is signed in yet.
    """
    if kind not in SECURITY_KINDS:
        raise ValueError(f"unknown security event kind {kind!r}")
    user_id = None
    if not anonymous and not g.get("lms_degraded"):
        try:
            if current_user.is_authenticated:
                user_id = current_user.id
        except SQLAlchemyError:  # the user could not be loaded: note the address only
            user_id = None
    rule = request.url_rule.rule if request.url_rule is not None else request.path
    notes: list[security_log.Refusal] = g.setdefault("security_notes", [])
    notes.append(
        security_log.Refusal(
            kind=kind,
            user_id=user_id,
            subject=SUBJECT_CHARS.sub("", subject)[:80],
            ip=request.remote_addr or "",
            method=request.method,
            route=rule,
            path=request.path,
        )
    )


def note_if_someone_elses(model: Any, object_id: object) -> None:
    """A 404 for a record that exists but is someone else's is a probe: note it (one cheap query)."""
    if db_session().scalar(select(model.id).where(model.id == object_id)) is not None:
        note("not_owner")


def _write_notes(_exc: BaseException | None) -> None:
    notes: list[security_log.Refusal] = g.pop("security_notes", [])
    if not notes:
        return
    for refusal in notes:
        log.warning(
            "security: %s by user=%s subject=%r from %s on %s %s",
            refusal.kind,
            refusal.user_id,
            refusal.subject,
            refusal.ip,
            refusal.method,
            refusal.path,
        )
    if g.get("lms_degraded"):
        return  # the database is what failed: the log line above is all we can keep
    request_session = g.pop("db_session", None)
    if request_session is not None:
        request_session.close()  # ends the request's transaction (and SQLite's write lock)
    session = get_db().session()
    try:
        now = utcnow()
        for refusal in notes:
            security_log.record(session, refusal, now)
        session.commit()
    except Exception:  # never let the log break the answer
        session.rollback()
        log.warning("security: %s refusal(s) not written to the security log", len(notes), exc_info=True)
    finally:
        session.close()


def init_app(app: Flask) -> None:
    """Write the notes after each request."""
    app.teardown_request(_write_notes)
