"""Practice chats (陪练): reading `courses/<course>/scenarios/<slug>.toml` and checking the graph.

A scenario is a scripted, branching shopper (courses/README.md, "Practice chats"): a persona and a
mood, a start node, and nodes. A *turn node* has what the shopper says (one of several phrasings),
what the agent's reply should contain (key-point groups, as reply questions have them), the node's
own forbidden phrases, a model reply, a time target and `branches`: the first branch whose
condition the reply meets decides the next node. An *end node* (`end = "<outcome>"`) has the
shopper's last line and nothing else.

`read_scenario` checks one file on its own (keys, types, ids, the branch conditions); the graph is
checked there too: every node reachable from `start`, an end reachable from every node (else the
nodes loop without an exit), no branch that can never fire (after an unconditional one, a repeat
of an earlier condition, key-point conditions on a node without key points …). Rule ids named by
branches are checked against the rule book by `check_rule_ids`, once the whole tree is read.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from lms.content.english import SHAPES, read_english
from lms.content.problems import Problems, load_toml, read_text
from lms.content.questions.base import Reader
from lms.content.questions.reply import phrase_groups
from lms.content.specs import content_hash
from lms.content.tables import TableReader
from lms.content.toml_source import TomlSource
from lms.content.translations import note

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
NODE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
VERSION = re.compile(r"^(\d+)\.(\d+)$")
MOODS = ("calm", "friendly", "hesitant", "hurried", "suspicious", "annoyed", "angry")
#: How a chat can end (an end node's `end`).
OUTCOMES = ("order_placed", "left_happy", "left_unhappy", "complaint", "after_sales")
#: Branch conditions without an argument (`when = "…"`); `rule` and `says` take one.
CONDITIONS = ("met", "partly", "missed", "red_line", "warned", "discount", "question", "slow", "always")
KEY_POINT_CONDITIONS = ("met", "partly", "missed")
SCENARIO_KEYS = {
    "title",
    "summary",
    "version",
    "published",
    "persona",
    "mood",
    "start",
    "target_seconds",
    "max_turns",
    "nodes",
    "en",
}
NODE_KEYS = {
    "id",
    "shopper",
    "end",
    "key_points",
    "ordered",
    "forbidden",
    "model",
    "tip",
    "target_seconds",
    "branches",
    "en",
}
END_ONLY = {"id", "shopper", "end", "en"}
BRANCH_KEYS = {"when", "rule", "says", "next"}
DEFAULT_TARGET = 60
DEFAULT_MAX_TURNS = 10
MAX_NODES = 40


@dataclass(frozen=True)
class BranchSpec:
    """Which node follows when a reply meets a condition: `when`, a rule id, or phrases said."""

    next: str
    when: str = ""
    rule: str = ""
    says: tuple[str, ...] = ()
    line: int = field(default=0, hash=False, compare=False)

    @property
    def condition(self) -> tuple[str, str]:
        """The condition as one comparable pair (kind, argument)."""
        if self.rule:
            return ("rule", self.rule)
        if self.says:
            return ("says", "|".join(sorted(self.says)))
        return (self.when or "always", "")


@dataclass(frozen=True)
class NodeSpec:
    """A node: the shopper's line(s) and, for a turn node, what the reply is graded on and where it leads."""

    id: str
    shopper: tuple[str, ...]
    end: str = ""
    key_points: tuple[dict[str, Any], ...] = ()
    ordered: bool = False
    forbidden: tuple[dict[str, Any], ...] = ()
    model: str = ""
    tip: str = ""
    target_seconds: int = 0
    branches: tuple[BranchSpec, ...] = ()
    en: dict[str, Any] = field(default_factory=dict, hash=False, compare=True)
    line: int = field(default=0, hash=False, compare=False)

    @property
    def is_end(self) -> bool:
        return bool(self.end)


