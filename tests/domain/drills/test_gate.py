"""The real FAQ mastery gate: a frozen clock walks a new hire through the drill until the
certificate follows; QC failures bring a topic's cards back."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.domain.certification import golive
from lms.domain.curriculum.calendar_days import is_working_day
from lms.domain.curriculum.programme import Schedule
from lms.domain.drills import cards, typing
from lms.domain.drills.mastery import mastery_of
from lms.models import DrillCard, User
from tests.domain.drills.conftest import DAY_10, START
from tests.domain.drills.test_cards import right_answer
from tests.factories import (
    CohortFactory,
    UserFactory,
    complete_lessons_and_gating_quizzes,
    master_faq_drills,
    pass_required_scenarios,
)


def _everything_but_the_drill(db: Session, user: User, schedule: Schedule, now: dt.datetime) -> None:
    complete_lessons_and_gating_quizzes(db, user, schedule.go_live["quizzes"], now)
    pass_required_scenarios(db, user, schedule.go_live.get("scenarios", []), now)
    trainer = UserFactory(roles=["trainer"])
    db.flush()
    golive.sign_off(db, trainer, user, "Ready.", now)
    db.commit()


def _drill_the_day(db: Session, user: User, now: dt.datetime) -> int:
    count = 0
    while (served := cards.serve_next(db, user, now)) is not None:
        cards.answer(
            db, user, served.card.id, served.serve, now + dt.timedelta(seconds=9), **right_answer(served)
        )  # type: ignore[arg-type]
        now += dt.timedelta(seconds=10)
        count += 1
    db.commit()
    return count


def test_a_learner_drills_day_by_day_across_the_gate_and_the_certificate_follows(
    db: Session, programme: Schedule
) -> None:
    user = UserFactory(cohort_id=CohortFactory(start_date=START).id)
    db.commit()
    _everything_but_the_drill(db, user, programme, DAY_10)
    unmet = [r.key for r in golive.go_live_requirements(db, user) if not r.met]
    assert unmet == ["faq-drill", "typing-speed"]
    run = typing.start_run(db, user, DAY_10)
    target = typing.target_text(db, run)
    seconds = len(target) * 60 / 70  # 70 characters a minute, no mistakes
    typing.finish_run(db, user, run.id, target, DAY_10 + dt.timedelta(seconds=seconds))
    assert [r.key for r in golive.go_live_requirements(db, user) if not r.met] == ["faq-drill"]

    day, percents = DAY_10, []
    while golive.certificate_of(db, user) is None and day < DAY_10 + dt.timedelta(days=40):
        if is_working_day(day.date(), programme.days_off, programme.holidays):
            _drill_the_day(db, user, day)
            percents.append(round(mastery_of(db, [user.id])[user.id].percent))
        day += dt.timedelta(days=1)
    cert = golive.certificate_of(db, user)
    assert cert is not None, percents
    assert percents[-1] >= 90 and all(p < 90 for p in percents[:-1])
    assert percents[0] == 0  # one day of reviews is never mastery
    faq = next(r for r in golive.go_live_requirements(db, user) if r.key == "faq-drill")
    assert faq.met and faq.params["total"] == 110


def test_the_checklist_shows_the_numbers(db: Session, programme: Schedule) -> None:
    user = UserFactory()
    db.commit()
    shown = {r.key: r.detail % r.params for r in golive.go_live_requirements(db, user)}
    assert shown["faq-drill"] == "0/110 mastered, 90 % needed"
    assert shown["typing-speed"] == "0 chars/min, 60 needed"


def test_a_leech_is_not_mastered(db: Session, programme: Schedule) -> None:
    user = UserFactory()
    db.commit()
    master_faq_drills(db, user, DAY_10)
    assert mastery_of(db, [user.id])[user.id].mastered == 110
    card = db.scalars(select(DrillCard).where(DrillCard.user_id == user.id)).first()
    assert card is not None
    card.lapses = 4
    db.flush()
    found = mastery_of(db, [user.id])[user.id]
    assert (found.mastered, found.leeches) == (109, 1)
