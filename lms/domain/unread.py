"""UNREAD: a fact the caller has not read, as opposed to one it read and found missing (None).

Functions that take facts a page has read already (a certificate, a tier, a date) default to UNREAD
and read the fact themselves only then."""

from __future__ import annotations

import enum


class Unread(enum.Enum):
    """The type of UNREAD (one value, so a type checker narrows `x is UNREAD`)."""

    TOKEN = 0


UNREAD = Unread.TOKEN
