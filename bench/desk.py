"""The staff desk at scale: one person (trainer, QC and admin) over a team of N learners in every state
the desk reports, bulk-inserted; the page against the bare-Flask ceiling, at two team sizes."""

from __future__ import annotations

import datetime as dt
import shutil
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from bench.pages import PASSWORD, _bare_ceiling, _rps, bench_app, first_request
from lms.domain.curriculum.programme import load_schedule
from lms.models import (
    Assignment,
    Attempt,
    AttemptItem,
    Certificate,
    Cohort,
    Course,
    DrillCard,
    FaqEntry,
    Lesson,
    LessonCompletion,
    PracticeRun,
    Question,
    QuestionVersion,
    Quiz,
    Role,
    Scenario,
    SpotCheck,
    SpotCheckResult,
    Store,
    TypingRun,
    User,
    UserRole,
    UserStore,
)
from lms.models.certification import GO_LIVE

#: What learner i is doing, by i % 10 (each desk item has people in it at any team size from 10 up).
READY, LIVE_UNCHECKED, FAILED_EXAM, ESSAY_WAITING, OVERDUE_QC, OVERDUE_TRAINER, LIVE_CHECKED, NO_ROLE = range(
    8
)


def _cohorts(session: Session, lead: User, prefix: str, today: dt.date) -> list[int]:
    """Two cohorts led by `lead`: one well past day 15, one on about day 6 (made once per prefix)."""
    names = [f"{prefix} spring", f"{prefix} autumn"]
    found = dict(session.execute(select(Cohort.name, Cohort.id).where(Cohort.name.in_(names))).tuples().all())
    starts = [today - dt.timedelta(days=40), today - dt.timedelta(days=8)]
    for name, start in zip(names, starts, strict=True):
        if name not in found:
            cohort = Cohort(name=name, start_date=start, trainer_id=lead.id)
            session.add(cohort)
            session.flush()
            found[name] = cohort.id
    return [found[n] for n in names]


def mastered_card(user_id: int, entry_id: int, now: dt.datetime) -> dict[str, Any]:
    """An FAQ drill card the gate counts as mastered (in review, stable for a month, two review days)."""
    return {
        "user_id": user_id,
        "entry_id": entry_id,
        "state": 2,
        "step": None,
        "stability": 30.0,
        "difficulty": 5.0,
        "due": now + dt.timedelta(days=30),
        "last_review": now,
        "review_days": 3,
        "reps": 3,
        "lapses": 0,
        "serve": 0,
        "answered_serve": 0,
        "hinted": False,
        "created_at": now,
    }


