"""Key points: a negation does not earn them, and an order can be asked for."""

from __future__ import annotations

import pytest

from lms.content.rulebook import contains, find_phrase, match_key_points


@pytest.mark.parametrize(
    ("text", "phrase", "counts"),
    [
        # Chinese
        ("亲，可以退的", "可以", True),
        ("亲，不可以退哦", "可以", False),
        ("不是今天发", "今天", False),
        ("今天发不了", "今天发", False),
        ("没有现货", "有现货", False),
        ("不能保证今天到", "今天到", False),
        ("还没发货可以改的", "可以", True),  # 没 negates 发货, not 可以
        ("七天无理由退货", "退货", True),
        ("不仅包邮还送礼盒", "包邮", True),
        ("能不能今天发？可以的", "今天发", True),
        ("别担心可以退", "可以退", True),
        ("没问题，可以", "可以", True),
        ("不可以，但是可以换", "可以换", True),
        ("快递时效我没法保证", "没法保证", True),  # the key point is itself the negated form
        # English
        ("Yes, you can return it", "return", True),
        ("We cannot ship today", "ship today", False),
        ("we can't ship today", "ship today", False),
        ("It does not ship today", "ship today", False),
        ("No problem, we ship today", "ship today", True),
        ("not only free shipping", "free shipping", True),
        ("I can't guarantee it", "can't guarantee", True),
    ],
)
def test_negation(text: str, phrase: str, counts: bool) -> None:
    assert contains(text, phrase) is counts


def test_per_language_the_negated_form_does_not_earn_the_point() -> None:
    zh = match_key_points("不可以", [["可以"]])[0]
    assert not zh.met and zh.negated
    en = match_key_points("you can not return it", [["return"]])[0]
    assert not en.met and en.negated
    assert match_key_points("可以", [["可以"]])[0].met
    assert match_key_points("you can return it", [["return"]])[0].met


def test_order_when_asked() -> None:
    groups = [["您好", "亲"], ["16点"]]
    assert [k.met for k in match_key_points("亲，16点前付款今天发", groups, ordered=True)] == [True, True]
    late = match_key_points("16点前付款今天发，亲", groups, ordered=True)
    assert [k.met for k in late] == [True, False] and late[1].out_of_order
    assert [k.met for k in match_key_points("16点前付款今天发，亲", groups)] == [True, True]


def test_positions_are_where_the_words_were_typed() -> None:
    text = "亲～１６点 前付款"
    (found,) = find_phrase(text, "16点")
    assert text[found.start : found.end] == "１６点"


def test_latin_phrases_start_words() -> None:
    assert not contains("honestbest", "best")
    assert contains("returns accepted", "return")
