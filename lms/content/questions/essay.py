"""Essay: a written answer graded by a trainer against a rubric."""

from __future__ import annotations

from typing import Any

from lms.content.questions.base import Grade, QuestionType, Report, register
from lms.content.questions.short import check_text_response


@register
class Essay(QuestionType):
    """Write an answer; a trainer grades it."""

    name = "essay"
    keys = frozenset({"rubric"})
    manual = True

    def parse(self, raw: dict[str, Any], report: Report) -> dict[str, Any]:
        rubric = raw.get("rubric", "")
        if not isinstance(rubric, str):
            report("`rubric` must be text", "rubric")
            rubric = ""
        return {"rubric": rubric} if rubric else {}

    def check_response(self, body: dict[str, Any], response: Any) -> None:
        check_text_response(response)

    def grade(
        self, body: dict[str, Any], points: float, response: Any, *, elapsed_seconds: float | None = None
    ) -> Grade:
        return Grade(0.0, points, needs_review=bool(response["text"].strip()))
