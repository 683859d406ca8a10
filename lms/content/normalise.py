"""Comparing typed answers: case, full/half width, spaces and Chinese/Western punctuation alike.

`normalise` gives the form two answers are compared in:

1. NFKC folds full-width letters, digits and the punctuation ，！？：；（） to ASCII;
2. the Chinese marks NFKC keeps (。、“”‘’「」《》【】～ and the dashes) become their Western twins;
3. case is folded (casefold, so ß and ss compare alike);
4. runs of whitespace become one space; spaces next to punctuation or a CJK character go, because
   Chinese is written without them ("72 小时" = "72小时", "72，hours" = "72, hours");
5. double quotes go, and so do sentence punctuation and apostrophes at either end
   ("Nazareth." = "Nazareth", “好” = 好).

Inner punctuation stays: "3.5" is not "35" and "no-one" is not "no one".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_MARKS = str.maketrans(
    {
        "。": ".",
        "｡": ".",
        "、": ",",
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "「": '"',
        "」": '"',
        "『": '"',
        "』": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "《": "<",
        "》": ">",
        "〈": "<",
        "〉": ">",
        "【": "[",
        "】": "]",
        "〔": "[",
        "〕": "]",
        "～": "~",
        "〜": "~",
        "—": "-",
        "–": "-",
        "―": "-",
        "‐": "-",
        "‑": "-",
        "−": "-",
    }
)
# CJK ideographs, kana, Hangul and the CJK symbol blocks.
_CJK = "\u2e80-\u2fff\u3000-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_SPACES = re.compile(r"\s+")
_PUNCT = r"!-/:-@\[-`{-~"  # the ASCII punctuation ranges
_SPACE_NEAR = re.compile(rf"\s+(?=[{_PUNCT}{_CJK}])|(?<=[{_PUNCT}{_CJK}])\s+")
_ENDS = re.compile(r"^['\s]+|[\s'.!?,;:]+$")
_WORD_START = re.compile(r"[0-9a-z]")


@lru_cache(maxsize=8192)
def normalise(text: str) -> str:
    """The canonical form of a short answer, for comparison."""
    folded = unicodedata.normalize("NFKC", text).translate(_MARKS).casefold().replace('"', "")
    folded = _SPACES.sub(" ", folded).strip()
    folded = _SPACE_NEAR.sub("", folded)
    stripped = _ENDS.sub("", folded)
    # An answer made only of punctuation ("?") keeps it rather than becoming empty.
    return stripped or folded


def same_answer(given: str, expected: str) -> bool:
    """Whether a typed answer is the expected one, normalised."""
    typed = normalise(given)
    return bool(typed) and typed == normalise(expected)


def contains_phrase(text: str, phrase: str) -> bool:
    """Whether a reply contains a phrase, both normalised.

    A phrase starting with a Latin letter or digit must start a word ("best" is not found in
    "honestbest"), but may end inside one, so "return" finds "returns" and "returned".
    """
    needle = normalise(phrase)
    if not needle:
        return False
    haystack = normalise(text)
    if not _WORD_START.match(needle):
        return needle in haystack
    start = haystack.find(needle)
    while start >= 0:
        if start == 0 or not _WORD_START.match(haystack[start - 1]):
            return True
        start = haystack.find(needle, start + 1)
    return False
