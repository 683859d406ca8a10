"""The sums behind a quiz's question statistics, kept per block of graded attempts.

Every figure of the report is a sum over graded attempts (counts, Σ percent, passes per histogram
bucket; per question Σx, Σx², Σt, Σt², Σxt and the facility's numerator and denominator; per option
how often it was chosen), and sums add up. So the attempts of a quiz are cut into blocks of BLOCK
attempt ids, each block's sums are saved in `statistics_blocks` with the fingerprint they were
computed on (how many of its attempts are graded, the newest grading time among them — grading and
regrading set it, and attempts are never deleted — and the quiz's choice questions), and a report
adds the blocks up. A view reads the blocks' fingerprints from one index, then recomputes only the
blocks that moved, in three GROUP BY statements for all of them together: after a new grading that
is one block's items (about 57,000 rows) instead of the quiz's (700,000 at 50,000 attempts).

Option counts read the responses `{"choice": i}` / `{"choices": [i, …]}` with portable JSON path
operators (SQLite's json_extract, PostgreSQL's ->> and #>>): one UNION ALL per array slot over a
common table of the choice items.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, and_, case, func, literal_column, select, union_all
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from lms.models import Attempt, AttemptItem, Question, QuestionVersion, Quiz, StatisticsBlock
from lms.models.learning import GRADED

#: Attempt ids per block: small enough that one new grading reads few items, large enough that a
#: quiz with 50,000 attempts has a dozen blocks, not thousands of rows to add up.
BLOCK = 4096
BUCKETS = 10
#: Per question: attempts given it, answered, Σ facility, facility count, Σx, Σx², Σt, Σt², Σxt.
ITEM_SUMS = 9


def graded(quiz: Quiz) -> ColumnElement[bool]:
    """The attempts the statistics count."""
    return and_(Attempt.quiz_id == quiz.id, Attempt.status == GRADED, Attempt.percent.is_not(None))


def bucket() -> ColumnElement[int]:
    """The 10-point bucket of the attempt percent; 100 % joins 90–100 (a CASE: portable, no floor)."""
    # Constants are written into the SQL, not bound, so PostgreSQL sees the GROUP BY expression
    # as the very one selected.
    width = 100 // BUCKETS
    whens: list[tuple[ColumnElement[bool], ColumnElement[int]]] = [
        (Attempt.percent < literal_column(str(width * (i + 1))), literal_column(str(i), Integer))
        for i in range(BUCKETS - 1)
    ]
    return case(*whens, else_=literal_column(str(BUCKETS - 1), Integer))


def _block() -> ColumnElement[int]:
    """The attempt's block (integer division on both databases; the constant written in, as above)."""
    return (Attempt.id // literal_column(str(BLOCK), Integer)).label("block")


def rest_correlation(n: int, sx: float, sxx: float, st: float, stt: float, sxt: float) -> float | None:
    """Pearson's r × 100 between marks x and rest-of-test marks y = t − x, from sums over x and t."""
    if n < 2:
        return None
    sy = st - sx
    sxy = sxt - sxx
    syy = stt - 2 * sxt + sxx
    var_x = n * sxx - sx * sx
    var_y = n * syy - sy * sy
    # Below this, a variance is rounding noise: the mark never varies.
    if var_x <= 1e-9 * max(n * sxx, 1.0) or var_y <= 1e-9 * max(n * syy, 1.0):
        return None
    r = (n * sxy - sx * sy) / (var_x * var_y) ** 0.5
    return max(-100.0, min(100.0, 100 * r))


@dataclass
class ChoiceItems:
    """The quiz's single- and multiple-choice question versions (their options are counted)."""

    singles: list[int] = field(default_factory=list)
    multiples: list[int] = field(default_factory=list)
    widest: int = 0

    def add(self, version: QuestionVersion) -> None:
        if version.type == "single":
            self.singles.append(version.id)
        elif version.type == "multiple":
            self.multiples.append(version.id)
            self.widest = max(self.widest, len(version.body.get("choices", [])))

    def fingerprint(self) -> str:
        """Which versions are counted and how: a block counted on other ones is counted again."""
        key = f"{sorted(self.singles)}|{sorted(self.multiples)}|{self.widest}"
        return hashlib.sha256(key.encode()).hexdigest()


@dataclass
class Sums:
    """A quiz's sums added up over its blocks."""

    #: Per bucket: [attempts, Σ percent, passed].
    buckets: list[list[float]] = field(default_factory=lambda: [[0, 0.0, 0] for _ in range(BUCKETS)])
    items: dict[str, list[float]] = field(default_factory=dict)
    choices: dict[str, dict[int, int]] = field(default_factory=dict)
    #: How many blocks were read again for these sums.
    computed: int = 0

    def add(self, saved: dict[str, Any]) -> None:
        """Add one block's saved sums (the JSON of `statistics_blocks.sums`)."""
        for index, (count, summed, passed) in saved.get("buckets", {}).items():
            row = self.buckets[int(index)]
            row[0] += count
            row[1] += summed
            row[2] += passed
        for key, values in saved.get("items", {}).items():
            total = self.items.setdefault(key, [0.0] * ITEM_SUMS)
            for i, value in enumerate(values):
                total[i] += value
        for key, options in saved.get("choices", {}).items():
            counted = self.choices.setdefault(key, {})
            for option, count in options.items():
                counted[int(option)] = counted.get(int(option), 0) + count

    def summary(self) -> tuple[int, float | None, float | None, list[int]]:
        """Count, mean, pass rate and the histogram."""
        histogram = [int(count) for count, _summed, _passed in self.buckets]
        total = sum(histogram)
        if not total:
            return 0, None, None, histogram
        percent_sum = sum(summed for _count, summed, _passed in self.buckets)
        passed = sum(p for _count, _summed, p in self.buckets)
        return total, percent_sum / total, 100 * passed / total, histogram

    def figures(self) -> dict[str, dict[str, Any]]:
        """Per question key: attempts, answered, facility and discrimination."""
        figures = {}
        for key, (given, answered, facility, rated, sx, sxx, st, stt, sxt) in self.items.items():
            figures[key] = {
                "attempts": int(given),
                "answered": int(answered),
                "facility": 100 * facility / rated if rated else None,
                "discrimination": rest_correlation(int(given), sx, sxx, st, stt, sxt),
            }
        return figures


def quiz_sums(session: Session, quiz: Quiz, choice_items: ChoiceItems) -> Sums:
    """The quiz's sums: saved blocks whose fingerprint holds, the others recomputed and saved."""
    counted_on = choice_items.fingerprint()
    current = {
        int(block): (int(count), until)
        for block, count, until in session.execute(
            select(_block(), func.count(), func.max(Attempt.graded_at))
            .where(graded(quiz))
            .group_by(literal_column("block"))
        ).tuples()
    }
    saved = {
        row.block: row
        for row in session.scalars(select(StatisticsBlock).where(StatisticsBlock.quiz_id == quiz.id))
    }
    stale = sorted(
        block
        for block, (count, until) in current.items()
        if block not in saved
        or (saved[block].attempts, _same(saved[block].graded_until), saved[block].questions)
        != (count, _same(until), counted_on)
    )
    fresh = _compute(session, quiz, stale, choice_items) if stale else {}
    sums = Sums(computed=len(fresh))
    for block in current:
        sums.add(fresh[block] if block in fresh else saved[block].sums)
    _save(session, quiz, fresh, current, saved, counted_on)
    return sums


def refresh_all(session: Session) -> int:
    """Bring every quiz's saved blocks up to date (`lms jobs run`), committing quiz by quiz, so the
    first view after a busy day (or after an upgrade) reads saved sums; how many blocks were read."""
    graded_quizzes = select(Attempt.quiz_id).where(Attempt.status == GRADED).distinct()
    computed = 0
    for quiz in session.scalars(select(Quiz).where(Quiz.id.in_(graded_quizzes)).order_by(Quiz.id)).all():
        choice_items = ChoiceItems()
        for version in session.scalars(
            select(QuestionVersion)
            .join(Question, Question.id == QuestionVersion.question_id)
            .where(Question.quiz_id == quiz.id)
        ):
            choice_items.add(version)
        computed += quiz_sums(session, quiz, choice_items).computed
        session.commit()
    return computed


def _same(moment: dt.datetime | None) -> str | None:
    """A grading time compared to the microsecond, whatever zone or type the database returned."""
    if moment is None:
        return None
    if isinstance(moment, str):  # SQLite's max() of a stored timestamp
        moment = dt.datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).isoformat()


