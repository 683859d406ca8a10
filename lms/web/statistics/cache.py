"""Saved statistics reports, per app process: a report is recomputed only when its fingerprint (graded
attempts, question versions) changes, or after TTL seconds (English text edited in place on a version
is the one change the fingerprint does not see). Recomputing reads only the blocks of attempts graded
since (`lms.domain.authoring.statistics_blocks`), which every process and server shares."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections import OrderedDict
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from lms.domain.authoring.quiz_statistics import QuizStatistics, quiz_statistics, report_fingerprint
from lms.models import Quiz

SIZE = 32
TTL = 600.0


class ReportCache:
    """The newest reports by quiz, least recently used dropped first; safe across threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._reports: OrderedDict[int, tuple[tuple[Any, ...], float, QuizStatistics]] = OrderedDict()

    def report(self, session: Session, quiz: Quiz) -> QuizStatistics:
        """The quiz's report: the saved one if nothing it depends on changed, else computed and saved."""
        fingerprint = report_fingerprint(session, quiz)
        with self._lock:
            saved = self._reports.get(quiz.id)
            if saved and saved[0] == fingerprint and time.monotonic() - saved[1] < TTL:
                self._reports.move_to_end(quiz.id)
                return dataclasses.replace(saved[2], quiz=quiz)
        fresh = quiz_statistics(session, quiz)
        session.commit()  # keeps the blocks it read again (statistics_blocks) for the next view
        with self._lock:
            self._reports[quiz.id] = (fingerprint, time.monotonic(), dataclasses.replace(fresh, quiz=None))  # type: ignore[arg-type]
            self._reports.move_to_end(quiz.id)
            while len(self._reports) > SIZE:
                self._reports.popitem(last=False)
        return fresh


def cached_report(session: Session, quiz: Quiz) -> QuizStatistics:
    """The report through this app's cache."""
    cache = current_app.extensions.setdefault("lms.statistics_cache", ReportCache())
    return cache.report(session, quiz)
