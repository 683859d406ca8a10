"""Practice-chat scenario files: read, and the graph checked (path:line for every problem)."""

from __future__ import annotations

import shutil
from pathlib import Path

from lms.content.loader import check
from lms.content.problems import Problems
from lms.content.scenarios import read_scenario_text

REPO = Path(__file__).resolve().parents[2]
PATH = "courses/value-talk/scenarios/mini.toml"

SMALL = """\
title = "别家更便宜"
persona = "上班族"
mood = "suspicious"
start = "price"

[[nodes]]
id = "price"
shopper = ["别家才卖199", "别家199就能买"]
key_points = [
  { points = 2, phrases = ["头层牛皮"] },
  { points = 1, phrases = ["链接"] },
]
branches = [
  { when = "discount", next = "lost" },
  { when = "met", next = "bought" },
  { when = "always", next = "again" },
]

[[nodes]]
id = "again"
shopper = ["到底凭什么贵？"]
branches = [
  { rule = "absolute-lowest-price", next = "lost" },
  { says = ["一年保修"], next = "bought" },
  { when = "always", next = "lost" },
]

[[nodes]]
id = "bought"
end = "order_placed"
shopper = ["好，我拍了。"]

[[nodes]]
id = "lost"
end = "left_unhappy"
shopper = ["算了。"]
"""


def read(text: str) -> tuple[object, list[str]]:
    problems = Problems()
    scenario = read_scenario_text(text, PATH, "value-talk", "mini", problems)
    return scenario, [str(p) for p in problems.sorted()]


def test_a_small_scenario_reads_into_nodes_and_branches() -> None:
    scenario, problems = read(SMALL)
    assert problems == []
    assert scenario is not None
    assert [n.id for n in scenario.nodes] == ["price", "again", "bought", "lost"]  # type: ignore[attr-defined]
    price = scenario.node("price")  # type: ignore[attr-defined]
    assert price.shopper == ("别家才卖199", "别家199就能买")
    assert [b.condition for b in price.branches] == [("discount", ""), ("met", ""), ("always", "")]
    again = scenario.node("again")  # type: ignore[attr-defined]
    assert again.branches[1].says == ("一年保修",)
    assert scenario.node("bought").is_end  # type: ignore[attr-defined]


def test_an_unreachable_node_is_refused_at_its_line() -> None:
    text = SMALL + '\n[[nodes]]\nid = "orphan"\nend = "complaint"\nshopper = ["投诉你"]\n'
    _, problems = read(text)
    assert problems == [f"{PATH}:38: node 'orphan' is unreachable: no branch from `start` leads to it"]


def test_a_loop_without_an_exit_is_refused() -> None:
    text = SMALL.replace('{ when = "always", next = "lost" },', '{ when = "always", next = "loop" },') + (
        '\n[[nodes]]\nid = "loop"\nshopper = ["嗯？"]\nbranches = [{ when = "always", next = "again" }]\n'
    )
    text = text.replace('{ rule = "absolute-lowest-price", next = "lost" },', "")
    text = text.replace(
        '{ says = ["一年保修"], next = "bought" },', '{ says = ["一年保修"], next = "again" },'
    )
    _, problems = read(text)
    assert len(problems) == 1
    assert "nodes 'again', 'loop' loop without an exit" in problems[0]
    assert problems[0].startswith(f"{PATH}:19:")


def test_branches_that_cannot_fire() -> None:
    after_always = SMALL.replace(
        '  { when = "always", next = "again" },\n]',
        '  { when = "always", next = "again" },\n  { when = "missed", next = "lost" },\n]',
    )
    _, problems = read(after_always)
    assert problems == [f"{PATH}:17: branch of node 'price' can never fire: an earlier branch always fires"]
    repeated = SMALL.replace('{ when = "met", next = "bought" },', '{ when = "discount", next = "bought" },')
    _, problems = read(repeated)
    assert problems == [
        f"{PATH}:15: branch of node 'price' can never fire: an earlier branch has the same condition"
    ]
    no_points = SMALL.replace(
        '{ says = ["一年保修"], next = "bought" },', '{ when = "met", next = "bought" },'
    )
    _, problems = read(no_points)
    assert problems == [f"{PATH}:24: branch `when = \"met\"` can never fire: node 'again' has no key points"]


