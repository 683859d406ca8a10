"""Reading one course folder: course.toml and its Markdown lessons."""

from __future__ import annotations

import re
from pathlib import Path

from lms.content.english import SHAPES, apply_legacy_zh, read_english
from lms.content.problems import Problems, load_toml, read_text
from lms.content.specs import CourseSpec, LessonSpec
from lms.content.tables import TableReader
from lms.content.toml_source import TomlSource
from lms.content.translations import note, note_lesson

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
COURSE_KEYS = {
    "title",
    "title_zh",  # legacy (see english.LEGACY_ZH)
    "en",
    "summary",
    "version",
    "topics",
    "refresher_on_major",
    "published",
    "lessons",
}
LESSON_KEYS = {"file", "title", "day", "minutes", "en"}
VERSION = re.compile(r"^(\d+)\.(\d+)$")
LESSON_FILE = re.compile(r"^\d+-[a-z0-9-]+\.md$")
ENGLISH_LESSON = re.compile(r"^(\d+-[a-z0-9-]+)\.en\.md$")
IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")
MAX_MINUTES = 600


def read_course(folder: Path, root: Path, problems: Problems) -> tuple[CourseSpec | None, TomlSource | None]:
    """One course folder, checked on its own, and where the keys of its course.toml are."""
    rel = (folder / "course.toml").relative_to(root).as_posix()
    text = read_text(folder / "course.toml", rel, problems)
    if text is None:
        return None, None
    data = load_toml(text, rel, problems)
    if data is None:
        return None, None
    source = TomlSource(text)
    reader = TableReader(data, rel, problems, source)
    reader.unknown_keys(COURSE_KEYS)
    data = apply_legacy_zh(data)
    reader = TableReader(data, rel, problems, source)
    english = read_english(data, SHAPES["course"], reader.report, "a course")
    note(problems, rel, ".", source.line("title"), data, english, SHAPES["course"])
    if not SLUG.match(folder.name):
        problems.add(rel, 1, f"the folder name {folder.name!r} is not a valid slug (a-z, 0-9 and dashes)")
    version = (1, 0)
    raw_version = data.get("version", "1.0")
    match = VERSION.match(raw_version) if isinstance(raw_version, str) else None
    if match:
        version = (int(match.group(1)), int(match.group(2)))
    else:
        reader.report(f'`version` must be text like "1.0" (MAJOR.MINOR), is {raw_version!r}', "version")
    lessons = []
    listed: dict[str, int] = {}
    for index, table in reader.tables("lessons", required=True):
        lesson = _lesson(folder, root, reader.child(table, "lessons", index), problems)
        if lesson.file in listed:
            reader.report(
                f"lesson file {lesson.file} is listed twice (lessons {listed[lesson.file] + 1} and {index + 1})",
                "lessons",
                index,
                "file",
            )
        listed.setdefault(lesson.file, index)
        lessons.append(lesson)
    if isinstance(data.get("lessons"), list) and not data["lessons"]:
        reader.report("the course has no lessons", "lessons")
    for path in sorted(folder.glob("*.md")):
        if LESSON_FILE.match(path.name) and path.name not in listed:
            problems.add(
                path.relative_to(root).as_posix(),
                1,
                f"{path.name} is not listed in course.toml: learners never see it",
            )
        english_of = ENGLISH_LESSON.match(path.name)
        if english_of and f"{english_of.group(1)}.md" not in listed:
            problems.add(
                path.relative_to(root).as_posix(),
                1,
                f"{path.name} is the English of {english_of.group(1)}.md, which course.toml does not list",
            )
    return (
        CourseSpec(
            slug=folder.name,
            title=reader.text("title", max_len=200),
            en=english,
            summary=reader.text("summary", required=False, max_len=2000),
            version=version,
            topics=reader.strings("topics", unique=True),
            refresher_on_major=reader.boolean("refresher_on_major", False),
            published=reader.boolean("published", True),
            lessons=tuple(lessons),
        ),
        source,
    )


