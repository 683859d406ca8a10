"""/healthz: is the app up, can it reach its database, and (?write=1) does the database take writes?"""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from lms.access import public
from lms.db import db_session, get_db

bp = Blueprint("health", __name__)


def _accepts_writes() -> bool:
    """Write one row and roll it back: a read-only primary, a standby or a locked SQLite file say no."""
    session = get_db().session()
    try:
        # A no-op update of Alembic's one row is a real write (a new row version on PostgreSQL,
        # the write lock on SQLite) and is never kept.
        session.execute(text("UPDATE alembic_version SET version_num = version_num"))
        return True
    except SQLAlchemyError:
        return False
    finally:
        session.rollback()
        session.close()


@bp.get("/healthz")
@public
def healthz() -> tuple[Response, int]:
    """Report on the database as JSON; 503 when it cannot be reached (or, asked, cannot write)."""
    try:
        db_session().execute(text("SELECT 1"))
    except SQLAlchemyError:
        return jsonify(status="error", database="unreachable"), 503
    name = get_db().engine.dialect.name
    if request.args.get("write") == "1":
        if not _accepts_writes():
            return jsonify(status="error", database=name, writes="refused"), 503
        return jsonify(status="ok", database=name, writes="ok"), 200
    return jsonify(status="ok", database=name), 200
