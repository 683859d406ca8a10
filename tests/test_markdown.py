"""The Markdown entry point: extensions on, anything dangerous off."""

from __future__ import annotations

import pytest

from lms.markdown import render_inline, render_markdown


def test_tables_admonitions_and_code_render() -> None:
    html = render_markdown(
        "| state | meaning |\n|---|---|\n| 买家已付款 | paid |\n\n"
        '!!! warning "Never argue"\n    A quarrel is a firing offence.\n\n'
        "```\ncode here\n```\n"
    )
    assert "<table>" in html and "<td>买家已付款</td>" in html
    assert 'class="admonition warning"' in html and "Never argue" in html
    assert "<pre><code>code here" in html


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        '<iframe src="https://evil.example"></iframe>',
        '<p style="background:url(x)" onclick="steal()">hi</p>',
        '<svg onload="alert(1)"></svg>',
        '<div class="admonition" data-x="1">ok</div>',
    ],
)
def test_hostile_input_never_reaches_the_page(hostile: str) -> None:
    html = str(render_markdown(hostile)).lower()
    for bad in ("<script", "onerror", "onclick", "onload", "javascript:", "<iframe", "style=", "<svg"):
        assert bad not in html


def test_relative_images_point_into_the_course() -> None:
    html = render_markdown(
        "![backpack](images/bp.jpg) ![abs](https://cdn.example/x.png)",
        image_base="/learn/courses/warehouse-week/files",
    )
    assert 'src="/learn/courses/warehouse-week/files/images/bp.jpg"' in html
    assert 'src="https://cdn.example/x.png"' in html


def test_inline_rendering_has_no_paragraph() -> None:
    assert str(render_inline("**72** hours")) == "<strong>72</strong> hours"


def test_the_title_line_can_be_dropped() -> None:
    html = str(render_markdown("# Leather\n\nFull-grain.", drop_title=True))
    assert "<h1>" not in html and "Full-grain." in html
    assert "<h1>Leather</h1>" in str(render_markdown("# Leather\n\nFull-grain."))


def test_a_chat_block_becomes_a_chat_exchange() -> None:
    html = str(
        render_markdown(
            '!!! chat "在岗应答"\n    顾客：有灰色的吗？\n\n    客服：亲，我帮您查一下，稍等30秒哦。\n\n'
            '!!! chat "At the desk"\n    Shopper: Any grey ones?\n\n    Agent: Let me check.\n\n'
            '!!! chat "反面示例"\n    错误示范：爱买不买。\n'
        )
    )
    assert '<div class="admonition chat">' in html
    assert '<p class="chat-line chat-shopper"><span class="chat-who">顾客</span>有灰色的吗？</p>' in html
    assert (
        '<p class="chat-line chat-agent"><span class="chat-who">客服</span>亲，我帮您查一下，稍等30秒哦。</p>'
        in html
    )
    assert '<p class="chat-line chat-shopper"><span class="chat-who">Shopper</span>Any grey ones?</p>' in html
    assert '<p class="chat-line chat-wrong"><span class="chat-who">错误示范</span>爱买不买。</p>' in html


def test_a_chat_block_is_sanitised_and_other_admonitions_are_untouched() -> None:
    html = str(
        render_markdown(
            '!!! chat "x"\n    客服：<script>alert(1)</script><b onclick="x()" style="color:red">好</b>\n\n'
            '!!! tip "提示"\n    顾客：这不是聊天块。\n'
        )
    )
    assert "<script" not in html and "onclick" not in html and "style=" not in html
    assert '<p class="chat-line chat-agent"><span class="chat-who">客服</span><b>好</b></p>' in html
    assert "<p>顾客：这不是聊天块。</p>" in html


def test_every_table_scrolls_in_its_own_box() -> None:
    html = str(
        render_markdown(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\ntext\n\n<table border=1><tr><td>raw</td></tr></table>\n"
        )
    )
    assert html.count('<div class="table-wrap"><table>') == 2 and html.count("</table></div>") == 2
    # An author cannot borrow the class for anything else.
    assert 'class="table-wrap"' not in str(render_markdown('<div class="table-wrap">x</div>'))
