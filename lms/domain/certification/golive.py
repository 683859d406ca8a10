"""The go-live gate: what an agent needs before taking live chats, and the certificate that proves it."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from sqlalchemy import (
    CompoundSelect,
    Float,
    Integer,
    Select,
    bindparam,
    case,
    cast,
    func,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.db import read_rows
from lms.domain import audit
from lms.domain.curriculum.programme import Progress, Schedule, load_schedule, progress_from_rows
from lms.domain.drills.mastery import (
    REQUIRED_ENTRIES,
    Mastery,
    best_typing_statement,
    card_counts_statement,
    masteries,
)
from lms.domain.errors import N_, DomainError
from lms.domain.people_statements import ONE, PerPeople, fixed_ids
from lms.domain.practice.requirements import best_medal, best_scores_statement
from lms.domain.practice.scoring import at_least
from lms.domain.xapi import outbox as xapi
from lms.models import (
    Attempt,
    Certificate,
    Course,
    GoLiveSignoff,
    Lesson,
    LessonCompletion,
    Quiz,
    Role,
    Scenario,
    User,
)
from lms.models.certification import GO_LIVE
from lms.models.learning import GRADED

#: What a practice-chat requirement still needs, by the medal it asks for.
MEDAL_NEEDED = {
    "bronze": N_("practice chat: Bronze or better needed"),
    "silver": N_("practice chat: Silver or better needed"),
    "gold": N_("practice chat: Gold needed"),
}


@dataclass
class Requirement:
    """One go-live requirement for one person: met or not, and why."""

    kind: str  # quiz | course | scenario | signoff | faq
    key: str
    title: str
    met: bool
    detail: str  # an English %-template, translated where it is shown
    params: dict[str, object] = field(default_factory=dict)
    #: The quiz's or course's English title (pages show it to English readers), None when not written.
    title_en: str | None = None

    def __str__(self) -> str:
        return f"{self.title}: {self.detail % self.params if self.params else self.detail}"


@dataclass(frozen=True)
class GoLiveRules:
    """The programme's go-live rules with the quizzes, courses and lesson counts they name (loaded once)."""

    quiz_slugs: list[str]
    course_slugs: list[str]
    trainer_signoff: bool
    quizzes: dict[str, Quiz]
    courses: dict[str, Course]
    lesson_totals: dict[int, int]
    #: The FAQ drill's share to master (0 = not required), what counts as mastered, the typing target.
    faq_percent: int = 0
    faq_stability_days: int = 10
    faq_leech_lapses: int = 4
    typing_cpm: int = 0
    #: Practice chats to pass with `scenario_medal` or better (program.toml `[go_live] scenarios`).
    scenario_slugs: list[str] = field(default_factory=list)
    scenario_medal: str = "silver"
    scenarios: dict[str, Scenario] = field(default_factory=dict)

    @property
    def drills(self) -> bool:
        return bool(self.faq_percent or self.typing_cpm)


def go_live_rules(session: Session, schedule: Schedule | None = None) -> GoLiveRules | None:
    """The go-live rules of the programme (None before `lms content sync`), in three queries (four
    when the schedule is not given)."""
    schedule = schedule or load_schedule(session)
    if schedule is None:
        return None
    rules = schedule.go_live
    quiz_slugs = list(rules.get("quizzes", []))
    course_slugs = list(rules.get("courses", []))
    quizzes = {q.slug: q for q in session.scalars(_QUIZZES, {"slugs": quiz_slugs})}
    courses = {c.slug: c for c in session.scalars(_COURSES, {"slugs": course_slugs})}
    totals: dict[int, int] = dict(
        session.execute(_LESSON_TOTALS, {"course_ids": [c.id for c in courses.values()]}).tuples().all()
    )
    scenario_slugs = list(rules.get("scenarios", []) or [])
    scenarios = (
        {s.slug: s for s in session.scalars(_SCENARIOS, {"slugs": scenario_slugs})} if scenario_slugs else {}
    )
    return GoLiveRules(
        quiz_slugs,
        course_slugs,
        bool(rules.get("trainer_signoff")),
        quizzes,
        courses,
        totals,
        faq_percent=int(rules.get("faq_mastery_percent") or 0),
        faq_stability_days=int(rules.get("faq_stability_days") or 10),
        faq_leech_lapses=int(rules.get("faq_leech_lapses") or 4),
        typing_cpm=int(rules.get("typing_cpm") or 0),
        scenario_slugs=scenario_slugs,
        scenario_medal=str(rules.get("scenario_medal") or "silver"),
        scenarios=scenarios,
    )


