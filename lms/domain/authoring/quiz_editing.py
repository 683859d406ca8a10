"""Trainers edit quizzes in the browser: settings, and questions of every type checked by the same rules
as the files. A saved change is a new question version (attempts keep theirs); a stale form is refused."""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, cast, func, or_, select
from sqlalchemy.orm import Session, selectinload

from lms.content.problems import Problems
from lms.content.questions import REGISTRY
from lms.content.questions.base import Grade, ResponseError
from lms.content.quizzes import GATE, GRADING, REVIEW, SLUG, check_draw, parse_question
from lms.content.rulebook import RuleBook
from lms.content.specs import QuestionSpec
from lms.content.tables import TableReader
from lms.domain import audit
from lms.domain.curriculum.question_versions import add_version
from lms.domain.errors import N_, Conflict, DomainError, NotFound
from lms.models import Course, Question, QuestionVersion, Quiz, Role, User

EDITORS = (Role.TRAINER, Role.ADMIN)


def _require_editor(user: User) -> None:
    if not user.has_role(*EDITORS):
        raise DomainError(N_("Only trainers and administrators edit quizzes."))


@dataclass
class QuestionCheck:
    """A question as the editor sent it: the spec when it is good, else every problem with its place."""

    spec: QuestionSpec | None
    problems: list[tuple[str, str]]

    @property
    def ok(self) -> bool:
        return self.spec is not None and not self.problems


def check_question(raw: dict[str, Any]) -> QuestionCheck:
    """Run the file format's own checks on a question table built from the form."""
    problems: list[tuple[str, str]] = []

    def where(message: str, *at: str | int) -> None:
        problems.append((".".join(str(a) for a in at), message))

    spec = parse_question(raw, where)
    return QuestionCheck(spec, problems)


def _lock(session: Session, model: Any, row_id: int) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(model.id).where(model.id == row_id).with_for_update())


def save_question(
    session: Session,
    editor: User,
    quiz: Quiz,
    raw: dict[str, Any],
    *,
    question: Question | None,
    expected_version_id: int | None,
) -> tuple[Question, QuestionCheck]:
    """Create a question, or give an existing one a new version. Nothing is written when the check finds
    problems; a form loaded from an older version than the current one is refused (Conflict)."""
    _require_editor(editor)
    if question is not None:
        raw = dict(raw, id=question.key)
    checked = check_question(raw)
    if not checked.ok:
        return question or Question(key=str(raw.get("id") or "")), checked
    spec = checked.spec
    assert spec is not None
    if question is None:
        if session.scalar(select(Question.id).where(Question.quiz_id == quiz.id, Question.key == spec.id)):
            raise Conflict(N_("This quiz already has a question with the id %(id)s."), "id", id=spec.id)
        position = session.scalar(select(func.max(Question.position)).where(Question.quiz_id == quiz.id))
        question = Question(key=spec.id, position=(position if position is not None else -1) + 1)
        quiz.questions.append(question)
        add_version(question, spec)
        session.flush()
        audit.record(
            session,
            "question.create",
            actor=editor,
            target=question,
            after={"quiz": quiz.slug, "id": spec.id},
        )
        return question, checked
    _lock(session, Question, question.id)
    session.refresh(question, ["current_version_id"])
    if question.current_version_id != expected_version_id:
        raise Conflict(
            N_(
                "Someone else saved this question after you opened it. Your version is kept below; reload to see theirs."
            )
        )
    current = question.current_version
    if current is not None and current.content_hash == spec.hash and current.type == spec.type:
        return question, checked  # nothing changed
    before = current.number if current is not None else None
    version = add_version(question, spec)
    question.active = True
    session.flush()
    audit.record(
        session,
        "question.edit",
        actor=editor,
        target=question,
        before={"version": before},
        after={"version": version.number, "quiz": quiz.slug},
    )
    return question, checked


def retire_question(session: Session, editor: User, question: Question) -> None:
    """Take a question out of the quiz (kept for the attempts that used it)."""
    _require_editor(editor)
    question.active = False
    audit.record(session, "question.retire", actor=editor, target=question)


def move_question(session: Session, editor: User, quiz: Quiz, question: Question, direction: str) -> bool:
    """Swap the question with its neighbour among the quiz's active questions; False at either end."""
    _require_editor(editor)
    active = sorted((q for q in quiz.questions if q.active), key=lambda q: (q.position, q.id))
    for n, q in enumerate(active):
        q.position = n  # close any gaps first, so a swap always moves it
    index = active.index(question)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(active):
        return False
    active[index].position, active[other].position = other, index
    session.flush()
    audit.record(session, "question.move", actor=editor, target=question, after={"position": other})
    return True


