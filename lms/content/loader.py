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
from lms.content.rulebook import compiled, read_rulebook
from lms.content.rulebook.sendable import SendableLine, check_lines, lesson_lines
from lms.content.scenarios import check_rule_ids, read_scenarios
from lms.content.specs import ContentTree
from lms.content.toml_source import TomlSource
from lms.content.translations import freshness_warnings, read_lock

#: The top-level files courses/ may hold besides course folders.
COURSES_FILES = ("program.toml", "compliance.toml")


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
    if tree.rulebook is not None:
        check_rule_ids(tree.scenarios.values(), {rule.id: rule for rule in tree.rulebook.rules}, problems)
    tree.sendable = _sendable(tree, sources)
    if tree.rulebook is not None and not problems:
        _check_sendable(tree, problems)
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
            for index, entry in enumerate(entries):
                if entry.day is not None and faq_source is not None:
                    line = faq_source.line("entries", index, "day")
                    sources.faq_days.append((f"{rel}/faq.toml", line, course_dir.name, entry.id, entry.day))
            if faq_source is not None:
                sources.faq_files.append((f"{rel}/faq.toml", entries, faq_source))
            _unique_across_files(
                entries, "id", "entries", "FAQ id", f"{rel}/faq.toml", faq_ids, faq_source, problems
            )
        for scenario, scenario_source in read_scenarios(course_dir, root, problems):
            sources.lines[scenario.path] = scenario_source
            if scenario.slug in tree.scenarios:
                problems.add(
                    scenario.path,
                    1,
                    f"scenario {scenario.slug!r} is also in {tree.scenarios[scenario.slug].path}",
                )
            else:
                tree.scenarios[scenario.slug] = scenario
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
    rulebook_file = folder / "compliance.toml"
    if rulebook_file.is_file():
        tree.rulebook = read_rulebook(rulebook_file, root, problems)
        if tree.rulebook is None:
            tree.unreadable.add("compliance")
    for path in sorted(folder.glob("*.toml")):
        if path.name not in COURSES_FILES:
            problems.add(
                path.relative_to(root).as_posix(),
                1,
                "unknown file: courses/ holds program.toml, compliance.toml and course folders",
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


def _value_line(source: TomlSource, key_line: int) -> tuple[int, bool]:
    """Where a TOML string value's text starts, and whether its line breaks are the file's (\"\"\")."""
    lines = source.text.split("\n")
    raw = lines[key_line - 1] if 0 < key_line <= len(lines) else ""
    multiline = '"""' in raw or "'''" in raw
    return (key_line + 1 if raw.rstrip().endswith(('"""', "'''")) else key_line), multiline


def _sendable(tree: ContentTree, sources: Sources) -> list[SendableLine]:
    """Every line of the curriculum an agent could send as is (rulebook/sendable.py)."""
    found: list[SendableLine] = []
    for quiz in tree.quizzes.values():
        path = sources.quiz_files.get(quiz.slug, "")
        source = sources.lines.get(path)
        answer_lines: dict[int, tuple[int, bool]] = {}
        if isinstance(source, TomlSource):
            starts = {at[1]: line for at, line in source.paths() if len(at) == 2 and at[0] == "questions"}
            for at, line in source.paths():
                if len(at) == 3 and at[0] == "questions" and at[2] == "model_answer" and at[1] in starts:
                    answer_lines[starts[at[1]]] = _value_line(source, line)
        for question in quiz.questions:
            model = question.body.get("model_answer") if question.type == "reply" else None
            if model:
                line, multiline = answer_lines.get(question.line, (question.line, False))
                found.append(SendableLine(path, line, model, f"model answer of {question.id}", multiline))
    for path, entries, faq_source in sources.faq_files:
        for index, entry in enumerate(entries):
            line, multiline = _value_line(faq_source, faq_source.line("entries", index, "answer"))
            found.append(SendableLine(path, line, entry.answer, f"answer of FAQ {entry.id}", multiline))
    for course in tree.courses.values():
        for lesson in course.lessons:
            found.extend(lesson_lines(f"courses/{course.slug}/{lesson.file}", lesson.body))
    for scenario in tree.scenarios.values():
        source = TomlSource(_scenario_text(scenario.path, sources))
        for index, node in enumerate(scenario.nodes):
            if node.model:
                line, multiline = _value_line(source, source.line("nodes", index, "model"))
                found.append(
                    SendableLine(scenario.path, line, node.model, f"model reply of node {node.id}", multiline)
                )
    return found


def _scenario_text(path: str, sources: Sources) -> str:
    found = sources.lines.get(path)
    return found.text if isinstance(found, TomlSource) else ""


def _check_sendable(tree: ContentTree, problems: Problems) -> None:
    """Every model answer, FAQ answer and sendable lesson line must pass the rule book's red lines."""
    assert tree.rulebook is not None
    book = compiled(tree.rulebook)
    for problem in check_lines(book, tree.sendable):
        problems.add(problem.path, problem.line, problem.message)


def check(root: Path) -> tuple[ContentTree, list[Problem]]:
    """Read and check the whole curriculum under root (named paths: `lms.content.named_paths`)."""
    tree, problems = read_tree(root)
    return tree, problems.sorted()


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