def plain_copy(rules: GoLiveRules) -> GoLiveRules:
    """The rules with copies of their quizzes, courses and practice chats that belong to no session
    (id, slug and titles: what `requirements_of` reads), so a process may keep them between requests
    (lms/web/plan_cache.py). Never add the copies to a session."""
    return replace(
        rules,
        quizzes={
            slug: Quiz(id=q.id, slug=q.slug, title=q.title, title_en=q.title_en)
            for slug, q in rules.quizzes.items()
        },
        courses={
            slug: Course(id=c.id, slug=c.slug, title=c.title, title_en=c.title_en)
            for slug, c in rules.courses.items()
        },
        scenarios={
            slug: Scenario(id=s.id, slug=s.slug, title=s.title, title_en=s.title_en)
            for slug, s in rules.scenarios.items()
        },
        lesson_totals=dict(rules.lesson_totals),
    )


_QUIZZES = select(Quiz).where(Quiz.slug.in_(bindparam("slugs", expanding=True)))
_COURSES = select(Course).where(Course.slug.in_(bindparam("slugs", expanding=True)))
_SCENARIOS = select(Scenario).where(Scenario.slug.in_(bindparam("slugs", expanding=True)))
_LESSON_TOTALS = (
    select(Lesson.course_id, func.count())
    .where(Lesson.active.is_(True), Lesson.course_id.in_(bindparam("course_ids", expanding=True)))
    .group_by(Lesson.course_id)
)


#: 1 for an attempt that passed, else 0 (written in: two bound parameters fewer in every use).
_PASSED_1_ELSE_0 = case((Attempt.passed.is_(True), literal_column("1")), else_=literal_column("0"))


def _quiz_state(who: Any, quiz_ids: Sequence[int] | None = None) -> Select[Any]:
    """Per person and gating quiz (`quiz_ids`, or bound at run time): 1 when a graded attempt passed,
    0 when graded attempts all failed."""
    return (
        select(Attempt.user_id, Attempt.quiz_id, func.max(_PASSED_1_ELSE_0))
        .where(
            Attempt.user_id.in_(who),
            Attempt.status == GRADED,
            Attempt.quiz_id.in_(bindparam("quiz_ids", expanding=True))
            if quiz_ids is None
            else fixed_ids(Attempt.quiz_id, quiz_ids),
        )
        .group_by(Attempt.user_id, Attempt.quiz_id)
    )


def lessons_done_statement(who: Any, course_ids: Sequence[int] | None = None) -> Select[Any]:
    """Per person in `who` and course in `course_ids` (or bound at run time): active lessons completed
    (the gate and the cohort matrix count alike)."""
    return (
        select(LessonCompletion.user_id, Lesson.course_id, func.count())
        .join(Lesson, Lesson.id == LessonCompletion.lesson_id)
        .where(
            LessonCompletion.user_id.in_(who),
            Lesson.active.is_(True),
            Lesson.course_id.in_(bindparam("course_ids", expanding=True))
            if course_ids is None
            else fixed_ids(Lesson.course_id, course_ids),
        )
        .group_by(LessonCompletion.user_id, Lesson.course_id)
    )


