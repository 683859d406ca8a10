"""Reading courses/program.toml: days, schedule, go-live requirements and the tier ladder.

References to courses and quizzes are checked with the whole tree (see references.py).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from lms.content.english import SHAPES, apply_legacy_zh, read_english
from lms.content.problems import Problems, load_toml, read_text
from lms.content.specs import GoLiveSpec, ProgrammeSpec, ScheduledCourse, ScheduledQuiz, TierSpec
from lms.content.tables import TableReader
from lms.content.toml_source import TomlSource
from lms.content.translations import note

PATH = "courses/program.toml"
PROGRAMME_KEYS = {
    "title",
    "title_zh",  # legacy (see english.LEGACY_ZH)
    "en",
    "days",
    "days_off",
    "holidays",
    "allow_work_ahead",
    "courses",
    "quizzes",
    "go_live",
    "tiers",
    "signals",
    "promotions",
}
GO_LIVE_KEYS = {
    "quizzes",
    "courses",
    "trainer_signoff",
    "faq_mastery_percent",
    "faq_stability_days",
    "faq_leech_lapses",
    "typing_cpm",
    "scenarios",
    "scenario_medal",
    "valid_days",
    "expiring_days",
    "recertify_days_before",
    "recertify_quiz",
    "changed_due_days",
}
MEDALS = ("bronze", "silver", "gold")
KPI_METRICS = ("conversion_rate", "avg_response_seconds", "satisfaction", "invite_rate", "push_completion")
MONTH_DAY = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")
TIER_KEYS = {
    "slug",
    "name",
    "name_zh",  # legacy (see english.LEGACY_ZH)
    "description",
    "en",
    "exam",
    "exam_pass_percent",
    "kpi_min",
    "kpi_months",
    "days_live",
    "spot_check_min",
    "scenarios",
    "scenario_medal",
    "valid_days",
}
#: What a tier asks for; a higher tier may not ask for less of any of them.
REQUIREMENTS = ("exam_pass_percent", "kpi_min", "kpi_months", "days_live", "spot_check_min")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
MAX_DAYS = 200


def read_programme(
    path: Path, root: Path, problems: Problems
) -> tuple[ProgrammeSpec | None, TomlSource | None]:
    """The programme file checked on its own, and where its keys are."""
    rel = path.relative_to(root).as_posix()
    text = read_text(path, rel, problems)
    if text is None:
        return None, None
    data = load_toml(text, rel, problems)
    if data is None:
        return None, None
    source = TomlSource(text)
    TableReader(data, rel, problems, source).unknown_keys(PROGRAMME_KEYS)
    data = apply_legacy_zh(data)
    reader = TableReader(data, rel, problems, source)
    english = read_english(data, SHAPES["programme"], reader.report, "the programme")
    note(problems, rel, ".", source.line("title"), data, english, SHAPES["programme"])
    days = reader.integer("days", 15, 1, MAX_DAYS, required=True)
    days_off = reader.strings("days_off", unique=True) if "days_off" in data else ("sat", "sun")
    for index, day in enumerate(days_off):
        if day not in WEEKDAYS:
            reader.report(
                f"unknown weekday {day!r} in `days_off` (use {', '.join(WEEKDAYS)})", "days_off", index
            )
    if len(days_off) == len(WEEKDAYS):
        reader.report("`days_off` holds every weekday: the programme could never advance", "days_off")
    holidays = reader.strings("holidays", unique=True)
    for index, value in enumerate(holidays):
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            reader.report(f"holiday {value!r} is not a date (YYYY-MM-DD)", "holidays", index)

    courses = []
    for index, table in reader.tables("courses"):
        entry = reader.child(table, "courses", index)
        entry.unknown_keys({"course", "first_day", "last_day"}, "a scheduled course")
        first = entry.integer("first_day", 1, 1, days, required=True)
        last = entry.integer("last_day", days, 1, days, required=True)
        if last < first:
            entry.report(f"`last_day` ({last}) is before `first_day` ({first})", "last_day")
        courses.append(ScheduledCourse(entry.text("course"), first, max(first, last)))
    quizzes = []
    for index, table in reader.tables("quizzes"):
        entry = reader.child(table, "quizzes", index)
        entry.unknown_keys({"quiz", "day"}, "a scheduled quiz")
        # An invalid day falls back to the last one, which no other check complains about.
        quizzes.append(ScheduledQuiz(entry.text("quiz"), entry.integer("day", days, 1, days, required=True)))

    go_live = GoLiveSpec()
    raw_go_live = data.get("go_live")
    if raw_go_live is not None and not isinstance(raw_go_live, dict):
        reader.report("`go_live` must be a table: [go_live]", "go_live")
    elif raw_go_live is not None:
        rules = reader.child(raw_go_live, "go_live")
        rules.unknown_keys(GO_LIVE_KEYS, "[go_live]")
        go_live = GoLiveSpec(
            quizzes=rules.strings("quizzes", unique=True),
            courses=rules.strings("courses", unique=True),
            trainer_signoff=rules.boolean("trainer_signoff", False),
            faq_mastery_percent=rules.integer("faq_mastery_percent", 0, 0, 100),
            faq_stability_days=rules.integer("faq_stability_days", 10, 1, 365),
            faq_leech_lapses=rules.integer("faq_leech_lapses", 4, 1, 100),
            typing_cpm=rules.integer("typing_cpm", 0, 0, 300),
            scenarios=rules.strings("scenarios", unique=True),
            scenario_medal=rules.choice("scenario_medal", MEDALS, "silver"),
            valid_days=rules.integer("valid_days", 0, 1, 3650) if "valid_days" in raw_go_live else None,
            expiring_days=rules.integer("expiring_days", 30, 1, 365),
            recertify_days_before=rules.integer("recertify_days_before", 0, 1, 365)
            if "recertify_days_before" in raw_go_live
            else None,
            recertify_quiz=rules.optional_text("recertify_quiz", max_len=80),
            changed_due_days=rules.integer("changed_due_days", 14, 1, 365),
        )
        if go_live.recertify_days_before and not go_live.recertify_quiz:
            rules.report(
                "`recertify_days_before` needs the `recertify_quiz` to assign", "recertify_days_before"
            )
    return (
        ProgrammeSpec(
            title=reader.text("title", max_len=200),
            en=english,
            days=days,
            days_off=tuple(days_off),
            holidays=holidays,
            allow_work_ahead=reader.boolean("allow_work_ahead", True),
            courses=tuple(courses),
            quizzes=tuple(quizzes),
            go_live=go_live,
            tiers=_tiers(reader),
            signals=_signals(reader),
            promotions=_promotions(reader),
        ),
        source,
    )


def _signals(reader: TableReader) -> dict[str, Any]:
    """`[signals.kpi]` and `[signals.qc]`: when the floor's numbers assign a refresher on their own."""
    raw = reader.table.get("signals")
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        reader.report("`signals` must be a table: [signals.kpi], [signals.qc]", "signals")
        return {}
    table = reader.child(raw, "signals")
    table.unknown_keys({"kpi", "qc"}, "[signals]")
    result: dict[str, Any] = {}
    if isinstance(raw.get("kpi"), dict):
        kpi = table.child(raw["kpi"], "kpi")
        kpi.unknown_keys({"below", "months", "due_days", "refreshers"}, "[signals.kpi]")
        refreshers = raw["kpi"].get("refreshers", {})
        if not isinstance(refreshers, dict) or not all(
            k in KPI_METRICS and isinstance(v, str) for k, v in refreshers.items()
        ):
            kpi.report(
                f"`refreshers` maps a metric ({', '.join(KPI_METRICS)}) to a course slug", "refreshers"
            )
            refreshers = {}
        result["kpi"] = {
            "below": kpi.number("below", 80, 0, 100, required=True),
            "months": kpi.integer("months", 2, 1, 12),
            "due_days": kpi.integer("due_days", 14, 1, 365),
            "refreshers": dict(refreshers),
        }
    if isinstance(raw.get("qc"), dict):
        qc = table.child(raw["qc"], "qc")
        qc.unknown_keys({"failures", "within_days", "auto_assign", "due_days"}, "[signals.qc]")
        result["qc"] = {
            "failures": qc.integer("failures", 3, 2, 50),
            "within_days": qc.integer("within_days", 30, 1, 365),
            "auto_assign": qc.boolean("auto_assign", False),
            "due_days": qc.integer("due_days", 7, 1, 365),
        }
    return result


