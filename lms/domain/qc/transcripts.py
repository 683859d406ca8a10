"""Reading a pasted chat transcript for a spot check: turns, rule-book hits by line, response times.

What is read, in order:

1. *Is it text we can read?* More than TRANSCRIPT_MAX characters, or mojibake (a GBK export opened
   as UTF-8, or the reverse: �, 锟斤拷, runs like "Ã¤Â¸Â"), is refused with a clear message and
   nothing is stored.
2. *Turns.* Qianniu's exported chat record puts a header line before each message, the speaker
   and the time in either order — `行者旗舰店:小美 2026-11-03 14:02:11` or
   `2026-11-03 14:02:11 tb_buyer88` — then the message on the following line(s). Also read: the
   older Wangwang form `name(2026-11-03 14:02:11):` with or without the text on the same line,
   one-line `2026-11-03 14:02:11 name: text` or `[14:02:11] name: text`, tab-separated rows
   (time, name, text) and plain `speaker: text` lines without times. Dates may use - / or .,
   times may leave out the seconds or the date.
3. *Who is the agent.* A `店铺:子账号` name, the store's name (…店), 客服 / 售前 / 售后 / agent, or the
   speaker named like the other agents; 顾客 / 买家 / customer / buyer are shoppers; otherwise the
   first speaker of the chat is the shopper (shoppers open chats). Lines marked [自动回复] are the
   store's auto-replies: checked for wording, never counted as a person's response.
4. *Rule-book hits* in the agent's lines, each at the line of the transcript where its words are.
5. *Response times.* Each agent reply answers the earliest shopper message not yet answered; the
   seconds between them are measured against the 20-second standard (FIRST_REPLY_SECONDS). The
   first response and the average are reported, and every slower reply by line.
6. *Pre-filled checklist items* (QC overrides any): the first-reply item passes or fails on the
   first response (and the average), the platform-rule item on red-line hits; any other item whose
   categories had a red-line hit (categories.py: rude → no-argument …) fails. Each note cites lines.

A transcript in no known form is kept as text: every line is checked for wording, with a note
that times could not be read.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from lms.content.rulebook import CATEGORIES, Hit, RuleBook, marked_runs
from lms.domain.errors import N_, DomainError

#: Longest transcript accepted (characters; a busy day's chat with one shopper is far shorter).
TRANSCRIPT_MAX = 100_000
#: The service standard: answer a shopper within 20 seconds.
FIRST_REPLY_SECONDS = 20
#: The longest note written into a checklist item (spot_checks.NOTE_MAX).
NOTE_LIMIT = 500
#: The checklist items the reading decides (keys of lms/domain/qc/checklist.py's defaults).
FIRST_REPLY_ITEM = "first-reply"
PLATFORM_ITEM = "platform-rule"

_DATE = r"(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2})"
_TIME = r"(?:\d{1,2}:\d{2}(?::\d{2})?)"
_STAMP = rf"(?P<stamp>(?:{_DATE}[ T]+)?{_TIME})"
_NAME = r"(?P<name>[^\s:：()（）\[\]【】][^\t]{0,59}?)"
#: Header lines of Qianniu exports (the message follows on the next lines).
_HEADERS = (
    re.compile(rf"^{_NAME}\s+{_STAMP}\s*$"),
    re.compile(rf"^{_STAMP}\s+{_NAME}\s*[:：]?\s*$"),
    re.compile(rf"^{_NAME}\s*[(（]{_STAMP}[)）]\s*[:：]?\s*(?P<text>.*)$"),
)
#: One line holding time, speaker and text.
_INLINE = (
    re.compile(rf"^\[?{_STAMP}\]?\s+(?P<name>[^:：\t]{{1,60}}?)\s*[:：]\s*(?P<text>.+)$"),
    re.compile(rf"^{_STAMP}\t+(?P<name>[^\t]{{1,60}})\t+(?P<text>.*)$"),
)
_PLAIN = re.compile(r"^(?P<name>[^\s:：][^:：]{0,29}?)\s*[:：]\s*(?P<text>.+)$")
_SEPARATOR = re.compile(r"^\s*(?:-{3,}|={3,}|—{2,}).*$")
_AUTO = re.compile(r"^\s*[\[【(（]\s*(?:自动回复|自动回覆|auto[- ]?reply)\s*[\]】)）]", re.IGNORECASE)
_AGENT_WORDS = ("客服", "售前", "售后", "agent", "support", "service", "小二")
_STORE_WORDS = ("旗舰店", "专卖店", "专营店", "官方店", "店铺")
_SHOPPER_WORDS = ("顾客", "买家", "客户", "customer", "buyer", "shopper")
#: Four or more Latin-1 / cp1252 letters and signs in a row: GBK bytes shown as Western text.
_LATIN_RUN = re.compile(
    "[\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u2026\u2030\u2039\u203a\u20ac\u2122]{4,}"
)


class TranscriptError(DomainError):
    """A transcript that cannot be read as it was pasted."""


@dataclass
class Turn:
    """One message of the chat: who, when, what, and the transcript line its text starts on."""

    line: int
    speaker: str
    at: dt.datetime | None
    text: str
    role: str = "unknown"  # agent | shopper | unknown
    auto: bool = False


@dataclass(frozen=True)
class LineHit:
    """A rule-book hit on a line of the transcript."""

    line: int
    hit: Hit


@dataclass(frozen=True)
class ResponseTime:
    """An agent's reply to a shopper's message: the two lines and the seconds between them."""

    shopper_line: int
    agent_line: int
    seconds: float

    @property
    def late(self) -> bool:
        return self.seconds > FIRST_REPLY_SECONDS


@dataclass(frozen=True)
class Prefill:
    """A checklist item as the reading suggests it (QC may change both).

    The note is kept as message templates and their values, so each reader gets it in their
    language; `note` is the English, bounded to NOTE_LIMIT characters.
    """

    outcome: str
    parts: tuple[tuple[str, dict[str, object]], ...]

    @property
    def note(self) -> str:
        return bounded(" ".join(template % params for template, params in self.parts))


@dataclass
class TranscriptReview:
    """Everything read from one transcript."""

    form: str  # qianniu | inline | plain | unknown
    turns: list[Turn]
    lines: list[str]
    timed: bool
    hits: list[LineHit] = field(default_factory=list)
    #: The hits of each checked text by the line it starts on (positions within that text).
    text_hits: dict[int, list[Hit]] = field(default_factory=dict)
    responses: list[ResponseTime] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    prefill: dict[str, Prefill] = field(default_factory=dict)

    @property
    def first_response(self) -> ResponseTime | None:
        return self.responses[0] if self.responses else None

    @property
    def average_seconds(self) -> float | None:
        if not self.responses:
            return None
        return round(sum(r.seconds for r in self.responses) / len(self.responses), 1)

    @property
    def slow(self) -> list[ResponseTime]:
        return [r for r in self.responses if r.late]

    def hits_on(self, line: int) -> list[Hit]:
        """The hits on one line (for showing the transcript)."""
        return [h.hit for h in self.hits if h.line == line]

    def runs(self, line: int, text: str) -> list[dict[str, Any]]:
        """A checked text cut into plain and marked runs (for showing it with its hits)."""
        return marked_runs(text, self.text_hits.get(line, []))

    @property
    def unread_lines(self) -> list[tuple[int, str]]:
        """For a transcript in no known form: its non-blank lines, numbered."""
        return [(i + 1, line) for i, line in enumerate(self.lines) if line.strip()]

    def response_at(self, line: int) -> ResponseTime | None:
        """The response time measured at an agent's line."""
        return next((r for r in self.responses if r.agent_line == line), None)


