"""What happened, for the areas that react to it.

An area that records something publishes it here and imports nobody who reacts: learning does
not import certification or tiers, QC and KPI do not import tiers. What reacts to what, and in
which order, is written once in `lms/domain/reactions.py`. Receivers run inside the publisher's
transaction, so a reaction that fails rolls the whole event back with it.

Signals are blinker's (Flask already depends on it); the sender is the Session.
"""

from __future__ import annotations

from typing import Any

from blinker import Namespace
from sqlalchemy.orm import Session

_signals = Namespace()

#: A quiz attempt was graded (`attempt=`, `now=`): pass or fail, by the learner, the clock or a trainer.
attempt_graded = _signals.signal("attempt-graded")
#: A learner finished a lesson for the first time (`user=`, `lesson=`, `now=`).
lesson_done = _signals.signal("lesson-done")
#: QC recorded a spot check (`check=`, `agent=`, `now=`).
spot_check_recorded = _signals.signal("spot-check-recorded")
#: An agent's FAQ drill card was reviewed or a typing run finished (`user=`, `now=`).
drill_reviewed = _signals.signal("drill-reviewed")
#: A practice chat run finished (`run=`, `now=`), with its score, medal and flag.
practice_run_finished = _signals.signal("practice-run-finished")
#: A KPI month was imported (`users=`, the agents in the file, and `now=`).
kpi_month_imported = _signals.signal("kpi-month-imported")


class NotSubscribed(RuntimeError):
    """An event was published before `reactions.subscribe()` ran: its consequences would be lost."""


def publish(signal: Any, session: Session, **facts: Any) -> None:
    """Tell the reacting areas; refuses to publish into the void (create_app subscribes them)."""
    if not signal.receivers:
        raise NotSubscribed(
            f"no reaction subscribed to {signal.name!r}: call lms.domain.reactions.subscribe()"
        )
    signal.send(session, **facts)
