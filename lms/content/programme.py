"""Reading courses/program.toml: days, schedule, go-live requirements and the tier ladder."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from lms.content.checks import TableReader
from lms.content.problems import Problems, SourceLines, load_toml
from lms.content.specs import ContentTree, ProgrammeSpec, TierSpec

PROGRAMME_KEYS = {
    "title",
    "title_zh",
    "days",
    "days_off",
    "holidays",
    "allow_work_ahead",
    "courses",
    "quizzes",
    "go_live",
    "tiers",
}
GO_LIVE_KEYS = {"quizzes", "courses", "trainer_signoff", "faq_mastery_percent"}
TIER_KEYS = {
    "slug",
    "name",
    "name_zh",
    "exam",
    "exam_pass_percent",
    "kpi_min",
    "kpi_months",
    "days_live",
    "spot_check_min",
}
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PATH = "courses/program.toml"


def read_programme(path: Path, root: Path, problems: Problems) -> ProgrammeSpec | None:
    """The programme file, checked on its own (references are checked with the whole tree)."""
    text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    data = load_toml(text, PATH, problems)
    if data is None:
        return None
    lines = SourceLines(text)
    reader = TableReader(data, PATH, problems, lambda key: lines.key(key) if key else 1)
    reader.unknown_keys(PROGRAMME_KEYS)
    days = reader.integer("days", 15, 1, 200, required=True)
    days_off = reader.strings("days_off") if "days_off" in data else ("sat", "sun")
    for day in days_off:
        if day not in WEEKDAYS:
            reader.report(f"unknown weekday {day!r} in `days_off` (use {', '.join(WEEKDAYS)})", "days_off")
    holidays = reader.strings("holidays")
    for value in holidays:
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            reader.report(f"holiday {value!r} is not a date (YYYY-MM-DD)", "holidays")

    def table_reader(name: str, index: int, table: dict[str, Any]) -> TableReader:
        headers = lines.tables(name)
        start = headers[index] if index < len(headers) else lines.key(name)
        end = headers[index + 1] if index + 1 < len(headers) else None
        return TableReader(table, PATH, problems, lambda key: lines.key(key, start, end) if key else start)

    courses = []
    for i, table in enumerate(reader.tables("courses")):
        tr = table_reader("courses", i, table)
        tr.unknown_keys({"course", "first_day", "last_day"}, "a scheduled course")
        first = tr.integer("first_day", 1, 1, days, required=True)
        last = tr.integer("last_day", first, 1, days, required=True)
        if last < first:
            tr.report("`last_day` is before `first_day`", "last_day")
        courses.append({"course": tr.text("course"), "first_day": first, "last_day": last})
    quizzes = []
    for i, table in enumerate(reader.tables("quizzes")):
        tr = table_reader("quizzes", i, table)
        tr.unknown_keys({"quiz", "day"}, "a scheduled quiz")
        quizzes.append({"quiz": tr.text("quiz"), "day": tr.integer("day", 1, 1, days, required=True)})
    go_live_raw = data.get("go_live", {})
    go_live: dict[str, Any] = {}
    if not isinstance(go_live_raw, dict):
        reader.report("`go_live` must be a table", "go_live")
    else:
        start = lines.text("[go_live]")
        gl = TableReader(go_live_raw, PATH, problems, lambda key: lines.key(key, start) if key else start)
        gl.unknown_keys(GO_LIVE_KEYS, "[go_live]")
        go_live = {
            "quizzes": list(gl.strings("quizzes")),
            "courses": list(gl.strings("courses")),
            "trainer_signoff": gl.boolean("trainer_signoff", False),
            "faq_mastery_percent": gl.integer("faq_mastery_percent", 0, 0, 100),
        }
    tiers: list[TierSpec] = []
    for i, table in enumerate(reader.tables("tiers")):
        tr = table_reader("tiers", i, table)
        tr.unknown_keys(TIER_KEYS, "a tier")
        tier = TierSpec(
            slug=tr.text("slug"),
            name=tr.text("name"),
            name_zh=tr.optional_text("name_zh"),
            exam=tr.optional_text("exam"),
            exam_pass_percent=tr.integer("exam_pass_percent", 0, 0, 100),
            kpi_min=tr.number("kpi_min", 0, 0, 100),
            kpi_months=tr.integer("kpi_months", 0, 0, 24),
            days_live=tr.integer("days_live", 0, 0, 3650),
            spot_check_min=tr.number("spot_check_min", 0, 0, 100),
        )
        if i == 0 and (tier.exam or tier.kpi_min or tier.days_live or tier.spot_check_min):
            tr.report("the first tier is where agents start: it takes no requirements", "slug")
        if i > 0:
            below = tiers[-1]
            if not tier.exam:
                tr.report("every tier above the first needs an `exam`", "slug")
            for field_name in ("kpi_min", "days_live", "spot_check_min", "exam_pass_percent"):
                if getattr(tier, field_name) < getattr(below, field_name):
                    tr.report(f"`{field_name}` is lower than the tier below ({below.slug})", field_name)
        tiers.append(tier)
    slugs = [t.slug for t in tiers]
    if len(set(slugs)) != len(slugs):
        reader.report("two tiers have the same slug", "tiers")
    return ProgrammeSpec(
        title=reader.text("title", max_len=200),
        title_zh=reader.optional_text("title_zh"),
        days=days,
        days_off=tuple(days_off),
        holidays=holidays,
        allow_work_ahead=reader.boolean("allow_work_ahead", True),
        courses=tuple(courses),
        quizzes=tuple(quizzes),
        go_live=go_live,
        tiers=tuple(tiers),
    )


def check_programme_references(tree: ContentTree, root: Path, problems: Problems) -> None:
    """Courses, quizzes and days named by the programme must exist and fit together."""
    programme = tree.programme
    assert programme is not None
    text = (root / PATH).read_text(encoding="utf-8-sig")
    lines = SourceLines(text)
    course_days = {}
    for entry in programme.courses:
        slug = entry["course"]
        line = lines.text(f'"{slug}"')
        if slug not in tree.courses:
            if slug not in tree.unreadable:
                problems.add(PATH, line, f"the programme schedules unknown course {slug!r}")
            continue
        course_days[slug] = (entry["first_day"], entry["last_day"])
    for slug, (first, last) in course_days.items():
        course = tree.courses[slug]
        for lesson in course.lessons:
            if lesson.day is not None and not first <= lesson.day <= last:
                rel = f"courses/{slug}/course.toml"
                course_lines = SourceLines((root / rel).read_text(encoding="utf-8-sig"))
                problems.add(
                    rel,
                    course_lines.text(f'"{lesson.file}"'),
                    f"lesson {lesson.file} is on day {lesson.day}, outside the course's days "
                    f"{first}–{last} in the programme",
                )
    for entry in programme.quizzes:
        if entry["quiz"] not in tree.quizzes and entry["quiz"] not in tree.unreadable:
            problems.add(
                PATH,
                lines.text(f'"{entry["quiz"]}"'),
                f"the programme schedules unknown quiz {entry['quiz']!r}",
            )
    start = lines.text("[go_live]")
    for slug in programme.go_live.get("quizzes", []):
        if slug not in tree.quizzes and slug not in tree.unreadable:
            problems.add(PATH, lines.text(f'"{slug}"', start), f"go-live requires unknown quiz {slug!r}")
    for slug in programme.go_live.get("courses", []):
        if slug not in tree.courses and slug not in tree.unreadable:
            problems.add(PATH, lines.text(f'"{slug}"', start), f"go-live requires unknown course {slug!r}")
    for tier in programme.tiers:
        if tier.exam and tier.exam not in tree.quizzes and tier.exam not in tree.unreadable:
            problems.add(
                PATH, lines.text(f'"{tier.exam}"'), f"tier {tier.slug!r} names unknown exam {tier.exam!r}"
            )