def attempts_using(session: Session, question: Question) -> int:
    """How many attempts were given any version of this question."""
    from lms.models import AttemptItem

    return int(
        session.scalar(
            select(func.count())
            .select_from(AttemptItem)
            .join(QuestionVersion, QuestionVersion.id == AttemptItem.question_version_id)
            .where(QuestionVersion.question_id == question.id)
        )
        or 0
    )


def try_question(
    version_body: dict[str, Any], qtype: str, points: float, response: Any, book: RuleBook | None = None
) -> Grade:
    """Grade a sample answer against the key (and the rule book), as an attempt would; nothing is stored."""
    kind = REGISTRY[qtype]
    kind.check_response(version_body, response)
    return kind.grade(version_body, points, response, elapsed_seconds=None, book=book)


def try_review(
    version_body: dict[str, Any], qtype: str, response: Any, book: RuleBook | None = None
) -> dict[str, Any]:
    """The review a learner's results page shows for this answer (the key, and for a chat reply what
    matched where), for the try panel: the grade's notes are the grader's English."""
    return REGISTRY[qtype].review(version_body, response, book)


def public_view(version_body: dict[str, Any], qtype: str, seed: int = 0) -> dict[str, Any]:
    """What a learner's screen shows of the question (no keys)."""
    return REGISTRY[qtype].public(version_body, random.Random(seed))


# -- quizzes ---------------------------------------------------------------------------------------

SETTINGS_LIMITS = {
    "pass_percent": (0, 100),
    "max_attempts": (0, 100),
    "cooldown_minutes": (0, 60 * 24 * 30),
    "time_limit_minutes": (0, 600),
}


def _whole(raw: Any, field: str) -> int:
    low, high = SETTINGS_LIMITS[field]
    text = str(raw if raw is not None else "").strip()
    if not re.fullmatch(r"\d{1,6}", text) or not low <= int(text) <= high:
        raise DomainError(N_("Enter a whole number from %(low)s to %(high)s."), field, low=low, high=high)
    return int(text)


def create_quiz(session: Session, editor: User, *, slug: str, title: str, course_id: int | None) -> Quiz:
    """A new, unpublished quiz with the file format's default settings."""
    _require_editor(editor)
    slug = slug.strip()
    if not SLUG.match(slug):
        raise DomainError(N_("A quiz's short name is lowercase letters, digits and dashes."), "slug")
    if session.scalar(select(Quiz.id).where(Quiz.slug == slug)) is not None:
        raise Conflict(N_("A quiz called %(slug)s exists already."), "slug", slug=slug)
    title = title.strip()
    if not title or len(title) > 200:
        raise DomainError(N_("Give a title of at most 200 characters."), "title")
    if course_id is not None and session.get(Course, course_id) is None:
        raise DomainError(N_("Choose one of the courses."), "course")
    quiz = Quiz(slug=slug, title=title, course_id=course_id, published=False, gates=[], source_format="toml")
    session.add(quiz)
    session.flush()
    audit.record(session, "quiz.create", actor=editor, target=quiz, after={"slug": slug})
    return quiz


class _NoLines:
    """Browser forms have no lines: every problem is about the form as a whole."""

    def line(self, *path: str | int) -> int:
        return 1


def check_gates_and_draw(
    quiz: Quiz, gates: list[str], pools: list[dict[str, Any]]
) -> tuple[list[str], list[dict[str, Any]] | None]:
    """Gates (go-live, tier:<slug>) and draw pools, checked by the file format's own rules against the
    quiz's active questions (each pool needs enough questions carrying all its tags)."""
    for gate in gates:
        if not GATE.match(gate):
            raise DomainError(N_("Unknown gate %(gate)s."), "gates", gate=gate)
    table: dict[str, Any] = {"gates": gates}
    if pools:
        table["draw"] = pools
    problems = Problems()
    reader = TableReader(table, "quiz", problems, _NoLines())
    questions = [
        QuestionSpec(
            q.key,
            q.current_version.type,
            q.current_version.text,
            q.current_version.points,
            tuple(q.current_version.tags),
            "",
            {},
        )
        for q in quiz.questions
        if q.active and q.current_version is not None
    ]
    draw = check_draw(reader, questions)
    if problems:
        raise DomainError(
            N_("The draw pools cannot be filled: %(problems)s"),
            "draw",
            problems="; ".join(p.message for p in problems.sorted()),
        )
    return list(dict.fromkeys(gates)), (list(draw) if draw else None)


