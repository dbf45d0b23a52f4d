"""What ``runload sources`` found, as a terminal table, CSV or JSON. Formats only: the
rows come from ``runload.sources.sources``."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING

from runload.render.tables import csv_text, dumps, json_value, rich_table

if TYPE_CHECKING:
    import polars as pl
    from rich.console import Console

    from runload.sources import SourcesResult

COLUMNS = ("path", "what", "kind", "files", "items", "first", "last")
HEADERS = {"items": "count", "first": "from", "last": "to"}
TITLE = "Found"


ACTIVITY_LABELS = {"fitbit": "Fitbit exercise logs"}


def _label(what: str, kind: str) -> str:
    """How a kind reads on a terminal: ``FIT files``, ``Garmin daily summaries``."""
    from runload.sitting import KIND_LABELS

    if what == "activities":
        return ACTIVITY_LABELS.get(kind, f"{kind.upper()} files")
    return KIND_LABELS.get(kind, kind)


def sources_frame(result: SourcesResult, *, labels: bool = False) -> pl.DataFrame:
    """The rows as a frame; ``labels``: kinds as words, for people."""
    import polars as pl

    schema = {
        "path": pl.String,
        "what": pl.String,
        "kind": pl.String,
        "files": pl.Int64,
        "items": pl.Int64,
        "first": pl.Date,
        "last": pl.Date,
    }
    rows = [asdict(f) for f in result.found]
    if labels:
        rows = [{**r, "kind": _label(r["what"], r["kind"])} for r in rows]
    return pl.DataFrame(rows, schema=schema)


def sources_json(result: SourcesResult) -> str:
    """``{"found": [...], "problems": [...]}``; each found row has ``COLUMNS``."""
    found = [{k: json_value(v) for k, v in asdict(f).items()} for f in result.found]
    return dumps({"found": found, "problems": [p.to_dict() for p in result.problems]}) + "\n"


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
    console.print(
        rich_table(
            sources_frame(result, labels=True), COLUMNS, title=TITLE, headers=HEADERS, fold=True
        )
    )
    return ""
