"""How the code is put together: the imports between the services, the reminders and the tasks go one way
(issue 10), and rule-derived facts are read, not worked out again, outside coordination/rules/."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "coordination"


def _imports_of(path: Path) -> set[str]:
    """Every coordination module a file imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("coordination"):
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("coordination"))
    return found


def _area(module: str) -> str | None:
    """The part of the code a module belongs to, of the three that used to import each other in a circle."""
    parts = module.split(".")
    for area in ("services", "reminders", "tasks"):
        if len(parts) > 1 and parts[1] == area:
            return area
    return None


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {"services": set(), "reminders": set(), "tasks": set()}
    for path in ROOT.rglob("*.py"):
        module = ".".join(path.relative_to(ROOT.parent).with_suffix("").parts)
        source = _area(module)
        if source is None:
            continue
        for target in filter(None, map(_area, _imports_of(path))):
            if target != source:
                graph[source].add(target)
    return graph


def test_the_tasks_reminders_and_services_import_each_other_one_way_only():
    # tasks -> reminders -> services; the services and the reminders queue tasks by name.
    graph = _graph()
    assert graph == {"tasks": {"reminders"}, "reminders": {"services"}, "services": set()}


def test_no_module_of_the_reminders_is_over_400_lines():
    for path in (ROOT / "reminders").glob("*.py"):
        assert len(path.read_text().splitlines()) <= 400, path.name


def test_no_module_outside_the_migrations_is_over_400_lines():
    # Issue 10: a newcomer finds a module by the domain and reads it whole; long files are split by meaning.
    too_long = {
        str(path.relative_to(ROOT)): length
        for path in ROOT.rglob("*.py")
        if "migrations" not in path.parts and (length := len(path.read_text().splitlines())) > 400
    }
    assert too_long == {}
