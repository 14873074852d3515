"""The layout of lending/services: its modules import one another without a cycle, and they
use the matching engine through its public interface only.

Imports are read with ast, at module level and inside functions alike: an import made
inside a function to dodge a cycle is still a cycle (the two modules still need each
other). No app or database needed.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVICES = ROOT / "lending" / "services"
PACKAGE = "lending.services"

# (importer, imported) edges allowed to close a cycle, each with the reason it must stay.
ALLOWED_EDGES: dict[tuple[str, str], str] = {}


def _module_names() -> dict[str, Path]:
    """Dotted name of every module under lending/services (a package by its __init__)."""
    names = {}
    for path in SERVICES.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[".".join(parts)] = path
    return names


def _imported(node: ast.AST, module: str, is_package: bool) -> list[str]:
    """Dotted names an import statement refers to (modules, or names inside modules)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    base = node.module or ""
    if node.level:
        package = module.split(".")
        package = package[: len(package) - node.level + (1 if is_package else 0)]
        base = ".".join([*package, base] if base else package)
    return [base] + [f"{base}.{alias.name}" for alias in node.names]


def _target(name: str, modules) -> str | None:
    """The services module `name` is (or lives in), if any."""
    while name:
        if name in modules and name != PACKAGE:
            return name
        name = name.rpartition(".")[0]
    return None


def import_graph(sources: dict[str, tuple[str, bool]] | None = None) -> dict[str, dict[str, int]]:
    """{importer: {imported: line}} among the modules of lending/services, or among
    `sources` ({dotted name: (source, is a package)}) when given."""
    if sources is None:
        sources = {
            name: (path.read_text(), path.name == "__init__.py")
            for name, path in _module_names().items()
        }
    graph: dict[str, dict[str, int]] = {name: {} for name in sources}
    for module, (text, is_package) in sources.items():
        for node in ast.walk(ast.parse(text, module)):
            for name in _imported(node, module, is_package):
                target = _target(name, sources)
                if target and target != module:
                    graph[module].setdefault(target, node.lineno)
    return graph


def cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def _short(name: str) -> str:
    return name.removeprefix(PACKAGE + ".")


def test_services_import_one_another_without_cycles():
    graph = import_graph()
    for importer, imported in ALLOWED_EDGES:
        graph[f"{PACKAGE}.{importer}"].pop(f"{PACKAGE}.{imported}", None)
    problems = []
    for component in cycles(graph):
        edges = [
            f"{_short(a)}:{graph[a][b]} -> {_short(b)}"
            for a in component
            for b in sorted(graph[a])
            if b in component
        ]
        problems.append(
            "cycle among " + ", ".join(map(_short, component)) + ": " + "; ".join(edges)
        )
    assert not problems, (
        "Move the shared piece to a lower module, or let the caller pass what the lower "
        "module needs (an import inside a function counts too):\n" + "\n".join(problems)
    )


def test_allowed_edges_are_still_there():
    graph = import_graph()
    for importer, imported in ALLOWED_EDGES:
        assert f"{PACKAGE}.{imported}" in graph.get(f"{PACKAGE}.{importer}", {}), (
            f"{importer} no longer imports {imported}: drop it from ALLOWED_EDGES"
        )


def test_cycle_finder_sees_a_cycle_made_inside_a_function():
    source = {
        "a": "from lending.services import b\n",
        "b": "def f():\n    from lending.services.c import g\n",
        "c": "import lending.services.a\n",
        "d": "from lending.services import a\n",
    }
    graph = import_graph({f"{PACKAGE}.{name}": (text, False) for name, text in source.items()})
    assert cycles(graph) == [[f"{PACKAGE}.a", f"{PACKAGE}.b", f"{PACKAGE}.c"]]


def test_services_use_the_matching_engine_through_its_public_interface():
    """lending.matching's __init__ exports what the rest of the app may use."""
    for path in SERVICES.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            for name in names:
                assert not name.startswith("lending.matching."), (
                    f"{path.relative_to(ROOT)}:{node.lineno} imports {name}: import from "
                    "lending.matching (export the name there if it is missing)"
                )
