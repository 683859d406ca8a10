"""One value kept per app process while a fingerprint read from the database is unchanged, and at most
`max_age` seconds: what the leaderboard's floor and the programme's plan share. The fingerprint is
read on every use, so a change made by any process shows at once; the age bounds what it cannot see."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class KeptValue(Generic[T]):
    """A value with its fingerprint and when it was read; safe across threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._saved: tuple[tuple[object, ...], float, float, T] | None = None

    def get(
        self, fingerprint: Callable[[], tuple[object, ...]], load: Callable[[], T], max_age: float
    ) -> tuple[T, float]:
        """The value and the wall-clock time it was read: the kept one if still right, else loaded."""
        mark = fingerprint()
        with self._lock:
            saved = self._saved
        if saved and saved[0] == mark and time.monotonic() - saved[1] < max_age:
            return saved[3], saved[2]
        fresh = load()
        read_at = time.time()
        with self._lock:
            self._saved = (mark, time.monotonic(), read_at, fresh)
        return fresh, read_at
