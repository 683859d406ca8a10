"""Practice-chat scenarios in the database: versions made by sync (files) or by trainers (browser).

A scenario's content lives in immutable `ScenarioVersion`s (the spec as JSON and the file as
written); a run keeps the version it played, so editing a scenario never changes a past run.
`lms content sync` adds a version only when a file's content hash changes, and deactivates the
file scenarios no longer in courses/ (browser-authored ones are never touched by sync).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lms.content.scenarios import ScenarioSpec, scenario_from_json
from lms.models import Course, Scenario, ScenarioVersion, User


def add_version(
    session: Session, scenario: Scenario, spec: ScenarioSpec, source_text: str
) -> ScenarioVersion:
    """A new immutable version of a scenario, made current; the scenario row follows its title."""
    numbers = [
        v
        for v in session.scalars(
            select(ScenarioVersion.number).where(ScenarioVersion.scenario_id == scenario.id)
        )
    ]
    version = ScenarioVersion(
        scenario_id=scenario.id,
        number=max(numbers, default=0) + 1,
        version_text=spec.version_text,
        spec=spec.as_json(),
        source_text=source_text,
        content_hash=spec.hash,
    )
    session.add(version)
    session.flush()
    scenario.current_version_id = version.id
    scenario.current_version = version
    scenario.title, scenario.title_en = spec.title, spec.en.get("title")
    scenario.published, scenario.active = spec.published, True
    return version


def sync_scenarios(
    session: Session,
    specs: dict[str, ScenarioSpec],
    courses: dict[str, Course],
    tally: Callable[[str, str], None],
) -> None:
    """Bring the file scenarios in line with the tree; `tally(kind, outcome)` counts what happened."""
    rows = {
        s.slug: s for s in session.scalars(select(Scenario).options(selectinload(Scenario.current_version)))
    }
    for slug, spec in specs.items():
        row = rows.get(slug)
        course = courses.get(spec.course)
        if row is None:
            row = Scenario(
                slug=slug, title=spec.title, source="file", course_id=course.id if course else None
            )
            session.add(row)
            session.flush()
            add_version(session, row, spec, spec.source_text)
            tally("scenarios", "created")
            continue
        if row.source != "file":
            continue  # a trainer's scenario with the same slug: the file loses (content check names it)
        current = row.current_version
        if current is None or current.content_hash != spec.hash or not row.active:
            if current is None or current.content_hash != spec.hash:
                add_version(session, row, spec, spec.source_text)
            row.active = True
            row.course_id = course.id if course else row.course_id
            tally("scenarios", "updated")
        else:
            tally("scenarios", "unchanged")
    for slug, row in rows.items():
        if row.source == "file" and slug not in specs and row.active:
            row.active = False
            tally("scenarios", "removed")


def current_spec(scenario: Scenario) -> ScenarioSpec | None:
    """The scenario's current version as a spec (None before it has one)."""
    version = scenario.current_version
    return scenario_from_json(version.spec) if version is not None else None


def playable(session: Session, user: User | None = None) -> list[Scenario]:
    """The scenarios a learner may play: active and published, with a version, by title."""
    del user
    return list(
        session.scalars(
            select(Scenario)
            .where(
                Scenario.active.is_(True),
                Scenario.published.is_(True),
                Scenario.current_version_id.is_not(None),
            )
            .order_by(Scenario.title)
        )
    )


def by_slug(session: Session, slug: str) -> Scenario | None:
    """A scenario by slug (active or not), with its current version loaded."""
    return session.scalars(
        select(Scenario).where(Scenario.slug == slug).options(selectinload(Scenario.current_version))
    ).one_or_none()