# -- 1. can it be read -------------------------------------------------------------------------


def _has_chinese(text: str, at_least: int = 2) -> bool:
    return len(re.findall(r"[\u4e00-\u9fff]", text)) >= at_least


def mojibake_reason(text: str) -> str | None:
    """Why the text looks like Chinese decoded with the wrong encoding, or None when it looks fine."""
    if "\ufffd" in text or "锟斤拷" in text or "烫烫烫" in text or "屯屯屯" in text:
        return N_("it contains replacement marks (� or 锟斤拷): it was saved or opened in the wrong encoding")
    for run in _LATIN_RUN.findall(text):
        for codec in ("latin-1", "cp1252"):
            try:
                repaired = run.encode(codec).decode("gbk")
            except (UnicodeEncodeError, UnicodeDecodeError):
                continue
            if _has_chinese(repaired):
                return N_("it looks like Chinese (GBK) opened as Western text: “ÄãºÃ” for 你好")
    chinese = "".join(re.findall(r"[\u4e00-\u9fff\u3000-\u30ff\uff00-\uffef]+", text))
    if len(chinese) >= 6:
        try:
            repaired = chinese.encode("gbk").decode("utf-8", errors="replace")
        except UnicodeEncodeError:
            return None
        # Real Chinese re-read this way is mostly broken bytes; UTF-8 shown as GBK comes back whole.
        found = len(re.findall(r"[\u4e00-\u9fff]", repaired))
        if found >= 4 and repaired.count("\ufffd") * 3 <= found:
            return N_("it looks like UTF-8 text opened as GBK: “浣犲ソ” for 你好")
    return None


