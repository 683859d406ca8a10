"""Practice chats: sync makes versions, a run plays on the server's clock, bad input changes nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.domain.curriculum.scenarios import by_slug
from lms.domain.curriculum.sync import sync_content
from lms.domain.errors import Conflict, NotFound
from lms.domain.practice import runs
from lms.models import PracticeRun, PracticeTurn, ScenarioVersion
from tests import factories

T0 = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)

#: A reply to each node of "cheaper elsewhere" that leads with value (the Gold path).
GOLD = [
    "亲，能把链接发我看看吗？我帮您对比一下。我们这款是头层牛皮配铜五金；同样外观卖199的一般是PU或二层皮。",
    "亲，说实话它比PU的重一些，大概1.45公斤，要定期上护理油；好处是头层皮不会起皮，越用越有光泽。",
    "亲，走线、拉链和五金都有一年保修，每单还有运费险。",
    "谢谢亲！您看是要头层牛皮的399，还是PU的259？",
]
BAD = "亲，我们这款是全网最便宜的了，我私下给你打个折，299卖你。"


@pytest.fixture
def synced(db: Session) -> Session:
    tree, problems = check(PROJECT_ROOT)
    assert problems == []
    report = sync_content(db, tree)
    assert report.counts["scenarios"]["created"] >= 1
    db.commit()
    return db


def play(db: Session, user, replies: list[str], *, seed: int = 7, step: int = 20) -> PracticeRun:  # type: ignore[no-untyped-def]
    scenario = by_slug(db, "cheaper-elsewhere")
    assert scenario is not None
    run = runs.start_run(db, user, scenario, T0, seed=seed)
    now = T0
    for text in replies:
        now += dt.timedelta(seconds=step)
        run = runs.reply(db, user, run.id, text, now, turn=run.turn_count + 1)
    db.commit()
    return run


def test_sync_makes_a_version_only_when_the_scenario_changes(db: Session) -> None:
    tree, _ = check(PROJECT_ROOT)
    shipped = len(tree.scenarios)
    assert sync_content(db, tree).counts["scenarios"]["created"] == shipped >= 12
    assert sync_content(db, tree).counts["scenarios"]["unchanged"] == len(tree.scenarios)
    spec = tree.scenarios["cheaper-elsewhere"]
    tree.scenarios["cheaper-elsewhere"] = dataclasses.replace(spec, title="别家更便宜（新）")
    assert sync_content(db, tree).counts["scenarios"]["updated"] == 1
    scenario = by_slug(db, "cheaper-elsewhere")
    assert scenario is not None and scenario.title == "别家更便宜（新）"
    assert scenario.current_version is not None and scenario.current_version.number == 2
    assert scenario.current_version.source_text.startswith("# 陪练")
    del tree.scenarios["cheaper-elsewhere"]
    assert sync_content(db, tree).counts["scenarios"]["removed"] == 1
    assert db.scalar(select(func.count()).select_from(ScenarioVersion)) == shipped + 1  # versions are kept


def test_leading_with_value_wins_gold_and_an_order(synced: Session) -> None:
    learner = factories.UserFactory()
    run = play(synced, learner, GOLD)
    assert run.status == "finished" and run.outcome == "order_placed"
    turns = run.turns
    assert [t.node_id for t in turns] == ["price", "weight", "warranty", "choice", "bought"]
    assert all(t.score is not None and t.score >= 90 for t in turns[:-1]), [t.reasons for t in turns]
    assert turns[-1].final and turns[-1].reply_text is None
    assert run.score is not None and run.score >= 90 and run.medal == "gold" and not run.flagged


def test_a_discount_and_a_superlative_fail_the_turn_and_flag_the_run(synced: Session) -> None:
    learner = factories.UserFactory()
    run = play(synced, learner, [BAD])
    first = run.turns[0]
    assert first.failed and first.score == 0
    rules = {h["rule"] for h in first.reasons["hits"]}
    assert {"absolute-lowest-price", "discount-private"} <= rules
    assert first.reasons["branch"] == {"index": 0, "condition": "discount", "next": "push-lower"}
    assert run.flagged and run.node_id == "push-lower"
    run = runs.reply(
        synced, learner, run.id, "好吧，那就249给你。我给你便宜点。", T0 + dt.timedelta(minutes=2)
    )
    assert run.status == "finished" and run.outcome == "order_placed" and run.medal is None


def test_the_phrasing_is_random_but_the_same_for_the_same_seed(synced: Session) -> None:
    a, b = factories.UserFactory(), factories.UserFactory()
    first = play(synced, a, GOLD[:1], seed=11)
    second = play(synced, b, GOLD[:1], seed=11)
    assert [t.shopper_text for t in first.turns] == [t.shopper_text for t in second.turns]


def test_the_server_keeps_the_clock(synced: Session) -> None:
    learner = factories.UserFactory()
    scenario = by_slug(synced, "cheaper-elsewhere")
    assert scenario is not None
    run = runs.start_run(synced, learner, scenario, T0, seed=1)
    opening = run.turns[0]
    assert opening.shopper_at > T0  # the shopper "types" first
    late = opening.shopper_at + dt.timedelta(seconds=180)  # three times the 60-second target
    run = runs.reply(synced, learner, run.id, GOLD[0], late)
    turn = run.turns[0]
    assert turn.seconds == pytest.approx(180) and turn.reasons["time_loss"] == pytest.approx(0.3)
    assert turn.score == 70 and "slow" in turn.reasons["conditions"]


def test_bad_input_is_refused_without_changing_the_run(synced: Session) -> None:
    learner, other = factories.UserFactory(), factories.UserFactory()
    scenario = by_slug(synced, "cheaper-elsewhere")
    assert scenario is not None
    run = runs.start_run(synced, learner, scenario, T0, seed=3)
    assert runs.start_run(synced, learner, scenario, T0).id == run.id  # a reload resumes
    with pytest.raises(NotFound):
        runs.reply(synced, other, run.id, GOLD[0], T0)
    with pytest.raises(runs.ReplyTooLong):
        runs.reply(synced, learner, run.id, "亲" * 10_000, T0)
    with pytest.raises(Conflict):
        runs.reply(synced, learner, run.id, GOLD[0], T0, turn=2)  # out of turn
    runs.reply(synced, learner, run.id, GOLD[0], T0 + dt.timedelta(seconds=10), turn=1)
    with pytest.raises(Conflict):
        runs.reply(synced, learner, run.id, GOLD[0], T0 + dt.timedelta(seconds=11), turn=1)  # twice
    synced.commit()
    before = synced.scalar(select(func.count()).select_from(PracticeTurn))
    runs.abandon(synced, learner, run.id, T0 + dt.timedelta(minutes=1))
    with pytest.raises(Conflict):
        runs.reply(synced, learner, run.id, GOLD[1], T0 + dt.timedelta(minutes=2))  # after the end
    with pytest.raises(Conflict):
        runs.abandon(synced, learner, run.id, T0 + dt.timedelta(minutes=2))
    synced.commit()
    assert synced.scalar(select(func.count()).select_from(PracticeTurn)) == before
    synced.refresh(run)
    assert run.status == "abandoned" and run.turn_count == 1 and run.score is None


def test_ten_parallel_replies_to_the_same_turn_make_one_turn(app, synced: Session) -> None:  # type: ignore[no-untyped-def]
    from tests.concurrency import run_in_parallel

    learner = factories.UserFactory()
    scenario = by_slug(synced, "cheaper-elsewhere")
    assert scenario is not None
    run = runs.start_run(synced, learner, scenario, T0, seed=5)
    synced.commit()
    run_id, user_id = run.id, learner.id

    def work(session: Session) -> None:
        from lms.models import User

        user = session.get(User, user_id)
        runs.reply(session, user, run_id, GOLD[0], T0 + dt.timedelta(seconds=15), turn=1)

    errors = run_in_parallel(app, 10, work)
    assert len(errors) == 9 and all(isinstance(e, Conflict) for e in errors), errors
    synced.expire_all()
    replied = synced.scalar(
        select(func.count())
        .select_from(PracticeTurn)
        .where(PracticeTurn.run_id == run_id, PracticeTurn.reply_text.is_not(None))
    )
    shown = synced.scalar(select(func.count()).select_from(PracticeTurn).where(PracticeTurn.run_id == run_id))
    refreshed = synced.get(PracticeRun, run_id)
    assert replied == 1 and shown == 2 and refreshed is not None and refreshed.turn_count == 1


def test_ten_parallel_starts_make_one_run(app, synced: Session) -> None:  # type: ignore[no-untyped-def]
    from tests.concurrency import run_in_parallel

    learner = factories.UserFactory()
    synced.commit()
    user_id = learner.id

    def work(session: Session) -> None:
        from lms.models import User

        user = session.get(User, user_id)
        scenario = by_slug(session, "cheaper-elsewhere")
        assert user is not None and scenario is not None
        runs.start_run(session, user, scenario, T0)

    errors = run_in_parallel(app, 10, work)
    assert (
        synced.scalar(select(func.count()).select_from(PracticeRun).where(PracticeRun.user_id == user_id))
        == 1
    )
    assert all(not isinstance(e, AssertionError) for e in errors)


LOOP = """\
title = "绕圈"
persona = "顾客"
start = "a"
max_turns = 2

