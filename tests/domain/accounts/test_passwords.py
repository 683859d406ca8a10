"""The password policy and hashing."""

from __future__ import annotations

import pytest

from lms.domain.accounts.passwords import check_policy, hash_password, verify_password
from lms.domain.errors import DomainError


@pytest.mark.parametrize("password", ["", "short", "nine-char"])
def test_passwords_shorter_than_ten_are_refused(password: str) -> None:
    with pytest.raises(DomainError, match="at least 10"):
        check_policy(password, "wangfang")


@pytest.mark.parametrize("password", ["wangfang12", "WANGFANG12 "])
def test_the_username_is_refused_as_password(password: str) -> None:
    with pytest.raises(DomainError, match="username"):
        check_policy(password, password.strip().lower())


def test_a_very_long_password_is_refused() -> None:
    with pytest.raises(DomainError, match="at most"):
        check_policy("x" * 1000, "wangfang")


def test_hashes_are_argon2id_and_verify() -> None:
    stored = hash_password("a good long password")
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "a good long password")
    assert not verify_password(stored, "a good long passworD")
    assert not verify_password(None, "anything at all")
    assert not verify_password("not-a-hash", "anything at all")
