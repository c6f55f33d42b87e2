"""The layout's rules that import-linter cannot state (docs/architecture.md): no import cycle between modules,
and a rule engine that touches no Django model or database."""

import ast
from pathlib import Path

import grimp

SCREENING = Path(__file__).resolve().parents[2] / "screening"


def _cycle(graph, modules) -> list[str] | None:
    """One import cycle among `modules`, or None (depth-first search with colours)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module):
        state[module] = 1
        path.append(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module) & modules):
            if state.get(imported) == 1:
                return [*path[path.index(imported) :], imported]
            if imported not in state and (found := visit(imported)):
                return found
        state[module] = 2
        path.pop()
        return None

    for module in sorted(modules):
        if module not in state and (found := visit(module)):
            return found
    return None


def test_no_module_of_the_project_imports_itself_through_others():
    graph = grimp.build_graph("screening")  # imports inside functions too
    assert _cycle(graph, set(graph.modules)) is None


def test_the_cycle_finder_finds_a_cycle():
    graph = grimp.ImportGraph()
    for name in ("a", "b", "c"):
        graph.add_module(name)
    graph.add_import(importer="a", imported="b")
    graph.add_import(importer="b", imported="c")
    assert _cycle(graph, {"a", "b", "c"}) is None
    graph.add_import(importer="c", imported="a")
    assert _cycle(graph, {"a", "b", "c"}) == ["a", "b", "c", "a"]


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.ImportFrom) and node.level:  # relative: resolved against screening/rules
            names.add(("screening." if node.level > 1 else "screening.rules.") + (node.module or ""))
    return names


def test_the_rule_engine_imports_no_django_model_or_database():
    forbidden = ("django.db", "django.apps", "django.contrib", "screening.models", "screening.selectors")
    found = {
        (path.name, name)
        for path in (SCREENING / "rules").glob("*.py")
        for name in _imports(path)
        if name.startswith(forbidden)
    }
    assert found == set()
