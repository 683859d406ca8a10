"""Numeric answer: a value with a tolerance, or a range; several answers may carry weights."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lms.content.gift_syntax import (
    GiftParts,
    clean,
    feedback_text,
    number_text,
    parse_number,
    restore,
    split_answers,
    weight_text,
    weighted,
)
from lms.content.problems import Where
from lms.content.questions.base import (
    Grade,
    QuestionType,
    Reader,
    ResponseError,
    is_number,
    number_of,
    register,
    response_object,
    score_of,
)
from lms.content.questions.single import weight_of

if TYPE_CHECKING:
    from lms.content.rulebook.book import RuleBook
    from lms.content.specs import QuestionSpec

ANSWER_KEYS = {"value", "tolerance", "min", "max", "weight", "feedback"}


def hits(answer: dict[str, Any], value: float) -> bool:
    """Whether a number falls within an answer (a hair of float slack at the edges)."""
    if "min" in answer:
        low, high = float(answer["min"]), float(answer["max"])
    else:
        tolerance = float(answer.get("tolerance", 0))
        low, high = answer["value"] - tolerance, answer["value"] + tolerance
    slack = 1e-9 * max(1.0, abs(low), abs(high))
    return low - slack <= value <= high + slack


@register
class Numeric(QuestionType):
    """Type a number."""

    name = "numeric"
    keys = frozenset({"answers", "other_feedback"})

    def parse(self, raw: dict[str, Any], where: Where) -> dict[str, Any]:
        """Answers as `value` ± `tolerance` or `min`..`max`, each with a weight (default 100)."""
        read = Reader(raw, where)
        answers = []
        for index, table in read.tables("answers"):
            at = ("answers", index)
            what = f"answer {index + 1}"
            read.unknown(table, ANSWER_KEYS, what, at)
            answer: dict[str, Any] = {}
            has_value, has_range = "value" in table, "min" in table or "max" in table
            if has_value and has_range:
                where(f"{what}: give `value` (and `tolerance`) or `min` and `max`, not both", *at)
            elif has_value:
                value, tolerance = table["value"], table.get("tolerance", 0)
                if not is_number(value):
                    where(f"{what}: `value` must be a number (is {value!r})", *at)
                elif not is_number(tolerance) or tolerance < 0:
                    where(f"{what}: `tolerance` must be a number of 0 or more (is {tolerance!r})", *at)
                else:
                    answer.update(value=value, tolerance=tolerance)
            elif has_range:
                low: Any = table.get("min")
                high: Any = table.get("max")
                if not is_number(low) or not is_number(high):
                    where(f"{what}: a range needs numbers `min` and `max` (has {low!r} and {high!r})", *at)
                elif low > high:
                    where(f"{what}: `min` ({low:g}) is larger than `max` ({high:g})", *at)
                else:
                    answer.update(min=low, max=high)
                if "tolerance" in table:
                    where(f"{what}: `tolerance` goes with `value`, not with a range", *at)
            else:
                where(f"{what}: give `value` (and `tolerance`) or `min` and `max`", *at)
            answer["weight"] = table.get("weight", 100)
            read.weight(table, at, 100)
            if isinstance(table.get("feedback"), str) and table["feedback"]:
                answer["feedback"] = table["feedback"]
            elif table.get("feedback") is not None and not isinstance(table["feedback"], str):
                where(f"{what}: `feedback` must be text", *at)
            if "value" in answer or "min" in answer:
                answers.append(answer)
        if answers and not any(weight_of(a) == 100 for a in answers):
            where("no answer has weight 100: nobody can get full marks", "answers")
        body: dict[str, Any] = {"answers": answers}
        other = read.text("other_feedback", required=False)
        if other:
            body["other_feedback"] = other
        return body

    def check_response(self, body: dict[str, Any], response: Any) -> None:
        """{"value": a number}."""
        value = response_object(response, {"value"}, '{"value": a number}')["value"]
        if not is_number(value):
            raise ResponseError("value", f"must be a number (is {value!r})")

    def grade(
        self,
        body: dict[str, Any],
        points: float,
        response: Any,
        *,
        elapsed_seconds: float | None = None,
        book: RuleBook | None = None,
    ) -> Grade:
        """The best weight among the answers the number falls within."""
        self.check_response(body, response)
        value = float(response["value"])
        best, found = 0.0, None
        for answer in body["answers"]:
            if hits(answer, value) and (found is None or weight_of(answer) / 100 > best):
                best, found = weight_of(answer) / 100, answer
        if found is not None:
            feedback = [found["feedback"]] if found.get("feedback") else []
        else:
            feedback = [body["other_feedback"]] if body.get("other_feedback") else []
        return Grade(score_of(points, best), points, feedback, detail={"matched": found is not None})

    def key_response(self, body: dict[str, Any]) -> Any:
        """The first full-credit value (a range's middle)."""
        answer = next(a for a in body["answers"] if weight_of(a) == 100)
        if "value" in answer:
            return {"value": answer["value"]}
        return {"value": (answer["min"] + answer["max"]) / 2}

    def from_gift(self, block: str, where: Where) -> dict[str, Any]:
        """`{#1822:5}`, `{#3.141..3.142}`, `{#=1822:0 =%50%1822:2 ~#feedback for the rest}`."""
        inner = block.strip()[1:]  # the leading '#'
        inner, tilde, wrong = inner.partition("~")
        lead, answers = split_answers(inner, "=")
        pieces = ([("=", lead)] if lead.strip() else []) + answers
        raw: dict[str, Any] = {"answers": []}
        for _marker, rest in pieces:
            part = weighted(rest)
            if part.problem:
                where(part.problem)
            spec = restore(part.text).strip()
            answer: dict[str, Any] = {}
            if ".." in spec:
                low_text, _, high_text = spec.partition("..")
                low, high = parse_number(low_text), parse_number(high_text)
                if low is None or high is None:
                    where(f"{spec!r} is not a range of two numbers (write 3.141..3.142)")
                    continue
                answer.update(min=low, max=high)
            else:
                value_text, colon, tolerance_text = spec.partition(":")
                value = parse_number(value_text)
                tolerance = parse_number(tolerance_text) if colon else 0
                if value is None or tolerance is None:
                    where(f"{spec!r} is not a number (write 1822, 1822:2 or 3.141..3.142)")
                    continue
                answer.update(value=value, tolerance=tolerance)
            answer["weight"] = number_of(part.weight) if part.weight is not None else 100
            if part.feedback:
                answer["feedback"] = clean(part.feedback)
            raw["answers"].append(answer)
        if tilde:
            other = weighted(wrong)
            if other.text.strip():
                where(
                    f"a wrong answer {clean(other.text)!r} in a numeric question cannot be kept "
                    "(after ~ only #feedback for every other number)"
                )
            if other.feedback:
                raw["other_feedback"] = clean(other.feedback)
        if not raw["answers"]:
            where("the numeric question has no answer")
        return raw

    def gift_parts(self, question: QuestionSpec) -> GiftParts | None:
        """Moodle's numerical: one `=value:tolerance` or `=min..max` line per answer."""
        lines = []
        for answer in question.body["answers"]:
            weight = weight_of(answer)
            mark = "=" if weight == 100 else "=" + weight_text(weight)
            if "min" in answer:
                spec = f"{number_text(answer['min'])}..{number_text(answer['max'])}"
            else:
                spec = f"{number_text(answer['value'])}:{number_text(answer['tolerance'])}"
            lines.append(f"\t{mark}{spec}{feedback_text(answer.get('feedback'))}")
        if question.body.get("other_feedback"):
            lines.append(f"\t~{feedback_text(question.body['other_feedback'])}")
        return GiftParts(question.text, "#\n" + "\n".join(lines))
