"""Scoring one reply and choosing the branch: pure functions, no database."""

from __future__ import annotations

import pytest

from lms.config import PROJECT_ROOT
from lms.content.problems import Problems
from lms.content.rulebook import compiled, read_rulebook
from lms.content.scenarios import ScenarioSpec, read_scenario_text
from lms.domain.practice.scoring import (
    asks_a_question,
    medal_for,
    phrasing,
    run_score,
    score_reply,
    time_loss,
)

TEXT = """\
title = "测试"
persona = "顾客"
start = "a"
target_seconds = 60

[[nodes]]
id = "a"
shopper = ["在吗？"]
key_points = [
  { points = 2, phrases = ["可以退"] },
  { points = 1, phrases = ["运费险"] },
]
forbidden = [ { penalty = 1, phrases = ["不知道"] } ]
branches = [
  { rule = "off-platform-wechat", next = "end" },
  { says = ["投诉"], next = "end" },
  { when = "question", next = "end" },
  { when = "slow", next = "end" },
  { when = "partly", next = "end" },
  { when = "always", next = "end" },
]

[[nodes]]
id = "end"
end = "left_happy"
shopper = ["好的"]
"""


@pytest.fixture(scope="module")
def spec() -> ScenarioSpec:
    problems = Problems()
    found = read_scenario_text(TEXT, "t.toml", "c", "t", problems)
    assert found is not None, problems.sorted()
    return found


@pytest.fixture(scope="module")
def book():  # type: ignore[no-untyped-def]
    problems = Problems()
    rules = read_rulebook(PROJECT_ROOT / "courses" / "compliance.toml", PROJECT_ROOT, problems)
    assert rules is not None
    return compiled(rules)


def _branch(result) -> str:  # type: ignore[no-untyped-def]
    return result.reasons["branch"]["condition"]


def test_key_points_are_weighted_and_negation_aware(spec: ScenarioSpec, book) -> None:  # type: ignore[no-untyped-def]
    node = spec.node("a")
    full = score_reply(spec, node, "亲，可以退的，还有运费险。", 10, book)
    assert full.score == 100 and "met" in full.conditions
    negated = score_reply(spec, node, "亲，这个不可以退，不过有运费险。", 10, book)
    assert negated.score == 33 and "partly" in negated.conditions
    assert negated.reasons["key_points"][0]["negated"]
    forbidden = score_reply(spec, node, "亲，可以退，运费险我不知道。", 10, book)
    # 2 of 3 points less the forbidden word (1), less a quarter for the rule book's warn on 不知道
    assert (
        forbidden.score == 42
        and forbidden.reasons["forbidden"] == ["不知道"]
        and "warned" in forbidden.conditions
    )


def test_the_first_branch_that_fires_wins(spec: ScenarioSpec, book) -> None:  # type: ignore[no-untyped-def]
    node = spec.node("a")
    wechat = score_reply(spec, node, "亲，加微信聊吧，可以退", 10, book)
    assert wechat.failed and wechat.score == 0 and _branch(wechat) == "rule:off-platform-wechat"
    assert _branch(score_reply(spec, node, "亲，您要投诉的话我帮您登记", 10, book)) == "says:投诉"
    assert _branch(score_reply(spec, node, "亲，不会投诉吧", 10, book)) != "says:投诉"  # negated
    assert _branch(score_reply(spec, node, "亲，是哪个订单呢", 10, book)) == "question"
    assert _branch(score_reply(spec, node, "亲，可以退", 200, book)) == "slow"
    assert _branch(score_reply(spec, node, "亲，可以退", 10, book)) == "partly"


def test_time_medals_and_phrasing() -> None:
    assert time_loss(None, 60) == 0 and time_loss(60, 60) == 0
    assert time_loss(120, 60) == pytest.approx(0.15) and time_loss(600, 60) == pytest.approx(0.3)
    assert asks_a_question("在的亲?") and asks_a_question("您是送人吗") and not asks_a_question("好的亲。")
    assert [medal_for(s, False) for s in (49, 50, 75, 90)] == [None, "bronze", "silver", "gold"]
    assert medal_for(100, True) is None and run_score([]) is None and run_score([100, 81]) == 90
    assert phrasing(5, 1, 3) == phrasing(5, 1, 3) and phrasing(5, 1, 1) == 0
    assert len({phrasing(seed, 1, 3) for seed in range(30)}) == 3
