"""The app's import graph: no cycles among module-level imports, and no layer imports a higher one.

The graph is read with :mod:`ast` from every ``.py`` file of the app packages, so nothing is
imported to check it. A module-level import (class bodies included) runs when the module loads: no
cycle may form among those. Imports inside functions and under ``if TYPE_CHECKING:`` are deferred:
cycles through them are allowed only where listed below with a reason, and they count in full for
the layer check. CONTRIBUTING.md states the same layers in prose.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "adapters", "storage", "models", "nlu", "csatbot")

# What each layer must not import (a prefix forbids the module and everything under it).
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "bot": ("storage", "adapters", "csatbot"),
    "models": ("adapters", "csatbot"),
    "storage": ("adapters", "csatbot"),
    "adapters": ("csatbot",),
    "nlu": ("storage", "adapters", "csatbot", "models"),
}
# nlu sits beside bot's pure core: it may use these bot modules and no other part of bot.
NLU_MAY_IMPORT_FROM_BOT = (
    "bot.classification",
    "bot.config",
    "bot.denying",
    "bot.errors",
    "bot.hanzi",
    "bot.storable",
    "bot.triage",
)

# Cycles that only deferred imports (inside functions, under TYPE_CHECKING) close: they load fine
# but still tie two modules together. None is left; one added here needs its reason beside it.
ALLOWED_DEFERRED_TANGLES: frozenset[frozenset[str]] = frozenset()

# Known layer violations (none today), one line each with the reason; an entry that no longer occurs
# fails the test too, so the list only shrinks. Format: (importing module, imported module).
ALLOWED_VIOLATIONS: frozenset[tuple[str, str]] = frozenset()


@dataclass(frozen=True)
class Edge:
    """One import: ``source`` imports ``target``; ``eager`` when it runs as the module loads."""

    source: str
    target: str
    eager: bool
    line: int


def module_names() -> dict[str, Path]:
    """Every app module by dotted name (a package under its own name)."""
    names: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            names[".".join(parts)] = path
    return names


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(node: ast.AST, eager: bool) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Import statements under ``node``, with whether each runs when the module loads."""
    if isinstance(node, ast.Import | ast.ImportFrom):
        yield node, eager
        return
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
        eager = False
    if isinstance(node, ast.If) and _is_type_checking(node.test):
        for stmt in node.body:
            yield from _imports(stmt, eager=False)
        for stmt in node.orelse:
            yield from _imports(stmt, eager)
        return
    for child in ast.iter_child_nodes(node):
        yield from _imports(child, eager)


def _resolve(name: str, node: ast.Import | ast.ImportFrom, modules: dict[str, Path]) -> list[str]:
    """The app modules one import statement in module ``name`` loads (most specific only)."""
    found: list[str] = []
    if isinstance(node, ast.Import):
        candidates = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            is_package = modules[name].name == "__init__.py"
            anchor = name.split(".")
            anchor = anchor if is_package else anchor[:-1]
            anchor = anchor[: len(anchor) - (node.level - 1)]
            base = ".".join([*anchor, base] if base else anchor)
        candidates = [
            f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names
        ]
    for candidate in candidates:
        parts = candidate.split(".")
        while parts and ".".join(parts) not in modules:
            parts.pop()
        if parts and ".".join(parts) not in found:
            found.append(".".join(parts))
    return found


def import_graph() -> list[Edge]:
    """Every import between app modules."""
    modules = module_names()
    edges: list[Edge] = []
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node, eager in _imports(tree, eager=True):
            edges.extend(
                Edge(name, target, eager, node.lineno)
                for target in _resolve(name, node, modules)
                if target != name
            )
    return edges


def _graph(edges: list[Edge], eager_only: bool) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for edge in edges:
        if edge.eager or not eager_only:
            graph.setdefault(edge.source, set()).add(edge.target)
            graph.setdefault(edge.target, set())
    return graph


