"""Question types: one class per type, registered by name (a new type touches one file)."""

from lms.content.questions import (  # noqa: F401 - importing a module registers its type
    cloze,
    essay,
    matching,
    multiple,
    numeric,
    ordering,
    reply,
    short,
    single,
    truefalse,
)
from lms.content.questions.base import META_KEYS, REGISTRY, Grade, QuestionType, ResponseError, get_type

__all__ = ["META_KEYS", "REGISTRY", "Grade", "QuestionType", "ResponseError", "get_type"]
