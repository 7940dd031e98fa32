"""The package's import structure, read from the source: which folder may import which,
no import cycles, no private names imported across modules.  docs/architecture.md states
the rules this checks."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
NOT_PACKAGE = {"tests", "bench", "scripts", "examples", "docs", "build"}

BASE = {"errors", "numerics", "precision_syntax", "float_to_fixed", "gc_paused", "progress"}
"""Top-level modules every folder may use."""

ALLOWED = {
    "cmvm": set(),
    "dialects": {"cmvm"},
    "interpreters": {"dialects"},
    "transforms": {"cmvm", "dialects", "interpreters", "lowering"},
    "lowering": {"cmvm", "dialects", "interpreters", "transforms"},
    "backends": {"cmvm", "dialects", "interpreters", "transforms", "lowering"},
    "verification": {"cmvm", "dialects", "interpreters", "transforms", "lowering", "backends", "importers",
                     "registry"},
    "importers": {"dialects", "interpreters"},
}
"""The folders each folder may import besides itself and BASE; a folder not listed (the
driver, the Python API, the registry, test support) may import any."""


def package_modules() -> dict[str, Path]:
    modules = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if parts[0] in NOT_PACKAGE or any(p.startswith(".") for p in parts):
            continue
        name = ".".join(parts)[:-3]
        name = name.removesuffix("__init__").rstrip(".")
        modules[name] = path
    return modules


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> list[tuple[str, str]]:
    """(module imported, name imported) for every import of a package module, late ones too."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            base = package[: len(package) - node.level + 1]
            target = ".".join(base + ([node.module] if node.module else []))
        elif node.module and node.module.split(".")[0] == "fpga_opt":
            target = node.module.removeprefix("fpga_opt").lstrip(".")
        else:
            continue
        for alias in node.names:
            sub = f"{target}.{alias.name}".strip(".")
            found.append((sub if sub in modules else target, alias.name))
    return found


@cache
def import_graph() -> tuple[dict[str, set[str]], list[tuple[str, str, str]]]:
    modules = package_modules()
    edges: dict[str, set[str]] = defaultdict(set)
    private = []
    for name, path in modules.items():
        for target, imported in imports_of(name, path, modules):
            if target in modules and target != name:
                edges[name].add(target)
                if imported.startswith("_") and not imported.startswith("__"):
                    private.append((name, target, imported))
    return edges, private


def cycles(edges: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for root in list(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            advanced = False
            for nxt in successors:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(edges[nxt]))))
                    advanced = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(component)
    return found


def folder(module: str) -> str:
    return module.split(".")[0]


KNOWN_CYCLES: list[set[str]] = []
"""Cycles still to be untied (the architecture issue); the list may only shrink."""

KNOWN_UPWARD: set[tuple[str, str]] = set()
KNOWN_PRIVATE: set[tuple[str, str, str]] = set()


def test_no_new_import_cycles():
    found = cycles(import_graph()[0])
    new = [c for c in found if c not in KNOWN_CYCLES]
    assert not new, f"import cycles: {[sorted(c) for c in new]}"


def test_folders_import_only_below_themselves():
    edges, _ = import_graph()
    upward = {(a, b) for a, targets in edges.items() for b in targets
              if folder(a) in ALLOWED and folder(b) != folder(a) and folder(b) not in BASE
              and folder(b) not in ALLOWED[folder(a)]}
    assert upward <= KNOWN_UPWARD, f"imports against the layering: {sorted(upward - KNOWN_UPWARD)}"


def test_no_private_names_across_modules():
    _, private = import_graph()
    assert set(private) <= KNOWN_PRIVATE, f"private names imported: {sorted(set(private) - KNOWN_PRIVATE)}"


OPTIMIZER_LIBRARIES = {"numpy", "numba"}
"""The only libraries outside the standard one that the optimizer (cmvm/) may use."""


def test_the_optimizer_needs_only_numpy_and_numba():
    foreign = set()
    for name, path in package_modules().items():
        if folder(name) != "cmvm":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                tops = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                tops = [node.module.split(".")[0]]
            else:
                continue
            foreign |= {(name, top) for top in tops
                        if top not in sys.stdlib_module_names and top not in OPTIMIZER_LIBRARIES}
    assert not foreign, f"the optimizer imports other libraries: {sorted(foreign)}"


def test_importing_the_optimizer_loads_no_ir():
    """``import fpga_opt.cmvm`` stays cheap: no IR classes, no dialect (the base module
    numerics takes only xdsl's small StrEnum helper)."""
    code = ("import sys, fpga_opt.cmvm; print(sorted(m for m in sys.modules if m in ('xdsl.ir', 'xdsl.dialects') "
            "or m.startswith(('fpga_opt.dialects', 'fpga_opt.lowering', 'fpga_opt.transforms'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("edges, expected", [
    ({"a": {"b"}, "b": {"a"}, "c": {"a"}}, [{"a", "b"}]),
    ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
    ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"d"}}, [{"a", "b", "c"}]),
])
def test_cycle_finder(edges, expected):
    graph = defaultdict(set, edges)
    assert cycles(graph) == expected
