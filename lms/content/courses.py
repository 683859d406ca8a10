"""Reading one course folder: course.toml and its Markdown lessons."""

from __future__ import annotations

import re
from pathlib import Path

from lms.content.problems import Problems, load_toml, read_text
from lms.content.specs import CourseSpec, LessonSpec
from lms.content.tables import TableReader
from lms.content.toml_source import TomlSource

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
COURSE_KEYS = {
    "title",
    "title_zh",
    "summary",
    "version",
    "topics",
    "refresher_on_major",
    "published",
    "lessons",
}
LESSON_KEYS = {"file", "title", "day", "minutes"}
VERSION = re.compile(r"^(\d+)\.(\d+)$")
LESSON_FILE = re.compile(r"^\d+-[a-z0-9-]+\.md$")
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
    return (
        CourseSpec(
            slug=folder.name,
            title=reader.text("title", max_len=200),
            title_zh=reader.optional_text("title_zh", max_len=200),
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
    return LessonSpec(file_name.removesuffix(".md"), file_name, title, day, minutes, body)


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
