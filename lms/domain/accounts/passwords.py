"""Password hashing (argon2id) and the password policy."""

from __future__ import annotations

import contextlib

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from lms.domain.errors import N_, DomainError

MIN_LENGTH = 10
MAX_LENGTH = 256

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verified against when the username is unknown, so a miss costs as much time as a hit.
_DUMMY_HASH = _hasher.hash("not-a-real-password-but-equally-slow")


def check_policy(password: str, username: str) -> None:
    """Refuse passwords that are too short, too long, or the username itself."""
    if len(password) < MIN_LENGTH:
        raise DomainError(
            N_("The password must be at least %(n)s characters long."), "password", n=MIN_LENGTH
        )
    if len(password) > MAX_LENGTH:
        raise DomainError(N_("The password must be at most %(n)s characters long."), "password", n=MAX_LENGTH)
    if password.strip().casefold() == username.strip().casefold():
        raise DomainError(N_("The password must not be your username."), "password")


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Whether the password matches; constant work whether or not a hash exists."""
    if not stored_hash:
        with contextlib.suppress(VerificationError):
            _hasher.verify(_DUMMY_HASH, password)
        return False
    try:
        return _hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Whether the hash was made with older parameters and should be replaced on next login."""
    try:
        return _hasher.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True
