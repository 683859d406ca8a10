"""Question types: one class per type, registered by name (a new type touches one file)."""

from lms.content.questions import (  # noqa: F401 - importing registers each type
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
from lms.content.questions.base import REGISTRY, Grade, QuestionType, ResponseError, get_type

__all__ = ["REGISTRY", "Grade", "QuestionType", "ResponseError", "get_type"]
