"""The programme calendar, the go-live gate and the certificate issued exactly once."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.domain.certification import golive
from lms.domain.curriculum.programme import Schedule, load_schedule, today_view
from lms.domain.curriculum.sync import sync_content
from lms.domain.errors import DomainError
from lms.models import (
    AuditEvent,
    Certificate,
    Course,
    GoLiveSignoff,
    Lesson,
    LessonCompletion,
    User,
)
from tests.concurrency import run_in_parallel
from tests.factories import (
    CohortFactory,
    UserFactory,
    complete_lessons_and_gating_quizzes,
    master_faq_drills,
    pass_required_scenarios,
)

NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def programme(db: Session) -> Schedule:
    tree, problems = check(PROJECT_ROOT)
    assert problems == []
    sync_content(db, tree)
    db.commit()
    schedule = load_schedule(db)
    assert schedule is not None
    return schedule


def test_working_days_skip_weekends_and_holidays() -> None:
    schedule = Schedule(
        days=15,
        days_off=("sat", "sun"),
        holidays=frozenset({dt.date(2026, 12, 31)}),
        allow_work_ahead=True,
        quiz_days={},
        course_days={},
        go_live={},
    )
    monday = dt.date(2026, 11, 23)
    assert schedule.day_number(monday, monday) == 1
    assert schedule.day_number(monday, dt.date(2026, 11, 27)) == 5
    assert schedule.day_number(monday, dt.date(2026, 11, 29)) == 5  # Sunday: still day 5
    assert schedule.day_number(monday, dt.date(2026, 11, 30)) == 6
    assert schedule.day_number(monday, dt.date(2026, 11, 20)) == 0  # before the start
    assert schedule.date_of_day(dt.date(2026, 12, 28), 4) == dt.date(2027, 1, 1)  # 31 Dec skipped


def test_today_shows_day_n_plus_one_for_a_cohort_started_n_working_days_ago(
    db: Session, programme: Schedule
) -> None:
    today = dt.date(2026, 11, 24)  # a Tuesday
    cohort = CohortFactory(start_date=dt.date(2026, 11, 17))  # five working days earlier
    user = UserFactory(cohort_id=cohort.id)
    db.commit()
    view = today_view(db, user, today)
    assert view is not None and view.day == 6 and view.days == 15
    assert {(i.kind, *i.url_args.values()) for i in view.today} >= {
        ("lesson", "platform-rules", "01-order-states"),
        ("quiz", "platform-rules-check"),
    }
    assert "平台规则小测：订单、评价与纠纷" in {i.title for i in view.today}
    assert (
        all(i.overdue for i in view.overdue) and len(view.overdue) == 12
    )  # 10 lessons + 2 warehouse quizzes
    assert view.percent == 0


def _complete_everything(db: Session, user: User, *, signoff: bool) -> None:
    schedule = load_schedule(db)
    complete_lessons_and_gating_quizzes(db, user, schedule.go_live["quizzes"], NOW)
    master_faq_drills(db, user, NOW)
    pass_required_scenarios(db, user, schedule.go_live.get("scenarios", []), NOW)
    db.commit()
    if signoff:
        trainer = UserFactory(roles=["trainer"])
        db.flush()
        golive.sign_off(db, trainer, user, "Ready: calm and exact in every mock chat.", NOW)
        db.commit()


def test_checklist_says_what_is_missing_and_the_signoff_issues_the_certificate(
    db: Session, programme: Schedule
) -> None:
    user = UserFactory()
    db.commit()
    requirements = golive.go_live_requirements(db, user)
    assert len(requirements) == 6 + 7 + 1 + 2 + 3 and not any(r.met for r in requirements)
    _complete_everything(db, user, signoff=False)
    assert golive.maybe_issue_go_live(db, user, NOW) is None  # the trainer has not signed off
    unmet = [r.key for r in golive.go_live_requirements(db, user) if not r.met]
    assert unmet == ["trainer"]
    trainer = UserFactory(roles=["trainer"])
    db.flush()
    golive.sign_off(db, trainer, user, "ok", NOW)
    db.commit()
    cert = golive.certificate_of(db, user)
    assert cert is not None and cert.valid and len(cert.code) >= 16
    assert golive.is_live(db, user)
    assert "certificate.issue" in db.scalars(select(AuditEvent.action)).all()


def test_revocation_needs_an_admin_and_a_reason(db: Session, programme: Schedule) -> None:
    user = UserFactory()
    db.commit()
    _complete_everything(db, user, signoff=True)
    cert = golive.certificate_of(db, user)
    trainer = UserFactory(roles=["trainer"])
    admin = UserFactory(roles=["admin"])
    db.flush()
    with pytest.raises(DomainError):
        golive.revoke(db, trainer, cert, "no", NOW)
    with pytest.raises(DomainError, match="reason"):
        golive.revoke(db, admin, cert, "  ", NOW)
    golive.revoke(db, admin, cert, "Quarrelled with a customer on 2026-12-02", NOW)
    db.commit()
    assert not golive.is_live(db, user)
    assert golive.maybe_issue_go_live(db, user, NOW) is cert  # no automatic re-issue after a revocation


def test_racing_events_issue_exactly_one_certificate(app, db: Session, programme: Schedule) -> None:
    user = UserFactory()
    trainer = UserFactory(roles=["trainer"])
    db.commit()
    _complete_everything(db, user, signoff=False)
    db.add(golive.GoLiveSignoff(user_id=user.id, trainer_id=trainer.id, comment="", at=NOW))
    db.commit()

    def event(session: Session) -> None:
        golive.maybe_issue_go_live(session, session.get(User, user.id), NOW)

    errors = run_in_parallel(app, 8, event)
    assert errors == []
    assert db.scalar(select(func.count()).select_from(Certificate)) == 1
    assert (
        db.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "certificate.issue")
        )
        == 1
    )


def test_the_last_lesson_done_issues_the_certificate(db: Session, programme: Schedule) -> None:
    from lms.domain.learning.lessons import mark_done

    user = UserFactory()
    db.commit()
    _complete_everything(db, user, signoff=True)
    assert golive.certificate_of(db, user) is not None  # sign-off came last here
    other = UserFactory()
    db.commit()
    last = db.scalars(
        select(Lesson).join(Course).where(Course.slug == "assessment-kpi").order_by(Lesson.position.desc())
    ).first()
    _complete_everything(db, other, signoff=True)
    db.execute(
        LessonCompletion.__table__.delete().where(
            LessonCompletion.user_id == other.id, LessonCompletion.lesson_id == last.id
        )
    )
    db.execute(Certificate.__table__.delete().where(Certificate.user_id == other.id))
    db.commit()
    assert golive.certificate_of(db, other) is None
    mark_done(db, other, last)
    db.commit()
    assert golive.certificate_of(db, other) is not None


def test_the_signoff_names_the_trainer_for_one_learner_and_for_a_team(
    db: Session, programme: Schedule, count_queries
) -> None:
    rules = golive.go_live_rules(db)
    assert rules is not None and rules.trainer_signoff
    waiting, signed, orphaned = UserFactory(), UserFactory(), UserFactory()
    trainer = UserFactory(roles=["trainer"], display_name="王老师")
    db.flush()
    golive.sign_off(db, trainer, signed, "Ready.", NOW)
    # a sign-off whose trainer's account is gone (the key is set to NULL) still counts
    db.add(GoLiveSignoff(user_id=orphaned.id, trainer_id=None, at=NOW))
    db.commit()

    def signoff(requirements: list[golive.Requirement]) -> tuple[bool, str, dict]:
        found = next(r for r in requirements if r.kind == "signoff")
        return found.met, found.detail, found.params

    with count_queries() as nobody_signed:
        assert signoff(golive.go_live_requirements(db, waiting, rules)) == (
            False,
            "waiting for the trainer",
            {},
        )
    assert nobody_signed.count == 1  # the sign-off comes with the gate's figures: no read of its own
    assert signoff(golive.go_live_requirements(db, signed)) == (
        True,
        "signed off by %(name)s",
        {"name": "王老师"},
    )
    team = golive.requirements_of(db, rules, [waiting.id, signed.id, orphaned.id])
    assert [signoff(team[u.id])[0] for u in (waiting, signed, orphaned)] == [False, True, True]
    assert signoff(team[orphaned.id])[2] == {"name": ""}


def test_one_learner_reads_the_same_figures_as_a_team_without_lists_bound_at_run_time(
    db: Session, programme: Schedule, app
) -> None:
    """A learner's own checklist uses a statement with the learner and the programme's ids as fixed
    SQL (no list SQLAlchemy would rewrite the SQL for on every execution), and says what a team's
    statement says about them."""
    from sqlalchemy import event

    rules = golive.go_live_rules(db)
    assert rules is not None and rules.quizzes and rules.courses and rules.drills
    ready, partway, newcomer = UserFactory(), UserFactory(), UserFactory()
    db.flush()
    _complete_everything(db, ready, signoff=True)
    complete_lessons_and_gating_quizzes(db, partway, list(rules.quiz_slugs)[:1], NOW)
    db.commit()
    runs: list[tuple[str, frozenset]] = []

    def seen(_conn, _cursor, statement, _params, context, _many) -> None:  # type: ignore[no-untyped-def]
        compiled = context.compiled
        runs.append(
            (statement, frozenset(p.key for p in compiled.post_compile_params) if compiled else frozenset())
        )

    engine = db.get_bind()
    event.listen(engine, "before_cursor_execute", seen)
    try:
        alone = {u.id: golive.requirements_of(db, rules, [u.id])[u.id] for u in (ready, partway, newcomer)}
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    team = golive.requirements_of(db, rules, [ready.id, partway.id, newcomer.id])

    assert alone == team
    assert all(r.met for r in alone[ready.id])
    assert [r.met for r in alone[partway.id] if r.kind == "quiz"][:1] == [True]
    assert not any(r.met for r in alone[newcomer.id])
    gate_runs = [(sql, post) for sql, post in runs if "UNION ALL" in sql]
    assert len(gate_runs) == 3 and len({sql for sql, _ in gate_runs}) == 1  # one SQL text for everyone
    assert all(post == frozenset() for _, post in gate_runs)


def test_the_checklist_read_with_the_progress_agrees_with_each_read_apart(
    db: Session, programme: Schedule, count_queries
) -> None:
    """The Today page reads the gate and the learner's progress (every lesson done, every quiz graded,
    gating or not) in one statement; both say what their own reads say."""
    from lms.domain.curriculum.programme import progress_of
    from lms.models import Quiz
    from tests.factories import add_graded_attempt

    rules = golive.go_live_rules(db)
    assert rules is not None
    gating = list(rules.quiz_slugs)
    other = db.scalars(select(Quiz.slug).where(Quiz.slug.not_in(gating)).order_by(Quiz.id)).first()
    assert other is not None
    partway, newcomer = UserFactory(), UserFactory()
    db.flush()
    lessons = db.scalars(select(Lesson).where(Lesson.active.is_(True)).order_by(Lesson.id)).all()[:5]
    for lesson in lessons:
        db.add(LessonCompletion(user_id=partway.id, lesson_id=lesson.id, course_version="1.0"))
    add_graded_attempt(db, partway, gating[0], NOW, percent=100.0)
    add_graded_attempt(db, partway, gating[1], NOW, percent=10.0)
    add_graded_attempt(db, partway, other, NOW, percent=100.0)
    db.commit()
    quiz_ids = dict(db.execute(select(Quiz.slug, Quiz.id)).tuples().all())
    for user in (partway, newcomer):
        with count_queries() as reads:
            requirements, progress = golive.go_live_requirements_and_progress(db, user, rules)
        assert reads.count == 1, reads.statements
        assert "lesson_completions" in reads.statements[0] and "UNION ALL" in reads.statements[0]
        assert requirements == golive.go_live_requirements(db, user, rules)
        assert progress == progress_of(db, user)
    done, passed, failed = golive.go_live_requirements_and_progress(db, partway, rules)[1]
    assert done == {lesson.id for lesson in lessons}
    assert passed == {quiz_ids[gating[0]], quiz_ids[other]} and failed == {quiz_ids[gating[1]]}
    assert [r.met for r in requirements if r.kind == "quiz"] == [False] * len(gating)  # the newcomer


def test_one_learners_gate_statement_stays_short_enough_for_psycopg_to_keep_its_conversion() -> None:
    """psycopg converts a statement's `%(name)s` placeholders once and keeps the result, but only for
    statements up to 4,096 characters: a longer one is parsed again on every execution (on the
    Today page, every view). A large programme (every part; 15 gating quizzes, 15 courses and 10
    practice chats, with six-digit ids) stays under it, compiled for PostgreSQL."""
    from psycopg import _queries  # a dependency of the project (pyproject.toml), on every machine
    from sqlalchemy.dialects import postgresql

    limit = _queries.MAX_CACHED_STATEMENT_LENGTH  # 4,096 in psycopg 3; a new psycopg may move it
    ids = golive._Ids(
        quizzes=tuple(range(100_000, 100_015)),
        courses=tuple(range(200_000, 200_015)),
        scenarios=tuple(range(300_000, 300_010)),
    )
    statement = golive._one_person_gate((True, True, True), ids, progress=True)
    sql = str(statement.compile(dialect=postgresql.psycopg.dialect()))
    assert sql.count("UNION ALL") == 8 and all(str(n) in sql for n in (100_014, 200_014, 300_009))
    assert len(sql) < limit, len(sql)


def test_a_certificate_holder_is_not_signed_off(db: Session, programme: Schedule) -> None:
    """A certificate issued without a sign-off (the programme asked for none then) leaves nothing to
    sign off: the sign-off is refused and nothing is written, not even an audit event."""
    holder = UserFactory(display_name="周敏 Zhou Min")
    trainer = UserFactory(roles=["trainer"])
    db.flush()
    db.add(Certificate(user_id=holder.id, kind="go-live", code="held-before-signoffs", issued_at=NOW))
    db.commit()
    with pytest.raises(DomainError) as refused:
        golive.sign_off(db, trainer, holder, "Ready.", NOW)
    assert str(refused.value).startswith("周敏 Zhou Min already holds a go-live certificate")
    db.rollback()
    assert db.scalar(select(func.count()).select_from(GoLiveSignoff)) == 0
    assert "golive.signoff" not in db.scalars(select(AuditEvent.action)).all()
