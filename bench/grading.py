"""How fast the engine grades: a 50-question attempt drawn from the shipped quizzes."""

from __future__ import annotations

import random
import time
from typing import Any

from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.content.questions import get_type
from lms.content.specs import QuestionSpec


def sample_response(q: QuestionSpec, rng: random.Random) -> Any:
    """A plausible answer of the right shape for any question."""
    body = q.body
    match q.type:
        case "single":
            return {"choice": rng.randrange(len(body["choices"]))}
        case "multiple":
            return {"choices": rng.sample(range(len(body["choices"])), 2)}
        case "truefalse":
            return {"value": rng.random() < 0.5}
        case "numeric":
            return {"value": rng.randint(0, 100)}
        case "matching":
            order = list(range(len(body["pairs"])))
            rng.shuffle(order)
            return {"pairs": {str(i): j for i, j in enumerate(order)}}
        case "ordering":
            order = list(range(len(body["items"])))
            rng.shuffle(order)
            return {"order": order}
        case "cloze":
            return {"gaps": [g["answers"][0] for g in body["gaps"]]}
        case "reply":
            return {"text": body.get("model_answer", "亲，在的")}
        case _:
            return {"text": "七天无理由 72 hours"}


def bench_grading(rounds: int = 200) -> dict[str, float]:
    """Grade 50-question attempts `rounds` times; report time per question and per attempt."""
    tree, _problems = check(PROJECT_ROOT)
    pool = [q for quiz in tree.quizzes.values() for q in quiz.questions]
    rng = random.Random(7)
    attempt = [rng.choice(pool) for _ in range(50)]
    answers = [sample_response(q, rng) for q in attempt]
    start = time.perf_counter()
    for _ in range(rounds):
        for q, response in zip(attempt, answers, strict=True):
            qtype = get_type(q.type)
            qtype.check_response(q.body, response)
            qtype.grade(q.body, q.points, response, elapsed_seconds=15)
    elapsed = time.perf_counter() - start
    per_question = elapsed / (rounds * len(attempt))
    return {
        "questions": len(attempt),
        "per_question_us": per_question * 1e6,
        "per_attempt_ms": per_question * len(attempt) * 1e3,
    }
