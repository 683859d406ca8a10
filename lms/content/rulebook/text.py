"""The two forms of a text the rule book reads, each mapped back to the characters as typed.

1. *Folded*: every character through NFKC (full-width → half-width, ｖ → v, ① → 1), the Chinese
   marks NFKC keeps mapped to their Western twins (。→ .  、→ ,  “” → "), then case folded.
   Nothing is removed: regular-expression patterns read this form.
2. *Compact*: the folded text without the spaces and punctuation between characters, so
   "加 微 信", "加-微-信" and "加.V" read as 加微信 and 加v. Phrases (rules, exemptions, key points,
   forbidden phrases) are found in this form. Between two Latin letters or digits, words stay
   words: a run of spaces or punctuation becomes one space ("the best", "VX:abc" → "vx abc",
   "world-class" → "world class"), punctuation between two digits stays ("3.5" is not "35",
   "16:00" stays) and an apostrophe simply goes ("can't" → "cant").
   Where a clause ends (，。！？；… or a line break) is remembered, so a negation is never read
   across it.

Every character of either form knows the position of the typed character it came from, so a
hit found in either form is shown on the words the person actually wrote.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_MARKS = str.maketrans(
    {
        "。": ".",
        "｡": ".",
        "、": ",",
        "“": '"',
        "”": '"',
        "「": '"',
        "」": '"',
        "『": '"',
        "』": '"',
        "‘": "'",
        "’": "'",
        "《": "<",
        "》": ">",
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
        "·": ".",
        "•": ".",
        "…": ".",
    }
)
#: Punctuation that is part of what a phrase says, never a separator (100%, #1, @, &).
_MEANINGFUL = frozenset("%#@&+")
#: Marks ending a clause: a negation before one of them does not reach past it.
CLAUSE_ENDS = frozenset(",.!?;:\n")

WORD, OTHER, SEPARATOR = "w", "o", "s"


@lru_cache(maxsize=65536)
def fold_char(char: str) -> str:
    """One typed character in folded form (may be empty or several characters)."""
    return unicodedata.normalize("NFKC", char).translate(_MARKS).casefold()


@lru_cache(maxsize=65536)
def kind_of(char: str) -> str:
    """WORD (a Latin-script letter or a digit), SEPARATOR (space, punctuation, invisible) or OTHER (CJK …)."""
    if char.isspace():
        return SEPARATOR
    category = unicodedata.category(char)
    if (category[0] == "P" and char not in _MEANINGFUL) or category in ("Cf", "Cc", "Zs", "Sk"):
        return SEPARATOR
    if char in "~|=^`":
        return SEPARATOR
    if char.isalnum() and ord(char) < 0x2E80:
        return WORD
    return OTHER


@dataclass(frozen=True)
class Prepared:
    """A text in its typed, folded and compact forms, with the maps between them."""

    original: str
    folded: str
    #: For each folded character, the index of the typed character it came from.
    folded_at: tuple[int, ...]
    compact: str
    #: For each compact character, the index of the typed character it came from.
    compact_at: tuple[int, ...]
    #: For each compact character, whether a clause ended just before it.
    clause_before: tuple[bool, ...]

    def span(self, start: int, end: int, *, compact: bool = True) -> tuple[int, int]:
        """The typed text's [start, end) for a span of the compact (or folded) form."""
        at = self.compact_at if compact else self.folded_at
        if end <= start:
            return at[start], at[start]
        return at[start], at[end - 1] + 1

    def is_word(self, index: int) -> bool:
        """Whether the compact character at index is a Latin letter or digit (out of range: no)."""
        return 0 <= index < len(self.compact) and kind_of(self.compact[index]) == WORD


def compact_phrase(phrase: str) -> str:
    """A phrase in the compact form it is looked for in."""
    return prepare(phrase).compact


def prepare(text: str) -> Prepared:
    """Fold and compact a text, keeping where every character came from."""
    folded: list[str] = []
    folded_at: list[int] = []
    for index, char in enumerate(text):
        out = fold_char(char)
        folded.append(out)
        folded_at.extend([index] * len(out))
    folded_text = "".join(folded)
    compact: list[str] = []
    compact_at: list[int] = []
    clause: list[bool] = []
    run: list[str] = []  # the separators since the last kept character
    for position, char in enumerate(folded_text):
        kind = kind_of(char)
        if kind == SEPARATOR:
            run.append(char)
            continue
        if run:
            if compact and kind == WORD and kind_of(compact[-1]) == WORD:
                spaced = any(c.isspace() for c in run)
                if char.isdigit() and compact[-1].isdigit() and not spaced:
                    kept = run  # 3.5, 16:00, 2-3
                elif not spaced and all(c in "'`" for c in run):
                    kept = []  # can't → cant
                else:
                    kept = [" "]  # the best, vx:abc → vx abc, world-class → world class
                for mark in kept:
                    compact.append(mark)
                    compact_at.append(folded_at[position])
                    clause.append(False)
            ended = any(c in CLAUSE_ENDS for c in run)
        else:
            ended = False
        compact.append(char)
        compact_at.append(folded_at[position])
        clause.append(ended)
        run = []
    return Prepared(text, folded_text, tuple(folded_at), "".join(compact), tuple(compact_at), tuple(clause))
