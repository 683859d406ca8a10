"""Forgot my password: a link by email that works once, for 30 minutes, for the password it was made for.

The link carries the account's id, the time it was made and a fingerprint of the account's current
password hash, signed with the app's secret key (salted for this one use). It is accepted only
while all three still hold:

1. the signature is ours (nobody can make or alter a link without the key);
2. it is younger than `LIFETIME`;
3. the account is active and its password hash still has that fingerprint.

Setting the new password changes the hash (argon2 salts every hash), so the link that did it — and
every other link made before — stops working: single use without a table of tokens. A password
changed any other way (by the user, by an admin) outdates the links the same way. Asking for a
link gives the same answer whether or not an account matched (the web layer's job), and a reset
ends every other session of the account.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.domain import audit
from lms.domain.accounts.people import normalise_username, set_password
from lms.domain.errors import N_, DomainError
from lms.models import User

#: How long a link works after it was sent.
LIFETIME = dt.timedelta(minutes=30)
#: A link dated this far in the future (clock skew between app servers) is still accepted.
SKEW = dt.timedelta(minutes=1)
#: At most this many accounts get a link for one email address shared by several people.
MAX_ACCOUNTS_PER_EMAIL = 5
SALT = "lms.password-reset"


class ResetLinkInvalid(DomainError):
    """The link is forged, expired, already used, or for a password changed since."""

    def __init__(self) -> None:
        super().__init__(
            N_(
                "This link does not work any more: it has been used already, it is older than "
                "30 minutes, or the password has been changed since. Ask for a new one."
            )
        )


def _fingerprint(password_hash: str) -> str:
    return hashlib.sha256(("lms-reset\x1f" + password_hash).encode("utf-8")).hexdigest()[:24]


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=SALT)


def make_link_token(secret_key: str, user: User, now: dt.datetime) -> str:
    """The token for the user's reset link (it goes in the URL)."""
    payload = {"u": user.id, "p": _fingerprint(user.password_hash), "t": int(now.timestamp())}
    return str(_serializer(secret_key).dumps(payload))


def user_for_link(session: Session, secret_key: str, token: str, now: dt.datetime) -> User:
    """The account a link may reset, or ResetLinkInvalid (one reason for all, on purpose)."""
    if len(token) > 500:
        raise ResetLinkInvalid
    try:
        payload: Any = _serializer(secret_key).loads(token)
    except BadSignature:
        raise ResetLinkInvalid from None
    if not isinstance(payload, dict) or not {"u", "p", "t"} <= payload.keys():
        raise ResetLinkInvalid
    user_id, fingerprint, made = payload["u"], payload["p"], payload["t"]
    if not isinstance(user_id, int) or not isinstance(made, int) or not isinstance(fingerprint, str):
        raise ResetLinkInvalid
    age = now - dt.datetime.fromtimestamp(made, dt.UTC)
    if age > LIFETIME or age < -SKEW:
        raise ResetLinkInvalid
    user = session.get(User, user_id) if 0 < user_id < 2**31 else None
    if user is None or not user.active or _fingerprint(user.password_hash) != fingerprint:
        raise ResetLinkInvalid
    return user


def accounts_for(session: Session, account: str) -> list[User]:
    """The active accounts with an email address that a username or email names (often none)."""
    account = account.strip()
    if not account or len(account) > 200:
        return []
    stmt = select(User).where(User.active.is_(True), User.email.is_not(None), User.email != "")
    if "@" in account:
        stmt = stmt.where(func.lower(User.email) == account.lower()).order_by(User.id)
        return list(session.scalars(stmt.limit(MAX_ACCOUNTS_PER_EMAIL)))
    return list(session.scalars(stmt.where(User.username == normalise_username(account))))


def link_sent(session: Session, user: User, *, ip: str | None = None) -> None:
    """Record that a reset link went to the account's email address."""
    audit.record(session, "password.reset_link", actor=None, target=user, ip=ip)


def reset_with_link(
    session: Session, secret_key: str, token: str, new_password: str, now: dt.datetime, *, ip: str | None = None
) -> User:
    """Set the new password the link allows; the link (and every session) is finished with."""
    user = user_for_link(session, secret_key, token, now)
    set_password(session, user, new_password, actor=user)  # bumps the session version: all sessions end
    audit.record(session, "password.reset", actor=user, target=user, ip=ip)
    return user
