"""Who is signed in: flask-login bound to our users and their session versions."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from flask import Flask, Request, current_app, g, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, bindparam, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from lms.db import db_session, get_db, read_rows, request_only_reads, utcnow
from lms.domain.accounts.role_names import role_names_of
from lms.domain.accounts.user_rows import N_USER_COLUMNS, USER_COLUMNS, user_in_session
from lms.domain.assignments.assigning import open_count_of, remember_open_count
from lms.domain.curriculum.programme import PLAN_CHANGES_COLUMN, remember_plan_fingerprint
from lms.extensions import login_manager
from lms.models import ApiToken, User

if TYPE_CHECKING:
    from lms.domain.accounts.tokens import TokenSeen

log = logging.getLogger(__name__)

#: The signed-in user with their role names and their open assignments' count (the navigation's
#: badge on every page), in one query built once: every request asks, and a round trip saved here is
#: saved on every page (on PostgreSQL each costs the worker about half a millisecond).
#: Plain columns, made the session's User by `user_in_session` (lms/domain/accounts/user_rows.py).
_USER_WITH_ROLES = select(*USER_COLUMNS, role_names_of(User.id), open_count_of(User.id)).where(
    User.id == bindparam("user_id")
)
#: The same with the curriculum's change counter, for the reading pages that keep the plan.
_USER_WITH_ROLES_AND_PLAN = _USER_WITH_ROLES.add_columns(PLAN_CHANGES_COLUMN)
_READS_PLAN = "lms_reads_plan"
_READS_WITH_USER = "lms_reads_with_user"


@dataclass(frozen=True)
class WithUser:
    """What a reading page that keeps the plan reads with the signed-in person's row, one round trip
    fewer: `extend` adds its columns (and joins) after the person's statement's own, and `keep` takes
    their values for the page to find in its transaction."""

    extend: Callable[[Select[Any]], Select[Any]]
    keep: Callable[[Session, int, Sequence[Any]], None]


_LOCKS_CALLER = "lms_locks_caller"
V = TypeVar("V", bound=Callable[..., Any])


def load_user(identity: str) -> User | None:
    """The user behind a session identity "<id>:<version>"; a stale version signs out."""
    user_id, _, version = identity.partition(":")
    if not user_id.isdecimal() or not version.isdecimal() or len(user_id) > 10 or len(version) > 10:
        return None
    session = db_session()
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    with_plan = getattr(view, _READS_PLAN, False) and request_only_reads()
    extra: tuple[WithUser, Select[Any]] | None = getattr(view, _READS_WITH_USER, None) if with_plan else None
    if extra is not None:
        statement = extra[1]
    else:
        statement = _USER_WITH_ROLES_AND_PLAN if with_plan else _USER_WITH_ROLES
    found = read_rows(session, statement, {"user_id": int(user_id)}).one_or_none()
    if found is None:
        return None
    role_names, n_open, *rest = found[N_USER_COLUMNS:]
    user = user_in_session(session, found)
    if not user.active or user.session_version != int(version):
        return None
    user.keep_role_names(role_names)
    remember_open_count(session, user.id, n_open)
    if with_plan:
        remember_plan_fingerprint(session, rest[0])
    if extra is not None:
        extra[0].keep(session, user.id, rest[1:])
    return user


def reads_plan(view: V) -> V:
    """Mark a page that only reads and keeps the programme's plan (`lms/web/plan_cache.py`): the
    signed-in user's row then comes with the plan's change counter, one statement fewer."""
    setattr(view, _READS_PLAN, True)
    return view


def reads_with_user(extra: WithUser) -> Callable[[V], V]:
    """Mark a page (one marked `reads_plan` too) that reads `extra` with the signed-in person's row;
    the statement is built here, once. On a request that is not only a read the page reads them
    itself, as without the mark."""

    def mark(view: V) -> V:
        setattr(view, _READS_WITH_USER, (extra, extra.extend(_USER_WITH_ROLES_AND_PLAN)))
        return view

    return mark


def locks_caller(view: V) -> V:
    """Mark an API view whose first act is to take the caller's lock (`locks.lock_person`: starting,
    saving, submitting an attempt). The token lookup then takes it in the same statement that reads
    the caller, one round trip fewer on PostgreSQL; the view's own request for it costs nothing."""
    setattr(view, _LOCKS_CALLER, True)
    return view


def load_user_from_request(req: Request) -> User | None:
    """API requests may sign in with `Authorization: Bearer <token>` (never in the query string)."""
    if not req.path.startswith("/api/"):
        return None
    header = req.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    from lms.domain.accounts.tokens import user_for_token

    session = db_session()
    view = current_app.view_functions.get(req.endpoint) if req.endpoint else None
    found = user_for_token(session, secret.strip(), lock=getattr(view, _LOCKS_CALLER, False))
    if found is None:
        from lms.web.security_log import note

        note("bad_token", subject=secret.strip()[:10], anonymous=True)  # the prefix, as token pages show it
        return None
    user, token = found
    g.api_token = token
    now = utcnow()
    # Written at most once a minute per token: a client saving answers every few seconds does not
    # turn every save into two UPDATEs (the token page shows the time to the minute).
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_TOUCH:
        _stamp_last_use(token, now)
    return user


def _stamp_last_use(token: TokenSeen, now: dt.datetime) -> None:
    """Record when the token was last used.

    A request that writes stamps it in its own transaction (kept when the request's work is). A
    request that only reads never commits, so a stamp there would be rolled back: a client that only
    reads would write it on every call and never keep it. Its stamp is written after the request,
    in a short transaction of its own (`_write_read_stamp`): not during it, because on SQLite a
    commit made beside the request's snapshot would stop a reading view that then writes (serving
    a drill card, closing an overdue attempt) from taking the write lock."""
    if request_only_reads():
        g.token_stamp = (token.id, token.prefix, now)
    else:
        db_session().execute(_STAMP, {"token_id": token.id, "now": now})


def _write_read_stamp(_exc: BaseException | None) -> None:
    """teardown_request: write a reading request's token stamp; if it cannot be written now, the
    answer is unchanged and the next call tries again."""
    stamp = g.pop("token_stamp", None)
    if stamp is None or g.get("lms_degraded"):
        return  # nothing to write, or the database is what failed
    token_id, prefix, now = stamp
    request_session = g.pop("db_session", None)
    if request_session is not None:
        request_session.close()  # ends the request's read (SQLite: its snapshot)
    try:
        with get_db().session() as session:
            session.execute(_STAMP, {"token_id": token_id, "now": now})
            session.commit()
    except DBAPIError:
        log.warning("could not record the use of API token %s", prefix, exc_info=True)


_STAMP = update(ApiToken).where(ApiToken.id == bindparam("token_id")).values(last_used_at=bindparam("now"))


TOKEN_TOUCH = dt.timedelta(minutes=1)


def init_app(app: Flask) -> None:
    """Bind flask-login."""
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.request_loader(load_user_from_request)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    app.teardown_request(_write_read_stamp)


def me() -> User:
    """The signed-in user as a model instance (not flask-login's proxy)."""
    from flask_login import current_user

    user: User = current_user._get_current_object()
    return user
