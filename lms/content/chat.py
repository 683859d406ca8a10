"""Chat lines: the `!!! chat` blocks of lessons, their speakers, and Latin script inside Chinese lines.

A chat block holds one speaker line per paragraph: `顾客：` (the shopper) and `客服：` (the agent) in
Chinese lessons, `Shopper:` and `Agent:` in English ones; inside a `!!! chat "反面示例"` block the
speaker `错误示范：` shows what NOT to send. Lines meant to be sent to a Chinese shopper must be pure
Chinese: Latin-script words are allowed only for product codes (BG-CB-059), units and the short
allowlist below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Speaker label → who speaks (the CSS class suffix: chat-shopper, chat-agent, chat-wrong).
SPEAKERS = {
    "顾客": "shopper",
    "客服": "agent",
    "错误示范": "wrong",
    "Shopper": "shopper",
    "Agent": "agent",
    "Wrong": "wrong",
}
#: Speakers whose lines are sent to (or come from) a Chinese shopper, so must be Chinese.
CHINESE_SPEAKERS = ("顾客", "客服")
SPEAKER_LINE = re.compile(r"^(顾客|客服|错误示范)：|^(Shopper|Agent|Wrong):\s")

#: Units that may follow a number in a Chinese chat line.
UNITS = frozenset({"cm", "mm", "m", "km", "L", "ml", "mL", "kg", "g", "oz", "D"})
#: Latin words a Chinese agent writes as they are (materials, standards, devices). Keep it short.
ALLOWED_WORDS = frozenset({"PU", "TSA", "USB", "YKK", "iPad", "A4"})
#: A product code: capital letters and digits in dash-separated groups (BG-CB-059, SC-24).
PRODUCT_CODE = re.compile(r"\b[A-Z]{2,}(?:-[A-Z0-9]+)+\b")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9']*")

_BLOCK = re.compile(r'^!!!\s+chat(?:\s+"([^"]*)")?\s*$')


@dataclass(frozen=True)
class ChatLine:
    """One speaker line of a chat block: its line number (from 1), speaker label and text."""

    line: int
    speaker: str
    text: str
    block_title: str


def chat_lines(markdown: str) -> list[ChatLine]:
    """Every speaker line of every `!!! chat` block (a paragraph not starting with a speaker has speaker '')."""
    found: list[ChatLine] = []
    lines = markdown.split("\n")
    index = 0
    while index < len(lines):
        block = _BLOCK.match(lines[index])
        index += 1
        if not block:
            continue
        title = block.group(1) or ""
        paragraph: list[str] = []
        start = index + 1
        while index < len(lines) and (lines[index].startswith("    ") or not lines[index].strip()):
            text = lines[index].strip()
            if text:
                if not paragraph:
                    start = index + 1
                paragraph.append(text)
            elif paragraph:
                found.append(_speaker_line(start, " ".join(paragraph), title))
                paragraph = []
            index += 1
        if paragraph:
            found.append(_speaker_line(start, " ".join(paragraph), title))
    return found


def _speaker_line(line: int, text: str, title: str) -> ChatLine:
    match = SPEAKER_LINE.match(text)
    if not match:
        return ChatLine(line, "", text, title)
    speaker = match.group(1) or match.group(2)
    return ChatLine(line, speaker, text[match.end() :].strip(), title)


def latin_words(text: str) -> list[str]:
    """Latin-script words in a Chinese chat line that are not product codes, units or allowed words."""
    stripped = PRODUCT_CODE.sub(" ", text)
    found = []
    for match in LATIN_WORD.finditer(stripped):
        word = match.group(0)
        letters = word.rstrip("0123456789")
        if word in ALLOWED_WORDS or letters in ALLOWED_WORDS:
            continue
        before = stripped[: match.start()].rstrip()
        if word in UNITS and before[-1:].isdigit():
            continue
        found.append(word)
    return found


_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def han_count(text: str) -> int:
    """How many Chinese characters a text holds."""
    return len(_HAN.findall(text))


def has_chinese(text: str) -> bool:
    """Whether a text holds any Chinese character."""
    return bool(_HAN.search(text))
