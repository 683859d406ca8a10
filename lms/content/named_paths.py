"""`lms content check PATH…`: check what was named, wherever it lies.

A path is checked inside the curriculum it belongs to, so that a file gets the context it needs
(a quiz its course, a lesson its course.toml, the programme every course and quiz it names):

1. a folder holding `courses/` or `quizzes/` is a whole curriculum, checked as one;
2. anything under such a folder's `courses/` or `quizzes/` is checked within that curriculum,
   and only its own problems are reported;
3. a lone quiz file, a course folder (or a file in one) or a `program.toml` that belongs to no
   curriculum is checked as if it stood in the configured content folder, in place of its namesake.

A path that does not exist, or is none of these, is refused: checking nothing and saying "clean"
would be a lie. Problems name files as the user named them (relative to the working directory when
they lie under it), so they can be opened from the terminal; the configured content folder keeps
its root-relative paths.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from lms.content.curriculum_walk import walk
from lms.content.loader import read_tree
from lms.content.problems import Problem
from lms.content.specs import ContentTree

AREAS = ("courses", "quizzes")


class PathRefused(ValueError):
    """A named path that cannot be checked: missing, or not curriculum content."""


@dataclass(frozen=True)
class _Target:
    """One named path: which curriculum to read, and which of its problems are this path's."""

    shown: str
    root: Path
    #: Root-relative path whose problems count ("." for the whole curriculum).
    rel: str
    #: Turns a root-relative problem path into the path the user sees.
    show: Callable[[str], str]
    #: A lone item (case 3) and where it is laid into the content folder's layout.
    lone: Path | None = None
    lay_at: str = ""


@dataclass
class PathCheck:
    """What `check_paths` found, named as the user sees them, and a summary per path checked."""

    problems: list[Problem] = field(default_factory=list)
    #: Translation warnings (never failures, unless the caller is strict).
    warnings: list[Problem] = field(default_factory=list)
    checked: list[tuple[str, str]] = field(default_factory=list)


def check_paths(
    content_root: Path,
    paths: Sequence[str | Path],
    cwd: Path | None = None,
    *,
    strict_translations: bool = False,
) -> PathCheck:
    """Check each named path in its curriculum; raises PathRefused before reading anything.

    `strict_translations` adds what the Chinese-first walk finds to the warnings.
    """
    cwd = (cwd or Path.cwd()).resolve()
    targets = [_target(content_root.resolve(), Path(p), cwd) for p in paths]
    result = PathCheck()
    trees: dict[Path, _Read] = {}
    for target in targets:
        if target.lone is not None:
            with _laid_in(content_root, target.lay_at, target.lone) as base:
                read = _read(base, strict_translations)
        else:
            if target.root not in trees:
                trees[target.root] = _read(target.root, strict_translations)
            read = trees[target.root]
        result.problems += _named(read.problems, target)
        result.warnings += _named(read.warnings, target)
        result.checked.append((target.shown, read.tree.summary()))
    result.problems = sorted(set(result.problems))
    result.warnings = sorted(set(result.warnings))
    return result


@dataclass
class _Read:
    tree: ContentTree
    problems: list[Problem]
    warnings: list[Problem]


def _read(root: Path, strict_translations: bool) -> _Read:
    tree, problems = read_tree(root)
    warnings = list(tree.translation_warnings)
    if strict_translations:
        warnings = sorted(set(warnings) | set(walk(tree)))
    return _Read(tree, problems.sorted(), warnings)


def _named(found: list[Problem], target: _Target) -> list[Problem]:
    """The problems that lie in the target, under the names the user gave."""
    return [
        Problem(target.show(p.path), p.line, p.message)
        for p in found
        if target.rel == "." or p.path == target.rel or p.path.startswith(target.rel + "/")
    ]


def _target(content_root: Path, given: Path, cwd: Path) -> _Target:
    """Where a named path lies, and how to check it (the module docstring's three cases)."""
    candidates = [given] if given.is_absolute() else [cwd / given, content_root / given]
    path = next((c.resolve() for c in candidates if c.exists()), None)
    if path is None:
        raise PathRefused(f"{given}: no such file or folder")
    shown = _shown(path, cwd)
    root, rel = _curriculum_of(path)
    if root is not None:
        if root == content_root:
            return _Target(shown, root, rel, lambda p: p)
        base = _shown(root, cwd)
        return _Target(shown, root, rel, lambda p: p if base == "." else f"{base}/{p}")
    if path.is_dir() and (path / "course.toml").is_file():
        rel = f"courses/{path.name}"
        return _Target(shown, content_root, rel, _under(shown), lone=path, lay_at=rel)
    if path.is_file() and (path.parent / "course.toml").is_file():
        folder = path.parent
        return _Target(
            shown,
            content_root,
            f"courses/{folder.name}/{path.name}",
            _under(_shown(folder, cwd)),
            lone=folder,
            lay_at=f"courses/{folder.name}",
        )
    if path.is_file() and path.name == "program.toml":
        rel = "courses/program.toml"
        return _Target(shown, content_root, rel, lambda _p: shown, lone=path, lay_at=rel)
    if path.is_file() and path.suffix in (".toml", ".gift"):
        rel = f"quizzes/{path.name}"
        return _Target(shown, content_root, rel, lambda _p: shown, lone=path, lay_at=rel)
    if path.is_dir():
        raise PathRefused(f"{shown}: holds no courses/ or quizzes/ folder and is not a course folder")
    raise PathRefused(
        f"{shown}: not curriculum content (a quiz .toml or .gift, program.toml, or a file in a course folder)"
    )


def _curriculum_of(path: Path) -> tuple[Path | None, str]:
    """The nearest folder holding courses/ or quizzes/ that path is, or lies under, and path within it."""
    if path.is_dir() and any((path / area).is_dir() for area in AREAS):
        return path, "."
    for parent in path.parents:
        rel = path.relative_to(parent)
        if rel.parts[0] in AREAS and (parent / rel.parts[0]).is_dir():
            return parent, rel.as_posix()
    return None, ""


def _under(shown_folder: str) -> Callable[[str], str]:
    """Maps courses/<slug>/<file> back to the lone course folder the user named."""
    return lambda p: "/".join([shown_folder, *p.split("/")[2:]])


def _shown(path: Path, cwd: Path) -> str:
    """A path as the user reads it: relative to the working directory when under it."""
    return path.relative_to(cwd).as_posix() if path.is_relative_to(cwd) else path.as_posix()


@contextmanager
def _laid_in(content_root: Path, rel: str, item: Path) -> Iterator[Path]:
    """A throw-away curriculum: the content folder's files (linked, not copied) with item at rel."""
    with tempfile.TemporaryDirectory(prefix="lms-check-") as tmp:
        base = Path(tmp)
        for area in AREAS:
            (base / area).mkdir()
            source = content_root / area
            for entry in sorted(source.iterdir()) if source.is_dir() else ():
                (base / area / entry.name).symlink_to(entry.resolve(), target_is_directory=entry.is_dir())
        destination = base / rel
        if rel.startswith("quizzes/"):
            # One file per quiz: the named file replaces its namesake in either format.
            for suffix in (".toml", ".gift"):
                destination.with_suffix(suffix).unlink(missing_ok=True)
        elif destination.is_symlink():
            destination.unlink()
        destination.symlink_to(item.resolve(), target_is_directory=item.is_dir())
        yield base
