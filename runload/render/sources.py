"""What ``runload sources`` found, as a terminal table, CSV or JSON. Formats only: the
rows come from ``runload.sources.sources``."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING

from runload.render.tables import csv_text, dumps, json_rows, json_value, rich_table

if TYPE_CHECKING:
    import polars as pl
    from rich.console import Console

    from runload.sources import SourcesResult

COLUMNS = ("path", "what", "kind", "files", "items", "merged", "no_activity", "first", "last")
# On a terminal: one table per ``what`` (its title), and for activities the two counts of
# what is not counted as one column of words (nine columns do not fit 80), shown when a
# file gave fewer activities than it held.
# (``hr_rest``: files read for the resting heart rates alone)
TABLES = {
    "activities": ("path", "kind", "files", "items", "not_counted", "first", "last"),
    "sitting": ("path", "kind", "files", "items", "first", "last"),
    "hr_rest": ("path", "kind", "files", "items", "first", "last"),
}
HEADERS = {
    "activities": {"items": "activities", "not_counted": "not counted", "first": "from",
                   "last": "to"},
    "sitting": {"items": "days", "first": "from", "last": "to"},
    "hr_rest": {"items": "days", "first": "from", "last": "to"},
}  # fmt: skip
TITLES = {
    "activities": "Found: activities",
    "sitting": "Found: sitting",
    "hr_rest": "Found: hr_rest (resting heart rates)",
}


def _not_counted(merged: int | None, none: int | None) -> str:
    """``1 merged, 2 no activity``: copies merged into another file's activity, files that
    gave none (empty when there is nothing to say)."""
    parts = []
    if merged:
        parts.append(f"{merged} merged")
    if none:
        parts.append(f"{none} no activity")
    return ", ".join(parts)


ACTIVITY_LABELS = {"fitbit": "Fitbit exercise logs"}


def _label(what: str, kind: str) -> str:
    """How a kind reads on a terminal: ``FIT files``, ``Garmin daily summaries``."""
    from runload.sitting import KIND_LABELS

    if what == "activities":
        return ACTIVITY_LABELS.get(kind, f"{kind.upper()} files")
    return KIND_LABELS.get(kind, kind)


def sources_frame(result: SourcesResult, *, labels: bool = False) -> pl.DataFrame:
    """The rows as a frame; ``labels``: kinds as words and ``not_counted`` in words, for
    people."""
    import polars as pl

    schema = {
        "path": pl.String,
        "what": pl.String,
        "kind": pl.String,
        "files": pl.Int64,
        "items": pl.Int64,
        "merged": pl.Int64,
        "no_activity": pl.Int64,
        "first": pl.Date,
        "last": pl.Date,
    }
    rows = [asdict(f) for f in result.found]
    if labels:
        schema["not_counted"] = pl.String
        rows = [
            {
                **r,
                "kind": _label(r["what"], r["kind"]),
                "not_counted": _not_counted(r["merged"], r["no_activity"]),
            }
            for r in rows
        ]
    return pl.DataFrame(rows, schema=schema)


def sources_json(result: SourcesResult) -> str:
    """``{"found": [...], "duplicates": [...], "no_activity": [...], "problems": [...]}``;
    each found row has ``COLUMNS``; ``duplicates`` and ``no_activity`` list the copies
    merged and the files that gave no activity (with why), as ``runload ingest`` does."""
    from runload.copies import duplicates_frame
    from runload.ingest import no_activity_rows

    found = [{k: json_value(v) for k, v in asdict(f).items()} for f in result.found]
    doc = {
        "found": found,
        "duplicates": json_rows(duplicates_frame(result.duplicates)),
        "no_activity": no_activity_rows(result.no_activity),
        "problems": [p.to_dict() for p in result.problems],
    }
    return dumps(doc) + "\n"


def render_sources(result: SourcesResult, fmt: str, console: Console | None = None) -> str:
    """The rows in ``fmt`` (``json``, ``csv``) as text; ``table`` prints to ``console``
    (a new one on stdout when None) and returns ""."""
    if fmt == "json":
        return sources_json(result)
    if fmt == "csv":
        return csv_text(sources_frame(result), COLUMNS)
    if console is None:
        from rich.console import Console

        console = Console()
    import polars as pl

    frame = sources_frame(result, labels=True)
    for what, columns in TABLES.items():
        rows = frame.filter(pl.col("what") == what)
        if rows.height:
            if (
                "not_counted" in columns
                and not rows.get_column("not_counted").str.len_chars().sum()
            ):
                columns = tuple(c for c in columns if c != "not_counted")  # all counted
            title = TITLES[what]
            table = rich_table(rows, columns, title=title, headers=HEADERS[what], fold=True)
            console.print(table)
    return ""