def check_readable(text: str) -> None:
    """Refuse a transcript that is too long or mojibake (TranscriptError names the field)."""
    if len(text) > TRANSCRIPT_MAX:
        raise TranscriptError(
            N_(
                "The transcript is %(size)s characters long; at most %(n)s are read. "
                "Paste the one chat you checked. Nothing was saved."
            ),
            "transcript",
            size=f"{len(text):,}",
            n=f"{TRANSCRIPT_MAX:,}",
        )
    reason = mojibake_reason(text)
    if reason is not None:
        raise TranscriptError(
            N_(
                "The transcript cannot be read: %(reason)s. Export it again as UTF-8 and paste it. Nothing was saved."
            ),
            "transcript",
            reason=reason,
        )


# -- 2. turns --------------------------------------------------------------------------------


def _parse_stamp(stamp: str) -> tuple[dt.date | None, dt.time] | None:
    parts = stamp.replace("T", " ").split()
    day = None
    try:
        if len(parts) == 2:
            y, m, d = (int(p) for p in re.split(r"[-/.]", parts[0]))
            day = dt.date(y, m, d)
        numbers = [int(p) for p in parts[-1].split(":")]
        return day, dt.time(numbers[0], numbers[1], numbers[2] if len(numbers) > 2 else 0)
    except ValueError:
        return None


def _header(line: str) -> tuple[str, str, str] | None:
    """A Qianniu header line: (speaker, stamp, text on the same line)."""
    for pattern in _HEADERS:
        found = pattern.match(line.strip())
        if found and _parse_stamp(found.group("stamp")) is not None:
            return found.group("name").strip(), found.group("stamp"), found.groupdict().get("text") or ""
    return None


def _inline(line: str) -> tuple[str, str, str] | None:
    for pattern in _INLINE:
        found = pattern.match(line.strip("\r"))
        if found and _parse_stamp(found.group("stamp")) is not None:
            return found.group("name").strip(), found.group("stamp"), found.group("text")
    return None


def _timestamps(turns: list[Turn], stamps: list[str]) -> None:
    """Give every turn a datetime (a stamp without a date follows the last date; midnight rolls over)."""
    day = dt.date(2000, 1, 1)
    previous: dt.datetime | None = None
    for turn, stamp in zip(turns, stamps, strict=True):
        parsed = _parse_stamp(stamp)
        if parsed is None:
            continue
        date, time = parsed
        if date is not None:
            day = date
        moment = dt.datetime.combine(day, time)
        if previous is not None and date is None and moment < previous:
            day += dt.timedelta(days=1)
            moment += dt.timedelta(days=1)
        turn.at = previous = moment


