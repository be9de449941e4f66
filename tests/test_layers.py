"""The modules of site/ form layers that point one way, read from their source.

From the bottom: shared basics (``core``: errors, workers, files; and
``config.kiln``, the declared settings), the blog (``blog``: content model,
pages, views), search (``search``), the build (``kiln``), and the Django
project that wires them (``config``). A module imports only from its own
layer or below, no two modules import each other (directly or round a
loop), and no function imports one of our modules to hide such a loop.
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import PROJECT

SITE = PROJECT / "site"
LAYERS = [("core", "config.kiln"), ("blog",), ("search",), ("kiln",), ("config",)]
OURS = {"core", "config", "blog", "search", "kiln"}
# Django's place for imports that need the loaded apps
ALLOWED_IN_FUNCTIONS = {("kiln.apps", "ready")}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SITE).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, ast.Module]:
    return {
        module_name(path): ast.parse(path.read_text(encoding="utf-8"), str(path))
        for path in sorted(SITE.rglob("*.py"))
        if "migrations" not in path.parts
    }


def is_package(name: str) -> bool:
    return (SITE / name.replace(".", "/") / "__init__.py").is_file()


def targets(module: str, node: ast.Import | ast.ImportFrom, known: set[str]) -> set[str]:
    """Our modules that ``node`` (in ``module``) imports."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        if node.level:
            package = module if is_package(module) else module.rpartition(".")[0]
            for _ in range(node.level - 1):
                package = package.rpartition(".")[0]
            base = f"{package}.{node.module}" if node.module else package
        else:
            base = node.module or ""
        # `from blog import registry` imports the module blog.registry
        names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
    found = set()
    for name in names:
        while name and name not in known:
            name = name.rpartition(".")[0]
        if name and name.split(".")[0] in OURS:
            found.add(name)
    return found


def imports() -> tuple[dict[str, set[str]], list[str]]:
    """Module -> our modules it imports at module level; and the imports hidden in functions."""
    trees = modules()
    known = set(trees)
    graph: dict[str, set[str]] = {name: set() for name in trees}
    hidden = []
    for name, tree in trees.items():
        functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
        inside = set()
        for function in functions:
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    inside.add(id(node))
                    if targets(name, node, known) and (name, function.name) not in ALLOWED_IN_FUNCTIONS:
                        hidden.append(f"{name}.{function.name} (line {node.lineno}) imports {ast.unparse(node)}")
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom) and id(node) not in inside:
                graph[name] |= targets(name, node, known) - {name}
    return graph, hidden


def layer(module: str) -> int:
    for rank, prefixes in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return rank
    raise AssertionError(f"{module} is in no layer; add its package to LAYERS")


def test_every_module_is_read():
    graph, _hidden = imports()
    assert {"core.errors", "blog.registry", "kiln.build", "config.urls"} <= set(graph)
    assert "blog.models" in graph["blog.registry"] and "core.errors" in graph["kiln.build"]


def test_imports_point_down():
    graph, _hidden = imports()
    upward = [
        f"{module} imports {target}"
        for module, found in sorted(graph.items())
        for target in sorted(found)
        if layer(target) > layer(module)
    ]
    assert not upward, "\n".join(upward)


def test_no_import_cycle():
    graph, _hidden = imports()
    state: dict[str, int] = {}  # 1: on the path, 2: done
    cycles = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                cycles.append(" -> ".join([*path[path.index(target) :], target]))
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not cycles, "\n".join(cycles)


def test_no_import_hidden_in_a_function():
    _graph, hidden = imports()
    assert not hidden, "\n".join(hidden)