def _part(
    kind: str, statement: Select[Any], *, user: bool = True, key: bool = True, first: bool = False
) -> Select[Any]:
    """One figure's rows as (kind, user, key, first, second): the shape every part of the gate's
    statement shares, typed alike for PostgreSQL's UNION (the `first` part types its empty columns;
    PostgreSQL gives a later part's NULL the type of the column it fills).

    The statement's own columns are relabelled in place, not selected again from it as a subquery,
    and the ids (integers already) are not cast: the whole UNION then stays under the length up to
    which psycopg keeps a statement's conversion (4,096 characters; over it, the Today page's
    statement was parsed again on every view)."""
    columns: list[Any] = list(statement.selected_columns)
    picked_user = columns.pop(0) if user else None
    picked_key = columns.pop(0) if key else None

    def empty(type_: type[Integer] | type[Float]) -> Any:
        return cast(null(), type_) if first else null()

    return statement.with_only_columns(
        literal_column(f"'{kind}'").label("kind"),
        (picked_user if picked_user is not None else empty(Integer)).label("user_id"),
        (picked_key if picked_key is not None else empty(Integer)).label("key"),
        cast(columns[0], Float).label("first"),
        (cast(columns[1], Float) if len(columns) > 1 else empty(Float)).label("second"),
        maintain_column_froms=True,
    )


@dataclass(frozen=True)
class _Ids:
    """A programme's gating quizzes, courses and practice chats by id, for a statement built with them
    written in."""

    quizzes: tuple[int, ...]
    courses: tuple[int, ...]
    scenarios: tuple[int, ...]


def _gate_statement(
    who: Any, *, scenarios: bool, drills: bool, signoff: bool, ids: _Ids | None = None, progress: bool = False
) -> CompoundSelect:
    """The gate's figures for `who` as one UNION ALL; the programme's ids bound at run time, or
    written in (`ids`). `progress`: also each lesson done and each graded attempt, whatever the
    programme gates on (the Today page lists them: one statement for both)."""
    parts = [
        _part("quiz", _quiz_state(who, ids.quizzes if ids else None), first=True),
        _part("course", lessons_done_statement(who, ids.courses if ids else None)),
    ]
    if signoff:
        # who signed each person off (the trainer's id as the key); names are read only for those
        parts.append(
            _part(
                "signoff",
                select(
                    GoLiveSignoff.user_id, GoLiveSignoff.trainer_id, literal_column("1").label("signed")
                ).where(GoLiveSignoff.user_id.in_(who)),
            )
        )
    if scenarios:
        parts.append(_part("scenario", best_scores_statement(who, ids.scenarios if ids else None)))
    if drills:
        parts.append(_part("cards", card_counts_statement(who), key=False))
        parts.append(_part("typing", best_typing_statement(who), key=False))
        parts.append(_part("entries", REQUIRED_ENTRIES, user=False, key=False))
    if progress:
        parts.append(_part("lesson", _LESSONS_DONE.where(LessonCompletion.user_id.in_(who))))
        parts.append(
            _part("graded", _GRADED_ATTEMPTS.where(Attempt.user_id.in_(who), Attempt.status == GRADED))
        )
    return union_all(*parts)


#: Each lesson done and each graded attempt (1 when it passed), for the gate's `progress` parts.
_LESSONS_DONE: Select[Any] = select(
    LessonCompletion.user_id, LessonCompletion.lesson_id, literal_column("1").label("done")
)
_GRADED_ATTEMPTS: Select[Any] = select(Attempt.user_id, Attempt.quiz_id, _PASSED_1_ELSE_0)


#: Everything the gate counts per person, in one statement: built once per shape of programme
#: (with or without practice chats, drills and the trainer's sign-off) for lists of people.
_GATE: dict[tuple[bool, bool, bool], PerPeople[CompoundSelect]] = {
    (scenarios, drills, signoff): PerPeople(
        partial(_gate_statement, scenarios=scenarios, drills=drills, signoff=signoff)
    )
    for scenarios in (False, True)
    for drills in (False, True)
    for signoff in (False, True)
}
#: The same for one person with a programme's ids written in, by shape and ids (a handful: one per
#: version of the programme a worker has served).
_ONE_PERSON_GATE: dict[tuple[bool, bool, bool, _Ids, bool], CompoundSelect] = {}
_ONE_PERSON_GATE_MAX = 16