def read_turns(text: str) -> tuple[str, list[Turn], list[str]]:
    """The transcript's form, its turns and its lines (turn lines count from 1)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    headers = {i: h for i, line in enumerate(lines) if (h := _header(line)) is not None}
    inline = {i: h for i, line in enumerate(lines) if i not in headers and (h := _inline(line)) is not None}
    turns: list[Turn] = []
    stamps: list[str] = []
    if headers and len(headers) >= len(inline):
        form = "qianniu"
        order = sorted(headers)
        for n, start in enumerate(order):
            name, stamp, same_line = headers[start]
            end = order[n + 1] if n + 1 < len(order) else len(lines)
            body = [ln for ln in lines[start + 1 : end] if not _SEPARATOR.match(ln)]
            while body and not body[-1].strip():
                body.pop()
            first = start + 1
            if same_line.strip():
                body, first = [same_line, *body], start
            else:
                while body and not body[0].strip():
                    body.pop(0)
                    first += 1
            turns.append(Turn(first + 1, name, None, "\n".join(body)))
            stamps.append(stamp)
    elif inline:
        form = "inline"
        for i, (name, stamp, said) in sorted(inline.items()):
            turns.append(Turn(i + 1, name, None, said))
            stamps.append(stamp)
    else:
        plain = [(i, m) for i, line in enumerate(lines) if (m := _PLAIN.match(line.strip()))]
        speakers = {m.group("name").strip() for _i, m in plain}
        if plain and len(speakers) <= 6 and len(plain) * 2 >= len([ln for ln in lines if ln.strip()]):
            return (
                "plain",
                [Turn(i + 1, m.group("name").strip(), None, m.group("text")) for i, m in plain],
                lines,
            )
        return "unknown", [], lines
    _timestamps(turns, stamps)
    return form, turns, lines


# -- 3. who is the agent ------------------------------------------------------------------------


def _role_of(name: str) -> str:
    lowered = name.lower()
    if any(word in lowered for word in _SHOPPER_WORDS):
        return "shopper"
    if ":" in name or "：" in name or any(word in lowered for word in _AGENT_WORDS):
        return "agent"
    if any(word in name for word in _STORE_WORDS) or name.endswith("店"):
        return "agent"
    return "unknown"


def assign_roles(turns: list[Turn]) -> None:
    """Mark each turn agent or shopper (rule 3 of the module)."""
    roles = {turn.speaker: _role_of(turn.speaker) for turn in turns}
    unknown = [name for name, role in roles.items() if role == "unknown"]
    if unknown:
        if "agent" in roles.values():
            for name in unknown:
                roles[name] = "shopper"
        elif "shopper" in roles.values():
            for name in unknown:
                roles[name] = "agent"
        else:
            first = turns[0].speaker
            for name in unknown:
                roles[name] = "shopper" if name == first else "agent"
    for turn in turns:
        turn.role = roles[turn.speaker]
        turn.auto = turn.role == "agent" and bool(_AUTO.match(turn.text))


# -- 4. hits, 5. times ------------------------------------------------------------------------


def _hits(book: RuleBook, spans: Iterable[tuple[int, str]], review: TranscriptReview) -> None:
    for line, text in spans:
        hits = book.check(text)
        if hits:
            review.text_hits[line] = hits
        review.hits.extend(LineHit(line + text.count("\n", 0, hit.start), hit) for hit in hits)


def response_times(turns: list[Turn]) -> list[ResponseTime]:
    """Each person's reply against the earliest shopper message it answers (auto-replies do not count)."""
    waiting: Turn | None = None
    found = []
    for turn in turns:
        if turn.at is None:
            continue
        if turn.role == "shopper":
            waiting = waiting or turn
        elif turn.role == "agent" and not turn.auto and waiting is not None and waiting.at is not None:
            seconds = max(0.0, (turn.at - waiting.at).total_seconds())
            found.append(ResponseTime(waiting.line, turn.line, seconds))
            waiting = None
    return found


