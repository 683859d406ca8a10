"""Multiple choice: pick every right option; weights add up, wrong picks may subtract."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from lms.content.gift_syntax import GiftParts
from lms.content.problems import Where
from lms.content.questions.base import (
    Grade,
    QuestionType,
    ResponseError,
    position,
    register,
    response_object,
    score_of,
)
from lms.content.questions.single import (
    choices_from_gift,
    choices_to_gift,
    parse_choices,
    public_choices,
    weight_of,
)

if TYPE_CHECKING:
    from lms.content.rulebook.book import RuleBook
    from lms.content.specs import QuestionSpec

#: How far the positive weights may miss 100 (Moodle writes thirds as 33.33333).
SUM_TOLERANCE = 0.05


@register
class MultipleChoice(QuestionType):
    """Pick every right option."""

    name = "multiple"
    keys = frozenset({"choices"})

    def parse(self, raw: dict[str, Any], where: Where) -> dict[str, Any]:
        """Choices whose positive weights add up to 100."""
        choices = parse_choices(raw, where)
        positive = sum(weight_of(c) for c in choices if weight_of(c) > 0)
        if choices and abs(positive - 100) > SUM_TOLERANCE:
            where(
                f"the positive weights add up to {positive:g}, not 100: "
                + ("full marks can never be reached" if positive < 100 else "full marks come too early"),
                "choices",
            )
        return {"choices": choices}

    def public(self, body: dict[str, Any], rng: random.Random | None) -> dict[str, Any]:
        """{"options": [{"index": file position, "text": …}, …]} in display order."""
        return public_choices(body, rng)

    def check_response(self, body: dict[str, Any], response: Any) -> None:
        """{"choices": [positions]}, each at most once (none is a valid, empty answer)."""
        chosen = response_object(response, {"choices"}, '{"choices": [positions]}')["choices"]
        if not isinstance(chosen, list):
            raise ResponseError("choices", "must be a list of positions")
        for value in chosen:
            position(value, len(body["choices"]), "choices")
        if len(set(chosen)) != len(chosen):
            raise ResponseError("choices", "a choice is given twice")

    def grade(
        self,
        body: dict[str, Any],
        points: float,
        response: Any,
        *,
        elapsed_seconds: float | None = None,
        book: RuleBook | None = None,
    ) -> Grade:
        """The sum of the chosen weights, clamped to 0..100 %."""
        self.check_response(body, response)
        chosen = sorted(response["choices"])
        total = sum(weight_of(body["choices"][i]) for i in chosen)
        feedback = [body["choices"][i]["feedback"] for i in chosen if body["choices"][i].get("feedback")]
        return Grade(score_of(points, total / 100), points, feedback, detail={"chosen": chosen})

    def review(
        self, body: dict[str, Any], response: Any = None, book: RuleBook | None = None
    ) -> dict[str, Any]:
        """Every choice with its weight and feedback, and which are right (weight above 0)."""
        out: dict[str, Any] = {
            "choices": body["choices"],
            "right": [i for i, c in enumerate(body["choices"]) if weight_of(c) > 0],
        }
        if isinstance(response, dict) and isinstance(response.get("choices"), list):
            out["chosen"] = sorted(i for i in response["choices"] if isinstance(i, int))
        return out

    def key_response(self, body: dict[str, Any]) -> Any:
        """Every option with a positive weight."""
        return {"choices": [i for i, c in enumerate(body["choices"]) if weight_of(c) > 0]}

    def from_gift(self, block: str, where: Where) -> dict[str, Any]:
        """`{~%50%right ~%50%also right ~%-100%wrong}`."""
        return choices_from_gift(block, where)

    def gift_parts(self, question: QuestionSpec) -> GiftParts | None:
        """Moodle's multichoice without an `=` answer (several may be picked)."""
        return GiftParts(question.text, choices_to_gift(question.body["choices"], single=False))
