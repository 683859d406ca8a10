"""The domain's areas depend one way (lms/domain/__init__.py): a lower area never imports a higher one."""

from __future__ import annotations

import ast
from pathlib import Path

import lms.domain

DOMAIN = Path(lms.domain.__file__).parent
#: Lowest first. An area may import itself and any area before it; `authoring` sits on top.
ORDER = [
    "accounts",
    "xapi",
    "curriculum",
    "assignments",
    "learning",
    "drills",
    "practice",
    "certification",
    "qc",
    "kpi",
    "tiers",
    "authoring",
]
SHARED = {"errors", "audit", "events", "transaction_memo", "people_statements"}
#: Top-level modules that wire the areas together, allowed to import any of them.
WIRING = {"reactions"}


def _domain_imports(path: Path) -> set[str]:
    """Every `lms.domain.<name>` this file imports, at module level or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("lms.domain"):
            parts = node.module.split(".")
            if len(parts) > 2:
                found.add(parts[2])
            else:
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[:2] == ["lms", "domain"] and len(parts) > 2:
                    found.add(parts[2])
    return found


def test_every_area_is_a_documented_package_in_the_order() -> None:
    packages = {p.name for p in DOMAIN.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert packages == set(ORDER)
    for name in ORDER:
        assert ast.get_docstring(ast.parse((DOMAIN / name / "__init__.py").read_text())), name
    modules = {p.stem for p in DOMAIN.glob("*.py")} - {"__init__"}
    assert modules <= SHARED | WIRING, "a loose module belongs in an area"


def test_areas_import_only_themselves_and_lower_areas() -> None:
    wrong = []
    for area in ORDER:
        for path in sorted((DOMAIN / area).rglob("*.py")):
            for used in _domain_imports(path) - SHARED:
                if used in WIRING or used not in ORDER or ORDER.index(used) > ORDER.index(area):
                    wrong.append(f"{path.relative_to(DOMAIN)} imports lms.domain.{used}")
    for name in SHARED:
        for used in _domain_imports(DOMAIN / f"{name}.py") - SHARED:
            wrong.append(f"{name}.py imports lms.domain.{used}")
    assert not wrong, "\n".join(wrong)