@dataclass(frozen=True)
class ScenarioSpec:
    """A practice chat as read from its file."""

    slug: str
    course: str
    title: str
    summary: str
    version: tuple[int, int]
    published: bool
    persona: str
    mood: str
    start: str
    target_seconds: int
    max_turns: int
    nodes: tuple[NodeSpec, ...]
    en: dict[str, Any] = field(default_factory=dict, hash=False, compare=True)
    path: str = field(default="", hash=False, compare=False)
    #: The file as written (stored with each version, exported back, edited by the browser form).
    source_text: str = field(default="", hash=False, compare=False, repr=False)

    @property
    def version_text(self) -> str:
        return f"{self.version[0]}.{self.version[1]}"

    def node(self, node_id: str) -> NodeSpec:
        return next(n for n in self.nodes if n.id == node_id)

    def as_json(self) -> dict[str, Any]:
        """The scenario as plain JSON types (what the database stores; lines left out)."""
        data = _plain(asdict(self))
        data.pop("path", None)
        data.pop("source_text", None)
        for node in data["nodes"]:
            node.pop("line", None)
            for branch in node["branches"]:
                branch.pop("line", None)
        return data

    @property
    def hash(self) -> str:
        return content_hash(self.as_json())


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def scenario_from_json(data: dict[str, Any]) -> ScenarioSpec:
    """A scenario back from its stored JSON (`as_json`)."""
    nodes = tuple(
        NodeSpec(
            id=n["id"],
            shopper=tuple(n["shopper"]),
            end=n.get("end", ""),
            key_points=tuple(n.get("key_points", ())),
            ordered=bool(n.get("ordered")),
            forbidden=tuple(n.get("forbidden", ())),
            model=n.get("model", ""),
            tip=n.get("tip", ""),
            target_seconds=int(n.get("target_seconds", 0)),
            branches=tuple(
                BranchSpec(
                    next=b["next"],
                    when=b.get("when", ""),
                    rule=b.get("rule", ""),
                    says=tuple(b.get("says", ())),
                )
                for b in n.get("branches", ())
            ),
            en=n.get("en", {}),
        )
        for n in data["nodes"]
    )
    return ScenarioSpec(
        slug=data["slug"],
        course=data["course"],
        title=data["title"],
        summary=data.get("summary", ""),
        version=(int(data["version"][0]), int(data["version"][1])),
        published=bool(data.get("published", True)),
        persona=data.get("persona", ""),
        mood=data.get("mood", "calm"),
        start=data["start"],
        target_seconds=int(data.get("target_seconds", DEFAULT_TARGET)),
        max_turns=int(data.get("max_turns", DEFAULT_MAX_TURNS)),
        nodes=nodes,
        en=data.get("en", {}),
    )


# -- reading ----------------------------------------------------------------------------------


def read_scenarios(course_dir: Path, root: Path, problems: Problems) -> list[tuple[ScenarioSpec, TomlSource]]:
    """Every `scenarios/*.toml` of a course folder and where its keys are (anything else is reported)."""
    folder = course_dir / "scenarios"
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        rel = path.relative_to(root).as_posix()
        if path.name.startswith("."):
            continue
        if path.suffix != ".toml" or not path.is_file():
            problems.add(rel, 1, "unknown file: a scenarios/ folder holds only <slug>.toml scenario files")
            continue
        text = read_text(path, rel, problems)
        scenario = read_scenario_text(text, rel, course_dir.name, path.stem, problems)
        if scenario is not None and text is not None:
            found.append((scenario, TomlSource(text)))
    return found


def read_scenario_text(
    text: str | None, rel: str, course: str, slug: str, problems: Problems
) -> ScenarioSpec | None:
    """One scenario file's text, checked on its own (also used by the browser form)."""
    if text is None:
        return None
    data = load_toml(text, rel, problems)
    if data is None:
        return None
    before = len(problems)
    source = TomlSource(text)
    top = TableReader(data, rel, problems, source)
    top.unknown_keys(SCENARIO_KEYS, "a scenario")
    if not SLUG.match(slug):
        problems.add(rel, 1, f"the file name {slug!r} is not a valid slug (a-z, 0-9 and dashes)")
    english = read_english(data, SHAPES["scenario"], top.report, "a scenario")
    note(problems, rel, ".", source.line("title"), data, english, SHAPES["scenario"])
    version = (1, 0)
    raw_version = data.get("version", "1.0")
    match = VERSION.match(raw_version) if isinstance(raw_version, str) else None
    if match:
        version = (int(match.group(1)), int(match.group(2)))
    else:
        top.report(f'`version` must be text like "1.0" (MAJOR.MINOR), is {raw_version!r}', "version")
    nodes: list[NodeSpec] = []
    seen: dict[str, int] = {}
    tables = top.tables("nodes", required=True)
    if len(tables) > MAX_NODES:
        top.report(f"a scenario has at most {MAX_NODES} nodes (has {len(tables)})", "nodes")
    for index, table in tables:
        node = _node(top.child(table, "nodes", index), rel, problems)
        if node.id in seen:
            top.report(
                f"node id {node.id!r} is used twice (first on line {seen[node.id]})", "nodes", index, "id"
            )
        seen.setdefault(node.id, node.line)
        nodes.append(node)
    scenario = ScenarioSpec(
        slug=slug,
        course=course,
        title=top.text("title", max_len=200),
        summary=top.text("summary", required=False, max_len=2000),
        version=version,
        published=top.boolean("published", True),
        persona=top.text("persona", max_len=2000),
        mood=top.choice("mood", MOODS, "calm"),
        start=top.text("start", max_len=40),
        target_seconds=top.integer("target_seconds", DEFAULT_TARGET, 5, 600),
        max_turns=top.integer("max_turns", DEFAULT_MAX_TURNS, 1, 20),
        nodes=tuple(nodes),
        en=english,
        path=rel,
        source_text=text,
    )
    if nodes and len(problems) == before:
        _check_graph(scenario, top)
    return scenario if len(problems) == before else None


