"""The go-live gate: what an agent needs before taking live chats, and the certificate that proves it."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.domain import audit
from lms.domain.curriculum.programme import load_schedule, passed_quiz_ids
from lms.domain.errors import N_, DomainError
from lms.models import Certificate, Course, GoLiveSignoff, Lesson, LessonCompletion, Quiz, Role, User
from lms.models.certification import GO_LIVE


@dataclass
class Requirement:
    """One go-live requirement for one person: met or not, and why."""

    kind: str  # quiz | course | signoff | faq
    key: str
    title: str
    met: bool
    detail: str  # an English %-template, translated where it is shown
    params: dict[str, object] = field(default_factory=dict)
    #: The quiz's or course's English title (pages show it to English readers), None when not written.
    title_en: str | None = None

    def __str__(self) -> str:
        return f"{self.title}: {self.detail % self.params if self.params else self.detail}"


def go_live_requirements(session: Session, user: User) -> list[Requirement]:
    """Every go-live requirement of the programme, evaluated for this user."""
    schedule = load_schedule(session)
    if schedule is None:
        return []
    rules = schedule.go_live
    result: list[Requirement] = []
    quiz_slugs = list(rules.get("quizzes", []))
    quizzes = {q.slug: q for q in session.scalars(select(Quiz).where(Quiz.slug.in_(quiz_slugs)))}
    passed, failed = passed_quiz_ids(session, user)
    for slug in quiz_slugs:
        quiz = quizzes.get(slug)
        ok = quiz is not None and quiz.id in passed
        detail = (
            N_("passed")
            if ok
            else (N_("not passed yet") if quiz is not None and quiz.id in failed else N_("not taken"))
        )
        result.append(
            Requirement(
                "quiz",
                slug,
                quiz.title if quiz else slug,
                ok,
                detail,
                title_en=quiz.title_en if quiz else None,
            )
        )
    course_slugs = list(rules.get("courses", []))
    courses = {c.slug: c for c in session.scalars(select(Course).where(Course.slug.in_(course_slugs)))}
    totals: dict[int, int] = {}
    for course_id, _lesson_id in session.execute(
        select(Lesson.course_id, Lesson.id).where(
            Lesson.active.is_(True), Lesson.course_id.in_([c.id for c in courses.values()])
        )
    ):
        totals[course_id] = totals.get(course_id, 0) + 1
    done: dict[int, int] = {}
    for (course_id,) in session.execute(
        select(Lesson.course_id)
        .join(LessonCompletion, LessonCompletion.lesson_id == Lesson.id)
        .where(LessonCompletion.user_id == user.id, Lesson.active.is_(True))
    ):
        done[course_id] = done.get(course_id, 0) + 1
    for slug in course_slugs:
        course = courses.get(slug)
        total = totals.get(course.id, 0) if course else 0
        count = done.get(course.id, 0) if course else 0
        result.append(
            Requirement(
                "course",
                slug,
                course.title if course else slug,
                bool(course) and count >= total > 0,
                N_("%(done)s/%(total)s lessons"),
                {"done": count, "total": total},
                title_en=course.title_en if course else None,
            )
        )
    if rules.get("trainer_signoff"):
        signoff = session.scalars(select(GoLiveSignoff).where(GoLiveSignoff.user_id == user.id)).one_or_none()
        who = signoff.trainer.display_name if signoff and signoff.trainer else ""
        result.append(
            Requirement(
                "signoff",
                "trainer",
                N_("Trainer sign-off"),
                signoff is not None,
                N_("signed off by %(name)s") if signoff else N_("waiting for the trainer"),
                {"name": who} if signoff else {},
            )
        )
    return result


def certificate_of(session: Session, user: User, kind: str = GO_LIVE) -> Certificate | None:
    """The user's certificate of a kind (valid or revoked), if any."""
    return session.scalars(
        select(Certificate).where(Certificate.user_id == user.id, Certificate.kind == kind)
    ).one_or_none()


def is_live(session: Session, user: User) -> bool:
    """Whether the agent holds a valid go-live certificate."""
    cert = certificate_of(session, user)
    return cert is not None and cert.valid


def maybe_issue_go_live(session: Session, user: User, now: dt.datetime) -> Certificate | None:
    """Issue the go-live certificate when the last requirement is met: exactly once, even when events race."""
    existing = certificate_of(session, user)
    if existing is not None:
        return existing
    requirements = go_live_requirements(session, user)
    if not requirements or not all(r.met for r in requirements):
        return None
    cert = Certificate(
        user_id=user.id,
        kind=GO_LIVE,
        code=secrets.token_urlsafe(12),
        issued_at=now,
        evidence={"requirements": [r.key for r in requirements]},
    )
    try:
        with session.begin_nested():
            session.add(cert)
    except IntegrityError:
        return certificate_of(session, user)  # a parallel event issued it first
    audit.record(
        session, "certificate.issue", actor=user, target=cert, after={"kind": GO_LIVE, "code": cert.code}
    )
    return cert


def sign_off(session: Session, trainer: User, learner: User, comment: str, now: dt.datetime) -> GoLiveSignoff:
    """A trainer signs off a new hire for go-live (once); the certificate follows if all else is met."""
    if not trainer.has_role(Role.TRAINER, Role.ADMIN):
        raise DomainError(N_("Only trainers sign off for go-live."))
    existing = session.scalars(select(GoLiveSignoff).where(GoLiveSignoff.user_id == learner.id)).one_or_none()
    if existing is not None:
        return existing
    signoff = GoLiveSignoff(user_id=learner.id, trainer_id=trainer.id, comment=comment.strip()[:2000], at=now)
    session.add(signoff)
    session.flush()
    audit.record(session, "golive.signoff", actor=trainer, target=learner, after={"comment": signoff.comment})
    maybe_issue_go_live(session, learner, now)
    return signoff


def revoke(session: Session, admin: User, cert: Certificate, reason: str, now: dt.datetime) -> None:
    """An admin revokes a certificate with a reason; the agent is no longer live."""
    if not admin.has_role(Role.ADMIN):
        raise DomainError(N_("Only administrators revoke certificates."))
    if not reason.strip():
        raise DomainError(N_("Give a reason for the revocation."), "reason")
    if cert.revoked_at is not None:
        return
    cert.revoked_at, cert.revoked_by_id, cert.revoke_reason = now, admin.id, reason.strip()[:2000]
    audit.record(
        session,
        "certificate.revoke",
        actor=admin,
        target=cert,
        before={"valid": True},
        after={"valid": False, "reason": cert.revoke_reason},
    )