[[nodes]]
id = "a"
shopper = ["在吗？"]
key_points = [ { points = 1, phrases = ["在的"] } ]
branches = [ { when = "met", next = "done" }, { when = "always", next = "b" } ]

[[nodes]]
id = "b"
shopper = ["有人吗？"]
branches = [ { when = "always", next = "a" } ]

[[nodes]]
id = "done"
end = "left_happy"
shopper = ["好的"]
"""


def test_a_run_ends_after_max_turns_when_the_chat_goes_round(db: Session) -> None:
    from lms.content.problems import Problems
    from lms.content.scenarios import read_scenario_text
    from lms.domain.curriculum.scenarios import add_version
    from lms.models import Scenario

    problems = Problems()
    spec = read_scenario_text(LOOP, "loop.toml", "value-talk", "loop", problems)
    assert spec is not None, problems.sorted()
    scenario = Scenario(slug="loop", title=spec.title, source="browser")
    db.add(scenario)
    db.flush()
    add_version(db, scenario, spec, LOOP)
    learner = factories.UserFactory()
    db.commit()
    run = runs.start_run(db, learner, scenario, T0, seed=1)
    run = runs.reply(db, learner, run.id, "嗯", T0 + dt.timedelta(seconds=5))
    assert run.status == "active" and run.node_id == "b"
    run = runs.reply(db, learner, run.id, "嗯嗯", T0 + dt.timedelta(seconds=9))
    assert run.status == "finished" and run.outcome == "left_unhappy"
    assert [t.node_id for t in run.turns] == ["a", "b"]  # no closing line: the shopper just left
    assert [t.score for t in run.turns] == [0, 100] and run.score == 50  # b asks for no key point