def _promotions(reader: TableReader) -> tuple[dict[str, Any], ...]:
    """`[[promotions]]`: a yearly period (MM-DD), its preparation course or quiz and the lead time."""
    result: list[dict[str, Any]] = []
    for index, table in reader.tables("promotions"):
        entry = reader.child(table, "promotions", index)
        entry.unknown_keys(
            {"slug", "name", "en", "starts", "lead_days", "course", "quiz"}, "a promotion period"
        )
        slug = entry.text("slug", max_len=80)
        if slug and not SLUG.match(slug):
            entry.report(f"promotion slug {slug!r}: lower-case letters, digits and dashes", "slug")
        starts = entry.text("starts", max_len=5)
        if starts and not MONTH_DAY.match(starts):
            entry.report(f"`starts` is a yearly date MM-DD (is {starts!r})", "starts")
        course, quiz = entry.optional_text("course", 80), entry.optional_text("quiz", 80)
        if (course is None) == (quiz is None):
            entry.report("a promotion period names one `course` or one `quiz` to prepare with")
        raw_en = table.get("en")
        english: dict[str, Any] = raw_en if isinstance(raw_en, dict) else {}
        result.append(
            {
                "slug": slug,
                "name": entry.text("name", max_len=100),
                "name_en": str(english.get("name") or "") or None,
                "starts": starts,
                "lead_days": entry.integer("lead_days", 14, 1, 120),
                "course": course,
                "quiz": quiz,
            }
        )
    return tuple(result)