# -- 6. the checklist ---------------------------------------------------------------------------


def _cite(hits: list[LineHit]) -> str:
    """Lines and words, language-neutral: L14 “最好” (absolute-best)."""
    cited = [f"L{h.line} “{h.hit.words}” ({h.hit.rule.id})" for h in hits[:6]]
    more = len(hits) - len(cited)
    return "; ".join(cited) + (f"; +{more}" if more > 0 else "")


def bounded(note: str) -> str:
    """A note cut to what a checklist item holds."""
    return note if len(note) <= NOTE_LIMIT else note[: NOTE_LIMIT - 1] + "…"


def prefill(review: TranscriptReview, version: int | None, checked: bool) -> dict[str, Prefill]:
    """The checklist items the reading decides, with notes citing the lines (rule 6)."""
    found: dict[str, Prefill] = {}
    first = review.first_response
    if first is not None:
        average = review.average_seconds or 0.0
        parts: list[tuple[str, dict[str, object]]] = [
            (
                N_(
                    "First response %(first)s s (L%(line)s); average %(average)s s over %(n)s replies; standard %(standard)s s."
                ),
                {
                    "first": f"{first.seconds:.0f}",
                    "line": first.agent_line,
                    "average": f"{average:.0f}",
                    "n": len(review.responses),
                    "standard": FIRST_REPLY_SECONDS,
                },
            )
        ]
        if review.slow:
            slow = ", ".join(f"L{r.agent_line} ({r.seconds:.0f} s)" for r in review.slow[:6])
            parts.append((N_("Slower than the standard: %(lines)s."), {"lines": slow}))
        late = first.seconds > FIRST_REPLY_SECONDS or average > FIRST_REPLY_SECONDS
        found[FIRST_REPLY_ITEM] = Prefill("fail" if late else "pass", tuple(parts))
    if not checked:
        return found
    blocks_by_item: dict[str, list[LineHit]] = {}
    for line_hit in review.hits:
        if line_hit.hit.rule.blocks:
            item = CATEGORIES[line_hit.hit.rule.category].checklist
            blocks_by_item.setdefault(item, []).append(line_hit)
    for item, hits in blocks_by_item.items():
        found[item] = Prefill(
            "fail",
            ((N_("Red line (rule book v%(v)s): %(lines)s."), {"v": version or "?", "lines": _cite(hits)}),),
        )
    if PLATFORM_ITEM not in found:
        warns = [h for h in review.hits if not h.hit.rule.blocks]
        parts = [(N_("No red-line wording found (rule book v%(v)s)."), {"v": version or "?"})]
        if warns:
            parts.append((N_("Worth a look: %(lines)s."), {"lines": _cite(warns)}))
        found[PLATFORM_ITEM] = Prefill("pass", tuple(parts))
    return found


def review_transcript(text: str, book: RuleBook | None, version: int | None = None) -> TranscriptReview:
    """Read a transcript (the module's rules 2 to 6); call check_readable first."""
    form, turns, lines = read_turns(text)
    review = TranscriptReview(form, turns, lines, timed=any(t.at is not None for t in turns))
    if turns:
        assign_roles(turns)
    if book is not None:
        if turns:
            _hits(book, ((t.line, t.text) for t in turns if t.role == "agent"), review)
        else:
            _hits(book, ((i + 1, line) for i, line in enumerate(lines) if line.strip()), review)
    else:
        review.notes.append(N_("No rule book is loaded, so the wording was not checked."))
    if form == "unknown":
        review.notes.append(
            N_(
                "The transcript is in no form we know (Qianniu export, time + name lines, or “name: text”): "
                "it is kept as text, every line was checked for wording, and times could not be read."
            )
        )
    elif not review.timed:
        review.notes.append(N_("The transcript has no times, so response times could not be measured."))
    review.responses = response_times(turns)
    if review.timed and not review.responses:
        review.notes.append(
            N_("No agent reply follows a shopper's message, so no response time was measured.")
        )
    review.prefill = prefill(review, version, checked=book is not None)
    return review
