"""In Chromium at 390 px: every lesson of the shipped curriculum, the cohort matrix and the staff
tables fit a phone; wide tables scroll inside their own box, never the page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.demo import COHORT, create_demo
from lms.domain.assignments.assigning import assign
from lms.domain.curriculum.sync import sync_content
from lms.domain.kpi.csv_import import apply_kpi_import, parse_kpi_csv
from lms.domain.qc.checklist import ensure_default_checklist
from lms.domain.qc.spot_checks import ItemOutcome, record_spot_check
from lms.models import ChecklistItem, Cohort, Course, Lesson, Quiz, Store, User
from tests.domain.certification.test_golive import _complete_everything
from tests.e2e.conftest import ARTIFACTS, PHONE, assert_fits_a_phone, phone_overflow, sign_in
from tests.factories import bind

pytestmark = pytest.mark.e2e

KPI_SAMPLE = Path(__file__).resolve().parents[1] / "data" / "kpi-sample.csv"
STAFF_PAGES = [
    "/staff/",
    "/author/curriculum/",
    "/author/cohorts/",
    "/author/quizzes/bank",
    "/author/grading/",
    "/author/statistics/",
    "/author/statistics/quizzes/go-live-final-exam",
    "/assignments/",
    "/qc/",
    "/qc/checklist",
    "/staff/kpi",
    "/staff/kpi/scheme",
    "/staff/tiers",
    "/admin/users",
    "/admin/stores",
    "/admin/cohorts",
    "/admin/audit",
]


@pytest.fixture
def academy(live_app: Flask) -> dict[str, object]:
    """The demo academy with the curriculum, a month of KPI, a certified agent, a spot check and an assignment."""
    session = live_app.extensions["lms.db"].session()
    bind(session)
    today = dt.date.today()
    now = dt.datetime.now(dt.UTC)
    result = create_demo(session, Path(live_app.instance_path), today=today)
    tree, problems = check(PROJECT_ROOT)
    assert problems == []
    sync_content(session, tree)
    ensure_default_checklist(session)
    session.commit()
    apply_kpi_import(session, parse_kpi_csv(session, KPI_SAMPLE.read_bytes(), today))
    users = {u.username: u for u in session.scalars(select(User))}
    _complete_everything(session, users["wangfang"], signoff=True)
    items = session.scalars(select(ChecklistItem)).all()
    check_ = record_spot_check(
        session,
        users["qclead"],
        users["lina"],
        store_id=session.scalars(select(Store)).first().id,  # type: ignore[union-attr]
        checked_on=today,
        channel="chat",
        transcript="顾客：在吗？\n客服：亲，在的，请问有什么可以帮您？" * 5,
        outcomes={
            item.id: ItemOutcome("fail" if i == 0 else "pass", "Too slow." if i == 0 else "")
            for i, item in enumerate(items)
        },
        comment="A long first wait.",
        today=today,
    )
    course = session.scalars(select(Course).where(Course.slug == "house-rules")).one()
    assign(
        session,
        users["qclead"],
        [users["lina"].id],
        course=course,
        due_on=today + dt.timedelta(days=7),
        reason="Refresher after a spot check",
        source="qc",
        now=now,
        spot_check_id=check_.id,
    )
    session.commit()
    lessons = [
        (lesson.course.slug, lesson.slug)
        for lesson in session.scalars(
            select(Lesson).where(Lesson.active.is_(True)).order_by(Lesson.course_id, Lesson.position)
        )
    ]
    cohort_id = session.scalars(select(Cohort.id).where(Cohort.name == COHORT)).one()
    quizzes = session.scalars(select(Quiz.slug)).all()
    session.close()
    return {
        "logins": {username: password for username, password, _roles in result.created},
        "lessons": lessons,
        "cohort": cohort_id,
        "quizzes": quizzes,
        "spot_check": check_.id,
    }


@pytest.fixture
def phone(browser, live_server: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_server, locale="en-US", **PHONE)
    yield context.new_page()
    context.close()


def test_every_lesson_fits_a_phone(phone, academy) -> None:  # type: ignore[no-untyped-def]
    sign_in(phone, "wangfang", academy["logins"]["wangfang"])
    shipped = check(PROJECT_ROOT)[0]
    assert len(academy["lessons"]) == sum(len(course.lessons) for course in shipped.courses.values())
    for course, lesson in academy["lessons"]:
        phone.goto(f"/learn/courses/{course}/lessons/{lesson}")
        assert phone.locator("article").count() == 1, phone.url
        assert_fits_a_phone(phone)
    ARTIFACTS.mkdir(exist_ok=True)
    phone.goto("/learn/courses/assessment-kpi/lessons/02-score-and-bonus")
    phone.screenshot(path=str(ARTIFACTS / "phone-lesson-table.png"), full_page=True)
    for path in ["/learn/", "/learn/courses/warehouse-week", "/learn/kpi", "/learn/certificates", "/qc/mine"]:
        phone.goto(path)
        assert_fits_a_phone(phone)
    phone.goto("/learn/certificates")
    phone.click("main a[href*='/certificates/']")
    phone.wait_for_url("**/certificates/*")
    assert_fits_a_phone(phone)
    phone.screenshot(path=str(ARTIFACTS / "phone-certificate.png"), full_page=True)


def test_the_cohort_matrix_and_staff_tables_fit_a_phone(phone, academy) -> None:  # type: ignore[no-untyped-def]
    sign_in(phone, "admin", academy["logins"]["admin"])
    ARTIFACTS.mkdir(exist_ok=True)
    matrix = f"/author/cohorts/{academy['cohort']}"
    for path in [matrix, *STAFF_PAGES, f"/qc/spot-checks/{academy['spot_check']}"]:
        response = phone.goto(path)
        assert response is not None and response.ok, path
        assert_fits_a_phone(phone)
    phone.goto(matrix)
    phone.screenshot(path=str(ARTIFACTS / "phone-cohort-matrix.png"), full_page=True)
    # The matrix scrolls inside its own box: wider than the phone, and the page does not move.
    scroller = phone.locator(".table-wrap").first
    assert scroller.evaluate("el => el.scrollWidth > el.clientWidth")
    phone.goto("/staff/kpi")
    phone.screenshot(path=str(ARTIFACTS / "phone-kpi-team.png"), full_page=True)


def test_the_check_sees_a_page_that_scrolls_sideways(phone) -> None:  # type: ignore[no-untyped-def]
    row = "<tr>" + "<td>column&nbsp;of&nbsp;figures</td>" * 8 + "</tr>"
    head = '<meta name="viewport" content="width=device-width, initial-scale=1"><style>body{margin:0}</style>'
    phone.set_content(f"{head}<table>{row}</table>")
    overflow = phone_overflow(phone)
    assert (
        overflow is not None
        and overflow["width"] == 390
        and overflow["wide"] == [f"table ({overflow['scroll']}px)"]
    )
    phone.set_content(f'{head}<div style="overflow-x:auto"><table>{row}</table></div>')
    assert phone_overflow(phone) is None
