"""Cards per entry and agent, served when due, rated from the answer, once per serve."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.domain.curriculum.programme import Schedule
from lms.domain.curriculum.rulebook import current_book
from lms.domain.drills import cards
from lms.domain.drills.grading import grade_reply, is_ordering
from lms.domain.errors import Conflict, NotFound
from lms.models import DrillCard, DrillReview, FaqEntry, User
from lms.models.drills import AGAIN, GOOD, HARD, RELEARNING, REVIEW
from tests.concurrency import run_in_parallel
from tests.domain.drills.conftest import DAY_10, START
from tests.factories import CohortFactory, UserFactory


def _new_hire(db: Session) -> User:
    user = UserFactory(cohort_id=CohortFactory(start_date=START).id)
    db.commit()
    return user


def right_answer(served: cards.Served) -> dict[str, object]:
    entry = served.card.entry
    if is_ordering(entry):
        assert served.steps is not None
        return {"order": [served.steps.index(step) for step in entry.steps or []]}
    return {"text": entry.answer}


def test_cards_appear_on_the_day_the_programme_introduces_their_entry(
    db: Session, programme: Schedule
) -> None:
    user = _new_hire(db)
    assert cards.ensure_cards(db, user, DAY_10 - dt.timedelta(days=1)) == 0  # day 9
    day_10 = db.scalar(select(func.count()).select_from(FaqEntry).where(FaqEntry.day == 10))
    assert cards.ensure_cards(db, user, DAY_10) == day_10
    assert cards.ensure_cards(db, user, DAY_10) == 0
    assert cards.ensure_cards(db, user, DAY_10 + dt.timedelta(days=3)) == 110 - day_10  # Monday: day 11


def test_ratings_come_from_the_answer(db: Session, programme: Schedule) -> None:
    entry = db.scalars(select(FaqEntry).where(FaqEntry.key == "ship-courier")).one()
    book = current_book(db)
    assert book is not None
    good = grade_reply(entry, entry.answer, 20, book=book.book)
    assert good.rating == GOOD and "Good" in good.reasons[-1][0]
    assert grade_reply(entry, entry.answer, 500, book=book.book).rating == HARD
    assert grade_reply(entry, entry.answer, 20, hinted=True, book=book.book).rating == HARD
    missed = grade_reply(entry, "亲，默认发圆通哦", 10, book=book.book)
    assert missed.rating == AGAIN and any("Key point" in r for r, _ in missed.reasons)
    blocked = grade_reply(entry, entry.answer + "加我微信聊吧", 10, book=book.book)
    assert blocked.rating == AGAIN and blocked.detail["blocked"]


def test_again_comes_back_in_the_same_session_and_answers_are_once_per_serve(
    db: Session, programme: Schedule
) -> None:
    user = _new_hire(db)
    now = DAY_10
    first = cards.serve_next(db, user, now)
    assert first is not None
    assert cards.serve_next(db, user, now).card.id == first.card.id  # resumes the waiting card
    wrong = cards.answer(db, user, first.card.id, first.serve, now + dt.timedelta(seconds=5), text="嗯")
    assert wrong.rating == AGAIN and first.card.state != REVIEW
    again = cards.answer(db, user, first.card.id, first.serve, now + dt.timedelta(seconds=9), text="x")
    assert again.id == wrong.id  # posted twice: one review
    with pytest.raises(Conflict):
        cards.answer(db, user, first.card.id, first.serve + 1, now, text="x")  # never served
    seen: list[int] = []
    now += dt.timedelta(seconds=10)
    while (served := cards.serve_next(db, user, now)) is not None:
        seen.append(served.card.id)
        review = cards.answer(
            db, user, served.card.id, served.serve, now + dt.timedelta(seconds=8), **right_answer(served)
        )  # type: ignore[arg-type]
        assert review.rating == GOOD, review.detail
        now += dt.timedelta(seconds=10)
    assert seen.count(first.card.id) == 1 and seen[-1] == first.card.id  # the Again card, at the end
    assert db.scalar(select(func.count()).select_from(DrillReview)) == len(seen) + 1


def test_another_agents_card_does_not_exist_for_them(db: Session, programme: Schedule) -> None:
    user, other = _new_hire(db), _new_hire(db)
    served = cards.serve_next(db, user, DAY_10)
    assert served is not None
    with pytest.raises(NotFound):
        cards.answer(db, other, served.card.id, served.serve, DAY_10, text="亲")


def test_a_qc_lapse_sets_learnt_cards_back(db: Session, programme: Schedule) -> None:
    user = _new_hire(db)
    card_entry = db.scalars(select(FaqEntry).where(FaqEntry.key == "ship-when")).one()
    cards.review_from(db, user, [card_entry.id], GOOD, "exam", DAY_10)
    cards.review_from(db, user, [card_entry.id], GOOD, "exam", DAY_10 + dt.timedelta(days=3))
    card = db.scalars(select(DrillCard).where(DrillCard.user_id == user.id)).one()
    assert card.state == REVIEW and card.review_days == 2
    cards.review_from(db, user, [card_entry.id], AGAIN, "qc", DAY_10 + dt.timedelta(days=4))
    assert card.state == RELEARNING and card.lapses == 1
    assert [r.source for r in db.scalars(select(DrillReview).order_by(DrillReview.id))] == [
        "exam",
        "exam",
        "qc",
    ]


def test_answers_racing_on_one_serve_make_one_review(app, db: Session, programme: Schedule) -> None:
    user = _new_hire(db)
    served = cards.serve_next(db, user, DAY_10)
    assert served is not None
    db.commit()
    card_id, serve, user_id = served.card.id, served.serve, user.id

    def post(session: Session) -> None:
        me = session.get(User, user_id)
        assert me is not None
        cards.answer(session, me, card_id, serve, DAY_10 + dt.timedelta(seconds=5), text="亲")

    assert run_in_parallel(app, 6, post) == []
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(DrillReview).where(DrillReview.card_id == card_id)) == 1
    card = db.get(DrillCard, card_id)
    assert card is not None and card.reps == 1 and card.answered_serve == serve
