"""Essay: a written answer graded by a trainer against a rubric."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lms.content.gift_syntax import GiftParts
from lms.content.problems import Where
from lms.content.questions.base import Grade, QuestionType, Reader, register, text_response

if TYPE_CHECKING:
    from lms.content.rulebook.book import RuleBook
    from lms.content.specs import QuestionSpec


@register
class Essay(QuestionType):
    """Write an answer; a trainer grades it."""

    name = "essay"
    keys = frozenset({"rubric"})
    manual = True

    def parse(self, raw: dict[str, Any], where: Where) -> dict[str, Any]:
        """An optional `rubric` for the trainer."""
        rubric = Reader(raw, where).text("rubric", required=False)
        return {"rubric": rubric} if rubric else {}

    def check_response(self, body: dict[str, Any], response: Any) -> None:
        """{"text": "..."}."""
        text_response(response)

    def grade(
        self,
        body: dict[str, Any],
        points: float,
        response: Any,
        *,
        elapsed_seconds: float | None = None,
        book: RuleBook | None = None,
    ) -> Grade:
        """Always 0 and waiting for a trainer."""
        self.check_response(body, response)
        return Grade(0.0, points, needs_review=True)

    def key_response(self, body: dict[str, Any]) -> Any:
        """None: only a person can judge an essay."""
        return None

    def from_gift(self, block: str, where: Where) -> dict[str, Any]:
        """`{}`."""
        if block.strip():
            where("an essay's answer block must be empty: {}")
        return {}

    def gift_parts(self, question: QuestionSpec) -> GiftParts | None:
        """`{}` (a rubric has no GIFT form)."""
        return None if question.body.get("rubric") else GiftParts(question.text, "")