def test_every_turn_node_needs_a_fallback_and_known_targets() -> None:
    text = SMALL.replace('  { when = "always", next = "again" },\n', "").replace(
        '{ when = "met", next = "bought" },', '{ when = "met", next = "nowhere" },'
    )
    _, problems = read(text)
    assert f"{PATH}:15: branch of node 'price' leads to unknown node 'nowhere'" in problems
    assert any('needs a last branch `when = "always"`' in p for p in problems)


def test_keys_and_values_are_checked_with_their_lines() -> None:
    text = SMALL.replace('mood = "suspicious"', 'mood = "furious"\ncolour = "red"').replace(
        'end = "order_placed"', 'end = "sold"'
    )
    _, problems = read(text)
    assert (
        f"{PATH}:3: `mood` must be one of calm, friendly, hesitant, hurried, suspicious, annoyed, angry (is 'furious')"
        in problems
    )
    assert f"{PATH}:4: unknown key `colour` in a scenario" in problems
    assert any("`end` must be one of" in p for p in problems)


def _tree(tmp_path: Path, scenario: str) -> Path:
    (tmp_path / "courses" / "value-talk" / "scenarios").mkdir(parents=True)
    shutil.copy(REPO / "courses" / "compliance.toml", tmp_path / "courses" / "compliance.toml")
    (tmp_path / "courses" / "value-talk" / "course.toml").write_text(
        'title = "价值"\nversion = "1.0"\n[[lessons]]\nfile = "01-a.md"\ntitle = "一"\nminutes = 5\n',
        encoding="utf-8",
    )
    (tmp_path / "courses" / "value-talk" / "01-a.md").write_text("# 一\n", encoding="utf-8")
    (tmp_path / PATH).write_text(scenario, encoding="utf-8")
    return tmp_path


def test_unknown_rule_ids_and_red_line_model_replies_fail_content_check(tmp_path: Path) -> None:
    text = SMALL.replace('rule = "absolute-lowest-price"', 'rule = "no-such-rule"').replace(
        'shopper = ["别家才卖199", "别家199就能买"]',
        'shopper = ["别家才卖199", "别家199就能买"]\nmodel = "亲，我们这款全网最便宜。"',
    )
    tree, problems = check(_tree(tmp_path, text))
    messages = [str(p) for p in problems]
    assert f"{PATH}:24: unknown rule id 'no-such-rule': not in courses/compliance.toml" in messages
    assert not any("model reply" in m for m in messages)  # nothing is rule-checked while other problems stand
    _, problems = check(_tree(tmp_path / "again", text.replace("no-such-rule", "absolute-lowest-price")))
    messages = [str(p) for p in problems]
    assert any(m.startswith(f"{PATH}:9:") and "最便宜" in m for m in messages), messages


def test_a_rule_branch_after_red_line_cannot_fire(tmp_path: Path) -> None:
    text = SMALL.replace(
        '{ rule = "absolute-lowest-price", next = "lost" },',
        '{ when = "red_line", next = "lost" },\n  { rule = "absolute-lowest-price", next = "lost" },',
    )
    _, problems = check(_tree(tmp_path, text))
    messages = [str(p) for p in problems]
    assert messages == [
        f"{PATH}:24: branch `rule = 'absolute-lowest-price'` can never fire: an earlier branch catches every hit of it"
    ]


def test_the_shipped_cheaper_elsewhere_scenario_is_clean() -> None:
    tree, problems = check(REPO)
    assert [str(p) for p in problems] == []
    scenario = tree.scenarios["cheaper-elsewhere"]
    assert scenario.course == "value-talk"
    assert 4 <= len([n for n in scenario.nodes if not n.is_end]) <= 10
