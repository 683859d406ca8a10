"""Personal access tokens for the JSON API: shown once, stored as a hash, revocable."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from lms.db import read_rows, utcnow
from lms.domain import audit
from lms.domain.accounts.locks import note_locked, takes_row_locks
from lms.domain.accounts.role_names import role_names_of
from lms.domain.accounts.user_rows import N_USER_COLUMNS, USER_COLUMNS, user_in_session
from lms.domain.errors import N_, DomainError, NotFound
from lms.models import ApiToken, Role, User

PREFIX = "lms_"
SCOPES = ("learner", "staff")
MAX_ACTIVE_TOKENS = 20


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(
    session: Session, user: User, name: str, scope: str = "learner", *, actor: User | None = None
) -> tuple[ApiToken, str]:
    """A new token for the user; returns the row and the secret (shown this once only)."""
    name = name.strip()
    if not name or len(name) > 80:
        raise DomainError(N_("Give the token a name of 1–80 characters."), "name")
    if scope not in SCOPES:
        raise DomainError(N_("Unknown scope (learner or staff)."), "scope")
    if scope == "staff" and not user.is_staff:
        raise DomainError(N_("Only trainers, QC staff and admins can hold staff tokens."), "scope")
    active = session.scalars(
        select(ApiToken.id).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    ).all()
    if len(active) >= MAX_ACTIVE_TOKENS:
        raise DomainError(N_("Revoke an old token first (at most %(n)s)."), "name", n=MAX_ACTIVE_TOKENS)
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=_digest(secret), prefix=secret[:10], scope=scope)
    session.add(token)
    session.flush()
    audit.record(
        session,
        "token.create",
        actor=actor or user,
        target=token,
        target_type="api_token",
        after={"name": name, "scope": scope, "user_id": user.id},
    )
    return token, secret


def revoke_token(session: Session, user: User, token_id: int, *, actor: User | None = None) -> None:
    """Revoke one of the user's tokens."""
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound(N_("No such token."))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record(session, "token.revoke", actor=actor or user, target=token, target_type="api_token")


@dataclass(frozen=True)
class TokenSeen:
    """What a request knows of the token it was signed in with (read as plain values)."""

    id: int
    prefix: str
    scope: str
    last_used_at: dt.datetime | None


#: A token with its user's row (`USER_COLUMNS`, made the session's User by `user_in_session`) and
#: role names: one query, built once (every API call asks).
_TOKEN_WITH_USER = (
    select(
        *USER_COLUMNS,
        role_names_of(User.id),
        ApiToken.id,
        ApiToken.prefix,
        ApiToken.scope,
        ApiToken.last_used_at,
        ApiToken.revoked_at,
    )
    .select_from(ApiToken)
    .join(User, User.id == ApiToken.user_id)
    .where(ApiToken.token_hash == bindparam("digest"))
)
#: The same, locking the user's row (PostgreSQL): for a request whose first act would be to lock it.
_TOKEN_WITH_LOCKED_USER = _TOKEN_WITH_USER.with_for_update(of=User)


def user_for_token(session: Session, secret: str, *, lock: bool = False) -> tuple[User, TokenSeen] | None:
    """The active user and token behind a secret, or None.

    `lock=True`: also take the user's lock (`locks.lock_person`) in the same statement, on a
    database with row locks; the user is then read as of the lock."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    locking = lock and takes_row_locks(session)
    statement = _TOKEN_WITH_LOCKED_USER if locking else _TOKEN_WITH_USER
    found = read_rows(session, statement, {"digest": _digest(secret)}).one_or_none()
    if found is None:
        return None
    role_names, token_id, prefix, scope, last_used_at, revoked_at = found[N_USER_COLUMNS:]
    user = user_in_session(session, found, refresh=locking)
    if locking:
        note_locked(session, user.id)
    if revoked_at is not None or not user.active:
        return None
    user.keep_role_names(role_names)
    if scope == "staff" and not user.is_staff:
        return None
    return user, TokenSeen(token_id, prefix, scope, last_used_at)


def token_allows(token: TokenSeen | None, *roles: Role) -> bool:
    """Whether a request made with this token may act in one of these roles (staff needs staff scope)."""
    if token is None:
        return True
    staff_roles = {Role.TRAINER, Role.QC, Role.ADMIN}
    if any(r in staff_roles for r in roles) and Role.LEARNER not in roles:
        return token.scope == "staff"
    return True
