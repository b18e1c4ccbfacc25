"""The package's imports point one way, down the data flow, and never in a circle.

The layers, lowest first: review → rules → workflow (intake, rating, history, screening) → outputs (report,
then notebook) → the package root's modules → cli. A module may import from its own subpackage or
from a lower layer; the workflow stages are siblings and never import each other.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "evidencebench"
LAYERS = {"review": 0, "rules": 1, "intake": 2, "rating": 2, "history": 2, "screening": 2, "report": 3, "notebook": 4, "": 5, "cli": 6}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(["evidencebench", *parts])


def is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """Every package module `path` imports, at any depth of its code (lazy imports included)."""
    name = module_name(path)
    package = name if is_package(path) else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            targets = [f"{stem}.{a.name}" if f"{stem}.{a.name}" in modules else stem for a in node.names]
        else:
            continue
        for t in targets:
            # the longest known module the name refers to (`from . import grade` names a module)
            while t and t not in modules:
                t = t.rpartition(".")[0]
            if t.startswith("evidencebench") and t != name:
                found.add(t)
    return found


def graph() -> dict[str, set[str]]:
    paths = sorted(PACKAGE.rglob("*.py"))
    modules = {module_name(p) for p in paths}
    return {module_name(p): imports_of(p, modules) for p in paths}


def stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in LAYERS) else ""


def layer_violations(g: dict[str, set[str]]) -> list[str]:
    bad = []
    for src, targets in g.items():
        s = stage(src)
        for dst in targets:
            d = stage(dst)
            if dst == "evidencebench" and src != dst:
                bad.append(f"{src} imports the package root")
            elif d != s and LAYERS[d] >= LAYERS[s]:
                bad.append(f"{src} ({s or 'root'}) imports {dst} ({d or 'root'})")
    return bad


def cycles(g: dict[str, set[str]]) -> list[list[str]]:
    found, state = [], {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(g.get(node, ())):
            if state.get(nxt) == "open":
                found.append([*trail[trail.index(nxt) :], nxt] if nxt in trail else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = "done"

    for n in sorted(g):
        if n not in state:
            visit(n, [n])
    return found


def test_every_subpackage_is_a_known_layer():
    assert {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()} <= set(LAYERS)


def test_imports_point_down_the_data_flow():
    assert layer_violations(graph()) == []


def test_no_import_cycles():
    assert cycles(graph()) == []


def test_package_root_is_small():
    """The root holds the public API and at most three modules; everything else lives in a stage."""
    modules = {p.name for p in PACKAGE.glob("*.py")}
    assert "__init__.py" in modules and len(modules - {"__init__.py"}) <= 3


def test_every_subpackage_says_what_it_holds_and_may_import():
    for init in PACKAGE.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc, f"{init.parent.name} has no docstring"
        if init.parent.name not in ("review", "cli"):
            assert "import" in doc, f"{init.parent.name}'s docstring does not say what it may import"


@pytest.mark.parametrize(
    ("edges", "expected"),
    [
        ({"evidencebench.review.a": {"evidencebench.rules.grade"}}, 1),
        ({"evidencebench.intake.x": {"evidencebench.rating.y"}}, 1),
        ({"evidencebench.report.x": {"evidencebench"}}, 1),
        ({"evidencebench.cli.app": {"evidencebench.report.x", "evidencebench.review.y"}}, 0),
    ],
)
def test_the_layer_rule_catches_upward_and_sideways_imports(edges, expected):
    assert len(layer_violations(edges)) == expected


def test_the_cycle_finder_finds_a_cycle():
    g = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(g) and set(cycles(g)[0]) == {"a", "b", "c"}
    assert cycles({"a": {"b"}, "b": set()}) == []
