"""Rewrite the generated tables of docs/configuration.md and docs/method.md.

* the settings table, between ``<!-- settings-table -->`` and ``<!-- /settings-table -->`` in
  both files, from the settings model (``runload.config.settings_table``);
* the risk factor table, between ``<!-- factor-table -->`` and ``<!-- /factor-table -->`` in
  docs/method.md, from the registered risk rules (``runload.risk.docs.factor_table``).

So the docs cannot drift from the code (``tests/test_config.py`` and
``tests/test_risk_rules.py`` fail when they do). ``--check`` only says whether they are current.

    python tools/settings_docs.py          # rewrite
    python tools/settings_docs.py --check  # exit 1 when a table is stale
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIGURATION, METHOD = ROOT / "docs" / "configuration.md", ROOT / "docs" / "method.md"
DOCS = (CONFIGURATION, METHOD)


def _block(name: str) -> re.Pattern[str]:
    return re.compile(rf"(<!-- {name} -->\n)(.*?)(<!-- /{name} -->)", re.S)


BLOCK = _block("settings-table")


def current(text: str, table: str, name: str = "settings-table") -> str:
    """``text`` with its ``name`` block holding ``table``; ValueError without the marks."""
    block = _block(name)
    if not block.search(text):
        raise ValueError(f"no <!-- {name} --> block")
    return block.sub(lambda m: m.group(1) + table + m.group(3), text, count=1)


def _tables() -> list[tuple[str, Callable[[], str], tuple[Path, ...]]]:
    sys.path.insert(0, str(ROOT))
    from runload.config import settings_table
    from runload.risk.docs import factor_table

    return [
        ("settings-table", settings_table, DOCS),
        ("factor-table", factor_table, (METHOD,)),
    ]


def main(argv: list[str]) -> int:
    stale = []
    for name, make, docs in _tables():
        table = make()
        for doc in docs:
            text = doc.read_text(encoding="utf-8")
            new = current(text, table, name)
            if new != text:
                stale.append((doc, name))
                if "--check" not in argv:
                    doc.write_text(new, encoding="utf-8")
    said = "stale" if "--check" in argv else "rewritten"
    for doc, name in stale:
        print(f"{doc.relative_to(ROOT)}: {name} {said}")
    return 1 if stale and "--check" in argv else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
