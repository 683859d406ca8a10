"""QC pages: record a spot check, the agent reads it, assign the suggested refresher; role checks."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.domain.curriculum.sync import sync_content
from lms.domain.qc.checklist import active_items, ensure_default_checklist
from lms.models import Assignment, Certificate, ChecklistItem, Course, SpotCheck, User
from tests.factories import UserFactory


@pytest.fixture
def loaded(db: Session) -> User:
    tree, problems = check(PROJECT_ROOT)
    assert problems == []
    sync_content(db, tree)
    ensure_default_checklist(db)
    agent = UserFactory(username="wangfang", display_name="王芳 Wang Fang")
    db.commit()
    return agent


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    return found.group(1) if found else ""


def _form(db: Session, agent: User, fail: tuple[str, ...] = ("no-argument",)) -> dict[str, str]:
    data = {
        "agent": str(agent.id),
        "checked_on": "2026-11-20",
        "channel": "chat",
        "transcript": "顾客：怎么还没到？\n客服：这不是我们的问题，快递慢。<script>alert(1)</script>",
        "comment": "Blamed the courier instead of apologising.",
    }
    for item in active_items(db):
        data[f"item-{item.id}"] = "fail" if item.key in fail else "pass"
        data[f"note-{item.id}"] = "Argued about whose fault the delay was" if item.key in fail else ""
    return data


@pytest.mark.parametrize("path", ["/qc/", "/qc/spot-checks/new", "/assignments/", "/assignments/new"])
def test_learners_cannot_reach_qc_pages(client: FlaskClient, login_as, loaded, path: str) -> None:
    login_as("learner")
    assert client.get(path).status_code == 403


def test_trainers_assign_but_do_not_record_spot_checks(client: FlaskClient, login_as, loaded) -> None:
    login_as("trainer")
    assert client.get("/qc/").status_code == 200
    assert client.get("/assignments/new").status_code == 200
    assert client.get("/qc/spot-checks/new").status_code == 403


def test_qc_cannot_author_content(client: FlaskClient, login_as, loaded) -> None:
    login_as("qc")
    assert client.get("/author/grading/").status_code == 403


def test_record_a_spot_check_then_assign_the_suggested_refresher(
    client: FlaskClient, login_as, loaded: User, db: Session
) -> None:
    login_as("qc")
    form_page = client.get(f"/qc/spot-checks/new?agent={loaded.id}").get_data(as_text=True)
    assert "No argument with the customer" in form_page
    data = _form(db, loaded) | {"csrf_token": _csrf(form_page)}
    response = client.post("/qc/spot-checks/new", data=data)
    assert response.status_code == 302
    db.rollback()  # end the test session's read snapshot
    spot = db.scalars(select(SpotCheck)).one()
    assert spot.percent == 80.0
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "&lt;script&gt;" in page and "<script>alert" not in page  # the transcript is shown as text
    assert "House rules: how we serve at Xingzhe" in page  # suggested: it teaches no-argument
    course_id = re.search(r'name="kind" value="course"><input type="hidden" name="work" value="(\d+)"', page)
    assert course_id is not None
    assigned = client.post(
        f"/qc/spot-checks/{spot.id}/assign",
        data={
            "csrf_token": _csrf(page),
            "kind": "course",
            "work": course_id.group(1),
            "due_on": str(dt.date.today() + dt.timedelta(days=7)),
        },
    )
    assert assigned.status_code == 302
    db.rollback()
    assignment = db.scalars(select(Assignment)).one()
    assert assignment.user_id == loaded.id and assignment.spot_check_id == spot.id
    assert "Already assigned" in client.get(f"/qc/spot-checks/{spot.id}").get_data(as_text=True)


def test_a_bad_spot_check_is_shown_again_with_the_error_and_nothing_saved(
    client: FlaskClient, login_as, loaded: User, db: Session
) -> None:
    login_as("qc")
    form_page = client.get("/qc/spot-checks/new").get_data(as_text=True)
    data = _form(db, loaded) | {"csrf_token": _csrf(form_page), "transcript": "  "}
    response = client.post("/qc/spot-checks/new", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Paste the transcript" in page and "Blamed the courier" in page  # the rest is kept
    assert db.scalars(select(SpotCheck)).all() == []


def test_the_agent_sees_their_own_checks_only(
    app, client: FlaskClient, login_as, loaded: User, db: Session
) -> None:
    qc = UserFactory(roles=("qc",))
    db.commit()
    from lms.domain.qc.spot_checks import ItemOutcome, record_spot_check

    spot = record_spot_check(
        db,
        qc,
        loaded,
        store_id=None,
        checked_on=dt.date(2026, 11, 20),
        channel="call",
        transcript="Call notes: polite, correct size advice.",
        outcomes={i.id: ItemOutcome("pass") for i in active_items(db)},
        comment="Well done",
        today=dt.date(2026, 11, 24),
    )
    db.commit()
    client.post("/login", data={"username": "wangfang", "password": "correct-horse-battery"})
    mine = client.get("/qc/mine")
    assert mine.status_code == 200 and "2026-11-20" in mine.get_data(as_text=True)
    assert client.get(f"/qc/spot-checks/{spot.id}").status_code == 200
    other = UserFactory()
    db.commit()
    stranger = app.test_client()
    stranger.post("/login", data={"username": other.username, "password": "correct-horse-battery"})
    assert stranger.get(f"/qc/spot-checks/{spot.id}").status_code == 404


def test_admin_edits_the_checklist(app, client: FlaskClient, login_as, loaded, db: Session) -> None:
    login_as("admin")
    page = client.get("/qc/checklist").get_data(as_text=True)
    response = client.post(
        "/qc/checklist",
        data={
            "csrf_token": _csrf(page),
            "label": "Forbidden words avoided",
            "label_zh": "未使用违禁词",
            "points": "10",
            "topics": "advertising-law",
            "position": "8",
            "active": "1",
        },
    )
    assert response.status_code == 302
    db.rollback()
    assert db.scalars(select(ChecklistItem).where(ChecklistItem.label == "Forbidden words avoided")).one()
    qc = UserFactory(roles=("qc",))
    db.commit()
    qc_client = app.test_client()
    qc_client.post("/login", data={"username": qc.username, "password": "correct-horse-battery"})
    assert qc_client.get("/qc/checklist").status_code == 200  # QC reads it
    assert qc_client.post("/qc/checklist", data={"label": "x"}).status_code == 403


def test_bulk_assign_to_a_cohort(client: FlaskClient, login_as, loaded: User, db: Session) -> None:
    from tests.factories import CohortFactory

    cohort = CohortFactory()
    for _ in range(3):
        UserFactory(cohort_id=cohort.id)
    db.commit()
    login_as("trainer")
    page = client.get("/assignments/new").get_data(as_text=True)
    quiz_value = re.search(r'<option value="(quiz:\d+)"[^>]*>House rules check', page)
    assert quiz_value is not None
    data = {
        "csrf_token": _csrf(page),
        "work": quiz_value.group(1),
        "audience": "cohort",
        "cohort": str(cohort.id),
        "due_on": (dt.date.today() + dt.timedelta(days=7)).isoformat(),
        "reason": "Weekly bad-case meeting: handovers were missed",
    }
    assert client.post("/assignments/new", data=data).status_code == 302
    assert client.post("/assignments/new", data=data).status_code == 302
    db.rollback()
    assert len(db.scalars(select(Assignment)).all()) == 3
    team = client.get("/assignments/").get_data(as_text=True)
    assert "Weekly bad-case meeting" in team


def _many_checks(db: Session, n: int) -> None:
    from lms.domain.qc.spot_checks import ItemOutcome, record_spot_check

    qc = UserFactory(roles=("qc",))
    db.flush()
    items = active_items(db)
    for k in range(n):
        agent = UserFactory()
        db.add(Certificate(user_id=agent.id, kind="go-live", code=f"live-{agent.id}"))
        db.flush()
        record_spot_check(
            db,
            qc,
            agent,
            store_id=None,
            checked_on=dt.date.today() - dt.timedelta(days=k % 40),
            channel="chat",
            transcript="顾客：在吗？",
            outcomes={i.id: ItemOutcome("fail" if i.position == k % 7 else "pass", "missed") for i in items},
            comment="",
            today=dt.date.today(),
        )
    db.commit()


@pytest.mark.parametrize("path", ["/qc/", "/assignments/"])
def test_staff_pages_run_a_bounded_number_of_queries(
    client: FlaskClient, login_as, loaded, db: Session, count_queries, path: str
) -> None:
    login_as("qc")
    _many_checks(db, 2)
    with count_queries() as few:
        assert client.get(path).status_code == 200
    _many_checks(db, 25)
    with count_queries() as many:
        assert client.get(path).status_code == 200
    assert many.count == few.count and few.count <= 15, many.statements


def test_the_learner_assignment_page_is_bounded(
    client: FlaskClient, login_as, loaded, db: Session, count_queries
) -> None:
    from lms.db import utcnow
    from lms.domain.assignments.assigning import assign
    from lms.models import Course, Quiz

    learner = login_as("learner")
    qc = UserFactory(roles=("qc",))
    db.commit()
    courses, quizzes = db.scalars(select(Course)).all(), db.scalars(select(Quiz)).all()
    works = [courses[0], quizzes[0], *courses[1:], *quizzes[1:8]]
    for work in works[:2]:  # one course and one quiz: each kind's loader runs once from the start
        kind = {"course": work} if isinstance(work, Course) else {"quiz": work}
        assign(db, qc, [learner.id], due_on=dt.date.today(), reason="r", source="qc", now=utcnow(), **kind)
    db.commit()
    with count_queries() as few:
        assert client.get("/learn/assignments").status_code == 200
    for work in works[2:12]:
        kind = {"course": work} if isinstance(work, Course) else {"quiz": work}
        assign(db, qc, [learner.id], due_on=dt.date.today(), reason="r", source="qc", now=utcnow(), **kind)
    db.commit()
    with count_queries() as many:
        assert client.get("/learn/assignments").status_code == 200
    assert many.count == few.count, many.statements


def test_the_dashboards_lists_of_agents_are_paged_each_by_its_own_parameter(
    client: FlaskClient, login_as, loaded, db: Session, monkeypatch
) -> None:
    from lms.web.qc import dashboard

    monkeypatch.setattr(dashboard, "PER_PAGE", 3)
    login_as("qc")
    _many_checks(db, 7)  # seven live agents, checked 0 to 6 days ago
    for n in range(5):  # and five live agents never checked
        never = UserFactory(display_name=f"从未抽检 {n}")
        db.flush()
        db.add(Certificate(user_id=never.id, kind="go-live", code=f"never-{never.id}"))
    db.commit()
    first = client.get("/qc/?days=1", headers={"Accept-Language": "en"}).get_data(as_text=True)
    unchecked = first.split('id="not-checked"')[1].split("</section>")[0]
    scores = first.split('id="scores"')[1].split("</section>")[0]
    # the five never checked, then the five checked 2 to 6 days ago; three a page
    assert "10 agents" in unchecked and "Page 1 of 4" in unchecked
    assert unchecked.count("Check now") == 3
    assert "从未抽检 0" in unchecked and 'href="/qc/?days=1&amp;page=2#not-checked"' in unchecked
    assert "7 agents" in scores and "Page 1 of 3" in scores and "scores=2#scores" in scores
    last = client.get("/qc/?days=1&page=4&scores=3").get_data(as_text=True)
    assert last.split('id="not-checked"')[1].split("</section>")[0].count("Check now") == 1
    assert last.split('id="scores"')[1].split("</table>")[0].count("<tr><td>") == 1
    beyond = client.get("/qc/?days=1&page=99&scores=x").get_data(as_text=True)
    assert "Page 4 of 4" in beyond and "Page 1 of 3" in beyond  # past the end: the last; nonsense: the first


def test_the_dashboard_costs_the_same_statements_for_few_or_many_live_agents(
    client: FlaskClient, login_as, loaded, db: Session, count_queries
) -> None:
    login_as("qc")
    _many_checks(db, 3)
    with count_queries() as few:
        assert client.get("/qc/?days=1").status_code == 200
    for _ in range(60):
        agent = UserFactory()
        db.flush()
        db.add(Certificate(user_id=agent.id, kind="go-live", code=f"many-{agent.id}"))
    db.commit()
    with count_queries() as many:
        page = client.get("/qc/?days=1").get_data(as_text=True)
    assert many.count == few.count and page.count("Check now") == 50


def test_the_spot_check_form_names_its_agent_by_username_and_suggests_on_a_wrong_one(
    client: FlaskClient,
    login_as,
    loaded: User,
    db: Session,
) -> None:
    for n in range(30):
        UserFactory(username=f"agent{n:02d}", display_name=f"客服{n:02d}")
    db.commit()
    login_as("qc")
    blank = client.get("/qc/spot-checks/new").get_data(as_text=True)
    assert 'id="agent" name="agent" type="text"' in blank and "客服07" not in blank  # no list of everyone
    page = client.get(f"/qc/spot-checks/new?agent={loaded.id}").get_data(as_text=True)
    assert 'value="wangfang"' in page  # the "Check now" link's agent, shown by username
    wrong = client.post(
        "/qc/spot-checks/new", data=_form(db, loaded) | {"agent": "agent0", "csrf_token": _csrf(page)}
    )
    assert wrong.status_code == 422
    html = wrong.get_data(as_text=True)
    assert 'value="agent0"' in html and html.count('<option value="agent0') == 10  # the matches, to pick from
    right = client.post(
        "/qc/spot-checks/new", data=_form(db, loaded) | {"agent": "WangFang", "csrf_token": _csrf(page)}
    )
    assert right.status_code == 302


def test_work_is_assigned_to_the_agent_typed(
    client: FlaskClient, login_as, loaded: User, db: Session
) -> None:
    login_as("trainer")
    page = client.get("/assignments/new").get_data(as_text=True)
    course = db.scalars(select(Course).where(Course.published.is_(True))).first()
    assert course is not None
    data = {
        "csrf_token": _csrf(page),
        "work": f"course:{course.id}",
        "audience": "agent",
        "due_on": str(dt.date.today() + dt.timedelta(days=3)),
        "reason": "Refresh the house rules",
    }
    nobody = client.post("/assignments/new", data=data | {"agent": "nobody-here"})
    assert nobody.status_code == 422 and "Choose an active agent." in nobody.get_data(as_text=True)
    assert client.post("/assignments/new", data=data | {"agent": "wangfang"}).status_code == 302
    db.rollback()
    assert [a.user_id for a in db.scalars(select(Assignment))] == [loaded.id]
