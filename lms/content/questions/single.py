"""Single choice: pick one option; the right one has weight 100, others may carry part credit."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from lms.content.gift_syntax import (
    GiftParts,
    clean,
    escape,
    feedback_text,
    split_answers,
    weight_text,
    weighted,
)
from lms.content.problems import Where
from lms.content.questions.base import (
    Grade,
    QuestionType,
    Reader,
    feedback_list,
    number_of,
    position,
    register,
    response_object,
    score_of,
    shuffled,
)

if TYPE_CHECKING:
    from lms.content.rulebook.book import RuleBook
    from lms.content.specs import QuestionSpec

CHOICE_KEYS = {"text", "weight", "feedback"}


def parse_choices(raw: dict[str, Any], where: Where) -> list[dict[str, Any]]:
    """The `choices` list: text, weight (percent), optional feedback; at least two, texts distinct."""
    read = Reader(raw, where)
    choices = []
    seen: dict[str, int] = {}
    for index, table in read.tables("choices"):
        at = ("choices", index)
        read.unknown(table, CHOICE_KEYS, f"choice {index + 1}", at)
        text = table.get("text")
        if not isinstance(text, str) or not text.strip():
            where(f"choice {index + 1} needs a `text`", *at)
            text = str(text or "")
        choice: dict[str, Any] = {"text": text, "weight": table.get("weight", 0)}
        read.weight(table, at, 0)
        feedback = table.get("feedback")
        if feedback is not None:
            if not isinstance(feedback, str):
                where(f"choice {index + 1}: `feedback` must be text", *at)
            elif feedback:
                choice["feedback"] = feedback
        key = text.strip()
        if key and key in seen:
            where(f"choices {seen[key] + 1} and {index + 1} have the same text", *at)
        seen.setdefault(key, index)
        choices.append(choice)
    if "choices" in raw and isinstance(raw["choices"], list) and len(choices) < 2:
        where("give at least two choices", "choices")
    return choices


def weight_of(choice: dict[str, Any]) -> float:
    """A choice's weight as a number (a bad one counts as 0; parse has reported it)."""
    value = choice.get("weight", 0)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def public_choices(body: dict[str, Any], rng: random.Random | None) -> dict[str, Any]:
    """The options in display order, each addressed by its position in the file."""
    return {
        "options": [
            {"index": i, "text": body["choices"][i]["text"]} for i in shuffled(len(body["choices"]), rng)
        ]
    }


def choices_from_gift(block: str, where: Where) -> dict[str, Any]:
    """`=right#feedback ~%50%half ~wrong` into a `choices` list."""
    lead, answers = split_answers(block, "=~")
    if lead.strip():
        where(f"text before the first = or ~ in the answers: {clean(lead)!r}")
    choices = []
    for marker, rest in answers:
        part = weighted(rest)
        if part.problem:
            where(part.problem)
        if marker == "=":
            if part.weight is not None:
                where("a right answer (=) takes no %weight%; write ~%n% for a weighted one")
            weight = 100.0
        else:
            weight = part.weight if part.weight is not None else 0.0
        choice: dict[str, Any] = {"text": clean(part.text), "weight": number_of(weight)}
        feedback = clean(part.feedback)
        if feedback:
            choice["feedback"] = feedback
        choices.append(choice)
    return {"choices": choices}


def choices_to_gift(choices: list[dict[str, Any]], single: bool) -> str:
    """The answer block lines, as Moodle writes them."""
    lines = []
    for choice in choices:
        weight = weight_of(choice)
        if single and weight == 100:
            mark = "="
        elif weight == 0:
            mark = "~"
        else:
            mark = "~" + weight_text(weight)
        lines.append(f"\t{mark}{escape(choice['text'])}{feedback_text(choice.get('feedback'))}")
    return "\n".join(lines)


@register
class SingleChoice(QuestionType):
    """Pick one option."""

    name = "single"
    keys = frozenset({"choices"})

    def parse(self, raw: dict[str, Any], where: Where) -> dict[str, Any]:
        """Choices with exactly one at weight 100."""
        choices = parse_choices(raw, where)
        full = [i for i, c in enumerate(choices) if weight_of(c) == 100]
        if choices and not full:
            where(
                "no choice has weight 100: a single-choice question needs exactly one right answer", "choices"
            )
        elif len(full) > 1:
            where(
                f"choices {', '.join(str(i + 1) for i in full)} all have weight 100: "
                'a single-choice question has one right answer (use type = "multiple" for several)',
                "choices",
                full[1],
            )
        return {"choices": choices}

    def public(self, body: dict[str, Any], rng: random.Random | None) -> dict[str, Any]:
        """{"options": [{"index": file position, "text": …}, …]} in display order."""
        return public_choices(body, rng)

    def check_response(self, body: dict[str, Any], response: Any) -> None:
        """{"choice": position}."""
        data = response_object(response, {"choice"}, '{"choice": position}')
        position(data["choice"], len(body["choices"]), "choice")

    def grade(
        self,
        body: dict[str, Any],
        points: float,
        response: Any,
        *,
        elapsed_seconds: float | None = None,
        book: RuleBook | None = None,
    ) -> Grade:
        """The chosen option's weight (a negative one scores 0)."""
        self.check_response(body, response)
        chosen = response["choice"]
        choice = body["choices"][chosen]
        return Grade(
            score_of(points, weight_of(choice) / 100),
            points,
            feedback_list(choice.get("feedback")),
            detail={"chosen": [chosen]},
        )

    def review(
        self, body: dict[str, Any], response: Any = None, book: RuleBook | None = None
    ) -> dict[str, Any]:
        """Every choice with its weight and feedback, and which are right."""
        out: dict[str, Any] = {
            "choices": body["choices"],
            "right": [i for i, c in enumerate(body["choices"]) if weight_of(c) == 100],
        }
        if isinstance(response, dict) and isinstance(response.get("choice"), int):
            out["chosen"] = [response["choice"]]
        return out

    def key_response(self, body: dict[str, Any]) -> Any:
        """The option with weight 100."""
        return {"choice": next(i for i, c in enumerate(body["choices"]) if weight_of(c) == 100)}

    def from_gift(self, block: str, where: Where) -> dict[str, Any]:
        """`{=right ~wrong ~%50%half}`."""
        return choices_from_gift(block, where)

    def gift_parts(self, question: QuestionSpec) -> GiftParts | None:
        """Moodle's multichoice with one `=` answer."""
        return GiftParts(question.text, choices_to_gift(question.body["choices"], single=True))
