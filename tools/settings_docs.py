"""Rewrite the settings table in README.md and docs/method.md from the settings model.

The table sits between ``<!-- settings-table -->`` and ``<!-- /settings-table -->`` in both
files; ``runload.config.settings_table`` makes it, so the docs cannot drift from the model
(``tests/test_config.py`` fails when they do). ``--check`` only says whether they are current.

    python tools/settings_docs.py          # rewrite
    python tools/settings_docs.py --check  # exit 1 when a table is stale
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = (ROOT / "README.md", ROOT / "docs" / "method.md")
BLOCK = re.compile(r"(<!-- settings-table -->\n)(.*?)(<!-- /settings-table -->)", re.S)


def current(text: str, table: str) -> str:
    """``text`` with its settings block holding ``table``; ValueError without the marks."""
    if not BLOCK.search(text):
        raise ValueError("no <!-- settings-table --> block")
    return BLOCK.sub(lambda m: m.group(1) + table + m.group(3), text, count=1)


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    from runload.config import settings_table

    table = settings_table()
    stale = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        new = current(text, table)
        if new != text:
            stale.append(doc)
            if "--check" not in argv:
                doc.write_text(new, encoding="utf-8")
    said = "stale" if "--check" in argv else "rewritten"
    for doc in stale:
        print(f"{doc.relative_to(ROOT)}: settings table {said}")
    return 1 if stale and "--check" in argv else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
