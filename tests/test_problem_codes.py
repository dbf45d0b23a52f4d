"""Problem codes (``runload.codes``): every problem carries one, the registry and the docs
table agree, the source uses no code the registry lacks, and every place that makes a
problem names its code (the list a merge of new readers must fill in)."""

from __future__ import annotations

import ast
import importlib.util
import re
from pathlib import Path

from runload.codes import CODES, codes_table, fallback_code
from runload.errors import Problem, SittingError

ROOT = Path(__file__).resolve().parents[1]
SOURCE = sorted((ROOT / "runload").rglob("*.py"))
CODE_SHAPE = re.compile(r"^[a-z]+\.[a-z_]+$")
AREAS = {code.split(".")[0] for code in CODES}
# what looks like ``area.what`` but is a file name
FILE_SUFFIXES = {"html", "csv", "json", "toml", "fit", "gpx", "tcx", "zip", "xml", "txt", "md"}


def _literals() -> dict[str, list[str]]:
    """Every string constant shaped like a code of a known area, and where it stands (a
    file name such as ``report.html`` may be among them)."""
    found: dict[str, list[str]] = {}
    for path in SOURCE:
        if path.name == "codes.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value
                area = text.partition(".")[0]
                if CODE_SHAPE.match(text) and area in AREAS:
                    where = f"{path.relative_to(ROOT)}:{node.lineno}"
                    found.setdefault(text, []).append(where)
    return found


def problem_sites_without_code() -> list[str]:
    """``Problem(...)`` calls without ``code=`` (or a sixth argument), and
    ``x.problem(severity, message, ...)`` calls (``FitResult.problem``) without ``code=``.
    (``exc.problem(severity)`` of a ``RunloadError`` carries the error's own code.)"""
    missing = []
    for path in SOURCE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            named = {k.arg for k in node.keywords}
            if isinstance(func, ast.Name) and func.id == "Problem":
                explicit = "code" in named or len(node.args) >= 6
            elif isinstance(func, ast.Attribute) and func.attr == "problem" and len(node.args) >= 2:
                explicit = "code" in named
            else:
                continue
            if not explicit:
                missing.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return missing


def test_every_place_that_makes_a_problem_names_its_code() -> None:
    """A new reader's problems get ``<kind>.other`` until given a code of their own: this
    lists the places to give one (add it to ``runload.codes.CODES`` and the docs table)."""
    missing = problem_sites_without_code()
    assert not missing, "problems made without a code (give each one): " + ", ".join(missing)


def test_the_source_uses_only_codes_of_the_registry() -> None:
    unknown = {
        code: where
        for code, where in _literals().items()
        if code not in CODES and code.split(".")[1] not in FILE_SUFFIXES
    }
    assert not unknown, f"codes missing from runload.codes.CODES: {unknown}"


def test_every_code_of_the_registry_is_used() -> None:
    used = set(_literals())
    unused = [c for c in CODES if c not in used and not c.endswith(".other")]
    assert not unused, f"codes no problem is made with: {unused}"
    assert all(CODE_SHAPE.match(code) for code in CODES)


def test_the_codes_table_in_the_docs_is_the_registry() -> None:
    text = (ROOT / "docs" / "inputs.md").read_text(encoding="utf-8")
    block = text.split("<!-- problem-codes -->\n", 1)[1].split("<!-- /problem-codes -->")[0]
    assert block == codes_table(), "docs/inputs.md is stale: run python tools/problem_codes_docs.py"


def test_the_docs_tool_rewrites_a_stale_table() -> None:
    spec = importlib.util.spec_from_file_location(
        "problem_codes_docs", ROOT / "tools" / "problem_codes_docs.py"
    )
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    stale = "intro\n<!-- problem-codes -->\n| old |\n<!-- /problem-codes -->\nrest\n"
    fresh = tool.current(stale, codes_table())
    assert fresh == f"intro\n<!-- problem-codes -->\n{codes_table()}<!-- /problem-codes -->\nrest\n"


def test_a_problem_made_without_a_code_is_named_after_its_file() -> None:
    assert Problem("a/run.FIT", "error", "x").code == "fit.other"
    assert Problem("export.zip:DI/UDSFile_1.json", "error", "x").code == "json.other"
    assert Problem("track.gpx.gz", "warning", "x").code == "gpx.other"
    assert Problem("squad/ann", "error", "x").code == "input.other"
    assert fallback_code("log.CSV") == "csv.other"
    assert Problem("a.fit", "error", "x", code="fit.empty").code == "fit.empty"


def test_an_error_turned_into_a_problem_keeps_its_code() -> None:
    exc = SittingError("is not UTF-8 text (byte 3)", path="log.csv", code="text.encoding")
    assert exc.problem("warning").code == "text.encoding"
    assert SittingError("x", path="log.csv").problem().code == "sitting.unreadable"
    assert Problem("a.fit", "error", "x", code="fit.empty").to_dict() == {
        "path": "a.fit",
        "severity": "error",
        "code": "fit.empty",
        "message": "x",
        "line": None,
        "offset": None,
    }
