"""True or false: a statement to judge, with feedback for each answer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lms.content.gift_syntax import GiftParts, clean, escape
from lms.content.problems import Where
from lms.content.questions.base import (
    Grade,
    QuestionType,
    ResponseError,
    feedback_list,
    register,
    response_object,
    score_of,
)

if TYPE_CHECKING:
    from lms.content.rulebook.book import RuleBook
    from lms.content.specs import QuestionSpec

GIFT_WORDS = {"T": True, "TRUE": True, "F": False, "FALSE": False}


@register
class TrueFalse(QuestionType):
    """A statement to judge."""

    name = "truefalse"
    keys = frozenset({"answer", "feedback_true", "feedback_false"})

    def parse(self, raw: dict[str, Any], where: Where) -> dict[str, Any]:
        """`answer` (true or false) and the feedback shown to whoever answers true or false."""
        answer = raw.get("answer")
        if not isinstance(answer, bool):
            where("`answer` must be true or false", *(("answer",) if "answer" in raw else ()))
            answer = True
        body: dict[str, Any] = {"answer": answer}
        for key in ("feedback_true", "feedback_false"):
            value = raw.get(key)
            if value is not None and not isinstance(value, str):
                where(f"`{key}` must be text", key)
            elif value:
                body[key] = value
        return body

    def check_response(self, body: dict[str, Any], response: Any) -> None:
        """{"value": true or false}."""
        value = response_object(response, {"value"}, '{"value": true or false}')["value"]
        if not isinstance(value, bool):
            raise ResponseError("value", "must be true or false")

    def grade(
        self,
        body: dict[str, Any],
        points: float,
        response: Any,
        *,
        elapsed_seconds: float | None = None,
        book: RuleBook | None = None,
    ) -> Grade:
        """All or nothing; the feedback for the answer given."""
        self.check_response(body, response)
        value = response["value"]
        note = body.get("feedback_true" if value else "feedback_false")
        return Grade(score_of(points, float(value == body["answer"])), points, feedback_list(note))

    def key_response(self, body: dict[str, Any]) -> Any:
        """The right value."""
        return {"value": body["answer"]}

    def from_gift(self, block: str, where: Where) -> dict[str, Any]:
        """`{TRUE}`, `{F#feedback for a wrong answer#feedback for a right one}`."""
        word, *notes = block.split("#", 2)
        answer = GIFT_WORDS.get(word.strip())
        if answer is None:
            where(f"{clean(word)!r} is not T, TRUE, F or FALSE")
            answer = True
        wrong = clean(notes[0]) if notes else ""
        right = clean(notes[1]) if len(notes) > 1 else ""
        raw: dict[str, Any] = {"answer": answer}
        # GIFT names feedback by right and wrong; we name it by the answer the learner gives.
        on_true, on_false = (right, wrong) if answer else (wrong, right)
        if on_true:
            raw["feedback_true"] = on_true
        if on_false:
            raw["feedback_false"] = on_false
        return raw

    def gift_parts(self, question: QuestionSpec) -> GiftParts | None:
        """`TRUE#wrong#right`, as Moodle writes it."""
        body = question.body
        answer = body["answer"]
        right = body.get("feedback_true" if answer else "feedback_false", "")
        wrong = body.get("feedback_false" if answer else "feedback_true", "")
        block = "TRUE" if answer else "FALSE"
        if wrong:
            block += "#" + escape(wrong)
        elif right:
            block += "#"
        if right:
            block += "#" + escape(right)
        return GiftParts(question.text, block)