def _save(
    session: Session,
    quiz: Quiz,
    fresh: dict[int, dict[str, Any]],
    current: dict[int, tuple[int, dt.datetime | None]],
    saved: dict[int, StatisticsBlock],
    counted_on: str,
) -> None:
    """Keep the recomputed blocks. Two views computing the same new block at once: the first one's
    row stays (both computed the same sums), the other keeps its report and saves nothing. A database
    that will not take the write now (a trainer's view reads in a read transaction: SQLite refuses to
    upgrade it when a learner's save committed since it began) leaves the blocks to the next view or
    `lms jobs run`; the report shown is right either way."""
    if not fresh:
        return
    try:
        with session.begin_nested():
            for block, sums in fresh.items():
                count, until = current[block]
                row = saved.get(block) or StatisticsBlock(quiz_id=quiz.id, block=block)
                row.attempts, row.graded_until, row.questions, row.sums = count, until, counted_on, sums
                session.add(row)
    except (IntegrityError, OperationalError):
        # Another view saved the block first, or the database would not take the write now: the
        # savepoint is rolled back, nothing is half-written, and the caller's report stands.
        pass


def _compute(
    session: Session, quiz: Quiz, blocks: list[int], choice_items: ChoiceItems
) -> dict[int, dict[str, Any]]:
    """The sums of these blocks, in three GROUP BY statements whatever their number."""
    block = _block()
    within = and_(
        graded(quiz),
        Attempt.id >= blocks[0] * BLOCK,
        Attempt.id < (blocks[-1] + 1) * BLOCK,
        block.in_(blocks),
    )
    result: dict[int, dict[str, Any]] = {b: {"buckets": {}, "items": {}, "choices": {}} for b in blocks}
    rated = bucket().label("bucket")
    for index, at, count, summed, passed in session.execute(
        select(
            block,
            rated,
            func.count(),
            func.sum(Attempt.percent),
            func.sum(case((Attempt.passed.is_(True), 1), else_=0)),
        )
        .where(within)
        .group_by(literal_column("block"), literal_column("bucket"))
    ).tuples():
        result[int(index)]["buckets"][str(int(at))] = [int(count), float(summed or 0), int(passed or 0)]
    for index, key, *values in session.execute(_item_sums(block, within)).tuples():
        result[int(index)]["items"][key] = [float(v or 0) for v in values]
    if choice_items.singles or choice_items.multiples:
        for index, key, option, count in session.execute(
            _choice_counts(block, within, choice_items)
        ).tuples():
            result[int(index)]["choices"].setdefault(key, {})[str(int(option))] = int(count)
    return result


