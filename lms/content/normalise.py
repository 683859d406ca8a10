"""Comparing typed answers: case, full/half width, spaces and Chinese/Western punctuation alike."""

from __future__ import annotations

import re
import unicodedata

# NFKC folds full-width letters, digits and most punctuation; these remain to be folded by hand.
_PUNCTUATION = str.maketrans(
    {
        "。": ".",
        "、": ",",
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
        "《": "<",
        "》": ">",
        "【": "[",
        "】": "]",
        "～": "~",
        "—": "-",
        "–": "-",
        "·": ".",
    }
)
_SPACES = re.compile(r"\s+")
_STRIP = re.compile(r"[\s.,!?;:'\"()\[\]<>~-]+")


def normalise(text: str) -> str:
    """A canonical form of a short answer for comparison."""
    folded = unicodedata.normalize("NFKC", text).translate(_PUNCTUATION).casefold()
    folded = _SPACES.sub(" ", folded).strip()
    # Punctuation and spacing never decide whether an answer is right.
    return _STRIP.sub("", folded)


def contains_phrase(text: str, phrase: str) -> bool:
    """Whether a reply contains a phrase, compared in normalised form."""
    needle = normalise(phrase)
    return bool(needle) and needle in normalise(text)