def _one_person_gate(shape: tuple[bool, bool, bool], ids: _Ids, progress: bool = False) -> CompoundSelect:
    """The gate's statement for one person (bound as `person`), built once per programme."""
    key = (*shape, ids, progress)
    found = _ONE_PERSON_GATE.get(key)
    if found is None:
        if len(_ONE_PERSON_GATE) >= _ONE_PERSON_GATE_MAX:
            _ONE_PERSON_GATE.clear()
        scenarios, drills, signoff = shape
        found = _ONE_PERSON_GATE[key] = _gate_statement(
            ONE, scenarios=scenarios, drills=drills, signoff=signoff, ids=ids, progress=progress
        )
    return found


_NAMES = select(User.id, User.display_name).where(User.id.in_(bindparam("ids", expanding=True)))


@dataclass
class _Figures:
    """What the gate's statement returned, by figure."""

    quiz_state: dict[tuple[int, int], int] = field(default_factory=dict)
    done: dict[tuple[int, int], int] = field(default_factory=dict)
    scores: dict[tuple[int, int], int] = field(default_factory=dict)
    cards: dict[int, tuple[int, int]] = field(default_factory=dict)
    typing: dict[int, float] = field(default_factory=dict)
    entries: int = 0
    #: Who is signed off, by whom (the trainer's id; None when that account is gone).
    signed_off_by: dict[int, int | None] = field(default_factory=dict)
    #: ("lesson", lesson id, True) and ("quiz", quiz id, passed), when the progress was asked for.
    progress: list[tuple[str, int, bool]] = field(default_factory=list)

    def add(self, kind: str, user_id: int, key: int, first: float | None, second: float | None) -> None:
        if kind == "quiz":
            self.quiz_state[(user_id, key)] = int(first or 0)
        elif kind == "course":
            self.done[(user_id, key)] = int(first or 0)
        elif kind == "scenario" and first is not None:
            self.scores[(user_id, key)] = int(first)
        elif kind == "cards":
            self.cards[user_id] = (int(first or 0), int(second or 0))
        elif kind == "typing" and first is not None:
            self.typing[user_id] = float(first)
        elif kind == "entries":
            self.entries = int(first or 0)
        elif kind == "signoff":
            self.signed_off_by[user_id] = key
        elif kind == "lesson":
            self.progress.append(("lesson", key, True))
        elif kind == "graded":
            self.progress.append(("quiz", key, bool(first)))


def requirements_of(
    session: Session, rules: GoLiveRules, who: Select[tuple[int]] | Sequence[int]
) -> dict[int, list[Requirement]]:
    """Every go-live requirement for each person in `who` (ids, or a select of ids), in one statement
    whatever their number (two with the trainer's sign-off, one more to list a select's people): one
    learner and a whole team go through the same rule."""
    return _requirements_from(session, rules, who, _figures(session, rules, who))


def _figures(
    session: Session, rules: GoLiveRules, who: Select[tuple[int]] | Sequence[int], *, progress: bool = False
) -> _Figures:
    """The gate's figures for `who`, in one statement (`progress`, for one person: with their
    progress)."""
    programme_ids = _Ids(
        tuple(q.id for q in rules.quizzes.values()),
        tuple(c.id for c in rules.courses.values()),
        tuple(s.id for s in rules.scenarios.values()),
    )
    shape = (bool(programme_ids.scenarios), rules.drills, rules.trainer_signoff)
    params: dict[str, Any] = (
        {"stability_days": rules.faq_stability_days, "leech_lapses": rules.faq_leech_lapses}
        if rules.drills
        else {}
    )
    if isinstance(who, Sequence) and len(who) == 1:
        statement = _one_person_gate(shape, programme_ids, progress)
        bound = {"person": who[0], **params}
    else:
        assert not progress, "progress is read for one person"
        params |= {"quiz_ids": list(programme_ids.quizzes), "course_ids": list(programme_ids.courses)}
        if programme_ids.scenarios:
            params["scenario_ids"] = list(programme_ids.scenarios)
        statement, bound = _GATE[shape](who, **params)
    figures = _Figures()
    for row in read_rows(session, statement, bound).tuples():
        figures.add(*row)
    return figures


