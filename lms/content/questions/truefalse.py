"""True or false, with feedback for each answer."""

from __future__ import annotations

from typing import Any

from lms.content.questions.base import Grade, QuestionType, Report, ResponseError, register, require_dict


@register
class TrueFalse(QuestionType):
    """A statement to judge."""

    name = "truefalse"
    keys = frozenset({"answer", "feedback_true", "feedback_false"})

    def parse(self, raw: dict[str, Any], report: Report) -> dict[str, Any]:
        answer = raw.get("answer")
        if not isinstance(answer, bool):
            report("`answer` must be true or false", "answer" if "answer" in raw else None)
            answer = True
        body: dict[str, Any] = {"answer": answer}
        for key in ("feedback_true", "feedback_false"):
            if raw.get(key):
                body[key] = str(raw[key])
        return body

    def check_response(self, body: dict[str, Any], response: Any) -> None:
        data = require_dict(response)
        if set(data) != {"value"} or not isinstance(data["value"], bool):
            raise ResponseError('expected {"value": true or false}', "value")

    def grade(
        self, body: dict[str, Any], points: float, response: Any, *, elapsed_seconds: float | None = None
    ) -> Grade:
        value = response["value"]
        note = body.get("feedback_true" if value else "feedback_false")
        return Grade(points if value == body["answer"] else 0.0, points, [note] if note else [])
