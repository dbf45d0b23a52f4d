"""The house stays easy to walk through (docs/development.md): the import layers of
``[tool.importlinter]`` hold and name every module, runload type-checks clean under
``[tool.mypy]``, every ``type: ignore`` says which error and why, and no function or
module grows past the sizes the brief sets. Each check reads the code as it is; none
is a snapshot to update."""

from __future__ import annotations

import ast
import io
import re
import subprocess
import sys
import tokenize
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "runload"
MAX_FUNCTION_LINES = 100
MAX_MODULE_LINES = 600


def _contracts() -> list[dict[str, object]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["importlinter"]["contracts"]


def _top_level_modules() -> set[str]:
    """Every module and subpackage directly under ``runload`` (the package root itself,
    which holds only ``__version__``, aside)."""
    names = {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    names |= {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    return {f"runload.{name}" for name in names}


def test_the_import_contracts_hold() -> None:
    lint = "from importlinter.cli import lint_imports_command; lint_imports_command()"
    out = subprocess.run(
        [sys.executable, "-c", lint], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert f"Contracts: {len(_contracts())} kept, 0 broken." in out.stdout


def test_every_module_has_its_layer() -> None:
    """A new module must be placed in the layers (else nothing stops it importing
    upward); a removed one must leave them."""
    (layers,) = [c for c in _contracts() if c["type"] == "layers"]
    named = {
        name.strip()
        for layer in layers["layers"]  # type: ignore[attr-defined]
        for name in re.split(r"[|:]", layer)
    }
    assert named == _top_level_modules()


def test_runload_type_checks_clean(tmp_path: Path) -> None:
    pytest.importorskip("mypy", reason="mypy is in the test extra")
    out = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "mypy")],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr


def _comments(path: Path) -> list[tuple[int, str]]:
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    return [(t.start[0], t.string) for t in tokens if t.type == tokenize.COMMENT]


def test_every_type_ignore_names_its_error_and_says_why() -> None:
    bare = [
        f"{path.relative_to(ROOT)}:{line}: {text}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for line, text in _comments(path)
        if "type: ignore" in text
        and not re.search(r"type: ignore\[[a-z-]+(, [a-z-]+)*\]\s+#\s*\S", text)
    ]
    assert bare == []


def _long_functions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({length} lines)"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and (length := (node.end_lineno or node.lineno) - node.lineno + 1) > MAX_FUNCTION_LINES
    ]


def test_no_function_over_100_lines_and_no_module_over_600() -> None:
    files = sorted(PACKAGE.rglob("*.py"))
    long_functions = [f for path in files for f in _long_functions(path)]
    big_modules = [
        f"{path.relative_to(ROOT)} ({n} lines)"
        for path in files
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
        and path.name != "profile.py"  # generated from the Garmin FIT SDK (a table)
    ]
    assert (long_functions, big_modules) == ([], [])
