"""Question statistics at scale: 50,000 graded attempts at one quiz, pages against the bare-Flask ceiling."""

from __future__ import annotations

import datetime as dt
import math
import random
import shutil
import time
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from bench.grading import sample_response
from bench.pages import PASSWORD, _bare_ceiling, _rps, bench_app, first_request
from lms.content.questions import get_type
from lms.content.specs import QuestionSpec
from lms.models import Attempt, AttemptItem, Question, Quiz, Role, User

QUIZ = "warehouse-week-check"
ATTEMPTS_PER_LEARNER = 10
BATCH = 20_000
T0 = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


def _answer_pool(q: QuestionSpec, rng: random.Random) -> list[tuple[Any, float, float]]:
    """(response, score, max) triples for one question, graded for real, the key's answer last."""
    qtype = get_type(q.type)
    responses = [qtype.key_response(q.body)] + [sample_response(q, rng) for _ in range(12)]
    if q.type == "single":
        responses += [{"choice": i} for i in range(len(q.body["choices"]))]
    pool = []
    for response in responses:
        grade = qtype.grade(q.body, q.points, response, elapsed_seconds=15)
        score = rng.uniform(0, grade.max) if grade.needs_review else grade.score
        pool.append((response, max(0.0, float(score)), float(grade.max)))
    return sorted(pool, key=lambda p: p[1])


def seed_attempts(session: Session, quiz: Quiz, specs: list[QuestionSpec], attempts: int) -> None:
    """`attempts` graded attempts by learners of varied ability, bulk-inserted in batches."""
    rng = random.Random(11)
    versions = dict(
        session.execute(select(Question.key, Question.current_version_id).where(Question.quiz_id == quiz.id))
        .tuples()
        .all()
    )
    # Item response theory, roughly: a learner of ability a gets a question of difficulty d right
    # with probability 1 / (1 + e^(d - a)), else gives one of the sampled (mostly wrong) answers.
    pools = [(q, versions[q.id], _answer_pool(q, rng), rng.uniform(-0.5, 2.0)) for q in specs]
    learners = -(-attempts // ATTEMPTS_PER_LEARNER)
    session.execute(
        insert(User),
        [{"username": f"stat{i}", "display_name": f"Learner {i}", "locale": "en"} for i in range(learners)],
    )
    user_ids = session.scalars(select(User.id).where(User.username.like("stat%")).order_by(User.id)).all()
    first_id = (session.scalar(select(Attempt.id).order_by(Attempt.id.desc()).limit(1)) or 0) + 1
    ability = [rng.gauss(0.0, 1.0) for _ in user_ids]
    attempt_rows: list[dict[str, Any]] = []
    item_rows: list[dict[str, Any]] = []
    for n in range(attempts):
        learner = n // ATTEMPTS_PER_LEARNER
        skill = ability[learner]
        attempt_id = first_id + n
        score = maximum = 0.0
        for position, (q, version_id, pool, difficulty) in enumerate(pools):
            right = rng.random() < 1 / (1 + math.exp(difficulty - skill))
            response, item_score, item_max = pool[-1] if right else rng.choice(pool)
            score, maximum = score + item_score, maximum + item_max
            item_rows.append(
                {
                    "attempt_id": attempt_id,
                    "position": position,
                    "question_key": q.id,
                    "question_version_id": version_id,
                    "display": {},
                    "response": response,
                    "score": item_score,
                    "max_score": item_max,
                    "feedback": [],
                    "needs_review": False,
                }
            )
        percent = round(100 * score / maximum, 2) if maximum else 0.0
        when = T0 + dt.timedelta(minutes=n)
        attempt_rows.append(
            {
                "id": attempt_id,
                "user_id": user_ids[learner],
                "quiz_id": quiz.id,
                "number": n % ATTEMPTS_PER_LEARNER + 1,
                "status": "graded",
                "started_at": when,
                "submitted_at": when,
                "graded_at": when,
                "score": round(score, 4),
                "max_score": round(maximum, 4),
                "percent": percent,
                "passed": percent >= quiz.pass_percent,
                "seed": n,
            }
        )
        if len(item_rows) >= BATCH or n == attempts - 1:
            session.execute(insert(Attempt), attempt_rows)
            session.execute(insert(AttemptItem), item_rows)
            attempt_rows, item_rows = [], []
    if session.get_bind().dialect.name == "postgresql":
        # The attempts carry their own ids: move the sequence past them, or the next attempt a
        # learner starts collides with one of these.
        session.execute(
            text("SELECT setval(pg_get_serial_sequence('attempts', 'id'), (SELECT max(id) FROM attempts))")
        )
    session.commit()


def bench_statistics(attempts: int = 50_000, seconds: float = 2.0) -> dict[str, Any]:
    """Seed `attempts` graded attempts on SQLite; time the statistics pages against bare Flask."""
    app, tmp, tree = bench_app("trainer", Role.TRAINER, "lms-bench-stats-")
    database = app.extensions["lms.db"]
    session = database.session()
    quiz = session.scalars(select(Quiz).where(Quiz.slug == QUIZ)).one()
    started = time.perf_counter()
    seed_attempts(session, quiz, list(tree.quizzes[QUIZ].questions), attempts)
    seed_seconds = time.perf_counter() - started
    items = attempts * len(tree.quizzes[QUIZ].questions)
    session.close()
    ceiling = _bare_ceiling(seconds)
    client = app.test_client()
    client.post("/login", data={"username": "trainer", "password": PASSWORD})
    rows = []
    for name, path in (
        ("statistics index", "/author/statistics/"),
        ("quiz statistics", f"/author/statistics/quizzes/{QUIZ}"),
        ("quiz statistics CSV", f"/author/statistics/quizzes/{QUIZ}.csv"),
    ):
        measured = first_request(database, client, path)
        queries, first_ms = measured.queries, measured.ms
        rps = _rps(client, path, seconds)
        rows.append(
            {
                "page": name,
                "rps": rps,
                "ceiling_rps": ceiling,
                "ratio": rps / ceiling,
                "queries": queries,
                "first_ms": first_ms,
            }
        )
    database.engine.dispose()
    shutil.rmtree(tmp, ignore_errors=True)  # about 100 MB at 50,000 attempts
    return {"attempts": attempts, "items": items, "seed_seconds": seed_seconds, "pages": rows}