def _tiers(reader: TableReader) -> tuple[TierSpec, ...]:
    """The ladder, lowest first: the first asks for nothing, each higher one for more."""
    tiers: list[TierSpec] = []
    seen: dict[str, int] = {}
    for index, table in reader.tables("tiers"):
        entry = reader.child(table, "tiers", index)
        entry.unknown_keys(TIER_KEYS, "a tier")
        entry = reader.child(apply_legacy_zh(table), "tiers", index)
        slug = entry.text("slug")
        english = read_english(entry.table, SHAPES["tier"], entry.report, "a tier")
        note(
            reader.problems, reader.path, f"tiers.{slug}", entry.line(), entry.table, english, SHAPES["tier"]
        )
        if slug and not SLUG.match(slug):
            entry.report(f"tier slug {slug!r} must be a-z, 0-9 and dashes", "slug")
        if slug in seen:
            entry.report(
                f"tier slug {slug!r} is used twice (tier {seen[slug] + 1} and tier {index + 1})", "slug"
            )
        seen.setdefault(slug, index)
        tier = TierSpec(
            slug=slug,
            name=entry.text("name", max_len=100),
            description=entry.text("description", required=False, max_len=2000),
            en=english,
            exam=entry.optional_text("exam"),
            exam_pass_percent=entry.integer("exam_pass_percent", 0, 0, 100),
            kpi_min=entry.number("kpi_min", 0, 0, 100),
            kpi_months=entry.integer("kpi_months", 0, 0, 24),
            days_live=entry.integer("days_live", 0, 0, 3650),
            spot_check_min=entry.number("spot_check_min", 0, 0, 100),
            scenarios=entry.strings("scenarios", unique=True),
            scenario_medal=entry.choice("scenario_medal", MEDALS, "silver"),
            valid_days=entry.integer("valid_days", 0, 1, 3650) if "valid_days" in table else None,
        )
        if tier.valid_days and not tier.exam:
            entry.report("`valid_days` needs the tier's `exam` (passing it again renews the tier)", "valid_days")
        if not tiers:
            asked = [k for k in ("exam", *REQUIREMENTS) if getattr(tier, k)]
            if asked:
                entry.report(
                    f"the first tier is where every agent starts: it takes no requirements (has {', '.join(asked)})",
                    asked[0],
                )
        else:
            below = tiers[-1]
            if not tier.exam:
                entry.report("every tier above the first needs an `exam`")
            elif not tier.exam_pass_percent:
                entry.report("a tier with an exam needs `exam_pass_percent`", "exam")
            lower = [k for k in REQUIREMENTS if getattr(tier, k) < getattr(below, k)]
            for key in lower:
                entry.report(
                    f"`{key}` ({getattr(tier, key):g}) is lower than the tier below ({below.slug}: "
                    f"{getattr(below, key):g})",
                    key,
                )
            if (
                not lower
                and tier.exam == below.exam
                and all(getattr(tier, k) == getattr(below, k) for k in REQUIREMENTS)
            ):
                entry.report(f"tier {tier.slug!r} asks for nothing more than {below.slug!r}: the two overlap")
        tiers.append(tier)
    return tuple(tiers)
