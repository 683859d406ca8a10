"""The statistics' sums are kept per block of attempts: a new grading reads one block again, and the
report adds up to what a computation from nothing gives."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from lms.domain.authoring import statistics_blocks
from lms.domain.authoring.question_import import import_questions
from lms.domain.authoring.quiz_statistics import QuizStatistics, quiz_statistics
from lms.models import Attempt, Quiz, StatisticsBlock
from tests.domain.authoring.test_quiz_statistics import ANSWERS, SLUG, SPECS, make_quiz, take


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    """Blocks of two attempt ids, and a record of which blocks each report computed."""
    monkeypatch.setattr(statistics_blocks, "BLOCK", 2)
    computed: list[list[int]] = []
    compute = statistics_blocks._compute

    def spy(session: Session, quiz: Quiz, blocks: list[int], choice_items: object) -> object:
        computed.append(list(blocks))
        return compute(session, quiz, blocks, choice_items)  # type: ignore[arg-type]

    monkeypatch.setattr(statistics_blocks, "_compute", spy)
    return computed


def _from_nothing(db: Session, quiz: Quiz) -> QuizStatistics:
    db.execute(delete(StatisticsBlock))
    return quiz_statistics(db, quiz)


def _same(one: QuizStatistics, other: QuizStatistics) -> None:
    assert dataclasses.replace(one, questions=[]) == dataclasses.replace(other, questions=[])
    for mine, theirs in zip(one.questions, other.questions, strict=True):
        assert mine.key == theirs.key and mine.options == theirs.options
        assert (mine.attempts, mine.answered) == (theirs.attempts, theirs.answered)
        assert mine.facility == pytest.approx(theirs.facility)
        assert mine.discrimination == pytest.approx(theirs.discrimination)


def test_a_new_grading_reads_only_its_block_again(db: Session, small_blocks: list[list[int]]) -> None:
    quiz = make_quiz(db)
    for answers in ANSWERS:
        take(db, quiz, *answers)
    first = quiz_statistics(db, quiz)
    ids = sorted(db.scalars(select(Attempt.id).where(Attempt.quiz_id == quiz.id)))
    assert small_blocks == [sorted({i // 2 for i in ids})]  # every block, the first time
    assert db.scalar(select(StatisticsBlock.id).limit(1)) is not None

    small_blocks.clear()
    assert quiz_statistics(db, quiz) == first and small_blocks == []  # nothing graded: nothing read

    take(db, quiz, *ANSWERS[0])
    newest = max(db.scalars(select(Attempt.id).where(Attempt.quiz_id == quiz.id)))
    report = quiz_statistics(db, quiz)
    assert small_blocks == [[newest // 2]]
    assert report.attempts == first.attempts + 1
    _same(report, _from_nothing(db, quiz))


def test_changed_choice_questions_count_every_block_again(db: Session, small_blocks: list[list[int]]) -> None:
    quiz = make_quiz(db)
    for answers in ANSWERS:
        take(db, quiz, *answers)
    quiz_statistics(db, quiz)
    changed = [
        dataclasses.replace(
            SPECS[0],
            body={
                "choices": [
                    {"text": t, "weight": w} for t, w in (("支付宝", 100.0), ("店铺", 0.0), ("快递", 0.0))
                ]
            },
        ),
        *SPECS[1:],
    ]
    import_questions(db, SLUG, changed)
    db.commit()
    small_blocks.clear()
    report = quiz_statistics(db, quiz)
    ids = db.scalars(select(Attempt.id).where(Attempt.quiz_id == quiz.id))
    assert small_blocks == [sorted({i // 2 for i in ids})]
    assert report.attempts == len(ANSWERS)
    _same(report, _from_nothing(db, quiz))


def test_blocks_add_up_to_the_whole_with_large_blocks_too(db: Session) -> None:
    quiz = make_quiz(db)
    for answers in ANSWERS:
        take(db, quiz, *answers)
    _same(quiz_statistics(db, quiz), _from_nothing(db, quiz))


def test_the_jobs_bring_every_quiz_up_to_date_once(db: Session, small_blocks: list[list[int]]) -> None:
    quiz = make_quiz(db)
    for answers in ANSWERS:
        take(db, quiz, *answers)
    assert statistics_blocks.refresh_all(db) == len(small_blocks[0]) > 0
    assert statistics_blocks.refresh_all(db) == 0
    small_blocks.clear()
    quiz_statistics(db, quiz)
    assert small_blocks == []  # the first view reads what the jobs saved


def test_a_view_that_cannot_write_shows_its_report_and_saves_nothing(
    app, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = app.extensions["lms.db"]
    if not database.is_sqlite:
        pytest.skip("only SQLite refuses to upgrade a read transaction that a later commit overtook")
    quiz = make_quiz(db)
    for answers in ANSWERS:
        take(db, quiz, *answers)
    compute = statistics_blocks._compute

    def overtaken(session: Session, quiz_: Quiz, blocks: list[int], choice_items: object) -> object:
        found = compute(session, quiz_, blocks, choice_items)  # type: ignore[arg-type]
        take(db, quiz, *ANSWERS[0])  # a learner's attempt is graded meanwhile
        return found

    monkeypatch.setattr(statistics_blocks, "_compute", overtaken)
    reader = database.read_session()  # a trainer's GET
    try:
        report = quiz_statistics(reader, reader.get(Quiz, quiz.id))
        reader.commit()
    finally:
        reader.close()
    assert report.attempts == len(ANSWERS)  # what its snapshot held
    assert db.scalar(select(StatisticsBlock.id).limit(1)) is None  # nothing half-written
