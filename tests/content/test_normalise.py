"""Short-answer normalisation: case, width, spaces and Chinese/Western punctuation alike."""

from __future__ import annotations

import pytest

from lms.content.normalise import contains_phrase, normalise, same_answer


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("72 Hours", "72 hours"),
        ("７２ ｈｏｕｒｓ", "72 hours"),  # full-width letters and digits
        ("72，hours。", "72, hours."),  # Chinese comma and full stop
        ("好！", "好!"),
        ("真的？", "真的?"),
        ("注意：七天", "注意:七天"),
        ("一；二", "一;二"),
        ("（顺丰）", "(顺丰)"),
        ("“最好”", '"最好"'),
        ("‘ok’", "'ok'"),
        ("72 小时", "72小时"),  # no spaces next to Chinese characters
        (" 三 天 ", "三天"),
        ("no   one", "no one"),
        ("no one\t", "No One"),
        ("Nazareth.", "nazareth"),
        ("Straße", "STRASSE"),
        ("SF Express, 12 yuan", "sf express,12 yuan"),  # no space after punctuation either
    ],
)
def test_alike(a: str, b: str) -> None:
    assert normalise(a) == normalise(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("3.5", "35"),  # inner punctuation decides
        ("-5", "5"),
        ("no one", "noone"),  # a space between two words decides
        ("72 hours", "72 hour"),
        ("头层牛皮", "二层牛皮"),
    ],
)
def test_different(a: str, b: str) -> None:
    assert normalise(a) != normalise(b)


def test_punctuation_only_is_kept_rather_than_emptied() -> None:
    assert normalise("?") == "?" and normalise("   ") == ""


def test_same_answer_needs_something_typed() -> None:
    assert same_answer(" 72小时 ", "72 小时") and not same_answer("", "") and not same_answer(" ", "72")


@pytest.mark.parametrize(
    ("reply", "phrase", "found"),
    [
        ("亲，这款是头层牛皮的哦", "头层牛皮", True),
        ("This is FULL-GRAIN leather.", "full-grain", True),
        ("加WeChat吧", "wechat", True),  # a Latin phrase may follow a Chinese character
        ("Free returns within 7 days", "return", True),  # and may end inside a word
        ("We are honestbest", "best", False),  # but must start one
        ("the best price", "best", True),
        ("全网最好", "最好", True),
        ("保修一年", "warranty", False),
        ("anything", "，。", False),  # a phrase of punctuation only matches nothing
    ],
)
def test_contains_phrase(reply: str, phrase: str, found: bool) -> None:
    assert contains_phrase(reply, phrase) is found