def _item_sums(block: ColumnElement[int], within: ColumnElement[bool]) -> Select[Any]:
    mark = func.coalesce(AttemptItem.score, 0.0)
    total = func.coalesce(Attempt.score, 0.0)
    facility = case((AttemptItem.max_score > 0, mark / AttemptItem.max_score))
    return (
        select(
            block,
            AttemptItem.question_key,
            func.count(),
            # A saved response is always an object (save_response checks its shape); NULL is blank.
            func.count(AttemptItem.response),
            func.sum(facility),
            func.count(facility),
            func.sum(mark),
            func.sum(mark * mark),
            func.sum(total),
            func.sum(total * total),
            func.sum(mark * total),
        )
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(within)
        .group_by(literal_column("block"), AttemptItem.question_key)
    )


def _choice_counts(
    block: ColumnElement[int], within: ColumnElement[bool], choice_items: ChoiceItems
) -> Select[Any]:
    singles, multiples = choice_items.singles, choice_items.multiples
    items = (
        select(
            block,
            AttemptItem.question_key.label("key"),
            AttemptItem.question_version_id.label("version_id"),
            AttemptItem.response.label("response"),
        )
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(within, AttemptItem.question_version_id.in_(singles + multiples))
        .cte("choice_items")
    )
    # The CTE's response column keeps the JSON type, so the path operators compile per dialect.
    parts: list[Select[Any]] = []
    if singles:
        picked = items.c.response["choice"].as_integer()
        parts.append(
            select(items.c.block, items.c.key, picked.label("option")).where(items.c.version_id.in_(singles))
        )
    for slot in range(choice_items.widest if multiples else 0):
        picked = items.c.response[("choices", slot)].as_integer()
        parts.append(
            select(items.c.block, items.c.key, picked.label("option")).where(
                items.c.version_id.in_(multiples)
            )
        )
    chosen = union_all(*parts).subquery()
    return (
        select(chosen.c.block, chosen.c.key, chosen.c.option, func.count())
        .where(chosen.c.option.is_not(None))
        .group_by(chosen.c.block, chosen.c.key, chosen.c.option)
    )
