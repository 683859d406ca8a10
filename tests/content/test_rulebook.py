"""The rule book: reading courses/compliance.toml, what the checker catches and what it lets pass."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lms.config import PROJECT_ROOT
from lms.content.loader import check
from lms.content.problems import Problems
from lms.content.rulebook import CATEGORIES, RuleBook, compiled, marked_runs, prepare, read_rulebook
from lms.content.rulebook.rules import RuleBookSpec


@pytest.fixture(scope="module")
def book() -> RuleBook:
    problems = Problems()
    spec = read_rulebook(PROJECT_ROOT / "courses" / "compliance.toml", PROJECT_ROOT, problems)
    assert problems.sorted() == [] and spec is not None
    return compiled(spec)


def _rules(book: RuleBook, text: str) -> list[str]:
    return [h.rule.id for h in book.check(text)]


def test_the_shipped_book_covers_the_domain(book: RuleBook) -> None:
    assert len(book) >= 60
    used = {r.category for r in book.rules}
    assert {
        "absolute_term",
        "off_platform",
        "prohibited_promise",
        "review_inducement",
        "rude",
        "privacy",
    } <= used
    assert used <= set(CATEGORIES)
    for rule in book.rules:
        assert rule.hint and rule.source and rule.hint_en, rule.id
        assert rule.severity in ("block", "warn")


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("亲，加 微 信 聊吧", "off-platform-wechat"),
        ("加-v细聊", "off-platform-wechat"),
        ("ＶＸ：xingzhe88", "off-platform-wechat"),
        ("我的号码 1 3 8-0000-0000", "off-platform-mobile-number"),
        ("打13812345678找我", "off-platform-mobile-number"),
        ("扣扣 12345678", "off-platform-qq-number"),
        ("这款质量最好", "absolute-best"),
        ("全网最低价", "absolute-lowest-price"),
        ("凑单最划算", "absolute-lowest-price"),
        ("销量第一的包", "absolute-first"),
        ("国家级工艺", "absolute-national"),
        ("It is the best bag, No.1 in China", "absolute-english"),
        ("No. 1 quality", "absolute-first"),
        ("保证明天到", "promise-delivery"),
        ("有活动第一时间告诉您", "promise-first-moment"),
        ("五星好评送护理油", "review-gift"),
        ("好评返现5元", "review-cashback"),
        ("爱买不买", "rude-take-it-or-leave-it"),
        ("你自己看详情吧", "rude-brush-off"),
        ("你懂不懂啊", "rude-condescending"),
        ("把验证码发我一下", "privacy-code"),
        ("私下便宜点给你", "discount-private"),
        ("海关可以打开这个锁", "false-customs-lock"),
    ],
)
def test_caught(book: RuleBook, text: str, rule: str) -> None:
    assert rule in _rules(book, text)


@pytest.mark.parametrize(
    "text",
    [
        "第一次出差就坏了，真的抱歉",
        "这款茶叶的最佳赏味期是12个月",
        "公文包最多放14寸电脑，最晚明天发出",
        "万向轮滚动很顺滑",
        "快递时效我没法百分百保证",
        "不能私下便宜哦",
        "顺丰加12元，16:00前付款今天发出",
        "为了保障您的权益，我们只在天猫上沟通和付款哦",
        "请输入支付宝支付密码确认收货",
        "the laptop fits",
        "https://detail.tmall.com/item.htm?id=123",
    ],
)
def test_not_caught(book: RuleBook, text: str) -> None:
    assert [h for h in book.check(text) if h.rule.blocks] == []


def test_hits_point_at_the_words_as_typed(book: RuleBook) -> None:
    text = "亲～加　微　信吧，或者 1 3 8-0000-0000"
    hits = book.check(text)
    assert [(h.rule.id, h.words) for h in hits] == [
        ("off-platform-wechat", "加　微　信"),
        ("off-platform-mobile-number", "1 3 8-0000-0000"),
    ]
    for hit in hits:
        assert text[hit.start : hit.end] == hit.words
        assert hit.hint and hit.category == hit.rule.category and hit.severity == "block"


def test_exemptions_cover_every_rule_of_their_category_and_are_shown_on_request(book: RuleBook) -> None:
    text = "最佳赏味期"
    assert book.check(text) == []
    shown = book.check(text, exempted=True)
    assert {h.rule.id for h in shown} == {"absolute-best", "absolute-zui"}
    assert {h.exempted_by for h in shown} == {"最佳赏味期"}


def test_a_warn_inside_a_block_of_its_category_is_reported_once(book: RuleBook) -> None:
    assert _rules(book, "这款最好") == ["absolute-best"]  # not also the lone 最
    assert _rules(book, "这个颜色最美") == ["absolute-zui"]


def test_latin_phrases_are_words_not_letters(book: RuleBook) -> None:
    assert _rules(book, "my laptop is 15 inches") == []
    assert "absolute-first" in _rules(book, "the top one")
    assert _rules(book, "a USB port") == []


def test_marked_runs_put_the_text_back_together(book: RuleBook) -> None:
    text = "<b>最好</b> & 加微信"
    runs = marked_runs(text, book.check(text))
    assert "".join(r["text"] for r in runs) == text
    assert [r["text"] for r in runs if r["mark"] == "block"] == ["最好", "加微信"]


def test_compiled_once_per_version() -> None:
    problems = Problems()
    spec = read_rulebook(PROJECT_ROOT / "courses" / "compliance.toml", PROJECT_ROOT, problems)
    assert spec is not None
    assert compiled(spec) is compiled(RuleBookSpec.from_json(spec.as_json()))


def test_hostile_input_is_read_in_bounded_time(book: RuleBook) -> None:
    # Linear-time engines: long runs of separators, digits and near-misses come back, never hang.
    for text in ("最" * 100_000, "1 " * 50_000, "<script>" * 12_000, "加-" * 50_000, ""):
        hits = book.check(text)
        assert all(text[h.start : h.end] == h.words for h in hits)


# -- the file's own checks --------------------------------------------------------------------


RULE = """
[[rules]]
id = "{id}"
category = "{category}"
severity = "block"
phrases = ["最好"]
{extra}
hint = "说事实"
source = "广告法 第九条"
"""


def _tree(tmp_path: Path, body: str) -> Path:
    (tmp_path / "courses").mkdir()
    (tmp_path / "courses" / "compliance.toml").write_text('title = "T"\n' + body, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        (RULE.format(id="a", category="absolute_term", extra="patterns = ['(最好']"), 8, "not a valid RE2"),
        (RULE.format(id="a", category="absolute_term", extra="patterns = ['(?<=a)b']"), 8, "not a valid RE2"),
        (RULE.format(id="a", category="shouting", extra=""), 5, "unknown category 'shouting'"),
        (RULE.format(id="a", category="absolute_term", extra='exempt = ["第一次"]'), 8, "could never exempt"),
        (
            RULE.format(id="a", category="absolute_term", extra="")
            + RULE.format(id="a", category="absolute_term", extra=""),
            13,
            "rule id 'a' is used twice (first on line 4)",
        ),
        (
            RULE.format(id="a", category="absolute_term", extra="patterns = ['x*']"),
            8,
            "matches an empty text",
        ),
        (RULE.format(id="a", category="absolute_term", extra="colour = 1"), 8, "unknown key `colour`"),
    ],
)
def test_a_bad_rule_is_reported_by_line_and_nothing_is_loaded(
    tmp_path: Path, body: str, line: int, message: str
) -> None:
    tree, problems = check(_tree(tmp_path, body))
    found = [str(p) for p in problems]
    assert any(p.startswith(f"courses/compliance.toml:{line}:") and message in p for p in found), found


def test_a_good_file_reads(tmp_path: Path) -> None:
    body = (
        RULE.format(id="a", category="absolute_term", extra='exempt = ["最好不过"]')
        + '[rules.en]\nhint = "Facts"\n'
    )
    tree, problems = check(_tree(tmp_path, body))
    assert problems == [] and tree.rulebook is not None
    (rule,) = tree.rulebook.rules
    assert (rule.id, rule.hint_en, rule.exempt) == ("a", "Facts", ("最好不过",))


def test_the_shipped_file_is_exported_verbatim(tmp_path: Path) -> None:
    shutil.copy(PROJECT_ROOT / "courses" / "compliance.toml", tmp_path / "compliance.toml")
    problems = Problems()
    spec = read_rulebook(tmp_path / "compliance.toml", tmp_path, problems)
    assert spec is not None and spec.source_text == (PROJECT_ROOT / "courses" / "compliance.toml").read_text()


def test_prepared_text_maps_back() -> None:
    text = "ＨＥＬＬＯ，加　微－信！ the  best 3.5kg ß"
    prepared = prepare(text)
    assert prepared.compact == "hello加微信the best 3.5kg ss"
    assert prepared.span(0, len(prepared.compact)) == (0, len(text))


def test_the_separator_table_keeps_nothing_per_character() -> None:
    """Building the table of kept runs asks about all 65,536 BMP characters; none of those answers is
    kept (they held about 10 MB in every worker that graded), only those of characters texts use."""
    from lms.content.rulebook import text

    text._kept_runs.cache_clear()
    text.kind_of.cache_clear()
    text._kept_runs()
    assert text.kind_of.cache_info().currsize == 0
    assert prepare("亲，您好！Hello-world 3.5").compact == "亲您好hello world 3.5"
    assert text.kind_of.cache_info().currsize < 40