def seed_team(
    session: Session, lead: User, learners: int, now: dt.datetime, *, prefix: str = "desk", first: int = 0
) -> None:
    """Add `learners` people (numbered from `first`) to `lead`'s two cohorts, in every state the desk
    reports: ready for sign-off, live and never checked, a failed exam yesterday, an essay waiting,
    work overdue from QC and from a trainer, live and checked this week, without a role. Bulk inserts."""
    today = now.date()
    schedule = load_schedule(session)
    assert schedule is not None, "load the curriculum first"
    cohort_ids = _cohorts(session, lead, prefix, today)
    store = session.scalar(select(Store).where(Store.name == f"{prefix} store"))
    if store is None:
        store = Store(name=f"{prefix} store")
        session.add(store)
        session.flush()
    numbers = range(first, first + learners)
    session.execute(
        insert(User),
        [
            {
                "username": f"{prefix}{i}",
                "display_name": f"Learner {i:05d}",
                "locale": "en",
                "cohort_id": None if i % 10 == NO_ROLE else cohort_ids[i % 2],
            }
            for i in numbers
        ],
    )
    ids = dict(
        session.execute(
            select(User.username, User.id).where(User.username.in_([f"{prefix}{i}" for i in numbers]))
        )
        .tuples()
        .all()
    )
    uid = {i: ids[f"{prefix}{i}"] for i in numbers}
    session.execute(
        insert(UserRole), [{"user_id": uid[i], "role": "learner"} for i in numbers if i % 10 != NO_ROLE]
    )
    gating = list(
        session.execute(select(Quiz.id, Quiz.slug).where(Quiz.slug.in_(schedule.go_live["quizzes"]))).tuples()
    )
    lessons = list(
        session.scalars(
            select(Lesson.id)
            .join(Course, Course.id == Lesson.course_id)
            .where(Lesson.active.is_(True), Course.slug.in_(schedule.go_live["courses"]))
        )
    )
    version_id, essay_quiz = session.execute(
        select(QuestionVersion.id, Question.quiz_id)
        .join(Question, Question.id == QuestionVersion.question_id)
        .limit(1)
    ).one()
    faq_ids = list(
        session.scalars(select(FaqEntry.id).where(FaqEntry.active.is_(True), FaqEntry.day.is_not(None)))
    )
    drill_cards: list[dict[str, Any]] = []
    typing_runs: list[dict[str, Any]] = []
    scenarios = list(
        session.execute(
            select(Scenario.id, Scenario.current_version_id).where(
                Scenario.slug.in_(schedule.go_live.get("scenarios", []))
            )
        ).tuples()
    )
    completions: list[dict[str, Any]] = []
    runs: list[dict[str, Any]] = []
    attempts: list[dict[str, Any]] = []
    certificates: list[dict[str, Any]] = []
    assignments: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    checks: list[tuple[int, dict[str, Any]]] = []
    for i in numbers:
        user_id, kind = uid[i], i % 10
        graded = {"status": "graded", "started_at": now, "submitted_at": now, "score": 1, "max_score": 1}
        if kind in (READY, LIVE_UNCHECKED, LIVE_CHECKED):
            completions += [
                {"user_id": user_id, "lesson_id": lesson, "course_version": "1.0"} for lesson in lessons
            ]
            runs += [
                {
                    "user_id": user_id,
                    "scenario_id": scenario_id,
                    "version_id": version,
                    "official": True,
                    "status": "finished",
                    "score": 95,
                    "medal": "gold",
                    "started_at": now - dt.timedelta(days=30),
                    "ended_at": now - dt.timedelta(days=30),
                }
                for scenario_id, version in scenarios
            ]
            attempts += [
                {
                    **graded,
                    "user_id": user_id,
                    "quiz_id": quiz_id,
                    "number": 1,
                    "passed": True,
                    "percent": 100.0,
                    "graded_at": now - dt.timedelta(days=30),
                }
                for quiz_id, _slug in gating
            ]
            drill_cards += [mastered_card(user_id, entry_id, now) for entry_id in faq_ids]
            typing_runs.append(
                {"user_id": user_id, "started_at": now, "finished_at": now, "characters": 80, "cpm": 80.0}
            )
        if kind in (LIVE_UNCHECKED, LIVE_CHECKED):
            certificates.append(
                {
                    "user_id": user_id,
                    "kind": GO_LIVE,
                    "code": f"{prefix}-{i}",
                    "issued_at": now - dt.timedelta(days=100),
                    "evidence": {},
                }
            )
            links.append({"user_id": user_id, "store_id": store.id, "is_main": True, "position": 0})
        if kind == LIVE_CHECKED:
            checks.append(
                (
                    i,
                    {
                        "agent_id": user_id,
                        "checker_id": lead.id,
                        "checked_on": today,
                        "channel": "chat",
                        "score": 60.0,
                        "max_score": 100.0,
                        "percent": 60.0,
                        "created_at": now,
                    },
                )
            )
        if kind == FAILED_EXAM:
            attempts.append(
                {
                    **graded,
                    "user_id": user_id,
                    "quiz_id": gating[0][0],
                    "number": 1,
                    "passed": False,
                    "percent": 40.0,
                    "graded_at": now - dt.timedelta(days=1),
                }
            )
        if kind in (OVERDUE_QC, OVERDUE_TRAINER):
            assignments.append(
                {
                    "user_id": user_id,
                    "quiz_id": gating[0][0],
                    "due_on": today - dt.timedelta(days=3),
                    "reason": "Refresher",
                    "source": "qc" if kind == OVERDUE_QC else "trainer",
                    "assigned_by_id": lead.id,
                }
            )
    if completions:
        session.execute(insert(LessonCompletion), completions)
    if drill_cards:
        session.execute(insert(DrillCard), drill_cards)
        session.execute(insert(TypingRun), typing_runs)
    if runs:
        session.execute(insert(PracticeRun), runs)
    if attempts:
        session.execute(insert(Attempt), attempts)
    waiting = [uid[i] for i in numbers if i % 10 == ESSAY_WAITING]
    if waiting:
        session.execute(
            insert(Attempt),
            [
                {
                    "user_id": user_id,
                    "quiz_id": essay_quiz,
                    "number": 1,
                    "status": "submitted",
                    "started_at": now - dt.timedelta(days=3, hours=n % 24),
                    "submitted_at": now - dt.timedelta(days=3, hours=n % 24),
                }
                for n, user_id in enumerate(waiting)
            ],
        )
        essay_attempts = session.scalars(
            select(Attempt.id).where(
                Attempt.user_id.in_(waiting), Attempt.quiz_id == essay_quiz, Attempt.status == "submitted"
            )
        ).all()
        session.execute(
            insert(AttemptItem),
            [
                {
                    "attempt_id": attempt_id,
                    "position": 0,
                    "question_key": "essay",
                    "question_version_id": version_id,
                    "response": {"text": "Full-grain leather darkens with use."},
                    "needs_review": True,
                    "max_score": 2.0,
                }
                for attempt_id in essay_attempts
            ],
        )
    if certificates:
        session.execute(insert(Certificate), certificates)
        session.execute(insert(UserStore), links)
    if assignments:
        session.execute(insert(Assignment), assignments)
    if checks:
        session.execute(insert(SpotCheck), [row for _i, row in checks])
        check_ids = session.scalars(
            select(SpotCheck.id).where(SpotCheck.agent_id.in_([row["agent_id"] for _i, row in checks]))
        ).all()
        session.execute(
            insert(SpotCheckResult),
            [
                {
                    "spot_check_id": check_id,
                    "position": 0,
                    "label": "Value talk, not discounting",
                    "points": 10,
                    "topics": ["value-talk"],
                    "outcome": "fail",
                    "note": "Offered a discount at once.",
                }
                for check_id in check_ids
            ],
        )
    session.flush()


