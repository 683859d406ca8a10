"""Which lesson lines are sendable: `客服：` lines in chat blocks, and the older "At the desk" quotes."""

from __future__ import annotations

from lms.config import PROJECT_ROOT
from lms.content.problems import Problems
from lms.content.rulebook import compiled, read_rulebook
from lms.content.rulebook.sendable import check_lines, lesson_lines

LESSON = """# 尺寸与电脑仓

正文里可以写“最好”的反例：不要说“最好的包”。

!!! chat "在岗应答"
    顾客：我的电脑是15.6寸的联想，能放进你们的公文包吗？这是最好的包吗？

    客服：亲，我们的公文包最大放14寸的电脑，15.6寸放不进去哦。

    客服：239元那款电脑双肩包有加厚的15.6寸电脑仓，质量最好，我把链接发您看看？

!!! chat "反面示例"
    顾客：能便宜点吗？

    错误示范：加我微信，给你便宜

!!! tip "注意"
    客服：这一行不在 chat 块里，不算。

## At the desk

> 这个包防水吗？ (Is it waterproof?)

"亲，这款是防泼水尼龙，小雨没问题。" Wrong: "全网最好的包". A shopper asks "有最便宜的吗？"
"""


def test_only_agent_lines_of_chat_blocks_and_greeting_quotes_are_read() -> None:
    lines = lesson_lines("courses/x/01-a.md", LESSON)
    assert [(line.line, line.text) for line in lines] == [
        (8, "亲，我们的公文包最大放14寸的电脑，15.6寸放不进去哦。"),
        (10, "239元那款电脑双肩包有加厚的15.6寸电脑仓，质量最好，我把链接发您看看？"),
        (24, "亲，这款是防泼水尼龙，小雨没问题。"),
    ]


def test_block_hits_are_reported_at_their_line() -> None:
    spec = read_rulebook(PROJECT_ROOT / "courses" / "compliance.toml", PROJECT_ROOT, Problems())
    assert spec is not None
    found = check_lines(compiled(spec), lesson_lines("courses/x/01-a.md", LESSON))
    assert [(p.path, p.line) for p in found] == [("courses/x/01-a.md", 10)]
    assert "“最好”" in found[0].message and "absolute-best" in found[0].message
