"""When answers and feedback may be shown, per the quiz's review policy."""

from __future__ import annotations

from lms.domain.learning.attempts import QuizStatus
from lms.models import Quiz


def review_allowed(quiz: Quiz, status: QuizStatus) -> bool:
    """after_submit: always; after_pass: once passed or out of attempts; score_only/never: no."""
    if quiz.review == "after_submit":
        return True
    if quiz.review == "after_pass":
        return status.passed or status.attempts_left == 0
    return False
