"""The course and lesson editing pages: access, live preview, lost-update protection, CSRF."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from lms import create_app
from lms.models import Course, CourseRevision, Lesson
from tests.conftest import TEST_PASSWORD, make_config
from tests.factories import CourseFactory, LessonFactory, UserFactory

COURSE = "/author/edit/courses/returns"
LESSON = f"{COURSE}/lessons/01-intro"


@pytest.fixture
def course(db: Session) -> Course:
    found = CourseFactory(slug="returns", title="Returns")
    LessonFactory(
        course=found, slug="01-intro", title="Intro", position=0, body="# Intro\n\nHello **there**."
    )
    LessonFactory(course=found, slug="02-steps", title="Steps", position=1)
    db.commit()
    return found


def _token(page: str) -> str:
    found = re.search(r'name="expected" type="hidden" value="([^"]*)"', page) or re.search(
        r'id="expected" name="expected" type="hidden" value="([^"]*)"', page
    )
    assert found, page
    return html.unescape(found.group(1))


def _lesson_form(token: str, body: str, title: str = "Intro") -> dict[str, str]:
    return {"title": title, "day": "2", "minutes": "15", "body": body, "expected": token}


def test_trainers_open_the_editors(client: FlaskClient, login_as, course: Course) -> None:
    login_as("trainer")
    page = client.get(COURSE)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Intro" in text and "Raise the version" in text and "/move/down" in text
    editor = client.get(LESSON).get_data(as_text=True)
    assert "Hello **there**." in editor  # the Markdown in the textarea
    assert "<strong>there</strong>" in editor  # and its preview
    assert 'data-hx-post="/author/edit/courses/returns/preview"' in editor
    assert client.get(f"{LESSON}/as-learner").status_code == 200
    assert "/author/edit/courses/returns" in client.get("/author/curriculum/courses/returns").get_data(
        as_text=True
    )


@pytest.mark.parametrize("role", ["learner", "qc"])
def test_learners_and_qc_are_refused(client: FlaskClient, login_as, course: Course, role: str) -> None:
    login_as(role)
    assert client.get(COURSE).status_code == 403
    assert client.get(LESSON).status_code == 403
    assert client.get(f"{LESSON}/as-learner").status_code == 403
    assert client.post(f"{COURSE}/preview", data={"body": "x"}).status_code == 403
    assert client.post(LESSON, data=_lesson_form("", "changed")).status_code == 403


def test_the_preview_is_sanitised(client: FlaskClient, login_as, course: Course) -> None:
    login_as("admin")
    answer = client.post(
        f"{COURSE}/preview",
        data={"body": '**bold** <script>alert(1)</script> <a href="javascript:alert(2)" onclick="x()">l</a>'},
    )
    fragment = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "<strong>bold</strong>" in fragment
    assert "<script" not in fragment and "javascript:" not in fragment and "onclick" not in fragment
    assert "<html" not in fragment  # a fragment, not a page


def test_saving_a_lesson_and_a_conflicting_second_save(
    client: FlaskClient, login_as, db: Session, course: Course
) -> None:
    login_as("trainer")
    token = _token(client.get(LESSON).get_data(as_text=True))  # both editors loaded this version
    first = client.post(LESSON, data=_lesson_form(token, "First editor's text"))
    assert first.status_code == 302
    second = client.post(LESSON, data=_lesson_form(token, "Second editor's <careful> text"))
    assert second.status_code == 409
    page = second.get_data(as_text=True)
    assert "Someone else saved this since you opened it" in page and "NOT saved" in page
    assert "Second editor&#39;s &lt;careful&gt; text" in page  # kept in the form, escaped
    saved = db.scalars(
        select(Lesson).where(Lesson.slug == "01-intro").execution_options(populate_existing=True)
    ).one()
    assert (saved.body, saved.day, saved.minutes) == ("First editor's text", 2, 15)


def test_bad_lesson_input_is_shown_beside_the_field(client: FlaskClient, login_as, course: Course) -> None:
    login_as("trainer")
    token = _token(client.get(LESSON).get_data(as_text=True))
    answer = client.post(LESSON, data={**_lesson_form(token, "kept text"), "minutes": "900"})
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert "Minutes must be from 0 to 600." in page and "kept text" in page


def test_course_settings_version_order_and_new_lessons(
    client: FlaskClient, login_as, db: Session, course: Course
) -> None:
    login_as("trainer")
    token = _token(client.get(COURSE).get_data(as_text=True))
    saved = client.post(
        COURSE,
        data={
            "title": "Returns & refunds",
            "summary": "s",
            "topics": "returns, after-sales",
            "expected": token,
        },
    )
    assert saved.status_code == 302
    bad = client.post(COURSE, data={"title": "x", "topics": "Bad Topic", "expected": token})
    assert bad.status_code == 400 and "lowercase words" in bad.get_data(as_text=True)
    stale = client.post(COURSE, data={"title": "Stale", "topics": "", "expected": token})
    assert stale.status_code == 409
    token = _token(client.get(COURSE).get_data(as_text=True))
    no_note = client.post(f"{COURSE}/version", data={"kind": "major", "note": "", "expected": token})
    assert no_note.status_code == 400 and "Say what changed" in no_note.get_data(as_text=True)
    bumped = client.post(f"{COURSE}/version", data={"kind": "major", "note": "New rules", "expected": token})
    assert bumped.status_code == 302
    assert (
        client.post(
            f"{COURSE}/version", data={"kind": "major", "note": "New rules", "expected": token}
        ).status_code
        == 409
    )
    assert client.post(f"{COURSE}/lessons/02-steps/move/up").status_code == 302
    added = client.post(f"{COURSE}/lessons", data={"title": "Refunds"})
    assert added.status_code == 302 and added.headers["Location"].endswith("/lessons/03-refunds")
    fresh = db.scalars(
        select(Course).where(Course.slug == "returns").execution_options(populate_existing=True)
    ).one()
    assert (fresh.title, fresh.topics, fresh.published, fresh.version) == (
        "Returns & refunds",
        ["returns", "after-sales"],
        False,
        "2.0",
    )
    assert [le.slug for le in sorted(fresh.lessons, key=lambda le: le.position)] == [
        "02-steps",
        "01-intro",
        "03-refunds",
    ]
    assert db.scalars(select(CourseRevision.note)).all() == ["New rules"]


def test_csrf_is_required(database_url: str, tmp_path: Path, db: Session, course: Course) -> None:
    UserFactory(username="writer", roles=["trainer"])
    db.commit()
    app = create_app(make_config(database_url, tmp_path, csrf=True))
    client = app.test_client()
    login_page = client.get("/login").get_data(as_text=True)
    login_token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)  # type: ignore[union-attr]
    signed = client.post(
        "/login", data={"username": "writer", "password": TEST_PASSWORD, "csrf_token": login_token}
    )
    assert signed.status_code == 302
    editor = client.get(LESSON).get_data(as_text=True)
    csrf = re.search(r'<meta name="csrf-token" content="([^"]+)"', editor).group(1)  # type: ignore[union-attr]
    assert client.post(f"{COURSE}/preview", data={"body": "x"}).status_code == 400
    assert (
        client.post(f"{COURSE}/preview", data={"body": "*x*"}, headers={"X-CSRFToken": csrf}).status_code
        == 200
    )
    form = _lesson_form(_token(editor), "no token")
    assert client.post(LESSON, data=form).status_code == 400
    assert client.post(f"{COURSE}/lessons/02-steps/move/up").status_code == 400
    assert client.post(LESSON, data={**form, "csrf_token": csrf}).status_code == 302
    app.extensions["lms.db"].engine.dispose()


def test_a_picture_is_uploaded_and_previewed(client, login_as, app, db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import re
    from pathlib import Path

    app.config["LMS"].content_dir = tmp_path  # never write into the checkout

    from tests.domain.authoring.test_course_files import picture
    from tests.factories import CourseFactory, LessonFactory

    course = CourseFactory(slug="returns-pictures", published=False)
    LessonFactory(course=course, slug="01-label")
    db.commit()
    login_as("trainer")
    page = client.get("/author/edit/courses/returns-pictures/lessons/01-label").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    import io

    sent = client.post(
        "/author/edit/courses/returns-pictures/lessons/01-label/images",
        data={"csrf_token": token, "image": (io.BytesIO(picture()), "label.png")},
        content_type="multipart/form-data",
    )
    assert sent.status_code == 302
    page = client.get("/author/edit/courses/returns-pictures/lessons/01-label").get_data(as_text=True)
    assert "![description](images/label.png)" in page
    shown = client.get("/author/edit/courses/returns-pictures/files/images/label.png")
    assert shown.status_code == 200 and shown.mimetype == "image/png"
    shown.close()
    assert shown.headers["Cache-Control"].count("immutable") == 1 and shown.headers["ETag"]
    assert client.get(  # the learners' address serves it too, and a second fetch is a 304
        "/learn/courses/returns-pictures/files/images/label.png", headers={"If-None-Match": shown.headers["ETag"]}
    ).status_code in (304, 404)  # 404: the course is a draft, learners see nothing of it
    on_disk = Path(app.config["LMS"].content_dir) / "courses" / "returns-pictures" / "images" / "label.png"
    assert not on_disk.exists()  # kept in the database, where every app server finds it
    bad = client.post(
        "/author/edit/courses/returns-pictures/lessons/01-label/images",
        data={"csrf_token": token, "image": (io.BytesIO(b"<svg/>"), "x.png")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "not a picture" in bad.get_data(as_text=True)


def test_a_lesson_is_removed_and_put_back(client, login_as, db) -> None:  # type: ignore[no-untyped-def]
    import re

    from sqlalchemy import select

    from lms.models import Lesson
    from tests.factories import CourseFactory, LessonFactory

    course = CourseFactory(slug="returns-remove")
    for n in range(3):
        LessonFactory(course=course, slug=f"0{n}-part", position=n)
    db.commit()
    login_as("trainer")
    page = client.get("/author/edit/courses/returns-remove").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    assert (
        client.post(
            "/author/edit/courses/returns-remove/lessons/00-part/remove", data={"csrf_token": token}
        ).status_code
        == 302
    )
    db.rollback()
    assert db.scalars(select(Lesson.active).where(Lesson.slug == "00-part")).one() is False
    page = client.get("/author/edit/courses/returns-remove").get_data(as_text=True)
    assert "Removed lessons" in page
    client.post("/author/edit/courses/returns-remove/lessons/00-part/restore", data={"csrf_token": token})
    db.rollback()
    restored = db.scalars(select(Lesson).where(Lesson.slug == "00-part")).one()
    assert restored.active and restored.position == 3  # back at the end


def test_a_lesson_and_its_course_are_edited_in_both_languages(
    client: FlaskClient, login_as, db: Session, course: Course
) -> None:
    login_as("trainer")
    token = _token(client.get(LESSON).get_data(as_text=True))
    form = {
        **_lesson_form(token, "# 开场\n\n你好。", title="开场"),
        "title_en": "Intro",
        "body_en": "# Intro\n\nHello.",
    }
    assert client.post(LESSON, data=form).status_code == 302
    saved = db.scalars(
        select(Lesson).where(Lesson.slug == "01-intro").execution_options(populate_existing=True)
    ).one()
    assert (saved.title, saved.title_en, saved.body_en) == ("开场", "Intro", "# Intro\n\nHello.")
    page = client.get(LESSON).get_data(as_text=True)
    assert 'value="Intro"' in page and "# Intro\n\nHello.</textarea>" in page
    # Clearing the English removes it; the Chinese stays.
    token = _token(page)
    assert (
        client.post(LESSON, data={**form, "expected": token, "title_en": "", "body_en": ""}).status_code
        == 302
    )
    db.refresh(saved)
    assert (saved.title_en, saved.body_en, saved.body) == (None, None, "# 开场\n\n你好。")
