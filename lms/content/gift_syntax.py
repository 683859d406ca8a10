"""The small pieces of Moodle's GIFT syntax that question types share: escapes, weights, feedback.

While a question is parsed its escapes (`\\~ \\= \\# \\{ \\} \\: \\n \\\\`) are swapped for
private-use characters, so a control character in the text never splits anything; `restore`
swaps them back once the pieces are cut. This mirrors Moodle's own reader (qformat_gift).
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple

#: The blank Moodle puts where a mid-sentence answer block was ("missing word").
BLANK = "_____"

_PROTECT = (
    ("\\\\", "\ue000"),
    ("\\~", "\ue001"),
    ("\\=", "\ue002"),
    ("\\#", "\ue003"),
    ("\\{", "\ue004"),
    ("\\}", "\ue005"),
    ("\\:", "\ue006"),
    ("\\n", "\ue007"),
)
_RESTORE = str.maketrans(
    {
        "\ue000": "\\",
        "\ue001": "~",
        "\ue002": "=",
        "\ue003": "#",
        "\ue004": "{",
        "\ue005": "}",
        "\ue006": ":",
        "\ue007": "\n",
    }
)
#: A literal backslash while protected (short answers need it to tell `\*` from `*`).
BACKSLASH = "\ue000"
FORMATS = ("html", "markdown", "plain", "moodle")
_FORMAT = re.compile(r"^\[(html|markdown|plain|moodle)\]")
_WEIGHT = re.compile(r"^%(-?\d{1,3}(?:\.\d+)?)%")
_LOOKS_LIKE_WEIGHT = re.compile(r"^%[^%\s]{0,12}%")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_SPECIAL = re.compile(r"([\\~=#{}:])")


class GiftParts(NamedTuple):
    """A question as GIFT: its text (with BLANK where a mid-sentence block goes) and answer block."""

    text: str
    block: str


def protect(text: str) -> str:
    """Hide escaped control characters from the parser."""
    for escape_seq, mark in _PROTECT:
        text = text.replace(escape_seq, mark)
    return text


def restore(text: str) -> str:
    """Turn protected escapes back into the characters they stand for."""
    return text.translate(_RESTORE)


def escape(text: str) -> str:
    """GIFT-escape control characters and newlines (as Moodle's exporter does)."""
    return _SPECIAL.sub(r"\\\1", text).replace("\n", "\\n")


def split_format(text: str) -> tuple[str | None, str]:
    """A leading `[html]`/`[markdown]`/`[plain]`/`[moodle]` marker and the text after it."""
    stripped = text.strip()
    match = _FORMAT.match(stripped)
    if match:
        return match.group(1), stripped[match.end() :].strip()
    return None, stripped


def clean(text: str) -> str:
    """A protected piece as final text: format marker dropped, escapes restored, trimmed."""
    return restore(split_format(text)[1]).strip()


def split_answers(block: str, markers: str) -> tuple[str, list[tuple[str, str]]]:
    """The text before the first marker, and each (marker, rest) of an answer block."""
    parts = re.split(f"([{re.escape(markers)}])", block)
    lead, answers = parts[0], []
    for index in range(1, len(parts), 2):
        answers.append((parts[index], parts[index + 1]))
    return lead, answers


class Weighted(NamedTuple):
    """One answer of a block: its `%n%` weight if written, its text and feedback (protected)."""

    weight: float | None
    text: str
    feedback: str
    problem: str


def weighted(rest: str) -> Weighted:
    """Split `%50%text#feedback` into its parts; a malformed weight is a problem."""
    rest = rest.strip()
    weight: float | None = None
    problem = ""
    match = _WEIGHT.match(rest)
    if match:
        weight = float(match.group(1))
        rest = rest[match.end() :]
        if not -100 <= weight <= 100:
            problem = f"the weight %{match.group(1)}% is outside -100..100"
    elif _LOOKS_LIKE_WEIGHT.match(rest):
        problem = f"{_LOOKS_LIKE_WEIGHT.match(rest).group(0)} is not a weight (write %50% or %-33.3%)"  # type: ignore[union-attr]
    text, _, feedback = rest.partition("#")
    return Weighted(weight, text.strip(), feedback.strip(), problem)


def parse_number(text: str) -> int | float | None:
    """A GIFT number: 1822, -3, 3.1415, 1e3; None for anything else (no nan, no inf)."""
    text = text.strip()
    if not _NUMBER.match(text):
        return None
    value = float(text)
    if not math.isfinite(value):
        return None
    if "." not in text and "e" not in text.lower():
        return int(text)
    return value


def number_text(value: float) -> str:
    """A number as GIFT writes it: ints as ints, floats by repr (import gives the same float)."""
    return str(value) if isinstance(value, int) else repr(float(value))


def weight_text(weight: float) -> str:
    """`%50%`, `%-33.33333%`."""
    whole = int(weight) if float(weight).is_integer() else weight
    return f"%{whole}%"


def feedback_text(feedback: str | None) -> str:
    """`#feedback`, escaped, or nothing."""
    return f"#{escape(feedback)}" if feedback else ""
