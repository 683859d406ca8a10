"""Cloze: gaps `{{1}}`, `{{2}}`… in the text, each answered from its own list; equal share per gap."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from lms.content.gift_syntax import BLANK, GiftParts, escape
from lms.content.normalise import normalise, same_answer
from lms.content.problems import Where
from lms.content.questions.base import (
    MAX_SHORT,
    Grade,
    QuestionType,
    Reader,
    ResponseError,
    register,
    response_object,
    score_of,
)

if TYPE_CHECKING:
    from lms.content.rulebook.book import RuleBook
    from lms.content.specs import QuestionSpec

GAP = re.compile(r"\{\{(\d+)\}\}")


def gap_numbers(text: str) -> list[int]:
    """The gap numbers in a cloze text, in order of appearance."""
    return [int(n) for n in GAP.findall(text)]


def fits_one_gap(short: dict[str, Any]) -> bool:
    """Whether a GIFT short answer can be a one-gap cloze (cloze gaps hold no weights or feedback)."""
    answers = short.get("answers", [])
    return (
        bool(answers)
        and set(short) == {"answers"}
        and all(a.get("weight", 100) == 100 and set(a) <= {"text", "weight"} for a in answers)
    )


@register
class Cloze(QuestionType):
    """Fill in the gaps."""

    name = "cloze"
    keys = frozenset({"gaps"})

    def parse(self, raw: dict[str, Any], where: Where) -> dict[str, Any]:
        """`gaps[n-1]` answers gap `{{n}}`; the text holds {{1}}..{{n}} once each."""
        read = Reader(raw, where)
        gaps = []
        for index, table in read.tables("gaps"):
            at = ("gaps", index)
            read.unknown(table, {"answers"}, f"gap {index + 1}", at)
            answers = Reader(table, where).texts("answers", at=(*at, "answers"))
            if "answers" in table and not answers:
                where(f"gap {index + 1} needs at least one answer", *at)
            for number, answer in enumerate(answers, start=1):
                if not normalise(answer):
                    where(f"gap {index + 1}: answer {number} is only punctuation", *at)
            gaps.append({"answers": answers})
        numbers = gap_numbers(str(raw.get("text", "")))
        if isinstance(raw.get("gaps"), list) and sorted(numbers) != list(range(1, len(gaps) + 1)):
            written = ", ".join(f"{{{{{n}}}}}" for n in numbers) or "no gaps"
            where(
                f"the text has {written} but `gaps` lists {len(gaps)}: write {{{{1}}}}…{{{{n}}}} once each",
                "text",
            )
        return {"gaps": gaps}

    def public(self, body: dict[str, Any], rng: Any) -> dict[str, Any]:
        """How many gaps there are (the text marks where)."""
        return {"gaps": len(body["gaps"]), "max_length": MAX_SHORT}

    def check_response(self, body: dict[str, Any], response: Any) -> None:
        """{"gaps": ["...", …]}, one text per gap ("" for a gap left open)."""
        gaps = response_object(response, {"gaps"}, '{"gaps": ["...", ...]}')["gaps"]
        if not isinstance(gaps, list) or not all(isinstance(g, str) for g in gaps):
            raise ResponseError("gaps", "must be a list of texts")
        if len(gaps) != len(body["gaps"]):
            raise ResponseError("gaps", f"give {len(body['gaps'])} answers, one per gap")
        if any(len(g) > MAX_SHORT for g in gaps):
            raise ResponseError("gaps", f"an answer is longer than {MAX_SHORT} characters")

    def grade(
        self,
        body: dict[str, Any],
        points: float,
        response: Any,
        *,
        elapsed_seconds: float | None = None,
        book: RuleBook | None = None,
    ) -> Grade:
        """An equal share per gap answered with one of its answers."""
        self.check_response(body, response)
        right = [
            i
            for i, (gap, given) in enumerate(zip(body["gaps"], response["gaps"], strict=True))
            if any(same_answer(given, answer) for answer in gap["answers"])
        ]
        return Grade(score_of(points, len(right) / len(body["gaps"])), points, detail={"right_gaps": right})

    def review(
        self, body: dict[str, Any], response: Any = None, book: RuleBook | None = None
    ) -> dict[str, Any]:
        """Each gap's answers and, given a response, which gaps were right."""
        out: dict[str, Any] = {"gaps": body["gaps"]}
        if isinstance(response, dict) and isinstance(response.get("gaps"), list):
            out["right_gaps"] = [
                i
                for i, (gap, given) in enumerate(zip(body["gaps"], response["gaps"], strict=False))
                if isinstance(given, str) and any(same_answer(given, a) for a in gap["answers"])
            ]
        return out

    def key_response(self, body: dict[str, Any]) -> Any:
        """The first answer of every gap."""
        return {"gaps": [gap["answers"][0] for gap in body["gaps"]]}

    def from_gift(self, block: str, where: Where) -> dict[str, Any]:
        """A mid-sentence short answer `{=a =b}` as one gap (the caller puts {{1}} in the text)."""
        from lms.content.questions.short import ShortAnswer

        short = ShortAnswer().from_gift(block, where)
        return {"gaps": [{"answers": [a["text"] for a in short.get("answers", [])]}]}

    def gift_parts(self, question: QuestionSpec) -> GiftParts | None:
        """A one-gap cloze is Moodle's missing-word short answer; more gaps have no GIFT form."""
        if len(question.body["gaps"]) != 1 or question.text.count("{{1}}") != 1 or BLANK in question.text:
            return None
        block = "\n".join(
            f"\t={escape(a).replace('*', chr(92) + '*')}" for a in question.body["gaps"][0]["answers"]
        )
        return GiftParts(question.text.replace("{{1}}", BLANK), block)

    def gift_stand_in(self, question: QuestionSpec) -> GiftParts:
        """An essay whose text shows a blank for every gap."""
        return GiftParts(GAP.sub("___", question.text), "")
