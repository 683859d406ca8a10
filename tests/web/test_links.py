"""`link()` builds what `url_for` builds, once per address and URL root."""

from __future__ import annotations

from flask import Flask, url_for

from lms.web import links
from lms.web.links import link


def test_a_link_is_what_url_for_builds_and_is_built_once(app: Flask, monkeypatch) -> None:
    built: list[str] = []

    def counting_url_for(endpoint: str, **values: object) -> str:
        built.append(endpoint)
        return url_for(endpoint, **values)

    monkeypatch.setattr(links, "url_for", counting_url_for)
    with app.test_request_context("/learn/"):
        first = link("learn.lesson", slug="warehouse-week", lesson="03-leather")
        assert first == url_for("learn.lesson", slug="warehouse-week", lesson="03-leather")
        assert first == "/learn/courses/warehouse-week/lessons/03-leather"
        assert link("learn.lesson", lesson="03-leather", slug="warehouse-week") == first  # any order
        assert link("learn.course", slug="价值 话术") == url_for("learn.course", slug="价值 话术")
    assert built == ["learn.lesson", "learn.course"]


def test_each_url_root_has_its_own_addresses(app: Flask) -> None:
    with app.test_request_context("/learn/"):
        plain = link("quiz.quiz", slug="warehouse-week-check")
    with app.test_request_context("/learn/", base_url="http://localhost/academy/"):
        under_root = link("quiz.quiz", slug="warehouse-week-check")
        assert under_root == url_for("quiz.quiz", slug="warehouse-week-check")
    assert (plain, under_root) == (
        "/learn/quizzes/warehouse-week-check",
        "/academy/learn/quizzes/warehouse-week-check",
    )


def test_anchors_and_odd_values_are_built_each_time_and_the_kept_ones_are_bounded(
    app: Flask, monkeypatch
) -> None:
    kept = app.extensions["lms.links"]
    with app.test_request_context("/learn/"):
        assert link("learn.course", slug="warehouse-week", _anchor="day-2").endswith("#day-2")
        assert link("learn.course", slug=3.5) == url_for("learn.course", slug=3.5)  # type: ignore[arg-type]
        assert kept == {}
        monkeypatch.setattr(links, "MAX", 3)
        for n in range(5):
            link("learn.course", slug=f"course-{n}")
        assert len(kept) <= 3 and link("learn.course", slug="course-4") == "/learn/courses/course-4"


def test_equal_keys_of_other_types_are_not_mistaken_for_a_kept_address(app: Flask) -> None:
    with app.test_request_context("/learn/"):
        assert link("learn.course", slug=1) == "/learn/courses/1"
        assert link("learn.course", slug=1.0) == url_for("learn.course", slug=1.0) == "/learn/courses/1.0"
        assert link("learn.course", slug=True) == url_for("learn.course", slug=True)
        assert link("learn.course", slug=1) == "/learn/courses/1"


def test_a_pages_render_has_its_own_link_that_builds_the_same_addresses(app: Flask) -> None:
    """render_template gives each render a `link` with the URL root and kept addresses looked up once;
    it answers as the global one, under a URL root too, and shares the kept addresses."""
    from flask import render_template_string

    source = (
        "{{ link('learn.course', slug='warehouse-week') }} {{ link('learn.course', slug=2, _anchor='d') }}"
    )
    for base in ("http://localhost/", "http://localhost/academy/"):
        with app.test_request_context("/learn/", base_url=base):
            page = render_template_string(source)
            assert page == app.jinja_env.from_string(source).render()  # the global link
            assert (
                page
                == f"{url_for('learn.course', slug='warehouse-week')} {url_for('learn.course', slug=2, _anchor='d')}"
            )
            assert render_template_string("{{ link.__class__.__name__ }}") == links.PageLinks.__name__
    assert set(app.extensions["lms.links"]) == {
        ("", "learn.course", ("slug", "warehouse-week")),
        ("/academy", "learn.course", ("slug", "warehouse-week")),
    }
