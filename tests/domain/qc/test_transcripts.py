"""Reading pasted transcripts: forms, roles, rule-book hits by line, response times, the pre-filled items."""

from __future__ import annotations

from pathlib import Path

import pytest

from lms.config import PROJECT_ROOT
from lms.content.problems import Problems
from lms.content.rulebook import RuleBook, compiled, read_rulebook
from lms.domain.qc.transcripts import (
    TRANSCRIPT_MAX,
    TranscriptError,
    check_readable,
    mojibake_reason,
    review_transcript,
)

QIANNIU = (Path(__file__).parents[2] / "data" / "qianniu-transcript.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def book() -> RuleBook:
    spec = read_rulebook(PROJECT_ROOT / "courses" / "compliance.toml", PROJECT_ROOT, Problems())
    assert spec is not None
    return compiled(spec)


def test_a_qianniu_export(book: RuleBook) -> None:
    review = review_transcript(QIANNIU, book, 1)
    assert review.form == "qianniu" and review.timed and len(QIANNIU.splitlines()) == 30
    assert [t.role for t in review.turns[:3]] == ["shopper", "agent", "agent"]
    assert review.turns[1].auto and review.turns[0].line == 2
    assert [(h.line, h.hit.words, h.hit.rule.id) for h in review.hits] == [(14, "最好", "absolute-best")]
    assert [(r.shopper_line, r.agent_line, r.seconds) for r in review.responses] == [
        (2, 6, 15.0),  # the auto-reply does not count as the first response
        (8, 10, 15.0),
        (12, 14, 45.0),
        (16, 18, 12.0),
        (20, 22, 11.0),
        (24, 26, 8.0),
    ]
    assert [r.agent_line for r in review.slow] == [14]
    first, platform = review.prefill["first-reply"], review.prefill["platform-rule"]
    assert first.outcome == "pass" and "L14 (45 s)" in first.note and "First response 15 s (L6)" in first.note
    assert (
        platform.outcome == "fail" and "L14 “最好” (absolute-best)" in platform.note and "v1" in platform.note
    )


@pytest.mark.parametrize(
    ("text", "form", "roles", "seconds"),
    [
        (
            "2026/11/03 14:02:11 tb_buyer\n在吗\n2026/11/03 14:02:30 行者旗舰店:小美\n亲，在的",
            "qianniu",
            ["shopper", "agent"],
            [19.0],
        ),
        (
            "tb_buyer(2026-11-03 14:02:11): 在吗\n客服小美(2026-11-03 14:02:50): 亲，在的",
            "qianniu",
            ["shopper", "agent"],
            [39.0],
        ),
        ("[14:02:11] 顾客: 在吗\n[14:02:25] 客服: 亲，在的", "inline", ["shopper", "agent"], [14.0]),
        ("2026-11-03 23:59:50\tbuyer\t在吗\n00:00:10\t店:客服\t在的", "inline", ["shopper", "agent"], [20.0]),
        ("顾客：在吗\n客服：亲，在的\n顾客：好", "plain", ["shopper", "agent", "shopper"], []),
        ("Shopper: hi\nAgent: hello", "plain", ["shopper", "agent"], []),
        ("小王: 在吗\n小李: 在的", "plain", ["shopper", "agent"], []),
    ],
)
def test_the_common_forms(
    book: RuleBook, text: str, form: str, roles: list[str], seconds: list[float]
) -> None:
    review = review_transcript(text, book, 1)
    assert review.form == form
    assert [t.role for t in review.turns] == roles
    assert [r.seconds for r in review.responses] == seconds


def test_untimed_lines_are_still_checked_and_the_note_says_why_no_times(book: RuleBook) -> None:
    review = review_transcript("顾客：能便宜吗\n客服：加我微信，私下便宜", book, 2)
    assert {h.hit.rule.id for h in review.hits} >= {"off-platform-wechat", "discount-private"}
    assert "first-reply" not in review.prefill
    assert (
        review.prefill["platform-rule"].outcome == "fail" and review.prefill["value-talk"].outcome == "fail"
    )
    assert any("no times" in note for note in review.notes)


def test_an_unknown_form_is_kept_as_text(book: RuleBook) -> None:
    review = review_transcript("today the buyer asked about sizes\nwe said it is the best\n", book, 2)
    assert review.form == "unknown" and review.turns == []
    assert [(h.line, h.hit.words) for h in review.hits] == [(2, "the best")]
    assert any("times could not be read" in note for note in review.notes)


def test_rude_wording_fails_the_no_argument_item(book: RuleBook) -> None:
    review = review_transcript("顾客：怎么还没到\n客服：不是我们的问题，你去问快递", book, 1)
    assert review.prefill["no-argument"].outcome == "fail"
    assert "L2" in review.prefill["no-argument"].note


def test_without_a_rule_book_only_times_are_read() -> None:
    review = review_transcript(QIANNIU, None)
    assert review.hits == [] and "platform-rule" not in review.prefill and "first-reply" in review.prefill


def test_too_long_or_mojibake_is_refused_with_a_clear_message() -> None:
    with pytest.raises(TranscriptError) as err:
        check_readable("客服：亲\n" * (TRANSCRIPT_MAX // 5 + 1))
    assert err.value.field == "transcript" and "Nothing was saved" in str(err.value)
    gbk_as_latin = "你好，请问这个包能放电脑吗".encode("gbk").decode("latin-1")
    utf8_as_gbk = "你好，我想问一下这个包能放电脑吗".encode().decode("gbk", errors="ignore")
    for garbled in (gbk_as_latin, utf8_as_gbk, "顾客：��？", "锟斤拷锟斤拷"):
        with pytest.raises(TranscriptError):
            check_readable(garbled)
    for fine in (QIANNIU, "Café crème", "客服：亲，在的！这款是头层牛皮。"):
        assert mojibake_reason(fine) is None