def _node(reader: TableReader, rel: str, problems: Problems) -> NodeSpec:
    table = reader.table
    end = table.get("end")
    reader.unknown_keys(
        END_ONLY if end is not None else NODE_KEYS, "an end node" if end is not None else "a node"
    )
    node_id = reader.text("id", max_len=40)
    if node_id and not NODE_ID.match(node_id):
        reader.report(f"node `id` must be a-z, 0-9 and dashes, at most 40 (is {node_id!r})", "id")
    shopper = reader.strings("shopper", required=True, unique=True)
    if "shopper" in table and not 1 <= len(shopper) <= 5:
        reader.report(
            f"give 1–5 `shopper` phrasings (one is chosen at random), not {len(shopper)}", "shopper"
        )
    for index, line in enumerate(shopper):
        if len(line) > 500:
            reader.report(f"shopper line {index + 1} is longer than 500 characters", "shopper", index)
    english = read_english(table, SHAPES["scenario_node"], reader.report, "a node")
    note(problems, rel, f"nodes.{node_id}", reader.line(), table, english, SHAPES["scenario_node"])
    if end is not None:
        return NodeSpec(
            id=node_id,
            shopper=shopper,
            end=reader.choice("end", OUTCOMES, OUTCOMES[0]),
            en=english,
            line=reader.line(),
        )
    read = Reader(table, reader.report)
    key_points = phrase_groups(read, "key_points", "points", False) if "key_points" in table else []
    if isinstance(table.get("key_points"), list) and not key_points:
        reader.report("`key_points` is empty: give at least one group or leave it out", "key_points")
    forbidden = phrase_groups(read, "forbidden", "penalty", False) if "forbidden" in table else []
    ordered = reader.boolean("ordered", False)
    if ordered and len(key_points) < 2:
        reader.report("`ordered = true` needs at least two key-point groups", "ordered")
    branches = [_branch(reader.child(b, "branches", i)) for i, b in reader.tables("branches", required=True)]
    if "branches" in table and not branches:
        reader.report('a turn node needs at least one branch (or `end = "…"` to end the chat)', "branches")
    return NodeSpec(
        id=node_id,
        shopper=shopper,
        key_points=tuple(key_points),
        ordered=ordered,
        forbidden=tuple(forbidden),
        model=reader.text("model", required=False, max_len=2000),
        tip=reader.text("tip", required=False, max_len=2000),
        target_seconds=reader.integer("target_seconds", 0, 5, 600),
        branches=tuple(branches),
        en=english,
        line=reader.line(),
    )


def _branch(reader: TableReader) -> BranchSpec:
    reader.unknown_keys(BRANCH_KEYS, "a branch")
    given = [key for key in ("when", "rule", "says") if key in reader.table]
    if len(given) > 1:
        reader.report(
            f"a branch has one condition: `when`, `rule` or `says` (this one has {', '.join(given)})"
        )
    when = reader.choice("when", CONDITIONS, "always") if "when" in reader.table else ""
    rule = reader.text("rule", max_len=80) if "rule" in reader.table else ""
    says = reader.strings("says", required=False, unique=True)
    if "says" in reader.table and not says:
        reader.report("`says` needs at least one phrase", "says")
    return BranchSpec(
        next=reader.text("next", max_len=40), when=when, rule=rule, says=says, line=reader.line()
    )


# -- the graph ----------------------------------------------------------------------------------


def _check_graph(scenario: ScenarioSpec, top: TableReader) -> None:
    by_id = {node.id: node for node in scenario.nodes}
    path = top.path

    def report(line: int, message: str) -> None:
        top.problems.add(path, line or 1, message)

    if scenario.start not in by_id:
        report(top.line("start"), f"`start` names no node: {scenario.start!r}")
        return
    if by_id[scenario.start].is_end:
        report(top.line("start"), "the chat cannot start on an end node")
    if not any(node.is_end for node in scenario.nodes):
        report(
            top.line("nodes"), 'the scenario has no end node (`end = "order_placed"` …): every chat must end'
        )
        return
    before = len(top.problems)
    for node in scenario.nodes:
        if not node.is_end:
            _check_branches(node, by_id, report)
    if len(top.problems) > before:
        return
    reachable = _reachable(scenario.start, by_id)
    for node in scenario.nodes:
        if node.id not in reachable:
            report(node.line, f"node {node.id!r} is unreachable: no branch from `start` leads to it")
    ending = _reaching_an_end(by_id)
    stuck = [n for n in scenario.nodes if n.id in reachable and n.id not in ending]
    if stuck:
        names = ", ".join(repr(n.id) for n in stuck)
        report(stuck[0].line, f"nodes {names} loop without an exit: no end node can be reached from them")
        return
    shortest = _shortest_turns(scenario.start, by_id)
    if shortest > scenario.max_turns:
        report(
            top.line("max_turns") if "max_turns" in top.table else top.line("start"),
            f"the shortest chat takes {shortest} turns but `max_turns` is {scenario.max_turns}",
        )


