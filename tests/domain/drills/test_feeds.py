"""Exams and QC feed the drill's memory: a fully right exam question on an entry reviews its card,
a failed QC item on a topic brings the topic's cards back."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.domain import events
from lms.domain.curriculum.programme import Schedule
from lms.domain.drills import cards
from lms.models import (
    Attempt,
    AttemptItem,
    DrillCard,
    DrillReview,
    FaqEntry,
    Question,
    QuestionVersion,
    Quiz,
    SpotCheck,
    SpotCheckResult,
)
from lms.models.drills import GOOD, RELEARNING, REVIEW
from tests.domain.drills.conftest import DAY_10
from tests.factories import UserFactory


def test_a_fully_right_exam_question_on_an_entry_reviews_its_card_once(
    db: Session, programme: Schedule
) -> None:
    user = UserFactory()
    db.commit()
    quiz = db.scalars(select(Quiz).where(Quiz.slug == "faq-mastery-exam")).one()
    versions = {
        q.key: q.versions[-1] for q in db.scalars(select(Question).where(Question.quiz_id == quiz.id))
    }
    tagged: QuestionVersion = versions["reply-remote-urumqi"]
    assert "faq:ship-remote" in tagged.tags
    attempt = Attempt(
        user_id=user.id, quiz_id=quiz.id, number=1, status="graded", passed=False, graded_at=DAY_10
    )
    db.add(attempt)
    db.flush()
    for position, (key, score) in enumerate([("reply-remote-urumqi", 4.0), ("reply-nosy-supplier", 1.0)]):
        db.add(
            AttemptItem(
                attempt_id=attempt.id,
                position=position,
                question_key=key,
                question_version_id=versions[key].id,
                score=score,
                max_score=4.0,
            )
        )
    db.flush()
    db.refresh(attempt)
    events.publish(events.attempt_graded, db, attempt=attempt, now=DAY_10)
    events.publish(events.attempt_graded, db, attempt=attempt, now=DAY_10 + dt.timedelta(hours=1))  # regraded
    reviews = db.scalars(select(DrillReview).where(DrillReview.user_id == user.id)).all()
    assert [(r.source, r.rating) for r in reviews] == [("exam", GOOD)]  # the half-right question counts not
    card = db.get(DrillCard, reviews[0].card_id)
    assert card is not None and card.entry.key == "ship-remote" and card.reps == 1


def test_a_qc_failure_on_a_topic_brings_its_cards_back(db: Session, programme: Schedule) -> None:
    agent = UserFactory()
    db.commit()
    sizes = db.scalars(select(FaqEntry).where(FaqEntry.key == "bag-size")).one()
    other = db.scalars(select(FaqEntry).where(FaqEntry.key == "greeting")).one()
    assert "sizes" in sizes.tags and "sizes" not in other.tags
    for day in (0, 3):
        cards.review_from(db, agent, [sizes.id, other.id], GOOD, "exam", DAY_10 + dt.timedelta(days=day))
    check = SpotCheck(agent_id=agent.id, checked_on=DAY_10.date(), score=40, max_score=100, percent=40)
    db.add(check)
    db.flush()
    db.add_all(
        [
            SpotCheckResult(
                spot_check_id=check.id, label="Product facts", points=20, topics=["sizes"], outcome="fail"
            ),
            SpotCheckResult(
                spot_check_id=check.id, label="Greeting", points=10, topics=["response-time"], outcome="pass"
            ),
        ]
    )
    db.flush()
    db.refresh(check)
    events.publish(
        events.spot_check_recorded, db, check=check, agent=agent, now=DAY_10 + dt.timedelta(days=5)
    )
    by_key = {c.entry.key: c for c in db.scalars(select(DrillCard).where(DrillCard.user_id == agent.id))}
    assert by_key["bag-size"].state == RELEARNING and by_key["bag-size"].lapses == 1
    assert by_key["greeting"].state == REVIEW and by_key["greeting"].lapses == 0
    sources = [
        r.source for r in db.scalars(select(DrillReview).where(DrillReview.card_id == by_key["bag-size"].id))
    ]
    assert sources == ["exam", "exam", "qc"]
