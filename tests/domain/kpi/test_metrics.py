"""KPI arithmetic: the worked examples from the assessment course, band edges, property tests."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.domain.kpi.metrics import (
    DEFAULT_BANDS,
    DEFAULT_METRICS,
    SchemeError,
    bonus,
    check_scheme,
    combine_stores,
    metric_score,
    store_score,
)


def test_the_lessons_worked_example() -> None:
    raw = {
        "conversion_rate": 30,
        "avg_response_seconds": 21,
        "satisfaction": 96,
        "invite_rate": 86,
        "push_completion": 90,
    }
    result = store_score(raw, DEFAULT_METRICS)
    assert result.metrics["conversion_rate"] == 60 and result.metrics["avg_response_seconds"] == 80
    assert result.score == pytest.approx(71.69, abs=0.01)


def test_two_stores_sixty_forty() -> None:
    assert combine_stores([(85, 60), (75, 40)]) == 81
    assert combine_stores([(80, 60), (80, 40)]) == 80
    assert combine_stores([(88, 60)]) == 88  # a store with no data that month does not drag the score down


@pytest.mark.parametrize(
    ("score", "base", "amount"),
    [
        (90, 3000, 2700),
        (89.99, 2000, 1799.8),
        (89, 2000, 1780),
        (80, 2000, 1600),
        (79.5, 1000, 795),
        (0, 1000, 0),
        (100, 3000, 3000),
    ],
)
def test_bonus_bands(score: float, base: float, amount: float) -> None:
    assert bonus(score, DEFAULT_BANDS) == (base, amount)


def test_a_missing_metric_scores_zero_and_is_reported() -> None:
    raw = {
        "conversion_rate": 40,
        "avg_response_seconds": 15,
        "satisfaction": 98,
        "invite_rate": 90,
        "push_completion": None,
    }
    result = store_score(raw, DEFAULT_METRICS)
    assert result.score == 95 and result.missing == ["push_completion"]


def test_schemes_must_weigh_one_hundred() -> None:
    check_scheme(DEFAULT_METRICS, DEFAULT_BANDS)
    bad = [dict(m) for m in DEFAULT_METRICS]
    bad[0]["weight"] = 45
    with pytest.raises(SchemeError, match="add up to 95"):
        check_scheme(bad, DEFAULT_BANDS)


values = st.floats(min_value=-1000, max_value=1000, allow_nan=False)


@given(values, st.floats(0, 100), st.floats(101, 200))
def test_metric_scores_stay_between_0_and_100(value: float, floor: float, target: float) -> None:
    assert 0 <= metric_score(value, target, floor) <= 100
    assert 0 <= metric_score(value, floor, target) <= 100  # lower-is-better direction


@given(st.floats(0, 100, allow_nan=False))
def test_bonus_is_monotonic_within_a_band_and_never_exceeds_base(score: float) -> None:
    base, amount = bonus(score, DEFAULT_BANDS)
    assert 0 <= amount <= base
    assert base == (3000 if score >= 90 else 2000 if score >= 80 else 1000)


@given(st.lists(st.tuples(st.floats(0, 100), st.floats(1, 100)), min_size=1, max_size=3))
def test_combined_score_lies_between_the_store_scores(pairs: list[tuple[float, float]]) -> None:
    combined = combine_stores(pairs)
    assert min(s for s, _ in pairs) - 0.01 <= combined <= max(s for s, _ in pairs) + 0.01
