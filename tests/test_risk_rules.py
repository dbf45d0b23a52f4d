"""The risk rules as a registry: every rule module is registered, each rule carries what its
docs row needs, and the factor table in docs/method.md is the one generated from the rules."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest

import runload.risk.rules as rules_pkg
from runload.config import Settings
from runload.risk import FACTORS, RULES, Rule
from runload.risk.docs import factor_table
from tools import settings_docs

ROOT = Path(__file__).resolve().parents[1]


def test_every_rule_module_is_registered_once() -> None:
    found: set[type[Rule]] = set()
    for info in pkgutil.iter_modules(rules_pkg.__path__):
        module = importlib.import_module(f"runload.risk.rules.{info.name}")
        found |= {
            obj
            for obj in vars(module).values()
            if isinstance(obj, type) and issubclass(obj, Rule) and "code" in vars(obj)
        }
    assert found == set(RULES)
    assert len({r.code for r in RULES}) == len(RULES) == len(FACTORS)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_each_rule_says_what_it_is(rule: type[Rule]) -> None:
    r = rule(Settings())
    assert r.group in ("sitting", "run", "body", "sign")
    assert r.summary and r.units and r.rule_text() and r.points_text().startswith("+")


def test_the_factor_table_in_the_method_is_generated_from_the_rules() -> None:
    text = (ROOT / "docs" / "method.md").read_text(encoding="utf-8")
    block = text.split("<!-- factor-table -->\n", 1)[1].split("<!-- /factor-table -->")[0]
    assert block == factor_table(), "docs/method.md is stale: run python tools/settings_docs.py"


def test_the_factor_table_follows_the_settings() -> None:
    import dataclasses

    s = Settings()
    s = dataclasses.replace(s, risk=dataclasses.replace(s.risk, acwr=1.2))
    assert "acwr ≥ `acwr` (1.2)" in factor_table(s)
    assert "acwr ≥ `acwr` (1.3)" in factor_table()


def test_the_docs_tool_rewrites_the_factor_block() -> None:
    stale = "x\n<!-- factor-table -->\n| old |\n<!-- /factor-table -->\ny\n"
    fresh = settings_docs.current(stale, factor_table(), "factor-table")
    assert fresh == f"x\n<!-- factor-table -->\n{factor_table()}<!-- /factor-table -->\ny\n"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_each_rule_has_its_own_test_cases(rule: type[Rule]) -> None:
    cases = ROOT / "tests" / "risk_rules" / f"test_rule_{rule.code}.py"
    assert cases.is_file(), f"{rule.code} has no test cases of its own ({cases.name})"
    assert "def test_" in cases.read_text(encoding="utf-8")
