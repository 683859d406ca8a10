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


def test_every_table_scrolls_in_its_own_box() -> None:
    html = str(
        render_markdown(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\ntext\n\n<table border=1><tr><td>raw</td></tr></table>\n"
        )
    )
    assert html.count('<div class="table-wrap"><table>') == 2 and html.count("</table></div>") == 2
    # An author cannot borrow the class for anything else.
    assert 'class="table-wrap"' not in str(render_markdown('<div class="table-wrap">x</div>'))
