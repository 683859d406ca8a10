"""Test data factories (factory_boy) with traits, bound to the test's session by the `db` fixture."""

from __future__ import annotations

import datetime as dt

import factory
from sqlalchemy.orm import Session

from lms.domain.accounts.passwords import hash_password
from lms.models import Certificate, Cohort, Course, Lesson, Store, User, UserRole, UserStore

_HASHES: dict[str, str] = {}


def _password_hash(password: str) -> str:
    if password not in _HASHES:
        _HASHES[password] = hash_password(password)
    return _HASHES[password]


class _Base(factory.alchemy.SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_persistence = "flush"


def bind(session: Session) -> None:
    """Make every factory write through this session."""
    for cls in (UserFactory, StoreFactory, CohortFactory, CourseFactory, LessonFactory):
        cls._meta.sqlalchemy_session = session


class StoreFactory(_Base):
    class Meta:
        model = Store

    name = factory.Sequence(lambda n: f"Store {n}")
    platform = "tmall"


class UserFactory(_Base):
    class Meta:
        model = User
        exclude = ("password",)

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"Agent {n}")
    password = "correct-horse-battery"
    password_hash = factory.LazyAttribute(lambda o: _password_hash(o.password))
    locale = "en"
    hired_on = factory.LazyFunction(dt.date.today)

    class Params:
        inactive = factory.Trait(active=False)

    @classmethod
    def _create(cls, model_class, *args, roles=("learner",), **kwargs):  # type: ignore[no-untyped-def]
        kwargs["role_rows"] = [UserRole(role=str(r)) for r in roles]
        return super()._create(model_class, *args, **kwargs)


class CohortFactory(_Base):
    class Meta:
        model = Cohort

    name = factory.Sequence(lambda n: f"Cohort {n}")
    start_date = factory.LazyFunction(dt.date.today)


def add_store(session: Session, user: User, store: Store, main: bool = False) -> UserStore:
    """Link a user to a store."""
    link = UserStore(user=user, store=store, is_main=main, position=len(user.store_links))
    session.add(link)
    session.flush()
    return link


class CourseFactory(_Base):
    class Meta:
        model = Course

    slug = factory.Sequence(lambda n: f"course-{n}")
    title = factory.Sequence(lambda n: f"Course {n}")
    summary = "What agents must know."
    topics = factory.LazyFunction(list)
    content_hash = "x"


class LessonFactory(_Base):
    class Meta:
        model = Lesson

    course = factory.SubFactory(CourseFactory)
    slug = factory.Sequence(lambda n: f"{n:02d}-lesson")
    title = factory.Sequence(lambda n: f"Lesson {n}")
    day = 1
    minutes = 20
    position = factory.Sequence(int)
    body = "## The order flow\n\nAwaiting payment, then **paid**."
    content_hash = "x"


def master_faq_drills(session, user, now):  # type: ignore[no-untyped-def]
    """Give an agent the FAQ drill's go-live numbers: every required card mastered, a typing run at
    80 characters a minute (for tests that walk the rest of the go-live gate)."""
    from sqlalchemy import select

    from lms.models import DrillCard, FaqEntry, TypingRun

    have = set(session.scalars(select(DrillCard.entry_id).where(DrillCard.user_id == user.id)))
    for entry_id in session.scalars(
        select(FaqEntry.id).where(FaqEntry.active.is_(True), FaqEntry.day.is_not(None))
    ):
        if entry_id not in have:
            session.add(
                DrillCard(
                    user_id=user.id,
                    entry_id=entry_id,
                    state=2,
                    step=None,
                    stability=30.0,
                    difficulty=5.0,
                    due=now + dt.timedelta(days=30),
                    last_review=now,
                    reps=3,
                    review_days=3,
                )
            )
    session.add(
        TypingRun(
            user_id=user.id,
            started_at=now - dt.timedelta(minutes=1),
            finished_at=now,
            characters=80,
            cpm=80.0,
            accuracy=1.0,
        )
    )
    session.flush()


def pass_required_scenarios(session, user, slugs, now):  # type: ignore[no-untyped-def]
    """Give an agent a Gold official run on each named practice chat (the go-live gate's scenarios)."""
    from sqlalchemy import select

    from lms.models import PracticeRun, Scenario

    for slug in slugs:
        scenario = session.scalars(select(Scenario).where(Scenario.slug == slug)).one()
        session.add(
            PracticeRun(
                user_id=user.id,
                scenario_id=scenario.id,
                version_id=scenario.current_version_id,
                status="finished",
                official=True,
                score=95,
                medal="gold",
                started_at=now,
                ended_at=now,
            )
        )
    session.flush()


def certified_agent(session: Session, days_ago: float, **user: object) -> tuple[User, Certificate]:
    """A new agent (UserFactory with `user`'s fields) holding a go-live certificate issued `days_ago`
    days ago, without a sign-off; committed."""
    import secrets

    from lms.db import utcnow

    agent = UserFactory(**user)
    session.flush()
    cert = Certificate(
        user_id=agent.id,
        kind="go-live",
        code=secrets.token_urlsafe(12),
        issued_at=utcnow() - dt.timedelta(days=days_ago),
        evidence={},
    )
    session.add(cert)
    session.commit()
    return agent, cert


def complete_lessons_and_gating_quizzes(session, user, quiz_slugs, now):  # type: ignore[no-untyped-def]
    """Every active lesson read and each named quiz passed at 100 % (the go-live gate's coursework)."""
    from sqlalchemy import select

    from lms.models import Lesson, LessonCompletion

    for lesson in session.scalars(select(Lesson).where(Lesson.active.is_(True))):
        session.add(LessonCompletion(user_id=user.id, lesson_id=lesson.id, course_version="1.0"))
    for slug in quiz_slugs:
        add_graded_attempt(session, user, slug, now, percent=100.0)
    session.flush()


def add_graded_attempt(session, user, slug, at, *, percent, passed=None):  # type: ignore[no-untyped-def]
    """A graded first attempt of the quiz `slug` at `percent` (passed when it reaches the quiz's pass
    mark, unless `passed` says otherwise), submitted and graded at `at`."""
    from sqlalchemy import select

    from lms.models import Attempt, Quiz

    quiz = session.scalars(select(Quiz).where(Quiz.slug == slug)).one()
    session.add(
        Attempt(
            user_id=user.id,
            quiz_id=quiz.id,
            number=1,
            status="graded",
            started_at=at,
            submitted_at=at,
            graded_at=at,
            percent=percent,
            passed=percent >= quiz.pass_percent if passed is None else passed,
            score=1,
            max_score=1,
        )
    )
