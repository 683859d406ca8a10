"""Question versions: a changed question gets a new immutable version; attempts keep the ones they were given."""

from __future__ import annotations

from lms.content.loader import as_json
from lms.content.specs import QuestionSpec
from lms.models import Question, QuestionVersion


def add_version(question: Question, spec: QuestionSpec) -> QuestionVersion:
    """Give a question a new immutable version from its spec and make it current (old attempts keep theirs)."""
    version = QuestionVersion(
        number=max((v.number for v in question.versions), default=0) + 1,
        type=spec.type,
        text=spec.text,
        points=spec.points,
        tags=list(spec.tags),
        explanation=spec.explanation,
        body=as_json(spec.body),
        en=as_json(spec.en) or None,
        content_hash=spec.hash,
    )
    question.versions.append(version)
    question.current_version = version
    return version
