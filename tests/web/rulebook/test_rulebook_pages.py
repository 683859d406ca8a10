"""The rule book's pages: the rules by category, the tester, the wording box; bounded and escaped."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.domain.curriculum.sync import sync_content

HX = {"HX-Request": "true"}


@pytest.fixture
def loaded(db: Session) -> None:
    tree, problems = check(PROJECT_ROOT)
    assert problems == []
    sync_content(db, tree)
    db.commit()


@pytest.mark.parametrize("role", ["trainer", "admin", "qc"])
def test_staff_read_the_rules_by_category_with_sources(
    client: FlaskClient, login_as, loaded, role: str
) -> None:
    login_as(role)
    page = client.get("/rulebook/").get_data(as_text=True)
    assert (
        "Absolute terms" in page
        and "Off-platform contact and payment" in page
        and "Paying for reviews" in page
    )
    assert "absolute-best" in page and "广告法 第九条第三项" in page and "最佳赏味期" in page
    assert "version 1 of 1" in page


def test_the_page_is_in_chinese_too(client: FlaskClient, login_as, loaded) -> None:
    login_as("trainer")
    client.post("/language", data={"locale": "zh_Hans", "next": "/rulebook/"})
    page = client.get("/rulebook/").get_data(as_text=True)
    assert "极限用语" in page and "规则手册" in page


def test_learners_check_their_wording_but_do_not_open_the_book(client: FlaskClient, login_as, loaded) -> None:
    login_as("learner")
    assert client.get("/rulebook/").status_code == 403
    assert client.get("/rulebook/tester").status_code == 403
    result = client.post("/rulebook/check", data={"text": "亲，加 微 信吧"}, headers=HX)
    html = result.get_data(as_text=True)
    assert result.status_code == 200 and "off-platform-wechat" in html and "只在天猫上沟通" in html
    clean = client.post("/rulebook/check", data={"text": "亲，这款是头层牛皮"}, headers=HX).get_data(
        as_text=True
    )
    assert "Nothing the rule book flags." in clean


def test_the_tester_shows_hits_exemptions_and_hints(client: FlaskClient, login_as, loaded) -> None:
    login_as("trainer")
    html = client.post(
        "/rulebook/tester", data={"text": "最佳赏味期，质量最好，第一次"}, headers=HX
    ).get_data(as_text=True)
    assert "absolute-best" in html and "口碑很好" in html and "广告法" in html
    assert (
        "Exempted" in html and "“最佳赏味期” is an exemption" in html and "“第一次” is an exemption" in html
    )
    assert '<mark class="mark-block">最好</mark>' in html


@pytest.mark.parametrize("path", ["/rulebook/tester", "/rulebook/check"])
def test_hostile_text_is_escaped_and_bounded(client: FlaskClient, login_as, loaded, path: str) -> None:
    login_as("trainer")
    html = client.post(path, data={"text": "<script>alert('最好')</script>"}, headers=HX).get_data(
        as_text=True
    )
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    huge = client.post(path, data={"text": "<b>最好</b>" * 12_500}, headers=HX)  # 100,000 characters
    assert huge.status_code == 413
    body = huge.get_data(as_text=True)
    assert "at most 10000 characters" in body and "<html" not in body and "最好</b>" not in body
    page = client.post(path, data={"text": "x" * 100_000})  # without htmx: a whole page, still ours
    assert page.status_code == 413 and "at most 10000 characters" in page.get_data(as_text=True)


def test_without_a_rule_book_the_pages_say_so(client: FlaskClient, login_as) -> None:
    login_as("trainer")
    assert "No rule book is loaded yet" in client.get("/rulebook/").get_data(as_text=True)
    html = client.post("/rulebook/tester", data={"text": "最好"}, headers=HX).get_data(as_text=True)
    assert "No rule book is loaded yet" in html


def test_the_rule_book_page_costs_a_fixed_number_of_queries(
    client: FlaskClient, login_as, loaded, db: Session, count_queries
) -> None:
    login_as("trainer")
    client.get("/rulebook/")
    with count_queries() as few:
        client.get("/rulebook/")
    tree, _problems = check(PROJECT_ROOT)
    for n in range(5):  # more versions, same page cost
        assert tree.rulebook is not None
        tree.rulebook = tree.rulebook.__class__(tree.rulebook.title, f"2027-01-0{n + 1}", tree.rulebook.rules)
        sync_content(db, tree)
        db.commit()
    with count_queries() as many:
        client.get("/rulebook/")
    assert few.count == many.count


def test_the_script_library_has_the_wording_box(client: FlaskClient, login_as, loaded) -> None:
    login_as("learner")
    page = client.get("/learn/library").get_data(as_text=True)
    assert "Script library" in page and "今天下单什么时候发货" in page and "Check my wording" in page
    found = client.get("/learn/library?q=顺丰").get_data(as_text=True)
    assert "顺丰" in found and "今天下单什么时候发货" not in found
    assert "No script matches" in client.get("/learn/library?q=%25_%25").get_data(as_text=True)


def test_the_script_library_costs_a_fixed_number_of_queries(
    client: FlaskClient, login_as, loaded, db: Session, count_queries
) -> None:
    from lms.models import FaqEntry

    login_as("learner")
    client.get("/learn/library")
    with count_queries() as few:
        client.get("/learn/library")
    for n in range(60):
        db.add(
            FaqEntry(key=f"extra-{n}", kind="reply", question=f"问题{n}", answer="亲，好的", content_hash="x")
        )
    db.commit()
    with count_queries() as many:
        page = client.get("/learn/library").get_data(as_text=True)
    assert "问题59" in page and few.count == many.count
