"""Reading courses/ and quizzes/ into specs, checking everything (`lms content check`).

`check(root)` reads every file, collects every problem (one bad file never hides another's) and
then checks what the files say about each other. Nothing is loaded anywhere: the caller syncs
the tree only when the problem list is empty.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from lms.content.courses import read_course
from lms.content.faq import read_faq
from lms.content.problems import Problem, Problems
from lms.content.products import read_products
from lms.content.programme import read_programme
from lms.content.quizzes import read_gift_quiz, read_quiz
from lms.content.references import Sources, check_references
from lms.content.specs import ContentTree
from lms.content.translations import freshness_warnings, read_lock


def read_tree(root: Path) -> tuple[ContentTree, Problems]:
    """Everything under root/courses and root/quizzes, with every problem found."""
    problems = Problems()
    tree = ContentTree()
    sources = Sources()
    courses_dir, quizzes_dir = root / "courses", root / "quizzes"
    if not courses_dir.is_dir() and not quizzes_dir.is_dir():
        problems.add(".", 1, f"no courses/ or quizzes/ folder in {root}")
    if courses_dir.is_dir():
        _read_courses(courses_dir, root, tree, sources, problems)
    if quizzes_dir.is_dir():
        _read_quizzes(quizzes_dir, root, tree, sources, problems)
    check_references(tree, sources, problems)
    tree.translatable = list(problems.translatable)
    lock = read_lock(root, problems)
    tree.translation_warnings = sorted(set(problems.warnings + freshness_warnings(tree.translatable, lock)))
    return tree, problems


def _read_courses(folder: Path, root: Path, tree: ContentTree, sources: Sources, problems: Problems) -> None:
    faq_ids: dict[str, str] = {}
    skus: dict[str, str] = {}
    for course_dir in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        rel = course_dir.relative_to(root).as_posix()
        if not (course_dir / "course.toml").is_file():
            problems.add(rel, 1, "a course folder needs a course.toml")
            continue
        course, source = read_course(course_dir, root, problems)
        if course is not None and source is not None:
            tree.courses[course.slug] = course
            sources.lines[f"{rel}/course.toml"] = source
        else:
            tree.unreadable.add(course_dir.name)
        faq_file = course_dir / "faq.toml"
        if faq_file.is_file():
            entries, faq_source = read_faq(faq_file, root, problems)
            tree.faq.extend(entries)
            _unique_across_files(
                entries, "id", "entries", "FAQ id", f"{rel}/faq.toml", faq_ids, faq_source, problems
            )
        products_file = course_dir / "products.toml"
        if products_file.is_file():
            products, product_source = read_products(products_file, root, problems)
            tree.products.extend(products)
            _unique_across_files(
                products, "sku", "products", "SKU", f"{rel}/products.toml", skus, product_source, problems
            )
    programme_file = folder / "program.toml"
    if programme_file.is_file():
        programme, source = read_programme(programme_file, root, problems)
        tree.programme = programme
        if source is not None:
            sources.lines[programme_file.relative_to(root).as_posix()] = source
    for path in sorted(folder.glob("*.toml")):
        if path.name != "program.toml":
            problems.add(
                path.relative_to(root).as_posix(),
                1,
                "unknown file: courses/ holds program.toml and course folders",
            )


def _unique_across_files(
    items: Sequence[Any],
    key: str,
    table: str,
    what: str,
    path: str,
    seen: dict[str, str],
    source: Any,
    problems: Problems,
) -> None:
    for index, item in enumerate(items):
        value = getattr(item, key)
        if value and value in seen and seen[value] != path:
            line = source.line(table, index, key) if source is not None else 1
            problems.add(path, line, f"{what} {value!r} is already used in {seen[value]}")
        seen.setdefault(value, path)


def _read_quizzes(folder: Path, root: Path, tree: ContentTree, sources: Sources, problems: Problems) -> None:
    for path in sorted(folder.iterdir()):
        if path.suffix not in (".toml", ".gift") or not path.is_file():
            continue
        rel = path.relative_to(root).as_posix()
        if path.stem in sources.quiz_files:
            problems.add(
                rel, 1, f"quiz {path.stem!r} is also in {sources.quiz_files[path.stem]}: one file per quiz"
            )
            continue
        sources.quiz_files[path.stem] = rel
        reader = read_quiz if path.suffix == ".toml" else read_gift_quiz
        quiz, source = reader(path, root, problems)
        if quiz is None or source is None:
            tree.unreadable.add(path.stem)
            continue
        tree.quizzes[quiz.slug] = quiz
        sources.lines[rel] = source


def check(root: Path, paths: Sequence[str | Path] | None = None) -> tuple[ContentTree, list[Problem]]:
    """Read and check the content under root; with `paths`, only problems in those files or folders."""
    tree, problems = read_tree(root)
    found = problems.sorted()
    if paths:
        wanted = [_relative(root, p) for p in paths]

        def inside(problem: Problem) -> bool:
            return any(w in (".", problem.path) or problem.path.startswith(w + "/") for w in wanted)

        found = [p for p in found if inside(p)]
        tree.translation_warnings = [p for p in tree.translation_warnings if inside(p)]
    return tree, found


def relative_paths(root: Path, paths: Sequence[str | Path]) -> list[str]:
    """Paths given on the command line, relative to the content root."""
    return [_relative(root, p) for p in paths]


def _relative(root: Path, path: str | Path) -> str:
    """A path given on the command line, relative to the content root."""
    candidate = Path(path)
    for base in (Path.cwd(), root):
        try:
            return (base / candidate).resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            continue
    return candidate.as_posix().rstrip("/")


def as_json(value: Any) -> Any:
    """Content values as plain JSON types (tuples become lists)."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [as_json(v) for v in value]
    return value
