"""A question version as the reader sees it: the Chinese, or its English overlay when reading English.

The English is the overlay kept with the exact version an attempt was given; grading and stored
responses always use the Chinese body and the file positions, so only the texts change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lms.content.english import english_body, english_display
from lms.content.questions import ResponseError, get_type
from lms.models import AttemptItem, QuestionVersion
from lms.web.i18n import reads_english


@dataclass(frozen=True)
class ShownQuestion:
    """The texts of a question version in the reader's language."""

    text: str
    explanation: str
    body: dict[str, Any]


def shown(version: QuestionVersion) -> ShownQuestion:
    """The version's text, explanation and body (for review) in the reader's language."""
    english = version.en if reads_english() else None
    if not english:
        return ShownQuestion(version.text, version.explanation or "", version.body)
    return ShownQuestion(
        english.get("text") or version.text,
        english.get("explanation") or version.explanation or "",
        english_body(version.body, english),
    )


def shown_display(version: QuestionVersion, display: dict[str, Any]) -> dict[str, Any]:
    """An attempt item's stored display (its order kept) in the reader's language."""
    english = version.en if reads_english() else None
    if not english:
        return display
    body = english_body(version.body, english)
    return english_display(get_type(version.type).public(body, None), display)


def shown_feedback(item: AttemptItem) -> list[str]:
    """The feedback of a graded item in the reader's language (the score is never recomputed)."""
    version = item.version
    english = version.en if reads_english() else None
    if not english or item.response is None:
        return list(item.feedback or [])
    try:
        grade = get_type(version.type).grade(
            english_body(version.body, english), item.max_score, item.response
        )
    except ResponseError:
        return list(item.feedback or [])
    return list(grade.feedback)
