"""Short answer: typed text, compared normalised, with several accepted answers or a pattern."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from lms.content.gift_syntax import (
    BACKSLASH,
    GiftParts,
    clean,
    escape,
    feedback_text,
    restore,
    split_answers,
    weight_text,
    weighted,
)
from lms.content.normalise import normalise
from lms.content.problems import Where
from lms.content.questions.base import (
    MAX_SHORT,
    Grade,
    QuestionType,
    Reader,
    number_of,
    register,
    score_of,
    text_response,
)
from lms.content.questions.single import weight_of

if TYPE_CHECKING:
    from lms.content.rulebook.book import RuleBook
    from lms.content.specs import QuestionSpec

ANSWER_KEYS = {"text", "weight", "feedback"}
_TRAILING = re.compile(r"[\s.!?,;:。！？，；：]+$")


@lru_cache(maxsize=1024)
def compiled(pattern: str) -> re.Pattern[str]:
    """A trainer's pattern, compiled once (case-insensitive)."""
    return re.compile(pattern, re.IGNORECASE)


def pattern_matches(pattern: str, text: str) -> bool:
    """Whether the whole answer (width-folded, trimmed, with or without end punctuation) matches."""
    folded = unicodedata.normalize("NFKC", text).strip()
    regex = compiled(pattern)
    return bool(regex.fullmatch(folded) or regex.fullmatch(_TRAILING.sub("", folded)))


def best_answer(body: dict[str, Any], typed: str) -> tuple[float, dict[str, Any] | None]:
    """The highest weight (as a fraction) among the answers equal to `typed`, and that answer."""
    given = normalise(typed)
    best, found = 0.0, None
    if given:
        for answer in body.get("answers", []):
            if normalise(answer["text"]) == given and (found is None or weight_of(answer) > best * 100):
                best, found = weight_of(answer) / 100, answer
    return best, found


def wildcard_pattern(protected: str) -> str:
    """Moodle's `*` wildcard (`\\*` is a literal star) as a regular expression."""
    pieces = re.split(r"(?<!\\)\*", protected)
    return ".*".join(re.escape(restore(p.replace("\\*", "*"))) for p in pieces)


