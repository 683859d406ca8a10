"""The leaderboard's floor, kept per app process: read again when a certificate, a tier step, a KPI
import or the number of active people changes (the fingerprint), and at least once a minute (renames and
store weights are not in the fingerprint). The page says when its figures were read."""

from __future__ import annotations

import threading
import time

from flask import current_app
from sqlalchemy.orm import Session

from lms.domain.tiers.leaderboard import Floor, fingerprint, floor

MAX_AGE = 60.0


class FloorCache:
    """One saved Floor with its fingerprint and the time it was read; safe across threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._saved: tuple[tuple[object, ...], float, float, Floor] | None = None

    def get(self, session: Session) -> tuple[Floor, float]:
        """The floor and the wall-clock time it was read."""
        mark = fingerprint(session)
        with self._lock:
            saved = self._saved
        if saved and saved[0] == mark and time.monotonic() - saved[1] < MAX_AGE:
            return saved[3], saved[2]
        fresh = floor(session)
        with self._lock:
            self._saved = (mark, time.monotonic(), time.time(), fresh)
        return fresh, time.time()


def cached_floor(session: Session) -> tuple[Floor, float]:
    """The floor through this app's cache."""
    cache = current_app.extensions.setdefault("lms.floor_cache", FloorCache())
    return cache.get(session)
