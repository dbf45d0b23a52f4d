"""The daily sitting table (``runload sitting show``) as JSON, CSV or a terminal table.
Formats only: the days come from ``runload.sitting.read_sitting``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from runload.render.tables import csv_text, dumps, json_rows, rich_table
from runload.schema import SITTING_COLUMNS, sitting_schema

if TYPE_CHECKING:
    import polars as pl
    from rich.console import Console

TITLE = "Daily sitting"


# Shown in the terminal table only when a day has one (the bouts, the self-check).
OPTIONAL = ("longest_sit_minutes", "sit_breaks", "trendelenburg", "thomas", "pain")


def _all_columns(days: pl.DataFrame) -> pl.DataFrame:
    import polars as pl

    schema = sitting_schema()
    missing = [pl.lit(None, dtype=schema[c]).alias(c) for c in SITTING_COLUMNS if c not in days]
    return days.with_columns(missing) if missing else days


def sitting_json(days: pl.DataFrame) -> str:
    """A JSON list of day objects with exactly the ``SITTING_COLUMNS`` keys."""
    return dumps(json_rows(_all_columns(days), SITTING_COLUMNS)) + "\n"


def sitting_csv(days: pl.DataFrame) -> str:
    return csv_text(_all_columns(days), SITTING_COLUMNS)


def print_sitting(days: pl.DataFrame, console: Console) -> None:
    """The days as a terminal table, hours with up to two decimals; the bouts and the
    self-check columns only when a day has one."""
    days = _all_columns(days)
    shown = [
        c for c in SITTING_COLUMNS if c not in OPTIONAL or days.get_column(c).is_not_null().any()
    ]
    console.print(rich_table(days, shown, title=TITLE, digits=2))


def render_sitting(days: pl.DataFrame, fmt: str, console: Console | None = None) -> str:
    """The days in ``fmt`` (``json``, ``csv``) as text; ``table`` prints to ``console``
    (a new one on stdout when None) and returns ""."""
    if fmt == "json":
        return sitting_json(days)
    if fmt == "csv":
        return sitting_csv(days)
    if console is None:
        from rich.console import Console

        console = Console()
    print_sitting(days, console)
    return ""