@register
class ShortAnswer(QuestionType):
    """Type a word, a phrase or a number as text."""

    name = "short"
    keys = frozenset({"answers", "pattern", "other_feedback"})

    def parse(self, raw: dict[str, Any], where: Where) -> dict[str, Any]:
        """Accepted answers (weight 100 unless said), an optional pattern, feedback for the rest."""
        read = Reader(raw, where)
        answers = []
        seen: dict[str, int] = {}
        for index, table in read.tables("answers", required="pattern" not in raw):
            at = ("answers", index)
            read.unknown(table, ANSWER_KEYS, f"answer {index + 1}", at)
            text = table.get("text")
            if not isinstance(text, str) or not normalise(text):
                where(f"answer {index + 1} needs a `text` that is not blank or punctuation only", *at)
                text = str(text or "")
            answer: dict[str, Any] = {"text": text, "weight": table.get("weight", 100)}
            read.weight(table, at, 100)
            if isinstance(table.get("feedback"), str) and table["feedback"]:
                answer["feedback"] = table["feedback"]
            elif table.get("feedback") is not None and not isinstance(table["feedback"], str):
                where(f"answer {index + 1}: `feedback` must be text", *at)
            key = normalise(text)
            if key and key in seen:
                where(f"answers {seen[key] + 1} and {index + 1} are the same once normalised", *at)
            seen.setdefault(key, index)
            answers.append(answer)
        body: dict[str, Any] = {"answers": answers}
        pattern = raw.get("pattern")
        if pattern is not None:
            if not isinstance(pattern, str) or not pattern:
                where("`pattern` must be a regular expression (text)", "pattern")
            else:
                try:
                    compiled(pattern)
                except re.error as err:
                    where(f"`pattern` is not a valid regular expression: {err}", "pattern")
                body["pattern"] = pattern
        other = read.text("other_feedback", required=False)
        if other:
            body["other_feedback"] = other
        if answers and not pattern and not any(weight_of(a) == 100 for a in answers):
            where("no answer has weight 100 and there is no `pattern`: nobody can get full marks", "answers")
        return body

    def public(self, body: dict[str, Any], rng: Any) -> dict[str, Any]:
        """The longest answer the box takes."""
        return {"max_length": MAX_SHORT}

    def check_response(self, body: dict[str, Any], response: Any) -> None:
        """{"text": "..."}."""
        text_response(response, MAX_SHORT)

    def grade(
        self,
        body: dict[str, Any],
        points: float,
        response: Any,
        *,
        elapsed_seconds: float | None = None,
        book: RuleBook | None = None,
    ) -> Grade:
        """The best matching answer's weight; the pattern gives full marks."""
        typed = text_response(response, MAX_SHORT)
        best, found = best_answer(body, typed)
        feedback = [found["feedback"]] if found and found.get("feedback") else []
        matched = "answer" if found else None
        if best < 1 and body.get("pattern") and typed.strip() and pattern_matches(body["pattern"], typed):
            best, feedback, matched = 1.0, [], "pattern"
        if matched is None and body.get("other_feedback"):
            feedback = [body["other_feedback"]]
        return Grade(score_of(points, best), points, feedback, detail={"matched": matched})

    def key_response(self, body: dict[str, Any]) -> Any:
        """The first answer worth full marks (None when only the pattern gives them)."""
        full = [a["text"] for a in body["answers"] if weight_of(a) == 100]
        return {"text": full[0]} if full else None

    def from_gift(self, block: str, where: Where) -> dict[str, Any]:
        """`{=answer =%50%partial#feedback =%0%*#for anything else}`; `*` is Moodle's wildcard."""
        lead, answers = split_answers(block, "=")
        pieces = ([("=", lead)] if lead.strip() else []) + answers  # `{Paris}` is one answer in Moodle
        raw: dict[str, Any] = {"answers": []}
        for _marker, rest in pieces:
            part = weighted(rest)
            if part.problem:
                where(part.problem)
            weight = part.weight if part.weight is not None else 100.0
            text = part.text
            if re.search(r"(?<!\\)\*", text.replace(BACKSLASH, "")):
                if text.strip() == "*" and weight == 0:
                    if part.feedback:
                        raw["other_feedback"] = clean(part.feedback)
                elif weight == 100 and "pattern" not in raw:
                    raw["pattern"] = wildcard_pattern(text.strip())
                else:
                    where(
                        f"the wildcard answer {clean(text)!r} with weight {weight:g} % cannot be kept "
                        "(only one full-credit wildcard becomes a pattern)"
                    )
                continue
            answer: dict[str, Any] = {"text": clean(text.replace("\\*", "*")), "weight": number_of(weight)}
            if part.feedback:
                answer["feedback"] = clean(part.feedback)
            raw["answers"].append(answer)
        if not raw["answers"] and "pattern" not in raw:
            where("the answer block has no answer")
        return raw

    def gift_parts(self, question: QuestionSpec) -> GiftParts | None:
        """Moodle's shortanswer (a pattern has no GIFT form)."""
        body = question.body
        if body.get("pattern"):
            return None
        lines = []
        for answer in body["answers"]:
            weight = weight_of(answer)
            mark = "=" if weight == 100 else "=" + weight_text(weight)
            text = escape(answer["text"]).replace("*", "\\*")
            lines.append(f"\t{mark}{text}{feedback_text(answer.get('feedback'))}")
        if body.get("other_feedback"):
            lines.append(f"\t=%0%*{feedback_text(body['other_feedback'])}")
        return GiftParts(question.text, "\n".join(lines))

    def gift_stand_in(self, question: QuestionSpec) -> GiftParts:
        """The answers without the pattern."""
        without = {**question.body, "pattern": None}
        parts = self.gift_parts(_with_body(question, without))
        return parts if parts is not None and question.body.get("answers") else GiftParts(question.text, "")


def _with_body(question: QuestionSpec, body: dict[str, Any]) -> QuestionSpec:
    from dataclasses import replace

    return replace(question, body=body)