def bench_desk(seconds: float = 2.0, sizes: tuple[int, ...] = (20, 2000)) -> list[dict[str, object]]:
    """Requests per second for the staff desk of a trainer who is also QC and admin, at each team size."""
    app, tmp, _tree = bench_app("desk", Role.TRAINER, "lms-bench-desk-")
    database = app.extensions["lms.db"]
    session = database.session()
    lead = session.scalars(select(User).where(User.username == "desk")).one()
    session.add_all([UserRole(user_id=lead.id, role="qc"), UserRole(user_id=lead.id, role="admin")])
    session.commit()
    ceiling = _bare_ceiling(seconds)
    rows: list[dict[str, object]] = []
    seeded = 0
    now = dt.datetime.now(dt.UTC)
    for size in sizes:
        seed_team(session, lead, size - seeded, now, first=seeded)
        session.commit()
        seeded = size
        client = app.test_client()
        client.post("/login", data={"username": "desk", "password": PASSWORD})
        queries = first_request(database, client, "/staff/").queries
        rps = _rps(client, "/staff/", seconds)
        rows.append(
            {
                "page": f"staff desk, {size} learners",
                "rps": rps,
                "ceiling_rps": ceiling,
                "ratio": rps / ceiling,
                "queries": queries,
            }
        )
    session.close()
    database.engine.dispose()
    shutil.rmtree(tmp, ignore_errors=True)
    return rows
