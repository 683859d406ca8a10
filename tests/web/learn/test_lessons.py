"""The lesson reader: course page, reading, marking done, drafts invisible."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.domain.learning.lessons import mark_done
from lms.models import LessonCompletion, User
from tests.concurrency import run_in_parallel
from tests.factories import CohortFactory, CourseFactory, LessonFactory


def _course(db: Session, published: bool = True, lessons: int = 3):
    course = CourseFactory(
        slug="platform-rules", title="Platform rules", published=published, version_major=2, version_minor=1
    )
    made = [
        LessonFactory(course=course, slug=f"0{i}-step", title=f"Step {i}", position=i)
        for i in range(1, lessons + 1)
    ]
    db.commit()
    return course, made


def test_course_page_lists_lessons_with_progress(client: FlaskClient, db: Session, login_as) -> None:
    login_as("learner")
    _course(db)
    page = client.get("/learn/courses/platform-rules").get_data(as_text=True)
    assert "Step 1" in page and "Step 3" in page
    assert "0 of 3 lessons done" in page


def test_reading_and_marking_done_moves_on_and_records_the_version(
    client: FlaskClient, db: Session, login_as
) -> None:
    user = login_as("learner")
    _course(db)
    page = client.get("/learn/courses/platform-rules/lessons/01-step").get_data(as_text=True)
    assert "<h2>The order flow</h2>" in page and "Mark as done" in page
    response = client.post("/learn/courses/platform-rules/lessons/01-step/done")
    assert response.headers["Location"].endswith("/learn/courses/platform-rules/lessons/02-step")
    completion = db.scalars(select(LessonCompletion).where(LessonCompletion.user_id == user.id)).one()
    assert completion.course_version == "2.1" and completion.done_at is not None
    assert "1 of 3 lessons done" in client.get("/learn/courses/platform-rules").get_data(as_text=True)
    # marking again changes nothing
    client.post("/learn/courses/platform-rules/lessons/01-step/done")
    assert db.scalar(select(func.count()).select_from(LessonCompletion)) == 1


def test_marking_done_goes_on_after_this_lesson_then_back_to_what_was_skipped(
    client: FlaskClient, db: Session, login_as
) -> None:
    login_as("learner", locale="en")
    course, _lessons = _course(db, lessons=4)
    course.title, course.title_en = "平台规则", "Platform rules"
    db.commit()
    base = "/learn/courses/platform-rules/lessons"
    # Read out of order: lesson 3 first goes on to lesson 4, not back to lesson 1.
    assert client.post(f"{base}/03-step/done").headers["Location"].endswith(f"{base}/04-step")
    # Nothing left after lesson 4: back to the first one skipped.
    assert client.post(f"{base}/04-step/done").headers["Location"].endswith(f"{base}/01-step")
    assert client.post(f"{base}/01-step/done").headers["Location"].endswith(f"{base}/02-step")
    # The last one: the course page, with the course's title in the reader's language.
    finished = client.post(f"{base}/02-step/done", follow_redirects=True).get_data(as_text=True)
    assert "You have finished every lesson of “Platform rules”." in finished
    assert "4 of 4 lessons done" in finished


def test_draft_courses_are_invisible_to_learners(client: FlaskClient, db: Session, login_as) -> None:
    login_as("learner")
    _course(db, published=False)
    assert client.get("/learn/courses/platform-rules").status_code == 404
    assert client.get("/learn/courses/platform-rules/lessons/01-step").status_code == 404
    assert client.post("/learn/courses/platform-rules/lessons/01-step/done").status_code == 404
    assert "Platform rules" not in client.get("/learn/").get_data(as_text=True)


def test_inactive_lessons_are_gone(client: FlaskClient, db: Session, login_as) -> None:
    login_as("learner")
    _course(db)
    from lms.models import Lesson

    lesson = db.scalars(select(Lesson).where(Lesson.slug == "02-step")).one()
    lesson.active = False
    db.commit()
    assert client.get("/learn/courses/platform-rules/lessons/02-step").status_code == 404


def test_course_files_serve_only_images_inside_the_course(client: FlaskClient, db: Session, login_as) -> None:
    login_as("learner")
    _course(db)
    assert client.get("/learn/courses/platform-rules/files/../../pyproject.toml").status_code == 404
    assert client.get("/learn/courses/platform-rules/files/course.toml").status_code == 404


def test_parallel_marking_records_once(app, db: Session) -> None:
    from tests.factories import UserFactory

    user = UserFactory()
    _course_obj, lessons = _course(db)
    lesson_id = lessons[0].id

    def mark(session: Session) -> None:
        mark_done(session, session.get(User, user.id), session.get(type(lessons[0]), lesson_id))

    errors = run_in_parallel(app, 8, mark)
    assert errors == []
    assert db.scalar(select(func.count()).select_from(LessonCompletion)) == 1


def test_lesson_page_queries_are_bounded(client: FlaskClient, db: Session, login_as, count_queries) -> None:
    cohort = CohortFactory()
    db.flush()
    login_as("learner", cohort_id=cohort.id)
    _course(db, lessons=3)
    client.get("/learn/courses/platform-rules/lessons/01-step")
    with count_queries() as small:
        client.get("/learn/courses/platform-rules/lessons/01-step")
    course = CourseFactory(slug="big")
    for i in range(40):
        LessonFactory(course=course, slug=f"l{i:02d}", position=i)
    db.commit()
    with count_queries() as first:
        client.get("/learn/courses/big/lessons/l05")
    with count_queries() as big:
        client.get("/learn/courses/big/lessons/l05")
    # the first view of a lesson: the user (with the badge and the plan's change counter), the lesson
    # with its course and the programme's work-ahead flag, the course's lessons, the done flags
    assert first.count == 4, first.statements
    # then the lesson and its list are kept while the plan is unchanged: the user and the done flags
    assert big.count == small.count == 2, big.statements
    assert not any("FROM lessons" in s.split("WHERE")[0] for s in big.statements), big.statements
    # the nav badge's count came with the user
    assert not any(s.startswith("SELECT count(*)") for s in big.statements), big.statements
    # the programme lets learners work ahead: their start date is not read to open a lesson
    assert not any("FROM cohorts" in s for s in first.statements + big.statements), big.statements


def test_a_kept_lesson_shows_edits_and_the_learners_own_progress_at_once(
    client: FlaskClient, db: Session, login_as
) -> None:
    """The lesson is kept per process, but an edit, a retired lesson, an unpublished course and the
    learner's own marks show on the next view."""
    from lms.models import Lesson

    login_as("learner")
    course, lessons = _course(db)
    url = "/learn/courses/platform-rules/lessons/01-step"
    page = client.get(url).get_data(as_text=True)
    assert "0 of 3 lessons done" in page and "Mark as done" in page and "Step 2" in page
    client.post(f"{url}/done")
    page = client.get(url).get_data(as_text=True)
    assert "1 of 3 lessons done" in page and "Mark as done" not in page
    lessons[0].body = "# Step 1\n\n## 退款流程\n\n先核实订单。"
    db.commit()
    assert "<h2>退款流程</h2>" in client.get(url).get_data(as_text=True)
    db.get(Lesson, lessons[1].id).active = False
    db.commit()
    page = client.get(url).get_data(as_text=True)
    assert "1 of 2 lessons done" in page and "Step 2" not in page and "Step 3" in page
    assert client.get("/learn/courses/platform-rules/lessons/02-step").status_code == 404
    course.published = False
    db.commit()
    assert client.get(url).status_code == 404


def test_course_page_queries_are_bounded(client: FlaskClient, db: Session, login_as, count_queries) -> None:
    login_as("learner")
    _course(db, lessons=3)
    with count_queries() as small:
        assert client.get("/learn/courses/platform-rules").status_code == 200
    course = CourseFactory(slug="big")
    for i in range(40):
        LessonFactory(course=course, slug=f"l{i:02d}", position=i)
    db.commit()
    with count_queries() as big:
        page = client.get("/learn/courses/big").get_data(as_text=True)
    assert page.count('href="/learn/courses/big/lessons/') == 40
    # the user, the course, its lessons with their done flags, its quizzes: the lessons are read once
    assert big.count == small.count <= 4, big.statements
    assert sum(s.lstrip().startswith("SELECT lessons") for s in big.statements) == 1, big.statements
