"""Strava's bulk export: ``activities.csv`` names each exported file (``Filename``,
e.g. ``activities/1234567.gpx.gz``, relative to the CSV's folder) and its
``Activity Type`` (``Run``, ``Ride``, ``Walk``, ...). A file of the export whose own
data carries no sport (a GPX without ``<type>``, a TCX with ``Sport="Other"``) takes
the CSV's (mapped by ``sport.sport_of``; unknown types stay None).

The CSV is looked for beside the ``activities/`` folder of each source, on disk or in
the same archive; it is read once per folder.
"""

from __future__ import annotations

import csv
import io
import os
import posixpath
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from runload.track.sport import sport_of

if TYPE_CHECKING:
    import polars as pl

CSV_NAME = "activities.csv"
MAX_DEPTH = 3  # folders between the CSV and an activity file (Strava: one)


def _read_csv(data: bytes) -> dict[str, str]:
    """``Filename`` → ``Activity Type`` of a Strava activities.csv; {} when it is not one."""
    text = data.decode("utf-8-sig", errors="replace")
    reader = csv.reader(io.StringIO(text))
    header = next(reader, [])
    if "Filename" not in header or "Activity Type" not in header:
        return {}
    at_file, at_type = header.index("Filename"), header.index("Activity Type")
    out = {}
    for row in reader:
        if len(row) > max(at_file, at_type) and row[at_file].strip():
            out[row[at_file].strip().replace("\\", "/")] = row[at_type].strip()
    return out


def _candidates(source: Any) -> list[tuple[Any, str]]:
    """(CSV source, the file's name relative to the CSV's folder) for each folder above
    the file, nearest first."""
    from runload.inputs import Source

    out = []
    if source.members:
        *chain, member = source.members
        parts = member.replace("\\", "/").split("/")
        for depth in range(1, min(MAX_DEPTH, len(parts) - 1) + 1):
            folder = "/".join(parts[: len(parts) - 1 - depth])
            csv_member = posixpath.join(folder, CSV_NAME) if folder else CSV_NAME
            rel = "/".join(parts[len(parts) - 1 - depth :])
            out.append((Source(csv_member, source.path, (*chain, csv_member)), rel))
    else:
        path = os.path.abspath(source.path)
        folder = os.path.dirname(path)
        for _ in range(MAX_DEPTH):
            folder_csv = os.path.join(os.path.dirname(folder), CSV_NAME)
            rel = os.path.relpath(path, os.path.dirname(folder)).replace(os.sep, "/")
            out.append((Source(folder_csv, folder_csv), rel))
            if os.path.dirname(folder) == folder:
                break
            folder = os.path.dirname(folder)
    return out


def export_sports(sources: Sequence[Any]) -> dict[str, str | None]:
    """The ``Activity Type`` mapped to runload's sport, by source name, for every source
    that a Strava ``activities.csv`` lists (None: a type runload does not know)."""
    from runload.inputs import SourceReadError

    tables: dict[tuple[str, tuple[str, ...]], dict[str, str]] = {}
    out: dict[str, str | None] = {}
    for source in sources:
        for csv_source, rel in _candidates(source):
            key = (csv_source.path, csv_source.members)
            if key not in tables:
                try:
                    tables[key] = _read_csv(csv_source.read())
                except SourceReadError:  # no CSV there
                    tables[key] = {}
            if rel in tables[key]:
                found = sport_of(tables[key][rel])
                out[source.name] = found[0] if found else None
                break
    return out


def fill_sports(frame: pl.DataFrame, sources: Sequence[Any]) -> tuple[pl.DataFrame, str]:
    """Fill the sport of sessions that have none (``frame``'s ``file`` column names their
    source) from a Strava ``activities.csv`` beside their files; and the note saying how
    many took it (or "")."""
    import polars as pl

    nameless = set(frame.filter(pl.col("sport").is_null()).get_column("file").to_list())
    if not nameless:
        return frame, ""
    sports = export_sports([s for s in sources if s.name in nameless])
    sports = {name: sport for name, sport in sports.items() if sport is not None}
    if not sports:
        return frame, ""
    filled = pl.col("file").replace_strict(sports, default=None, return_dtype=pl.String)
    frame = frame.with_columns(pl.coalesce(pl.col("sport"), filled).alias("sport"))
    note = (
        f"{len(sports)} file(s) without a sport of their own took it from Strava's"
        " activities.csv (Activity Type)"
    )
    return frame, note