def update_quiz_settings(
    session: Session, editor: User, quiz: Quiz, form: dict[str, Any], *, expected: str
) -> Quiz:
    """Change a quiz's settings; a form loaded before someone else's save is refused."""
    _require_editor(editor)
    _lock(session, Quiz, quiz.id)
    session.refresh(quiz, ["updated_at"])
    if quiz.updated_at.isoformat() != expected:
        raise Conflict(
            N_(
                "Someone else saved this quiz after you opened it. Reload the page and make your change again."
            )
        )
    title = str(form.get("title", "")).strip()
    if not title or len(title) > 200:
        raise DomainError(N_("Give a title of at most 200 characters."), "title")
    values: dict[str, Any] = {field: _whole(form.get(field), field) for field in SETTINGS_LIMITS}
    if form.get("grading") not in GRADING:
        raise DomainError(N_("Choose how attempts are graded."), "grading")
    if form.get("review") not in REVIEW:
        raise DomainError(N_("Choose what learners see after an attempt."), "review")
    course_id = form.get("course") or None
    if course_id is not None:
        if (
            not str(course_id).isdecimal()
            or len(str(course_id)) > 10
            or int(course_id) >= 2**31
            or session.get(Course, int(course_id)) is None
        ):
            raise DomainError(N_("Choose one of the courses."), "course")
        course_id = int(course_id)
    gates, draw = check_gates_and_draw(quiz, list(form.get("gates") or []), list(form.get("draw") or []))
    before = {"title": quiz.title, "pass_percent": quiz.pass_percent, "published": quiz.published}
    quiz.title, quiz.title_en = title, (str(form.get("title_en", "")).strip()[:200] or None)
    quiz.description = str(form.get("description", "")).strip()[:5000]
    quiz.description_en = str(form.get("description_en", "")).strip()[:5000] or None
    for field, value in values.items():
        setattr(quiz, field, value)
    quiz.grading, quiz.review = form["grading"], form["review"]
    quiz.shuffle = bool(form.get("shuffle"))
    quiz.published = bool(form.get("published"))
    quiz.course_id, quiz.gates, quiz.draw = course_id, gates, draw
    quiz.updated_at = dt.datetime.now(dt.UTC)
    session.flush()
    audit.record(
        session,
        "quiz.settings",
        actor=editor,
        target=quiz,
        before=before,
        after={"title": quiz.title, "pass_percent": quiz.pass_percent, "published": quiz.published},
    )
    return quiz


def question_bank(session: Session, *, text: str = "", tag: str = "", limit: int = 200) -> list[Question]:
    """Active questions across quizzes whose text or tags match, newest versions (bounded)."""
    stmt = (
        select(Question)
        .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
        .where(Question.active.is_(True))
        .options(selectinload(Question.current_version), selectinload(Question.quiz))
        .order_by(Question.quiz_id, Question.position)
        .limit(limit)
    )
    if text.strip():
        like = f"%{text.strip()}%"
        stmt = stmt.where(or_(QuestionVersion.text.ilike(like), Question.key.ilike(like)))
    if tag.strip():
        # tags are a JSON list; match the quoted tag inside its text form (portable across databases)
        stmt = stmt.where(func.lower(cast(QuestionVersion.tags, String)).like(f'%"{tag.strip().lower()}"%'))
    return list(session.scalars(stmt))


def quiz_with_questions(session: Session, slug: str) -> Quiz:
    """A quiz with its questions and their current versions (two queries), or NotFound."""
    found = session.scalars(
        select(Quiz)
        .where(Quiz.slug == slug)
        .options(selectinload(Quiz.questions).selectinload(Question.current_version))
    ).one_or_none()
    if found is None:
        raise NotFound(N_("No such quiz."))
    return found


def get_question(session: Session, quiz: Quiz, key: str) -> Question:
    found = session.scalars(
        select(Question)
        .where(Question.quiz_id == quiz.id, Question.key == key)
        .options(selectinload(Question.current_version))
    ).one_or_none()
    if found is None:
        raise NotFound(N_("No such question."))
    return found


__all__ = ["ResponseError"]