def _check_branches(node: NodeSpec, by_id: dict[str, NodeSpec], report: Any) -> None:
    seen: set[tuple[str, str]] = set()
    unconditional = False
    for branch in node.branches:
        kind, _ = branch.condition
        if branch.next not in by_id:
            report(branch.line, f"branch of node {node.id!r} leads to unknown node {branch.next!r}")
        if branch.next == node.id and kind == "always":
            report(
                branch.line,
                f"the fallback branch of node {node.id!r} leads back to itself: the chat could never end",
            )
        if unconditional:
            report(branch.line, f"branch of node {node.id!r} can never fire: an earlier branch always fires")
        elif branch.condition in seen:
            report(
                branch.line,
                f"branch of node {node.id!r} can never fire: an earlier branch has the same condition",
            )
        elif kind in KEY_POINT_CONDITIONS and not node.key_points:
            report(
                branch.line, f'branch `when = "{kind}"` can never fire: node {node.id!r} has no key points'
            )
        elif kind == "partly" and len(node.key_points) < 2:
            report(
                branch.line,
                f'branch `when = "partly"` can never fire: node {node.id!r} has one key-point group',
            )
        elif kind == "missed" and ("met", "") in seen and ("partly", "") in seen:
            report(
                branch.line,
                'branch `when = "missed"` fires anyway: `met` and `partly` are taken above (use `always`)',
            )
        seen.add(branch.condition)
        unconditional = unconditional or kind == "always"
    if not unconditional:
        line = node.branches[-1].line if node.branches else node.line
        report(line, f'node {node.id!r} needs a last branch `when = "always"`: some reply must lead on')


def _edges(node: NodeSpec) -> Iterable[str]:
    return (b.next for b in node.branches)


def _reachable(start: str, by_id: dict[str, NodeSpec]) -> set[str]:
    seen = {start}
    queue = deque([start])
    while queue:
        for nxt in _edges(by_id[queue.popleft()]):
            if nxt in by_id and nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def _reaching_an_end(by_id: dict[str, NodeSpec]) -> set[str]:
    ending = {node_id for node_id, node in by_id.items() if node.is_end}
    changed = True
    while changed:
        changed = False
        for node_id, node in by_id.items():
            if node_id not in ending and any(nxt in ending for nxt in _edges(node)):
                ending.add(node_id)
                changed = True
    return ending


def _shortest_turns(start: str, by_id: dict[str, NodeSpec]) -> int:
    """The fewest replies from `start` to an end node."""
    depth = {start: 0}
    queue = deque([start])
    while queue:
        current = queue.popleft()
        if by_id[current].is_end:
            return depth[current]
        for nxt in _edges(by_id[current]):
            if nxt in by_id and nxt not in depth:
                depth[nxt] = depth[current] + 1
                queue.append(nxt)
    return 0


# -- across files ---------------------------------------------------------------------------------


def check_rule_ids(scenarios: Iterable[ScenarioSpec], rules: dict[str, Any], problems: Problems) -> None:
    """Every `rule = "…"` of a branch must name a rule of the rule book and be able to fire.

    `rules` maps rule id → the rule (its `severity` and `category`). A `rule` branch after a
    `red_line` branch cannot fire for a block rule, after `warned` for a warn rule, after
    `discount` for a rule of the unauthorised_discount category.
    """
    for scenario in scenarios:
        for node in scenario.nodes:
            taken: set[str] = set()
            for branch in node.branches:
                rule = rules.get(branch.rule) if branch.rule else None
                if branch.rule and rule is None:
                    problems.add(
                        scenario.path,
                        branch.line,
                        f"unknown rule id {branch.rule!r}: not in courses/compliance.toml",
                    )
                elif rule is not None:
                    covered = ("red_line" if rule.severity == "block" else "warned") in taken or (
                        rule.category == "unauthorised_discount" and "discount" in taken
                    )
                    if covered:
                        problems.add(
                            scenario.path,
                            branch.line,
                            f"branch `rule = {branch.rule!r}` can never fire: an earlier branch catches every hit of it",
                        )
                taken.add(branch.when)
