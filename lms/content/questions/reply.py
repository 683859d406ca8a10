"""Reply: answer a shopper's chat message; scored by the rule book, key points and speed.

The rule, in order:

1. *Messages*: a reply is one message (`{"text": …}`) or several sent one after another
   (`{"messages": […]}`), as in a chat window. The server stamps each message with the seconds
   since the question opened; the messages are read as one text, one line per message.
2. *Red lines*: the text is checked against the store's rule book (the version the attempt is
   graded with, passed in as `book`) and against the question's own `forbidden` groups. A `block`
   hit makes the content share 0 — the auto-fail of QA tools. Each `warn` rule hit costs
   WARN_PENALTY of the key points' total; each forbidden group used costs its `penalty`. The
   feedback names each rule, quotes the words and gives the better wording.
3. *Content*: a key point is met when one of its phrases occurs and is not negated (不可以 does
   not earn 可以; lms/content/rulebook/keypoints.py), and — when the question says
   `ordered = true` — only in the order listed (greet before answering). The content share is the
   points met minus the penalties, over the key points' total, clamped to 0..1.
4. *Speed*, at most SPEED_SHARE of the score: the *first* message against `target_seconds` (the
   20-second standard; a holding line such as 我帮您查一下 counts) can cost FIRST_SHARE, and the
   *last* message against the completion target (`complete_seconds`, by default one second per
   character of the model answer and never under DEFAULT_COMPLETE) can cost COMPLETE_SHARE. Each
   is lost linearly: nothing at its target, all of it at three times the target and beyond.
   Without measured times nothing is lost.
5. score = points × content share × (1 − speed loss).

A reply the rubric cannot judge — one with fewer than MIN_CHARACTERS letters, digits or Chinese
characters, or one that meets no key point and breaks no red line — is marked `needs_review` for
a trainer. A blank reply scores 0 without review: there is nothing to read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lms.content.gift_syntax import GiftParts
from lms.content.normalise import normalise
from lms.content.problems import Where
from lms.content.questions.base import (
    MAX_TEXT,
    Grade,
    QuestionType,
    Reader,
    ResponseError,
    is_number,
    register,
    score_of,
)
from lms.content.rulebook.keypoints import KeyPointMatch, find_phrase, match_key_points
from lms.content.rulebook.text import Prepared, prepare

if TYPE_CHECKING:
    from lms.content.rulebook.book import Hit, RuleBook
    from lms.content.specs import QuestionSpec

#: The share of the score speed can cost, split between the first message and the whole reply.
SPEED_SHARE = 0.5
FIRST_SHARE = 0.35
COMPLETE_SHARE = SPEED_SHARE - FIRST_SHARE
#: What one warn hit of the rule book costs, as a share of the key points' total.
WARN_PENALTY = 0.25
#: A reply shorter than this (letters, digits, CJK characters) is too short for the rubric.
MIN_CHARACTERS = 4
DEFAULT_TARGET = 20
#: The least time a whole reply is given, and the typing time per character of the model answer.
DEFAULT_COMPLETE = 60
SECONDS_PER_CHARACTER = 1.0
#: Most messages one reply may hold.
MAX_MESSAGES = 30
_MEANINGFUL = re.compile(r"[^\W_]", re.UNICODE)


def lateness_loss(seconds: float | None, target: float, share: float) -> float:
    """How much of `share` a time costs: nothing at the target, all of it at three times it."""
    if seconds is None or seconds <= target:
        return 0.0
    return share * min(1.0, (seconds - target) / (2 * target))


def speed_share(elapsed: float | None, target: float) -> float:
    """The share a single message keeps for its first-response time (1.0 down to 1 − FIRST_SHARE)."""
    return 1.0 - lateness_loss(elapsed, target, FIRST_SHARE)


def complete_target(body: dict[str, Any]) -> float:
    """The completion target: `complete_seconds`, else scaled from the model answer (rule 4)."""
    given = body.get("complete_seconds")
    if given is not None and is_number(given):
        return float(given)
    expected = body.get("model_answer") or " ".join(g["phrases"][0] for g in body.get("key_points", []))
    return max(float(DEFAULT_COMPLETE), len(_MEANINGFUL.findall(expected)) * SECONDS_PER_CHARACTER)


def timing(body: dict[str, Any], messages: list[Message]) -> tuple[float | None, float | None, float, float]:
    """When the first message with text and the last message came, and the two targets they are
    judged against (first response, complete answer)."""
    first = next((m.seconds for m in messages if m.text.strip()), None)
    return first, messages[-1].seconds, float(body["target_seconds"]), complete_target(body)


@dataclass(frozen=True)
class Message:
    """One message of a reply and, when the server stamped it, its seconds since the question opened."""

    text: str
    seconds: float | None = None


def _message_text(value: Any, field: str) -> str:
    if not isinstance(value, str):
        raise ResponseError(field, "must be text")
    if len(value) > MAX_TEXT:
        raise ResponseError(field, f"is longer than {MAX_TEXT} characters")
    return value


def messages_of(response: Any, elapsed_seconds: float | None = None) -> list[Message]:
    """The messages of a response: {"text"}, {"messages": [texts]}, or the stamped form the server keeps.

    A {"text"} reply is one message timed by `elapsed_seconds` (so are unstamped messages, as a
    first response); the stamped form is {"messages": [{"text": …, "seconds": …}, …]}.
    """
    if not isinstance(response, dict) or set(response) not in ({"text"}, {"messages"}):
        raise ResponseError("response", 'expected {"text": "..."} or {"messages": ["...", ...]}')
    if "text" in response:
        return [Message(_message_text(response["text"], "text"), elapsed_seconds)]
    raw = response["messages"]
    if not isinstance(raw, list) or not raw:
        raise ResponseError("messages", "must be a list of one or more texts")
    if len(raw) > MAX_MESSAGES:
        raise ResponseError("messages", f"holds more than {MAX_MESSAGES} messages")
    found = []
    for index, item in enumerate(raw):
        if isinstance(item, dict):
            seconds = item.get("seconds")
            if set(item) != {"text", "seconds"} or not (seconds is None or is_number(seconds)):
                raise ResponseError(f"messages.{index}", "must be text")
            found.append(Message(_message_text(item["text"], f"messages.{index}"), seconds))
        else:
            found.append(Message(_message_text(item, f"messages.{index}"), None))
    if sum(len(m.text) for m in found) > MAX_TEXT:
        raise ResponseError("messages", f"are longer than {MAX_TEXT} characters together")
    if elapsed_seconds is not None and all(m.seconds is None for m in found):
        found[0] = Message(found[0].text, elapsed_seconds)  # timed only as a whole: the first response
    return found


def reply_text(messages: list[Message]) -> str:
    """The messages as one text, one line each (a line break ends a clause)."""
    return "\n".join(m.text for m in messages)


def phrase_groups(read: Reader, key: str, amount: str, required: bool) -> list[dict[str, Any]]:
    """Groups of phrases (any one counts) with an amount each: key points or forbidden phrases."""
    groups = []
    for index, table in read.tables(key, required=required):
        at = (key, index)
        read.unknown(table, {amount, "phrases"}, f"{key} {index + 1}", at)
        value: Any = table.get(amount)
        if not is_number(value) or value <= 0:
            read.where(f"{key} {index + 1}: `{amount}` must be a number above 0 (is {value!r})", *at)
        phrases = Reader(table, read.where).texts("phrases", at=(*at, "phrases"))
        for phrase in phrases:
            if not normalise(phrase):
                read.where(f"{key} {index + 1}: the phrase {phrase!r} is only punctuation", *at)
        if "phrases" in table and not phrases:
            read.where(f"{key} {index + 1}: give at least one phrase", *at)
        groups.append({amount: value if is_number(value) else 0, "phrases": phrases})
    return groups


@dataclass(frozen=True)
class Judgement:
    """Everything the rubric found in one reply (rules 2 and 3)."""

    key_points: list[KeyPointMatch]
    forbidden: list[tuple[int, str, int, int]]  # group, phrase, start, end
    hits: list[Hit]

    @property
    def met(self) -> list[int]:
        return [k.index for k in self.key_points if k.met]

    @property
    def used(self) -> list[int]:
        return sorted({group for group, *_ in self.forbidden})

    @property
    def blocked(self) -> bool:
        return any(hit.rule.blocks for hit in self.hits)

    @property
    def warn_rules(self) -> list[str]:
        return sorted({hit.rule.id for hit in self.hits if not hit.rule.blocks})


def judge(body: dict[str, Any], text: str | Prepared, book: RuleBook | None = None) -> Judgement:
    """Key points met (negation- and order-aware), forbidden phrases used, rule-book hits."""
    prepared = text if isinstance(text, Prepared) else prepare(text)
    key_points = match_key_points(
        prepared, [g["phrases"] for g in body["key_points"]], ordered=bool(body.get("ordered"))
    )
    forbidden = [
        (index, o.phrase, o.start, o.end)
        for index, group in enumerate(body["forbidden"])
        for phrase in group["phrases"]
        for o in find_phrase(prepared, phrase, negation=False)
    ]
    hits = book.check(prepared) if book is not None else []
    return Judgement(key_points, forbidden, hits)


def _feedback(judgement: Judgement) -> list[str]:
    """What the reply broke and which key points did not count, for the learner."""
    notes = []
    for hit in judgement.hits:
        kind = "Red line" if hit.rule.blocks else "Careful"
        better = hit.rule.hint + (f" ({hit.rule.hint_en})" if hit.rule.hint_en else "")
        notes.append(f"{kind} — “{hit.words}” ({hit.rule.id}, {hit.rule.source}). Better: {better}")
    for index in judgement.used:
        words = sorted({phrase for group, phrase, *_ in judgement.forbidden if group == index})
        notes.append(f"The reply uses words this question forbids: {', '.join(words)}.")
    for match in judgement.key_points:
        phrase = match.phrase
        if match.negated:
            notes.append(
                f"Key point {match.index + 1}: “{phrase}” appears only negated, so it does not count."
            )
        elif match.out_of_order:
            notes.append(
                f"Key point {match.index + 1}: “{phrase}” comes too early; this question wants the order."
            )
    return notes


def _marks(text: str, judgement: Judgement) -> list[str | None]:
    """What colours each character of the reply: block, forbidden, warn, key (strongest wins)."""
    marks: list[str | None] = [None] * len(text)
    rank = {None: 0, "key": 1, "warn": 2, "forbidden": 3, "block": 4}

    def paint(start: int, end: int, mark: str) -> None:
        for i in range(max(0, start), min(len(text), end)):
            if rank[mark] > rank[marks[i]]:
                marks[i] = mark

    for match in judgement.key_points:
        if match.met and match.start is not None and match.end is not None:
            paint(match.start, match.end, "key")
    for hit in judgement.hits:
        paint(hit.start, hit.end, "block" if hit.rule.blocks else "warn")
    for _group, _phrase, start, end in judgement.forbidden:
        paint(start, end, "forbidden")
    return marks


def highlighted(messages: list[Message], judgement: Judgement) -> list[dict[str, Any]]:
    """Each message cut into runs of plain and marked text, for the review page."""
    text = reply_text(messages)
    marks = _marks(text, judgement)
    shown = []
    offset = 0
    for message in messages:
        runs: list[dict[str, Any]] = []
        for i, char in enumerate(message.text):
            mark = marks[offset + i]
            if runs and runs[-1]["mark"] == mark:
                runs[-1]["text"] += char
            else:
                runs.append({"text": char, "mark": mark})
        shown.append({"text": message.text, "seconds": message.seconds, "runs": runs})
        offset += len(message.text) + 1
    return shown


@register
class Reply(QuestionType):
    """Reply to a shopper in the chat."""

    name = "reply"
    keys = frozenset(
        {
            "customer",
            "target_seconds",
            "complete_seconds",
            "key_points",
            "forbidden",
            "model_answer",
            "ordered",
        }
    )

    def parse(self, raw: dict[str, Any], where: Where) -> dict[str, Any]:
        """The customer's message, the time standards, key points, forbidden phrases, a model answer."""
        read = Reader(raw, where)
        customer = read.text("customer")
        target = raw.get("target_seconds", DEFAULT_TARGET)
        if not is_number(target) or not 0 < target <= 3600:
            where(f"`target_seconds` must be a number of seconds above 0 (is {target!r})", "target_seconds")
            target = DEFAULT_TARGET
        body: dict[str, Any] = {
            "customer": customer,
            "target_seconds": target,
            "key_points": phrase_groups(read, "key_points", "points", True),
            "forbidden": phrase_groups(read, "forbidden", "penalty", False),
        }
        if "complete_seconds" in raw:
            complete = raw["complete_seconds"]
            if not is_number(complete) or not target <= complete <= 7200:
                where(
                    f"`complete_seconds` must be a number of seconds, at least `target_seconds` (is {complete!r})",
                    "complete_seconds",
                )
            else:
                body["complete_seconds"] = complete
        if "ordered" in raw:
            if not isinstance(raw["ordered"], bool):
                where("`ordered` must be true or false", "ordered")
            elif raw["ordered"]:
                body["ordered"] = True
        if isinstance(raw.get("key_points"), list) and not body["key_points"]:
            where("give at least one key point", "key_points")
        wanted = {normalise(p) for g in body["key_points"] for p in g["phrases"]}
        for index, group in enumerate(body["forbidden"]):
            for phrase in group["phrases"]:
                if normalise(phrase) in wanted:
                    where(f"the phrase {phrase!r} is both a key point and forbidden", "forbidden", index)
        model = read.text("model_answer", required=False)
        if model:
            body["model_answer"] = model
            judgement = judge(body, model)
            missed = [i + 1 for i in range(len(body["key_points"])) if i not in judgement.met]
            if missed:
                where(f"the model answer misses key point {', '.join(map(str, missed))}", "model_answer")
            if judgement.used:
                where(
                    f"the model answer uses forbidden group {', '.join(str(i + 1) for i in judgement.used)}",
                    "model_answer",
                )
        return body

    def default_points(self, body: dict[str, Any]) -> float:
        """The key points' sum."""
        return float(sum(g["points"] for g in body["key_points"])) or 1.0

    def public(self, body: dict[str, Any], rng: Any) -> dict[str, Any]:
        """The shopper's message and the time standards (never the rubric)."""
        return {
            "customer": body["customer"],
            "target_seconds": body["target_seconds"],
            "complete_seconds": complete_target(body),
        }

    def check_response(self, body: dict[str, Any], response: Any) -> None:
        """{"text": "..."} (one message) or {"messages": ["...", ...]} (several, in order; texts only)."""
        raw = response.get("messages") if isinstance(response, dict) else None
        if isinstance(raw, list) and any(not isinstance(m, str) for m in raw):
            raise ResponseError("messages", "must be a list of texts (the server stamps the times)")
        messages_of(response)

    def grade(
        self,
        body: dict[str, Any],
        points: float,
        response: Any,
        *,
        elapsed_seconds: float | None = None,
        book: RuleBook | None = None,
    ) -> Grade:
        """Red lines, key points and speed, in the order of the module docstring."""
        messages = messages_of(response, elapsed_seconds)
        text = reply_text(messages)
        if not text.strip():
            return Grade(
                0.0, points, ["No reply was written."], detail={"key_points_met": [], "forbidden_used": []}
            )
        judgement = judge(body, text, book)
        available = float(sum(g["points"] for g in body["key_points"])) or 1.0
        gained = sum(body["key_points"][i]["points"] for i in judgement.met)
        penalties = sum(body["forbidden"][i]["penalty"] for i in judgement.used)
        penalties += WARN_PENALTY * available * len(judgement.warn_rules)
        content = 0.0 if judgement.blocked else min(1.0, max(0.0, (gained - penalties) / available))
        first, last, target, complete = timing(body, messages)
        share = (
            1.0 - lateness_loss(first, target, FIRST_SHARE) - lateness_loss(last, complete, COMPLETE_SHARE)
        )
        feedback = _feedback(judgement)
        if first is not None and first > target:
            feedback.append(f"The first message came after {first:.0f} s; the standard is {target:g} s.")
        if last is not None and last > complete and len(messages) > 1:
            feedback.append(
                f"The whole reply took {last:.0f} s; the target for this answer is {complete:g} s."
            )
        too_short = len(_MEANINGFUL.findall(text)) < MIN_CHARACTERS
        return Grade(
            score_of(points, content * share),
            points,
            feedback,
            needs_review=not judgement.blocked and (too_short or not judgement.met),
            detail={
                "key_points_met": judgement.met,
                "forbidden_used": judgement.used,
                "rule_hits": [hit.as_json() for hit in judgement.hits],
                "blocked": judgement.blocked,
                "content_share": content,
                "speed_share": share,
                "first_seconds": first,
                "last_seconds": last,
            },
        )

    def review(
        self, body: dict[str, Any], response: Any = None, book: RuleBook | None = None
    ) -> dict[str, Any]:
        """The rubric and model answer and, given a response, what it met and broke, and where."""
        out = super().review(body)
        try:
            messages = messages_of(response)
        except ResponseError:
            return out
        judgement = judge(body, reply_text(messages), book)
        out["key_points_met"], out["forbidden_used"] = judgement.met, judgement.used
        out["key_point_matches"] = [k.as_json() for k in judgement.key_points]
        out["rule_hits"] = [hit.as_json() for hit in judgement.hits]
        out["blocked"] = judgement.blocked
        out["messages"] = highlighted(messages, judgement)
        first, last, target, complete = timing(body, messages)
        # What the speed share was judged on, for the review to say when it was slow.
        out["timing"] = {
            "first": first,
            "target": target,
            "last": last if len(messages) > 1 else None,
            "complete": complete,
        }
        return out

    def key_response(self, body: dict[str, Any]) -> Any:
        """The model answer, or a reply made of each key point's first phrase."""
        text = body.get("model_answer") or " ".join(g["phrases"][0] for g in body["key_points"])
        return {"text": text}

    def gift_stand_in(self, question: QuestionSpec) -> GiftParts:
        """An essay quoting the shopper's message."""
        return GiftParts(f"{question.text}\n\n{question.body['customer']}", "")
