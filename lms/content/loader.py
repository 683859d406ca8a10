"""Reading courses/ and quizzes/ into specs, and checking everything (`lms content check`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from lms.content.checks import TableReader, locator
from lms.content.faq import read_faq
from lms.content.problems import Problem, Problems, SourceLines, load_toml
from lms.content.products import read_products
from lms.content.programme import check_programme_references, read_programme
from lms.content.quizzes import read_gift_quiz, read_quiz
from lms.content.specs import ContentTree, CourseSpec, LessonSpec

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
MAX_FILE = 2 * 1024 * 1024


def _read_text(path: Path, rel: str, problems: Problems) -> str | None:
    try:
        if path.stat().st_size > MAX_FILE:
            problems.add(rel, 1, "file is larger than 2 MB")
            return None
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.add(rel, 1, "not UTF-8 text")
        return None
    return text.replace("\r\n", "\n")


def read_course(folder: Path, root: Path, problems: Problems) -> CourseSpec | None:
    """One course folder: course.toml and its lessons."""
    rel = str((folder / "course.toml").relative_to(root))
    text = _read_text(folder / "course.toml", rel, problems)
    if text is None:
        return None
    data = load_toml(text, rel, problems)
    if data is None:
        return None
    lines = SourceLines(text)
    reader = TableReader(data, rel, problems, lambda key: lines.key(key) if key else 1)
    reader.unknown_keys(COURSE_KEYS)
    slug = folder.name
    if not SLUG.match(slug):
        problems.add(rel, 1, f"the folder name {slug!r} is not a valid slug (a-z, 0-9, dashes)")
    version_text = reader.text("version", default="1.0")
    match = re.fullmatch(r"(\d+)\.(\d+)", version_text.strip())
    if version_text and not match:
        reader.report('`version` must look like MAJOR.MINOR, e.g. "1.0"', "version")
    version = (int(match.group(1)), int(match.group(2))) if match else (1, 0)
    lesson_tables = reader.tables("lessons", required=True)
    headers = lines.tables("lessons")
    lessons = []
    seen: set[str] = set()
    for index, table in enumerate(lesson_tables):
        start = headers[index] if index < len(headers) else lines.key("lessons")
        end = headers[index + 1] if index + 1 < len(headers) else None
        lr = TableReader(table, rel, problems, locator(lines, start, end))
        lr.unknown_keys(LESSON_KEYS, "a lesson")
        file_name = lr.text("file")
        title = lr.text("title", max_len=200)
        day = table.get("day")
        if day is not None and (isinstance(day, bool) or not isinstance(day, int) or day < 1):
            lr.report("`day` must be a programme day (1, 2, …)", "day")
            day = None
        minutes = lr.integer("minutes", 0, 0, 600)
        body = ""
        if file_name:
            if "/" in file_name or "\\" in file_name or not file_name.endswith(".md"):
                lr.report(f"`file` must be a .md file in the course folder (is {file_name!r})", "file")
            elif not (folder / file_name).is_file():
                lr.report(f"lesson file {file_name} does not exist", "file")
            else:
                body = (
                    _read_text(folder / file_name, str((folder / file_name).relative_to(root)), problems)
                    or ""
                )
                if not body.strip():
                    problems.add(str((folder / file_name).relative_to(root)), 1, "the lesson is empty")
        lesson_slug = file_name.removesuffix(".md")
        if lesson_slug in seen:
            lr.report(f"lesson file {file_name} is listed twice", "file")
        seen.add(lesson_slug)
        lessons.append(LessonSpec(lesson_slug, file_name, title, day, minutes, body))
    return CourseSpec(
        slug=slug,
        title=reader.text("title", max_len=200),
        title_zh=reader.optional_text("title_zh"),
        summary=reader.text("summary", required=False),
        version=version,
        topics=reader.strings("topics"),
        refresher_on_major=reader.boolean("refresher_on_major", False),
        published=reader.boolean("published", True),
        lessons=tuple(lessons),
    )


def read_tree(root: Path) -> tuple[ContentTree, Problems]:
    """Read everything under root/courses and root/quizzes, collecting every problem."""
    problems = Problems()
    tree = ContentTree()
    courses_dir, quizzes_dir = root / "courses", root / "quizzes"
    if courses_dir.is_dir():
        for folder in sorted(p for p in courses_dir.iterdir() if p.is_dir()):
            if not (folder / "course.toml").is_file():
                continue
            course = read_course(folder, root, problems)
            if course is not None:
                tree.courses[course.slug] = course
            else:
                tree.unreadable.add(folder.name)
            faq_file = folder / "faq.toml"
            if faq_file.is_file():
                tree.faq.extend(read_faq(faq_file, root, problems))
            products_file = folder / "products.toml"
            if products_file.is_file():
                tree.products.extend(read_products(products_file, root, problems))
        programme_file = courses_dir / "program.toml"
        if programme_file.is_file():
            tree.programme = read_programme(programme_file, root, problems)
    if quizzes_dir.is_dir():
        for path in sorted(quizzes_dir.iterdir()):
            if path.suffix == ".toml":
                quiz = read_quiz(path, root, problems)
            elif path.suffix == ".gift":
                quiz = read_gift_quiz(path, root, problems)
            else:
                continue
            if quiz is not None:
                tree.quizzes[quiz.slug] = quiz
            else:
                tree.unreadable.add(path.stem)
    _check_references(tree, root, problems)
    return tree, problems


def _check_references(tree: ContentTree, root: Path, problems: Problems) -> None:
    for quiz in tree.quizzes.values():
        if quiz.course and quiz.course not in tree.courses and quiz.course not in tree.unreadable:
            rel = f"quizzes/{quiz.slug}.{'gift' if quiz.source_format == 'gift' else 'toml'}"
            text = (root / rel).read_text(encoding="utf-8-sig") if (root / rel).is_file() else ""
            problems.add(
                rel,
                SourceLines(text).key("course") if text else 1,
                f"quiz points at unknown course {quiz.course!r}",
            )
    if tree.programme is not None:
        check_programme_references(tree, root, problems)


def check(root: Path, paths: Sequence[str] | None = None) -> tuple[ContentTree, list[Problem]]:
    """Read and check the content; with paths, only problems in those files or folders count."""
    tree, problems = read_tree(root)
    found = problems.sorted()
    if paths:
        wanted = []
        for p in paths:
            resolved = Path(p).resolve()
            try:
                wanted.append(str(resolved.relative_to(root.resolve())))
            except ValueError:
                wanted.append(p.rstrip("/"))
        found = [
            pr for pr in found if any(pr.path == w or pr.path.startswith(w.rstrip("/") + "/") for w in wanted)
        ]
    return tree, found


def as_json(value: Any) -> Any:
    """Content values as plain JSON types (tuples to lists)."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [as_json(v) for v in value]
    return value
