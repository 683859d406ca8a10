"""Events reach the areas that react, and publishing with nobody subscribed is an error, not a silent loss."""

from __future__ import annotations

import pytest
from blinker import Namespace

from lms.domain import events, reactions


def test_publishing_with_no_reaction_refuses() -> None:
    lonely = Namespace().signal("lonely")
    with pytest.raises(events.NotSubscribed, match="lonely"):
        events.publish(lonely, session=None)  # type: ignore[arg-type]


def test_every_event_has_exactly_one_reaction_after_subscribe() -> None:
    reactions.subscribe()
    reactions.subscribe()  # idempotent
    for signal in (events.attempt_graded, events.lesson_done, events.spot_check_recorded, events.kpi_month_imported):
        assert len(signal.receivers) == 1, signal.name