def _lesson(folder: Path, root: Path, entry: TableReader, problems: Problems) -> LessonSpec:
    """One [[lessons]] table and its Markdown file."""
    entry.unknown_keys(LESSON_KEYS, "a lesson")
    file_name = entry.text("file")
    english = read_english(entry.table, SHAPES["lesson"], entry.report, "a lesson")
    note(problems, entry.path, f"lessons.{file_name}", entry.line(), entry.table, english, SHAPES["lesson"])
    title = entry.text("title", max_len=200)
    day: int | None = None
    if "day" in entry.table:
        day = entry.integer("day", 0, 1, 10_000) or None
    minutes = entry.integer("minutes", 0, 0, MAX_MINUTES)
    body = ""
    if file_name:
        lesson_path = folder / file_name
        if "/" in file_name or "\\" in file_name or not file_name.endswith(".md"):
            entry.report(f"`file` must name a .md file in the course folder (is {file_name!r})", "file")
        elif not lesson_path.is_file():
            entry.report(f"lesson file {file_name} does not exist", "file")
        else:
            lesson_rel = lesson_path.relative_to(root).as_posix()
            body = read_text(lesson_path, lesson_rel, problems) or ""
            if not body.strip():
                problems.add(lesson_rel, 1, "the lesson is empty")
            _check_images(body, folder, lesson_rel, problems)
            english_body = _english_lesson(lesson_path, root, body, problems)
            if english_body is not None:
                english["body"] = english_body
    return LessonSpec(file_name.removesuffix(".md"), file_name, title, day, minutes, body, english)


def _english_lesson(lesson_path: Path, root: Path, body: str, problems: Problems) -> str | None:
    """The lesson's NN-name.en.md, checked against the Chinese lesson's structure (None when absent)."""
    english_path = lesson_path.with_name(lesson_path.name.removesuffix(".md") + ".en.md")
    rel = lesson_path.relative_to(root).as_posix()
    english_rel = english_path.relative_to(root).as_posix()
    english: str | None = None
    if english_path.is_file():
        english = read_text(english_path, english_rel, problems)
        if english is not None and not english.strip():
            problems.add(english_rel, 1, "the English lesson is empty: delete it until it is written")
            english = None
        if english is not None:
            _check_images(english, lesson_path.parent, english_rel, problems)
            for line, message in structure_differences(body, english):
                problems.warn(english_rel, line, message)
    note_lesson(problems, rel, body, english_rel, english)
    return english


_HEADING = re.compile(r"^(#{1,6})\s")
_ADMONITION = re.compile(r"^!!!\s+([A-Za-z-]+)")
_FENCE = re.compile(r"^(```|~~~)")


def structure(markdown: str) -> list[tuple[int, str]]:
    """The lesson's skeleton: headings (by level), tables and admonitions (by kind), with their lines."""
    found: list[tuple[int, str]] = []
    in_table = in_fence = False
    for number, line in enumerate(markdown.split("\n"), start=1):
        if _FENCE.match(line.strip()):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        heading, admonition = _HEADING.match(line), _ADMONITION.match(line)
        is_table = line.lstrip().startswith("|")
        if heading:
            found.append((number, f"heading {'#' * len(heading.group(1))}"))
        elif admonition:
            found.append((number, f"admonition !!! {admonition.group(1)}"))
        elif is_table and not in_table:
            found.append((number, "table"))
        in_table = is_table
    return found


def structure_differences(chinese: str, english: str) -> list[tuple[int, str]]:
    """Where the English lesson's skeleton first departs from the Chinese one (at most one warning)."""
    ours, theirs = structure(chinese), structure(english)
    for want, got in zip(ours, theirs, strict=False):
        if want[1] != got[1]:
            return [
                (
                    got[0],
                    f"the English lesson's structure differs from the Chinese: {got[1]} here, "
                    f"where the Chinese has {want[1]} (line {want[0]}); keep the same headings, "
                    "tables and admonitions in the same order",
                )
            ]
    if len(ours) != len(theirs):
        extra = theirs[len(ours)] if len(theirs) > len(ours) else None
        line = extra[0] if extra else (theirs[-1][0] if theirs else 1)
        return [
            (
                line,
                f"the English lesson has {len(theirs)} headings, tables and admonitions, the Chinese "
                f"{len(ours)}: keep the same structure",
            )
        ]
    return []


def _check_images(body: str, folder: Path, rel: str, problems: Problems) -> None:
    """Every picture a lesson shows from its folder must be there."""
    for number, line in enumerate(body.split("\n"), start=1):
        for target in IMAGE.findall(line):
            if re.match(r"^(https?:|data:|/)", target):
                continue
            path = (folder / target.split("#")[0].split("?")[0]).resolve()
            if not path.is_relative_to(folder.resolve()):
                problems.add(rel, number, f"the image {target} lies outside the course folder")
            elif not path.is_file():
                problems.add(rel, number, f"the image {target} does not exist")
