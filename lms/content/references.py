"""Checks across files: everything one file names must exist in another, and fit with it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lms.content.problems import Problems
from lms.content.programme import PATH as PROGRAMME
from lms.content.specs import ContentTree
from lms.content.tables import Lines


@dataclass
class Sources:
    """Where the keys of each file read are (content-root-relative path → lines)."""

    lines: dict[str, Lines] = field(default_factory=dict)
    quiz_files: dict[str, str] = field(default_factory=dict)
    #: FAQ entries with a `day`: (file, line, course folder, entry id, day).
    faq_days: list[tuple[str, int, str, str, int]] = field(default_factory=list)
    #: Each script library read: its path, its entries in file order, where its keys are.
    faq_files: list[tuple[str, list[Any], Any]] = field(default_factory=list)

    def line(self, path: str, *at: str | int) -> int:
        """The line of a key path in a file (1 when unknown)."""
        found = self.lines.get(path)
        return found.line(*at) if found is not None and at else 1


#: A question tagged `faq:<entry id>` tests that script-library entry: passing it reviews the card.
FAQ_TAG = "faq:"


def check_references(tree: ContentTree, sources: Sources, problems: Problems) -> None:
    """Report every reference to a course, quiz or tier that does not exist or does not fit."""
    known_tiers = {t.slug for t in tree.programme.tiers} if tree.programme else set()
    faq_ids = {entry.id for entry in tree.faq}
    for quiz in tree.quizzes.values():
        path = sources.quiz_files[quiz.slug]
        for question in quiz.questions:
            for tag in question.tags:
                if tag.startswith(FAQ_TAG) and tag[len(FAQ_TAG) :] not in faq_ids:
                    problems.add(
                        path,
                        sources.line(path, "course"),
                        f"question {question.id!r}: tag {tag!r} names no script-library entry",
                    )
        if quiz.course and quiz.course not in tree.courses and quiz.course not in tree.unreadable:
            problems.add(
                path, sources.line(path, "course"), f"the quiz belongs to unknown course {quiz.course!r}"
            )
        if tree.programme is not None:
            for index, gate in enumerate(quiz.gates):
                if gate.startswith("tier:") and gate[5:] not in known_tiers:
                    problems.add(
                        path,
                        sources.line(path, "gates", index),
                        f"gate {gate!r} names a tier the programme does not have",
                    )
    if tree.programme is not None:
        _check_programme(tree, sources, problems)


def _check_programme(tree: ContentTree, sources: Sources, problems: Problems) -> None:
    programme = tree.programme
    assert programme is not None

    def report(message: str, *at: str | int) -> None:
        problems.add(PROGRAMME, sources.line(PROGRAMME, *at), message)

    def missing_course(slug: str) -> bool:
        return bool(slug) and slug not in tree.courses and slug not in tree.unreadable

    def missing_quiz(slug: str) -> bool:
        return bool(slug) and slug not in tree.quizzes and slug not in tree.unreadable

    days: dict[str, tuple[int, int]] = {}
    for index, entry in enumerate(programme.courses):
        if missing_course(entry.course):
            report(f"the programme schedules unknown course {entry.course!r}", "courses", index, "course")
        elif entry.course in days:
            report(f"course {entry.course!r} is scheduled twice", "courses", index, "course")
        days.setdefault(entry.course, (entry.first_day, entry.last_day))
    for slug, (first, last) in days.items():
        course = tree.courses.get(slug)
        for index, lesson in enumerate(course.lessons if course else ()):
            if lesson.day is not None and not first <= lesson.day <= last:
                path = f"courses/{slug}/course.toml"
                problems.add(
                    path,
                    sources.line(path, "lessons", index, "day"),
                    f"lesson {lesson.file} is on day {lesson.day}, outside the course's days {first}–{last} "
                    "in the programme",
                )
    for path, line, slug, entry_id, day in sources.faq_days:
        first, last = days.get(slug, (1, programme.days))
        if not first <= day <= last:
            problems.add(
                path,
                line,
                f"FAQ entry {entry_id!r} is introduced on day {day}, outside its course's days {first}–{last} "
                "in the programme",
            )
    for slug, course in tree.courses.items():
        if slug not in days:
            path = f"courses/{slug}/course.toml"
            for index, lesson in enumerate(course.lessons):
                if lesson.day is not None and lesson.day > programme.days:
                    problems.add(
                        path,
                        sources.line(path, "lessons", index, "day"),
                        f"lesson {lesson.file} is on day {lesson.day}, after the programme's last day ({programme.days})",
                    )
    scheduled: set[str] = set()
    for index, due in enumerate(programme.quizzes):
        quiz = tree.quizzes.get(due.quiz)
        if missing_quiz(due.quiz):
            report(f"the programme schedules unknown quiz {due.quiz!r}", "quizzes", index, "quiz")
        elif due.quiz in scheduled:
            report(f"quiz {due.quiz!r} is scheduled twice", "quizzes", index, "quiz")
        elif quiz is not None and quiz.course in days and due.day < days[quiz.course][0]:
            report(
                f"quiz {due.quiz!r} is due on day {due.day}, before its course {quiz.course!r} starts "
                f"(day {days[quiz.course][0]})",
                "quizzes",
                index,
                "day",
            )
        scheduled.add(due.quiz)
    go_live = programme.go_live
    for index, slug in enumerate(go_live.quizzes):
        quiz = tree.quizzes.get(slug)
        if missing_quiz(slug):
            report(f"go-live requires unknown quiz {slug!r}", "go_live", "quizzes", index)
        elif quiz is not None and "go-live" not in quiz.gates:
            report(
                f'go-live requires quiz {slug!r}, but its `gates` lack "go-live"', "go_live", "quizzes", index
            )
    for index, slug in enumerate(go_live.courses):
        if missing_course(slug):
            report(f"go-live requires unknown course {slug!r}", "go_live", "courses", index)
    for index, slug in enumerate(go_live.scenarios):
        if slug not in tree.scenarios and slug not in tree.unreadable:
            report(f"go-live requires unknown scenario {slug!r}", "go_live", "scenarios", index)
    if go_live.recertify_quiz and missing_quiz(go_live.recertify_quiz):
        report(f"recertification names unknown quiz {go_live.recertify_quiz!r}", "go_live", "recertify_quiz")
    for metric, slug in (programme.signals.get("kpi") or {}).get("refreshers", {}).items():
        if missing_course(slug):
            report(
                f"the KPI refresher for {metric} names unknown course {slug!r}",
                "signals",
                "kpi",
                "refreshers",
            )
    for index, period in enumerate(programme.promotions):
        if period.get("course") and missing_course(period["course"]):
            report(
                f"promotion {period['slug']!r} names unknown course {period['course']!r}", "promotions", index
            )
        if period.get("quiz") and missing_quiz(period["quiz"]):
            report(f"promotion {period['slug']!r} names unknown quiz {period['quiz']!r}", "promotions", index)
    for index, tier in enumerate(programme.tiers):
        for position, slug in enumerate(tier.scenarios):
            if slug not in tree.scenarios and slug not in tree.unreadable:
                report(
                    f"tier {tier.slug!r} requires unknown scenario {slug!r}",
                    "tiers",
                    index,
                    "scenarios",
                    position,
                )
        if tier.exam is None:
            continue
        exam = tree.quizzes.get(tier.exam)
        if missing_quiz(tier.exam):
            report(f"tier {tier.slug!r} names unknown exam {tier.exam!r}", "tiers", index, "exam")
        elif exam is not None and f"tier:{tier.slug}" not in exam.gates:
            report(
                f'the exam {tier.exam!r} of tier {tier.slug!r} lacks the gate "tier:{tier.slug}"',
                "tiers",
                index,
                "exam",
            )
