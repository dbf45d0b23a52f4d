"""The activities table (``runload ingest``) as JSON, CSV or a terminal table, and the
one-line summary that goes with it (the merged copies and the problems are shown by
``runload.render.summary``). Formats only: the table, the problems and the merged copies
come from ``runload.ingest.ingest``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from runload import wording
from runload.errors import shown_problems
from runload.render.tables import csv_text, dumps, json_rows, rich_table, text_cell
from runload.schema import ACTIVITY_COLUMNS

if TYPE_CHECKING:
    from rich.console import Console

    from runload.ingest import IngestResult

TITLE = "Activities"
# The terminal table keeps to the columns a runner scans, the distance, pace and climb in
# the display units (``[display] units``); csv/json carry all of them, in km and metres.
TABLE_COLUMNS = (
    "start_local",
    "sport",
    "moving_minutes",
    "distance",
    "pace",
    "avg_hr",
    "ascent",
    "file",
)
HEADERS = {
    "start_local": "start (local)",
    "moving_minutes": "min",
    "avg_hr": "HR",
}
WORDED = ("distance", "pace", "ascent")  # numbers worded as text, right-aligned all the same


def _count(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


def summary_line(result: IngestResult) -> str:
    """files seen, activities (runs), files that gave no activity, from cache, parsed,
    merged duplicates, problems (not counting the ``info`` notes, which --verbose lists)."""
    errors = sum(p.severity == "error" for p in result.problems)
    problems = _count(len(shown_problems(result.problems)), "problem")
    if errors:
        problems += f" ({_count(errors, 'error')})"
    return (
        f"{_count(result.files_seen, 'file')} seen, "
        f"{_count(result.activities.height, 'activity', 'activities')} "
        f"({_count(result.runs, 'run')}), {len(result.no_activity)} with no activity, "
        f"{result.from_cache} from cache, {result.parsed} parsed, "
        f"{len(result.duplicates)} duplicates merged, {problems}"
    )


def monitoring_line(result: IngestResult) -> str | None:
    """The monitoring FIT files met among the activities (a watch's ``GARMIN/Monitor``):
    sitting data, said once instead of one warning per file."""
    if not result.monitoring:
        return None
    n = len(result.monitoring)
    return (
        f"{_count(n, 'monitoring file')} (sitting data, not activities, e.g. "
        f"{result.monitoring[0]}): `runload sitting show` and `runload report` read them"
    )


def nothing_read_line(result: IngestResult) -> str:
    """Why the table is empty, in one line."""
    if result.files_seen == 0:
        return (
            "runload: no activity files (.fit, .gpx or .tcx, each also gzipped, or .zip "
            "exports) in the given paths"
        )
    return "runload: no activity could be read from the given paths"


def activities_json(result: IngestResult) -> str:
    """``{"activities": [...], "problems": [...], "duplicates": [...], "no_activity": [...]}``:
    with ``duplicates`` (copies merged) and ``no_activity`` (files that gave none, each with
    its kind and why), every file seen is accounted for."""
    from runload.copies import duplicates_frame
    from runload.ingest import no_activity_rows

    return dumps(
        {
            "activities": json_rows(result.activities, ACTIVITY_COLUMNS),
            "problems": [p.to_dict() for p in result.problems],
            "duplicates": json_rows(duplicates_frame(result.duplicates)),
            "no_activity": no_activity_rows(result.no_activity),
        }
    )


def activities_csv(result: IngestResult) -> str:
    return csv_text(result.activities, ACTIVITY_COLUMNS)


def print_activities(result: IngestResult, console: Console, units: str = "metric") -> None:
    """The main columns as a terminal table: the file name without its folder, and only
    the file name squeezed when the terminal is narrow, never the numbers. Distances, the
    pace of runs and the climb in ``units`` (km, min/km, m or mi, min/mi, ft)."""
    import polars as pl

    unit = wording.distance_unit(units)
    km, minutes = pl.col("distance_km"), pl.col("moving_minutes")
    short = result.activities.select(ACTIVITY_COLUMNS).with_columns(
        pl.col("file").str.split("/").list.last(),
        wording.distance_expr(km, units).alias("distance"),
        pl.when(pl.col("is_run")).then(wording.pace_expr(minutes, km, units)).alias("pace"),
        wording.climb_expr(pl.col("ascent_m"), units).alias("ascent"),
    )
    headers = {
        **HEADERS,
        "distance": unit,
        "pace": f"/{unit}",
        "ascent": "up ft" if unit == "mi" else "up m",
    }
    table = rich_table(short, TABLE_COLUMNS, title=TITLE, headers=headers)
    for name, column in zip(TABLE_COLUMNS[:-1], table.columns[:-1], strict=True):
        if name in WORDED:
            column.justify = "right"
        column.no_wrap = True  # each number keeps its width; only the file name is cut
        cells = (text_cell(v, 1) for v in short.get_column(name).to_list())
        column.min_width = max([len(str(column.header)), *(len(c) for c in cells)])
    console.print(table)


def render_activities(
    result: IngestResult, fmt: str, console: Console | None = None, units: str = "metric"
) -> str:
    """The activities in ``fmt`` (``json``, ``csv``: km and metres) as text; ``table`` prints
    to ``console`` (a new one on stdout when None), distances in ``units``, and returns ""."""
    if fmt == "json":
        return activities_json(result) + "\n"
    if fmt == "csv":
        return activities_csv(result)
    if console is None:
        from rich.console import Console

        console = Console()
    print_activities(result, console, units)
    return ""
