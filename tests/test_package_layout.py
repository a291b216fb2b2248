"""The package reads as the pipeline: only shared helpers at its root, and no import cycle."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "workflow"
SHARED_HELPERS = {"__init__", "answers", "errors", "fr", "libreoffice", "text", "workspace"}
SHARED_HELPERS |= {"libreoffice_server"}  # the long-lived converter libreoffice.py runs, beside it


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _module_level_imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """Return the workflow modules imported when this one is (not inside functions, not for typing)."""
    imported = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("workflow"):
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                imported.add(candidate if candidate in modules else node.module)
        elif isinstance(node, ast.Import):
            imported |= {a.name for a in node.names if a.name.startswith("workflow")}
    return imported & set(modules)


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """Return one import cycle as a path of module names, or [] when there is none."""
    state: dict[str, int] = {}

    def visit(name: str, trail: list[str]) -> list[str]:
        state[name] = 1
        for dep in sorted(graph[name]):
            if state.get(dep) == 1:
                return [*trail[trail.index(dep) :], dep] if dep in trail else [name, dep]
            if dep not in state and (found := visit(dep, [*trail, dep])):
                return found
        state[name] = 2
        return []

    for start in sorted(graph):
        if start not in state and (found := visit(start, [start])):
            return found
    return []


def test_only_shared_helpers_sit_at_the_package_root():
    loose = {p.stem for p in PACKAGE.glob("*.py")} - SHARED_HELPERS
    assert loose == set(), f"modules to put in their stage's folder: {sorted(loose)}"


def test_no_module_imports_itself_back_through_another():
    modules = _modules()
    graph = {name: _module_level_imports(path, modules) - {name} for name, path in modules.items()}
    assert _cycle(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
