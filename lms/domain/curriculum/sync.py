"""Loading the checked curriculum into the database, in one transaction, idempotently.

Content hashes decide created / updated / unchanged. A changed question gets a new immutable
version (attempts keep theirs); a course whose major version rises gets a revision event for
refresher training to act on.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lms.content.loader import as_json
from lms.content.specs import ContentTree, CourseSpec, FaqEntrySpec, QuizSpec
from lms.domain import audit
from lms.domain.curriculum.overview import PROGRAMME_SLUG
from lms.domain.curriculum.question_versions import add_version
from lms.domain.curriculum.rulebook import sync_rulebook
from lms.domain.curriculum.scenarios import sync_scenarios
from lms.models import (
    Course,
    CourseRevision,
    FaqEntry,
    Lesson,
    Product,
    Programme,
    Question,
    Quiz,
    User,
)


@dataclass
class SyncReport:
    """What a sync did, per kind of thing."""

    counts: dict[str, Counter[str]] = field(default_factory=dict)
    revisions: list[str] = field(default_factory=list)

    def count(self, kind: str, outcome: str) -> None:
        self.counts.setdefault(kind, Counter())[outcome] += 1

    @property
    def changed(self) -> bool:
        return any(c["created"] or c["updated"] or c["removed"] for c in self.counts.values())

    def lines(self) -> list[str]:
        """One line per kind, for the command line."""
        out = []
        for kind in (
            "programme",
            "courses",
            "lessons",
            "quizzes",
            "questions",
            "faq",
            "products",
            "rule book",
            "scenarios",
        ):
            c = self.counts.get(kind, Counter())
            out.append(
                f"{kind}: {c['created']} created, {c['updated']} updated, "
                f"{c['unchanged']} unchanged, {c['removed']} removed"
            )
        out += [f"revision: {r}" for r in self.revisions]
        return out


def _sync_programme(session: Session, tree: ContentTree, report: SyncReport) -> None:
    spec = tree.programme
    if spec is None:
        return
    row = session.scalars(select(Programme).where(Programme.slug == PROGRAMME_SLUG)).one_or_none()
    if row is None:
        session.add(
            Programme(
                slug=PROGRAMME_SLUG,
                title=spec.title,
                title_en=spec.en.get("title"),
                spec=as_json(spec.as_json()),
                content_hash=spec.hash,
            )
        )
        report.count("programme", "created")
    elif row.content_hash != spec.hash:
        row.title, row.title_en = spec.title, spec.en.get("title")
        row.spec, row.content_hash = as_json(spec.as_json()), spec.hash
        report.count("programme", "updated")
    else:
        report.count("programme", "unchanged")


def _sync_course(
    session: Session, spec: CourseSpec, existing: Course | None, report: SyncReport, actor: User | None
) -> Course:
    if existing is None:
        course = Course(slug=spec.slug)
        session.add(course)
        report.count("courses", "created")
    else:
        course = existing
        if course.content_hash == spec.hash:
            report.count("courses", "unchanged")
            for _lesson in spec.lessons:
                report.count("lessons", "unchanged")
            return course
        report.count("courses", "updated")
        old = (course.version_major, course.version_minor)
        if old != spec.version:
            major = spec.version[0] > old[0]
            session.add(
                CourseRevision(
                    course=course,
                    from_version=f"{old[0]}.{old[1]}",
                    to_version=spec.version_text,
                    major=major,
                )
            )
            report.revisions.append(
                f"{spec.slug} {old[0]}.{old[1]} → {spec.version_text}{' (major)' if major else ''}"
            )
            audit.record(
                session,
                "course.revision",
                actor=actor,
                target_type="course",
                target_id=spec.slug,
                before={"version": f"{old[0]}.{old[1]}"},
                after={"version": spec.version_text, "major": major},
            )
    course.title, course.title_en = spec.title, spec.en.get("title")
    course.summary, course.summary_en = spec.summary, spec.en.get("summary")
    course.version_major, course.version_minor = spec.version
    course.topics = list(spec.topics)
    course.refresher_on_major, course.published = spec.refresher_on_major, spec.published
    course.content_hash = spec.hash
    by_slug = {lesson.slug: lesson for lesson in course.lessons}
    wanted = set()
    for position, lspec in enumerate(spec.lessons):
        wanted.add(lspec.slug)
        lesson = by_slug.get(lspec.slug)
        if lesson is None:
            lesson = Lesson(slug=lspec.slug)
            course.lessons.append(lesson)
            report.count("lessons", "created")
        elif lesson.content_hash == lspec.hash and lesson.position == position and lesson.active:
            report.count("lessons", "unchanged")
            continue
        else:
            report.count("lessons", "updated")
        lesson.title, lesson.day, lesson.minutes = lspec.title, lspec.day, lspec.minutes
        lesson.title_en, lesson.body_en = lspec.en.get("title"), lspec.en.get("body")
        lesson.body, lesson.position, lesson.active = lspec.body, position, True
        lesson.content_hash = lspec.hash
    for slug, lesson in by_slug.items():
        if slug not in wanted and lesson.active:
            lesson.active = False
            report.count("lessons", "removed")
    return course


def _sync_quiz(
    session: Session, spec: QuizSpec, existing: Quiz | None, courses: dict[str, Course], report: SyncReport
) -> None:
    if existing is not None and existing.content_hash == spec.hash:
        report.count("quizzes", "unchanged")
        for _q in spec.questions:
            report.count("questions", "unchanged")
        return
    quiz = existing or Quiz(slug=spec.slug)
    if existing is None:
        session.add(quiz)
        report.count("quizzes", "created")
    else:
        report.count("quizzes", "updated")
    settings = spec.settings()
    quiz.title_en, quiz.description_en = spec.en.get("title"), spec.en.get("description")
    for key in (
        "title",
        "description",
        "pass_percent",
        "max_attempts",
        "cooldown_minutes",
        "time_limit_minutes",
        "grading",
        "shuffle",
        "review",
        "published",
        "source_format",
    ):
        setattr(quiz, key, settings[key])
    quiz.gates = list(spec.gates)
    quiz.draw = as_json(list(spec.draw)) if spec.draw is not None else None
    quiz.course = courses.get(spec.course) if spec.course else None
    quiz.content_hash = spec.hash
    by_key = {q.key: q for q in quiz.questions}
    wanted = set()
    for position, qspec in enumerate(spec.questions):
        wanted.add(qspec.id)
        question = by_key.get(qspec.id)
        version_hash = qspec.hash
        if question is None:
            question = Question(key=qspec.id, position=position)
            quiz.questions.append(question)
            report.count("questions", "created")
        else:
            current = question.current_version
            if current is not None and current.content_hash == version_hash:
                if question.position != position or not question.active:
                    question.position, question.active = position, True
                    report.count("questions", "updated")
                else:
                    report.count("questions", "unchanged")
                continue
            report.count("questions", "updated")
        add_version(question, qspec)
        question.position, question.active = position, True
    for key, question in by_key.items():
        if key not in wanted and question.active:
            question.active = False
            report.count("questions", "removed")


def _faq_extras(entry: FaqEntrySpec) -> dict[str, Any]:
    """The bilingual format's FAQ columns (None when the file leaves them out)."""
    return {
        "day": entry.day,
        "key_points": as_json(list(entry.key_points)) or None,
        "steps": list(entry.steps) or None,
        "en": as_json(entry.en) or None,
    }