def tangles(edges: list[Edge], *, eager_only: bool = True) -> list[frozenset[str]]:
    """The strongly connected components (more than one module) of the import graph (Tarjan)."""
    graph = _graph(edges, eager_only)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[frozenset[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component: set[str] = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(frozenset(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return components


def find_cycles(edges: list[Edge], *, eager_only: bool = True) -> list[list[str]]:
    """One cycle (as a closed path) per strongly connected component of the import graph."""
    graph = _graph(edges, eager_only)
    return [_cycle_in(component, graph) for component in tangles(edges, eager_only=eager_only)]


def _cycle_in(component: frozenset[str], graph: dict[str, set[str]]) -> list[str]:
    """A shortest closed path through the component's first module (breadth-first)."""
    start = min(component)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following: list[str] = []
        for node in frontier:
            for nxt in sorted(graph[node] & component):
                if nxt == start:
                    return [*paths[node], start]
                if nxt not in paths:
                    paths[nxt] = [*paths[node], nxt]
                    following.append(nxt)
        frontier = following
    raise AssertionError(f"no cycle through {start}")  # pragma: no cover - a component has one


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def layer_violations(edges: list[Edge]) -> set[tuple[str, str]]:
    """(importer, imported) pairs where a layer imports something it must not."""
    found: set[tuple[str, str]] = set()
    for edge in edges:
        layer = edge.source.split(".")[0]
        forbidden = FORBIDDEN.get(layer, ())
        bad = any(_within(edge.target, prefix) for prefix in forbidden)
        if layer == "nlu" and _within(edge.target, "bot"):
            bad = not any(_within(edge.target, allowed) for allowed in NLU_MAY_IMPORT_FROM_BOT)
        if bad:
            found.add((edge.source, edge.target))
    return found


@pytest.fixture(scope="module")
def edges() -> list[Edge]:
    return import_graph()


def test_the_graph_sees_the_apps_imports(edges: list[Edge]) -> None:
    # Guards the walker itself: known imports of each kind must be found.
    pairs = {(e.source, e.target, e.eager) for e in edges}
    assert ("bot.service", "bot.turns", True) in pairs  # from bot import turns
    assert ("nlu.cli", "bot.config", False) in pairs  # inside a function
    assert ("nlu.settings", "bot.config.schema", False) in pairs  # under TYPE_CHECKING
    assert len({e.source for e in edges}) > 200


def test_no_import_cycles(edges: list[Edge]) -> None:
    cycles = find_cycles(edges)
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_no_new_cycles_through_deferred_imports(edges: list[Edge]) -> None:
    found = set(tangles(edges, eager_only=False))
    new = found - ALLOWED_DEFERRED_TANGLES
    gone = ALLOWED_DEFERRED_TANGLES - found
    assert not new, "cycles through deferred imports:\n" + "\n".join(" <-> ".join(sorted(t)) for t in new)
    assert not gone, "untangled, remove from ALLOWED_DEFERRED_TANGLES:\n" + "\n".join(
        str(sorted(t)) for t in gone
    )


def test_no_layer_imports_a_higher_one(edges: list[Edge]) -> None:
    found = layer_violations(edges)
    new = sorted(found - ALLOWED_VIOLATIONS)
    gone = sorted(ALLOWED_VIOLATIONS - found)
    where = {(e.source, e.target): e.line for e in edges}
    assert not new, "layer violations:\n" + "\n".join(f"{a} (line {where[a, b]}) imports {b}" for a, b in new)
    assert not gone, "fixed, remove from ALLOWED_VIOLATIONS:\n" + "\n".join(f"{a} -> {b}" for a, b in gone)


def test_the_checks_catch_a_cycle_and_a_layer_break() -> None:
    planted = [
        Edge("adapters.a", "adapters.b", True, 1),
        Edge("adapters.b", "adapters.c", True, 1),
        Edge("adapters.c", "adapters.a", True, 1),
        Edge("adapters.c", "adapters.d", False, 1),
        Edge("adapters.d", "adapters.c", True, 1),
        Edge("bot.x", "storage.y", False, 1),
        Edge("nlu.z", "bot.service", False, 1),
        Edge("nlu.z", "bot.triage", True, 1),
    ]
    assert find_cycles(planted) == [["adapters.a", "adapters.b", "adapters.c", "adapters.a"]]
    assert set(tangles(planted, eager_only=False)) == {
        frozenset({"adapters.a", "adapters.b", "adapters.c", "adapters.d"})
    }
    assert layer_violations(planted) == {("bot.x", "storage.y"), ("nlu.z", "bot.service")}
