"""Authoring a practice chat in the browser: a small form becomes a scenario file, checked like one.

The form's fields (title, persona, mood, and up to MAX_FORM_NODES nodes with their shopper lines,
key points, model reply and branch lines such as ``met -> bought``) are written out as the TOML
of courses/README.md and read back by the same reader and checker as the files: whatever a file
may not hold, the form may not either, and the problems come back with their line in that text.
A browser scenario starts as a draft (unpublished): the trainer plays it as a learner (a preview
run, counted nowhere), then publishes it; each save is a new immutable version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import tomli_w
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.content.problems import Problems
from lms.content.rulebook import RuleBook
from lms.content.scenarios import CONDITIONS, SLUG, ScenarioSpec, check_rule_ids, read_scenario_text
from lms.domain import audit
from lms.domain.curriculum.rulebook import current_book
from lms.domain.curriculum.scenarios import add_version, by_slug
from lms.domain.errors import N_, Conflict, DomainError
from lms.models import Course, Role, Scenario, User

MAX_FORM_NODES = 8
#: The longest scenario file the text editor takes (the shipped ones are about 16,000 characters).
MAX_SOURCE = 100_000
EDITORS = (Role.TRAINER, Role.ADMIN)
_BRANCH = re.compile(r"^\s*([a-z_]+)(?::\s*(.+?))?\s*(?:->|→)\s*([a-z0-9-]+)\s*$")


@dataclass
class NodeForm:
    """One node as typed in the form."""

    id: str = ""
    end: str = ""
    shopper: str = ""
    key_points: str = ""
    model: str = ""
    branches: str = ""


@dataclass
class ScenarioForm:
    """The whole form."""

    slug: str = ""
    course: str = ""
    title: str = ""
    persona: str = ""
    mood: str = "calm"
    target_seconds: int = 60
    nodes: list[NodeForm] = field(default_factory=list)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\r", "").split("\n") if line.strip()]


def _branch(line: str) -> dict[str, Any]:
    """`met -> bought`, `rule: absolute-lowest-price -> lost`, `says: 一年保修 / 保修 -> bought`."""
    match = _BRANCH.match(line)
    if not match:
        return {"when": line.strip(), "next": ""}  # the checker names what is wrong
    kind, argument, target = match.groups()
    if kind == "rule":
        return {"rule": (argument or "").strip(), "next": target}
    if kind == "says":
        return {"says": [p.strip() for p in (argument or "").split("/") if p.strip()], "next": target}
    return {"when": kind, "next": target}


def form_to_toml(form: ScenarioForm) -> str:
    """The scenario file the form describes."""
    nodes = []
    for node in form.nodes:
        if not node.id.strip():
            continue
        item: dict[str, Any] = {"id": node.id.strip(), "shopper": _lines(node.shopper)}
        if node.end:
            item["end"] = node.end
        else:
            groups = [
                {"points": 1, "phrases": [p.strip() for p in re.split(r"[/／|｜]", line) if p.strip()]}
                for line in _lines(node.key_points)
            ]
            if groups:
                item["key_points"] = groups
            if node.model.strip():
                item["model"] = node.model.strip()
            item["branches"] = [_branch(line) for line in _lines(node.branches)]
        nodes.append(item)
    data: dict[str, Any] = {
        "title": form.title.strip(),
        "persona": form.persona.strip(),
        "mood": form.mood,
        "version": "1.0",
        "published": False,
        "start": nodes[0]["id"] if nodes else "",
        "target_seconds": form.target_seconds,
        "nodes": nodes,
    }
    return tomli_w.dumps(data)


def _branch_line(branch: Any) -> str:
    if branch.rule:
        return f"rule: {branch.rule} -> {branch.next}"
    if branch.says:
        return f"says: {' / '.join(branch.says)} -> {branch.next}"
    return f"{branch.when or 'always'} -> {branch.next}"


def form_from_spec(spec: ScenarioSpec, course: str = "") -> ScenarioForm:
    """The form filled from a saved scenario (to edit it): the start node first."""
    ordered = sorted(spec.nodes, key=lambda n: n.id != spec.start)
    return ScenarioForm(
        slug=spec.slug,
        course=course,
        title=spec.title,
        persona=spec.persona,
        mood=spec.mood,
        target_seconds=spec.target_seconds,
        nodes=[
            NodeForm(
                id=node.id,
                end=node.end,
                shopper="\n".join(node.shopper),
                key_points="\n".join(" / ".join(g["phrases"]) for g in node.key_points),
                model=node.model,
                branches="\n".join(_branch_line(b) for b in node.branches),
            )
            for node in ordered
        ],
    )


def check_text(
    text: str, slug: str, course: str, book: RuleBook | None = None
) -> tuple[ScenarioSpec | None, list[str]]:
    """Read a scenario text as the content check would; the problems as `line N: message`.

    With the rule book: every `rule` a branch names must be in it, and no model reply may break
    one of its red lines.
    """
    problems = Problems()
    spec = read_scenario_text(text, f"{slug}.toml", course, slug, problems)
    if spec is not None and book is not None:
        check_rule_ids([spec], book.by_id, problems)
        for node in spec.nodes:
            for hit in book.blocking(node.model) if node.model else []:
                problems.add(
                    spec.path,
                    node.line,
                    f"the model reply of node {node.id} breaks the rule book: “{hit.words}” ({hit.rule.id})",
                )
    found = [f"line {p.line}: {p.message}" for p in problems.sorted()]
    return (spec if not found else None), found


def save_text(
    session: Session, actor: User, scenario: Scenario, text: str, seen_version: int
) -> tuple[ScenarioSpec | None, list[str]]:
    """Save a scenario's whole file, edited in the browser, as its next version.

    `seen_version` is the version number the editor loaded: when another save came first, Conflict
    (and nothing is written). A file scenario edited here keeps coming from its file: the next
    `lms content sync` of a changed file makes a newer version (the files win, as for courses).
    """
    if not actor.has_role(*EDITORS):
        raise DomainError(N_("Only trainers and administrators write practice chats."))
    current = scenario.current_version
    if current is None or current.number != seen_version:
        raise Conflict(N_("Someone saved this scenario meanwhile: reload it and make your change again."))
    loaded = current_book(session)
    course = scenario.course.slug if scenario.course else ""
    spec, problems = check_text(text, scenario.slug, course, loaded.book if loaded else None)
    if spec is None:
        return None, problems
    if spec.hash == current.content_hash:
        return spec, []
    try:
        with session.begin_nested():
            add_version(session, scenario, spec, text)
    except IntegrityError as err:
        raise Conflict(
            N_("Someone saved this scenario meanwhile: reload it and make your change again.")
        ) from err
    audit.record(session, "scenario.edit", actor=actor, target=scenario, after={"version": seen_version + 1})
    return spec, []


def when_words() -> tuple[str, ...]:
    """The branch conditions the form accepts (besides `rule:` and `says:`)."""
    return CONDITIONS


def save(session: Session, actor: User, form: ScenarioForm) -> tuple[Scenario | None, list[str], str]:
    """Save the form as a new draft version (or a new draft scenario); (scenario, problems, text)."""
    if not actor.has_role(*EDITORS):
        raise DomainError(N_("Only trainers and administrators write practice chats."))
    slug = form.slug.strip()
    if not SLUG.match(slug):
        return None, [N_("The short name must be a-z, 0-9 and dashes.")], ""
    course = session.query(Course).filter(Course.slug == form.course).one_or_none() if form.course else None
    text = form_to_toml(form)
    loaded = current_book(session)
    spec, problems = check_text(text, slug, form.course, loaded.book if loaded else None)
    if spec is None:
        return None, problems, text
    scenario = by_slug(session, slug)
    if scenario is not None and scenario.source != "browser":
        raise Conflict(N_("A scenario from the curriculum files already has this short name."))
    if scenario is None:
        scenario = Scenario(
            slug=slug,
            title=spec.title,
            source="browser",
            published=False,
            author_id=actor.id,
            course_id=course.id if course else None,
        )
        session.add(scenario)
        session.flush()
    published = scenario.published
    add_version(session, scenario, spec, text)
    scenario.published = published  # saving never publishes (nor unpublishes)
    audit.record(session, "scenario.save", actor=actor, target=scenario, after={"slug": slug})
    return scenario, [], text


def publish(session: Session, actor: User, scenario: Scenario, published: bool = True) -> Scenario:
    """Show (or hide) a browser scenario to learners."""
    if not actor.has_role(*EDITORS):
        raise DomainError(N_("Only trainers and administrators write practice chats."))
    if scenario.current_version_id is None:
        raise Conflict(N_("Save the scenario first."))
    scenario.published = published
    audit.record(
        session, "scenario.publish" if published else "scenario.unpublish", actor=actor, target=scenario
    )
    return scenario