def sync_content(session: Session, tree: ContentTree, *, actor: User | None = None) -> SyncReport:
    """Bring the database in line with the (already checked) content tree."""
    report = SyncReport()
    _sync_programme(session, tree, report)
    courses = {c.slug: c for c in session.scalars(select(Course).options(selectinload(Course.lessons)))}
    for slug, spec in tree.courses.items():
        courses[slug] = _sync_course(session, spec, courses.get(slug), report, actor)
    session.flush()
    quizzes = {
        q.slug: q
        for q in session.scalars(
            select(Quiz).options(
                selectinload(Quiz.questions).selectinload(Question.versions),
                selectinload(Quiz.questions).selectinload(Question.current_version),
            )
        )
    }
    for slug, quiz_spec in tree.quizzes.items():
        _sync_quiz(session, quiz_spec, quizzes.get(slug), courses, report)
    faq = {f.key: f for f in session.scalars(select(FaqEntry))}
    for position, entry in enumerate(tree.faq):
        row = faq.get(entry.id)
        if row is None:
            session.add(
                FaqEntry(
                    key=entry.id,
                    kind=entry.kind,
                    question=entry.question,
                    answer=entry.answer,
                    tags=list(entry.tags),
                    phrasings=list(entry.phrasings),
                    **_faq_extras(entry),
                    position=position,
                    content_hash=entry.hash,
                )
            )
            report.count("faq", "created")
        elif row.content_hash != entry.hash or row.position != position or not row.active:
            row.kind, row.question, row.answer = entry.kind, entry.question, entry.answer
            row.tags, row.phrasings, row.position = list(entry.tags), list(entry.phrasings), position
            for key, value in _faq_extras(entry).items():
                setattr(row, key, value)
            row.active, row.content_hash = True, entry.hash
            report.count("faq", "updated")
        else:
            report.count("faq", "unchanged")
    wanted_faq = {e.id for e in tree.faq}
    for key, row in faq.items():
        if key not in wanted_faq and row.active:
            row.active = False
            report.count("faq", "removed")
    products = {p.sku: p for p in session.scalars(select(Product))}
    for product in tree.products:
        product_row = products.get(product.sku)
        if product_row is None:
            session.add(
                Product(
                    sku=product.sku,
                    name=product.name,
                    en=as_json(product.en) or None,
                    price=product.price,
                    details=as_json(product.details),
                    content_hash=product.hash,
                )
            )
            report.count("products", "created")
        elif product_row.content_hash != product.hash:
            product_row.name, product_row.en = product.name, as_json(product.en) or None
            product_row.price = product.price
            product_row.details, product_row.content_hash = as_json(product.details), product.hash
            product_row.active = True
            report.count("products", "updated")
        else:
            report.count("products", "unchanged")
    if tree.rulebook is not None:
        report.count("rule book", sync_rulebook(session, tree.rulebook))
    sync_scenarios(session, tree.scenarios, courses, report.count)
    session.flush()
    if report.changed:
        audit.record(
            session, "content.sync", actor=actor, after={k: dict(v) for k, v in report.counts.items()}
        )
    return report
