"""What text from the user's files may do once runload prints it: nothing. File names, zip
member names, athlete folders and notes are data, never commands to a terminal or a
spreadsheet.

- ``terminal_text``: the one escaping of the terminal renderers (and of every line on
  stderr). Control characters are shown as escapes (``\\x1b``, ``\\n``, ``\\t``, ``\\u202e``),
  so a member named ``run\\x1b[31mRED\\nline.fit`` neither colours the terminal nor splits a
  table or a line. Rich markup is never read from data: the rich renderers wrap data in
  ``rich.text.Text`` (``terminal_cell``), so ``[bold]x.fit`` prints as written. JSON keeps
  the exact name (``json.dumps`` escapes control characters itself).
- ``csv_text_cells``: the one rule for CSV text cells (OWASP's CSV injection advice): a
  text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
  leading ``'`` so a spreadsheet shows it as text instead of running it as a formula.
  Numbers are never touched (a negative ``tsb`` stays ``-32.6``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl
    from rich.text import Text

# C0 controls, DEL, C1 controls, and the Unicode controls that reorder or break lines
# (bidirectional overrides and isolates, line and paragraph separators).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_text(text: str) -> str:
    """``text`` with every control character shown as an escape (``\\x1b``, ``\\n``)."""
    return _CONTROL.sub(_escape, text)


def terminal_cell(text: str, style: str = "") -> Text:
    """``text`` for a rich renderer: escaped (``terminal_text``) and never read as markup."""
    from rich.text import Text

    return Text(terminal_text(text), style=style)


# A cell a spreadsheet would run as a formula (OWASP: =, +, -, @, tab, carriage return).
_FORMULA = r"^[=+\-@\t\r]"


def csv_text_cells(df: pl.DataFrame) -> pl.DataFrame:
    """``df`` with each text cell that a spreadsheet would run as a formula prefixed with
    ``'`` (text columns only: numbers and dates are left as they are)."""
    import polars as pl

    text = [c for c, t in df.schema.items() if t == pl.String]
    if not text:
        return df
    return df.with_columns(
        pl.when(pl.col(c).str.contains(_FORMULA))
        .then(pl.lit("'") + pl.col(c))
        .otherwise(pl.col(c))
        .alias(c)
        for c in text
    )