def _requirements_from(
    session: Session, rules: GoLiveRules, who: Select[tuple[int]] | Sequence[int], figures: _Figures
) -> dict[int, list[Requirement]]:
    """Each person's requirements from the gate's figures (and their trainers' names, when signed off)."""
    trainers = {t for t in figures.signed_off_by.values() if t is not None}
    names: dict[int, str] = (
        dict(session.execute(_NAMES, {"ids": sorted(trainers)}).tuples().all()) if trainers else {}
    )
    signed_by = {
        user_id: names.get(trainer, "") if trainer is not None else ""
        for user_id, trainer in figures.signed_off_by.items()
    }
    ids = list(who) if isinstance(who, Sequence) else list(session.scalars(who))
    drills = masteries(ids, figures.entries, figures.cards, figures.typing) if rules.drills else {}
    return {
        user_id: _requirements(
            rules, user_id, figures.quiz_state, figures.done, signed_by.get(user_id), figures.scores
        )
        + _drill_requirements(rules, drills.get(user_id))
        for user_id in ids
    }


def _drill_requirements(rules: GoLiveRules, mastery: Mastery | None) -> list[Requirement]:
    """The FAQ drill's two requirements: the share of the library mastered, and the typing speed."""
    result: list[Requirement] = []
    if rules.faq_percent:
        mastered, total = (mastery.mastered, mastery.total) if mastery else (0, 0)
        result.append(
            Requirement(
                "faq",
                "faq-drill",
                N_("FAQ mastery"),
                total > 0 and 100 * mastered >= rules.faq_percent * total,
                N_("%(mastered)s/%(total)s mastered, %(needed)s %% needed"),
                {"mastered": mastered, "total": total, "needed": rules.faq_percent},
            )
        )
    if rules.typing_cpm:
        best = mastery.best_cpm if mastery else None
        result.append(
            Requirement(
                "faq",
                "typing-speed",
                N_("Typing speed"),
                best is not None and best >= rules.typing_cpm,
                N_("%(best)s chars/min, %(needed)s needed"),
                {"best": round(best) if best is not None else 0, "needed": rules.typing_cpm},
            )
        )
    return result


def _requirements(
    rules: GoLiveRules,
    user_id: int,
    quiz_state: dict[tuple[int, int], int],
    done: dict[tuple[int, int], int],
    signed_by: str | None,
    scores: dict[tuple[int, int], int] | None = None,
) -> list[Requirement]:
    """One person's requirements, in the programme's order: quizzes, courses, practice chats, the
    sign-off (`signed_by`: the trainer's name, "" when their account is gone; None: not signed off)."""
    result: list[Requirement] = []
    for slug in rules.quiz_slugs:
        quiz = rules.quizzes.get(slug)
        state = quiz_state.get((user_id, quiz.id)) if quiz is not None else None
        ok = state == 1
        detail = N_("passed") if ok else (N_("not passed yet") if state == 0 else N_("not taken"))
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
    for slug in rules.course_slugs:
        course = rules.courses.get(slug)
        total = rules.lesson_totals.get(course.id, 0) if course else 0
        count = done.get((user_id, course.id), 0) if course else 0
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
    for slug in rules.scenario_slugs:
        scenario = rules.scenarios.get(slug)
        medal = best_medal(scores or {}, user_id, scenario.id) if scenario else None
        ok = at_least(medal, rules.scenario_medal)
        result.append(
            Requirement(
                "scenario",
                slug,
                scenario.title if scenario else slug,
                ok,
                N_("practice chat passed")
                if ok
                else MEDAL_NEEDED.get(rules.scenario_medal, MEDAL_NEEDED["silver"]),
                title_en=scenario.title_en if scenario else None,
            )
        )
    if rules.trainer_signoff:
        signed = signed_by is not None
        result.append(
            Requirement(
                "signoff",
                "trainer",
                N_("Trainer sign-off"),
                signed,
                N_("signed off by %(name)s") if signed else N_("waiting for the trainer"),
                {"name": signed_by} if signed else {},
            )
        )
    return result


