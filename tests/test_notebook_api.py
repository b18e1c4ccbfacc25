"""The public API is discoverable from a notebook: every public function and method says what it is for.

`help(review.check)` or Shift+Tab in JupyterLab shows a docstring, and `docs/api.md` names what
`evidencebench` offers. Checked three ways: what `evidencebench.__all__` exports (imported, as a
researcher meets it), the methods of `Review` and the `tables` functions, and every public function
and method in the package's source (read with `ast`, so modules that are slow or optional to
import are covered too). Private names (leading underscore) and nested functions are not API.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import evidencebench
from evidencebench import Review, tables

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "evidencebench"


def undocumented_in_source() -> list[str]:
    """file:line: name of every public function or method (of a public class) without a docstring."""
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))

        def walk(node: ast.AST, prefix: str, rel: str = path.relative_to(ROOT).as_posix()) -> None:
            for child in getattr(node, "body", []):
                if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                    if not child.name.startswith("_") and ast.get_docstring(child) is None:
                        missing.append(f"{rel}:{child.lineno}: {prefix}{child.name}")
                elif isinstance(child, ast.ClassDef) and not child.name.startswith("_"):
                    walk(child, f"{prefix}{child.name}.")

        walk(tree, "")
    return missing


def test_every_public_function_and_method_in_the_package_has_a_docstring():
    assert undocumented_in_source() == []


def test_everything_evidencebench_exports_is_documented():
    assert evidencebench.__doc__
    for name in evidencebench.__all__:
        obj = getattr(evidencebench, name)
        assert inspect.getdoc(obj), f"evidencebench.{name} has no docstring"


def test_review_methods_and_tables_functions_are_documented():
    methods = [n for n, v in inspect.getmembers(Review) if not n.startswith("_") and callable(v)]
    assert {"check", "rating", "studies_for", "judgments", "documents_table", "reference_table"} <= set(methods)
    assert [n for n in methods if not inspect.getdoc(getattr(Review, n))] == []
    assert set(tables.__all__) >= {"claims_view", "claims_table", "html_table", "evidence_map_figure", "setup_display"}
    assert [n for n in tables.__all__ if not inspect.getdoc(getattr(tables, n))] == []


def test_docs_api_lists_the_public_api():
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    for name in evidencebench.__all__:
        assert f"`{name}" in text, f"docs/api.md does not mention {name}"
    for name in tables.__all__:
        assert f"`{name}" in text or f"tables.{name}" in text, f"docs/api.md does not mention tables.{name}"
    for name in ("check", "rating", "studies_for", "claims", "evidence", "references", "documents"):
        assert f"review.{name}" in text, f"docs/api.md does not mention review.{name}"
    assert "rating_form" in text and "ReviewerSheets" in text
