"""The go-live checklist built in Python: Jinja's markup rules (catalogue text trusted, data escaped),
each reader's language, practice chats linked only where asked."""

from __future__ import annotations

from flask import Flask
from flask_babel import force_locale

from lms.domain.certification.golive import Requirement
from lms.web.certificates.checklist_markup import checklist_items

REQUIREMENTS = [
    Requirement(
        "quiz",
        "warehouse-week-exam",
        "仓库周考试",
        True,
        "best %(score)s %%",
        {"score": 92},
        "Warehouse week exam",
    ),
    Requirement(
        "course", "house-rules", "<b>店规</b>", False, "%(done)s/%(total)s lessons", {"done": 2, "total": 6}
    ),
    Requirement("scenario", "discount-haggle", "能便宜点吗？", False, "not taken", {}, "A bit cheaper?"),
    Requirement(
        "signoff", "trainer", "Trainer sign-off", True, "signed off by %(name)s", {"name": "<i>陈</i>老师"}
    ),
]


def render(app: Flask, locale: str, **options: bool) -> str:
    with app.test_request_context("/learn/"), force_locale(locale):
        return str(checklist_items(REQUIREMENTS, **options))


def test_english_readers_see_english_titles_and_every_value_escaped(app: Flask) -> None:
    page = render(app, "en", link_scenarios=True)
    assert page == (
        '<li class="met">Warehouse week exam <span class="muted">best 92 %</span></li>'
        '<li class="unmet">&lt;b&gt;店规&lt;/b&gt; <span class="muted">2/6 lessons</span></li>'
        '<li class="unmet"><a href="/practice/discount-haggle">A bit cheaper?</a>'
        ' <span class="muted">not taken</span></li>'
        '<li class="met">Trainer sign-off <span class="muted">signed off by &lt;i&gt;陈&lt;/i&gt;老师</span></li>'
    )


def test_chinese_readers_see_the_chinese_titles_and_catalogue(app: Flask) -> None:
    page = render(app, "zh_Hans")
    assert '<li class="met">仓库周考试 ' in page and "能便宜点吗？" in page and "A bit cheaper" not in page
    assert "培训师签字确认" in page and "已由&lt;i&gt;陈&lt;/i&gt;老师签字确认" in page
    assert "<a " not in page  # a staff page does not link the learner's practice history


def test_the_today_page_and_a_learners_page_show_it(app: Flask) -> None:
    source = "{{ checklist_items(reqs) }}|{{ checklist_items([]) }}"
    with app.test_request_context("/learn/"), force_locale("en"):
        html = app.jinja_env.from_string(source).render(reqs=REQUIREMENTS[:1])
    assert html == '<li class="met">Warehouse week exam <span class="muted">best 92 %</span></li>|'
