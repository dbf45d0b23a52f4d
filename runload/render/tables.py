"""Generic frame renderers shared by every command: JSON-safe rows, CSV text,
Markdown tables and rich terminal tables. Nested columns (lists, structs) are
kept in JSON, joined into text for CSV/Markdown/terminal. Text from the user's files is
made harmless on the way (``runload.render.safe``): escaped on the terminal and in
Markdown, kept from running as a formula in CSV."""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from runload.render.safe import csv_text_cells, terminal_cell, terminal_text

if TYPE_CHECKING:
    import polars as pl
    from rich.table import Table


_AS_IS = frozenset({str, int, bool, type(None)})  # cells that are JSON as they are


def json_value(value: Any) -> Any:
    """One cell as JSON: ISO 8601 dates/datetimes (UTC ones end in ``Z``), NaN → null."""
    kind = type(value)
    if kind in _AS_IS:  # (most cells: a decade's report has 150,000)
        return value
    if kind is float:
        return value if math.isfinite(value) else None
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None and value.utcoffset() == dt.timedelta(0):
            return value.replace(tzinfo=None).isoformat() + "Z"
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, dict):
        return {k: json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    return value


def json_rows(df: pl.DataFrame, columns: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """The frame as a list of JSON-ready dicts, in ``columns`` order when given."""
    if columns is not None:
        df = df.select([c for c in columns if c in df.columns])
    return [{k: json_value(v) for k, v in row.items()} for row in df.iter_rows(named=True)]


def dumps(obj: Any) -> str:
    """``json.dumps(obj, indent=2, ensure_ascii=False)``, the same text to the byte, made
    faster: Python's indenting encoder is pure Python (a generator per value: most of a
    warm decade report), so each run of items of a dict or list that are not themselves
    dicts or lists is written by the C encoder in one call, separated by the newline and
    indent that the indenting encoder puts between them."""
    return _dumped(obj, "\n")


_NESTED = (dict, list, tuple)


def _dumped(obj: Any, newline: str) -> str:
    """``obj`` as ``dumps`` writes it, when its own line starts after ``newline`` (a line
    break and its indent)."""
    if not isinstance(obj, _NESTED):
        return _encoder("")(obj)
    if not obj:
        return "{}" if isinstance(obj, dict) else "[]"
    inner = newline + "  "
    flat = _encoder(inner)
    ends = "{}" if isinstance(obj, dict) else "[]"
    if _flat(obj.values() if isinstance(obj, dict) else obj):  # (a row: one call)
        return ends[0] + inner + flat(obj)[1:-1] + newline + ends[1]
    parts: list[str] = []
    if isinstance(obj, dict):
        run: dict[Any, Any] = {}
        for k, v in obj.items():
            if isinstance(v, _NESTED):
                if run:
                    parts.append(flat(run)[1:-1])
                    run = {}
                parts.append(f"{flat({k: 0})[1:-4]}: {_dumped(v, inner)}")
            else:
                run[k] = v
        if run:
            parts.append(flat(run)[1:-1])
        return "{" + inner + ("," + inner).join(parts) + newline + "}"
    items: list[Any] = []
    for v in obj:
        if isinstance(v, _NESTED):
            if items:
                parts.append(flat(items)[1:-1])
                items = []
            parts.append(_dumped(v, inner))
        else:
            items.append(v)
    if items:
        parts.append(flat(items)[1:-1])
    return "[" + inner + ("," + inner).join(parts) + newline + "]"


_SCALARS = frozenset({str, int, float, bool, type(None)})
_CONTAINERS = frozenset({dict, list, tuple})


def _flat(values: Iterable[Any]) -> bool:
    """Whether the C encoder writes these values of one container as the indenting one
    does: none is a dict or a list, or only empty ones (``{}`` and ``[]`` either way). The
    types are looked at in C (``map``): a decade's report is 150,000 values."""
    types = set(map(type, values))
    if types <= _SCALARS:
        return True
    if not types <= _SCALARS | _CONTAINERS:  # (subclasses: item by item)
        return False
    return not any(v for v in values if type(v) in _CONTAINERS)


@functools.cache
def _encoder(inner: str) -> Callable[[Any], str]:
    """The C encoder's ``encode`` with the items of one container separated as the
    indenting encoder separates them at ``inner`` (a newline and the items' indent)."""
    return json.JSONEncoder(ensure_ascii=False, separators=("," + inner, ": ")).encode


def text_cell(value: Any, digits: int = 2) -> str:
    """One cell as short text for CSV/Markdown/terminal."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:.0f}"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return str(value.get("detail") or value.get("code") or value)
    if isinstance(value, list | tuple):
        return "; ".join(text_cell(v, digits) for v in value)
    return str(value)


def flat_frame(df: pl.DataFrame) -> pl.DataFrame:
    """Nested columns (lists, structs) joined into text, so CSV can hold them; datetimes as
    ISO 8601 (UTC ones ending in ``Z``, local wall times without an offset)."""
    import polars as pl

    nested = [c for c, t in df.schema.items() if isinstance(t, pl.List | pl.Struct | pl.Array)]
    stamps = [c for c, t in df.schema.items() if isinstance(t, pl.Datetime)]
    if not nested and not stamps:
        return df
    return df.with_columns(
        *(
            pl.Series(c, [text_cell(v) for v in df.get_column(c).to_list()], dtype=pl.String)
            for c in nested
        ),
        *(
            pl.col(c).dt.strftime(
                "%Y-%m-%dT%H:%M:%SZ"
                if getattr(df.schema[c], "time_zone", None) == "UTC"
                else "%Y-%m-%dT%H:%M:%S"
            )
            for c in stamps
        ),
    )


def csv_text(df: pl.DataFrame, columns: Sequence[str] | None = None) -> str:
    """The frame as CSV: nested columns as text (``flat_frame``), a text cell that a
    spreadsheet would run as a formula prefixed with ``'`` (``safe.csv_text_cells``)."""
    if columns is not None:
        df = df.select([c for c in columns if c in df.columns])
    return csv_text_cells(flat_frame(df)).write_csv(float_precision=3)


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    def esc(v: Any) -> str:
        return terminal_text(text_cell(v)).replace("|", "\\|")

    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(esc(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def rich_table(
    df: pl.DataFrame,
    columns: Sequence[str] | None = None,
    *,
    title: str | None = None,
    headers: dict[str, str] | None = None,
    digits: int = 1,
    fold: bool = False,
) -> Table:
    """A rich ``Table`` of the frame (numbers right-aligned; ``fold``: a cell too wide
    breaks onto the next line instead of being cut with an ellipsis)."""
    import polars as pl
    from rich.table import Table

    cols = [c for c in (columns or df.columns) if c in df.columns]
    table = Table(title=title, show_lines=False, header_style="bold")
    cells = [
        [terminal_text(text_cell(v, digits)) for v in row] for row in df.select(cols).iter_rows()
    ]
    for i, c in enumerate(cols):
        numeric = df.schema[c].is_numeric() if hasattr(df.schema[c], "is_numeric") else False
        # with fold, only text breaks: numbers and dates keep their width
        whole = fold and df.schema[c] != pl.String
        width = max([len(row[i]) for row in cells], default=0) if whole else None
        table.add_column(
            (headers or {}).get(c, c),
            justify="right" if numeric else "left",
            overflow="fold" if fold else "ellipsis",
            min_width=width,
            no_wrap=whole,
        )
    for row in cells:
        table.add_row(*(terminal_cell(cell) for cell in row))  # (data is never markup)
    return table
