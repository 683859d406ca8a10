"""Which lines of the curriculum an agent could send as they are, so the rule book checks them.

`lms content check` runs every one of them through the rule book and reports each block hit as
`path:line`, because a model answer that breaks the store's rules teaches the wrong thing:

1. every reply question's `model_answer` (quizzes/*.toml);
2. every `answer` of the script library (courses/*/faq.toml);
3. in lessons, every `客服：` line inside a `!!! chat` admonition (courses/README.md). A block
   titled "反面示例" shows what *not* to send and is not checked; nor are `顾客：` or `错误示范：`
   lines;
4. lessons not yet rewritten in that form: in an "At the desk" / "在岗应答" section, the quoted
   replies (“…” or "…") that begin with 亲, the greeting every reply of the store opens with.
   Shopper lines there are block quotes (`>`) or quotes without it, bad examples sit in tables or
   are quoted without it, so none of them is read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from lms.content.chat import chat_lines
from lms.content.rulebook.book import RuleBook

#: The speaker whose lines are sent to shoppers.
AGENT = "客服"
_DESK = re.compile(r"^(?P<level>#{2,4})\s+.*(?:At the desk|在岗应答)", re.IGNORECASE)
_HEADING = re.compile(r"^(?P<level>#{1,6})\s")
_QUOTE = re.compile(r'"([^"]+)"|“([^”]+)”')
#: How every reply of the store begins (older lessons: only quotes beginning with it are replies).
GREETING = "亲"
#: Titles of chat blocks that show what not to send.
NOT_SENDABLE = ("反面示例", "错误示范", "Don't send", "What not to send")


@dataclass(frozen=True)
class SendableLine:
    """A text an agent could send, and where it is: `path:line` of its first character."""

    path: str
    line: int
    text: str
    what: str
    #: The text keeps the file's line breaks (a hit's line is counted from the first).
    multiline: bool = False


def agent_chat_lines(path: str, body: str) -> Iterator[SendableLine]:
    """The `客服：` lines of a lesson's `!!! chat` blocks (lms/content/chat.py reads the blocks)."""
    for chat in chat_lines(body):
        sendable = not any(word in chat.block_title for word in NOT_SENDABLE)
        if sendable and chat.speaker == AGENT and chat.text:
            yield SendableLine(path, chat.line, chat.text, "chat line")


def desk_quotes(path: str, body: str) -> Iterator[SendableLine]:
    """Quoted Chinese replies in the "At the desk" sections of a lesson in the older form."""
    lines = body.split("\n")
    index = 0
    while index < len(lines):
        found = _DESK.match(lines[index])
        index += 1
        if not found:
            continue
        level = len(found.group("level"))
        start = index
        while index < len(lines):
            heading = _HEADING.match(lines[index])
            if heading and len(heading.group("level")) <= level:
                break
            index += 1
        section = [
            (number, "" if line.lstrip().startswith((">", "|", "!!!")) else line)
            for number, line in enumerate(lines[start:index], start=start + 1)
        ]
        text = "\n".join(line for _n, line in section)
        for match in _QUOTE.finditer(text):
            quoted = match.group(1) or match.group(2)
            if quoted.lstrip().startswith(GREETING):
                line = section[0][0] + text.count("\n", 0, match.start())
                yield SendableLine(path, line, quoted, "reply in “At the desk”", multiline=True)


def lesson_lines(path: str, body: str) -> list[SendableLine]:
    """Every sendable line of a lesson: chat blocks, and quotes in the older "At the desk" form."""
    return [*agent_chat_lines(path, body), *desk_quotes(path, body)]


@dataclass(frozen=True)
class LineProblem:
    """A red-line hit in a sendable line."""

    path: str
    line: int
    message: str


def check_lines(book: RuleBook, lines: Iterable[SendableLine]) -> list[LineProblem]:
    """Every block hit in the lines, each at the line where its words are."""
    found = []
    for sendable in lines:
        for hit in book.blocking(sendable.text):
            line = sendable.line + (sendable.text.count("\n", 0, hit.start) if sendable.multiline else 0)
            found.append(
                LineProblem(
                    sendable.path,
                    line,
                    f"the {sendable.what} breaks the rule book: “{hit.words}” ({hit.rule.id}, "
                    f"{hit.rule.category}) — {hit.rule.hint_en or hit.rule.hint}",
                )
            )
    return found
