"""The leaderboard's floor, kept per app process: read again when a certificate, a tier step, a KPI
import, the programme's tiers or the number of people changes (the fingerprint), and at least once a
minute (renames and store weights are not in the fingerprint). The page says when its figures were read."""

from __future__ import annotations

from flask import current_app
from sqlalchemy.orm import Session

from lms.domain.tiers.leaderboard import Floor, fingerprint, floor
from lms.web.kept_value import KeptValue

MAX_AGE = 60.0


def cached_floor(session: Session) -> tuple[Floor, float]:
    """The floor through this app's cache, and the wall-clock time it was read."""
    kept: KeptValue[Floor] = current_app.extensions.setdefault("lms.floor_cache", KeptValue())
    return kept.get(lambda: fingerprint(session), lambda: floor(session), MAX_AGE)