def go_live_requirements(session: Session, user: User, rules: GoLiveRules | None = None) -> list[Requirement]:
    """Every go-live requirement of the programme, evaluated for this user (`rules`: the programme's,
    when the caller keeps them)."""
    rules = rules or go_live_rules(session)
    if rules is None:
        return []
    return requirements_of(session, rules, [user.id])[user.id]


def go_live_requirements_and_progress(
    session: Session, user: User, rules: GoLiveRules
) -> tuple[list[Requirement], Progress]:
    """`go_live_requirements` and the learner's progress (`progress_of`: every lesson done and quiz
    graded, gating or not) in one statement: the Today page shows both."""
    figures = _figures(session, rules, [user.id], progress=True)
    return _requirements_from(session, rules, [user.id], figures)[user.id], progress_from_rows(
        figures.progress
    )


def only_signoff_missing(requirements: list[Requirement]) -> bool:
    """Ready for the trainer: every other requirement met, the sign-off not given yet."""
    return any(r.kind == "signoff" and not r.met for r in requirements) and all(
        r.met for r in requirements if r.kind != "signoff"
    )


def certificate_of(session: Session, user: User, kind: str = GO_LIVE) -> Certificate | None:
    """The user's certificate of a kind (valid or revoked), if any."""
    return session.scalars(_CERTIFICATE, {"user_id": user.id, "kind": kind}).one_or_none()


_CERTIFICATE = select(Certificate).where(
    Certificate.user_id == bindparam("user_id"), Certificate.kind == bindparam("kind")
)


def is_live(session: Session, user: User, now: dt.datetime | None = None) -> bool:
    """Whether the agent holds a go-live certificate that is neither revoked nor expired."""
    from lms.domain.certification.validity import is_certified_live

    return is_certified_live(session, user, now or dt.datetime.now(dt.UTC))


def maybe_issue_go_live(session: Session, user: User, now: dt.datetime) -> Certificate | None:
    """Issue the go-live certificate when the last requirement is met: exactly once, even when events race."""
    existing = certificate_of(session, user)
    if existing is not None:
        return existing
    from lms.domain.certification.content_version import snapshot

    rules = go_live_rules(session)
    if rules is None:
        return None
    requirements = requirements_of(session, rules, [user.id])[user.id]
    if not requirements or not all(r.met for r in requirements):
        return None
    cert = Certificate(
        user_id=user.id,
        kind=GO_LIVE,
        code=secrets.token_urlsafe(12),
        issued_at=now,
        evidence={"requirements": [r.key for r in requirements]},
        content_version=snapshot(session, rules),
    )
    try:
        with session.begin_nested():
            session.add(cert)
    except IntegrityError:
        return certificate_of(session, user)  # a parallel event issued it first
    audit.record(
        session, "certificate.issue", actor=user, target=cert, after={"kind": GO_LIVE, "code": cert.code}
    )
    xapi.certificate_earned(session, cert)
    return cert


def sign_off(session: Session, trainer: User, learner: User, comment: str, now: dt.datetime) -> GoLiveSignoff:
    """A trainer signs off a new hire for go-live (once); the certificate follows if all else is met.

    An agent who already holds a certificate (valid, expired or revoked; issued while the programme
    did not ask for a sign-off) has nothing to sign off: it would issue nothing, so it is refused."""
    if not trainer.has_role(Role.TRAINER, Role.ADMIN):
        raise DomainError(N_("Only trainers sign off for go-live."))
    existing = session.scalars(select(GoLiveSignoff).where(GoLiveSignoff.user_id == learner.id)).one_or_none()
    if existing is not None:
        return existing
    if certificate_of(session, learner) is not None:
        raise DomainError(
            N_("%(name)s already holds a go-live certificate: a sign-off is for a new hire's first one."),
            name=learner.display_name,
        )
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
