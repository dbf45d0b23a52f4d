"""Rewrite the problem codes table in docs/inputs.md from ``runload.codes.CODES``.

The table sits between ``<!-- problem-codes -->`` and ``<!-- /problem-codes -->``;
``runload.codes.codes_table`` makes it, so the docs cannot drift from the registry
(``tests/test_problem_codes.py`` fails when they do). ``--check`` only says whether it is
current.

    python tools/problem_codes_docs.py          # rewrite
    python tools/problem_codes_docs.py --check  # exit 1 when the table is stale
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "inputs.md"
BLOCK = re.compile(r"(<!-- problem-codes -->\n)(.*?)(<!-- /problem-codes -->)", re.S)


def current(text: str, table: str) -> str:
    """``text`` with its codes block holding ``table``; ValueError without the marks."""
    if not BLOCK.search(text):
        raise ValueError("no <!-- problem-codes --> block")
    return BLOCK.sub(lambda m: m.group(1) + table + m.group(3), text, count=1)


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    from runload.codes import codes_table

    text = DOC.read_text(encoding="utf-8")
    new = current(text, codes_table())
    if new == text:
        return 0
    if "--check" in argv:
        print(f"{DOC.relative_to(ROOT)}: problem codes table stale")
        return 1
    DOC.write_text(new, encoding="utf-8")
    print(f"{DOC.relative_to(ROOT)}: problem codes table rewritten")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
