"""What a runner's download holds, before they trust a report made from it.

Owns ``sources``, the library call behind ``runload sources``: for each path given, the
activity files found by kind (FIT, GPX, TCX, Fitbit exercise logs) with how many
activities they gave, how many copies of them were merged into another file's activity (a
run exported by Garmin and by Strava counts once), how many files gave no activity
(monitoring files, settings, broken files: each listed with why in ``no_activity``) and the
days they cover, the sitting sources found by kind (the log, Garmin daily summaries,
monitoring FIT, Fitbit, Apple stand hours) with the days they give, and files read only
for resting heart rates (Fitbit's; ``what`` is ``hr_rest``), plus every problem met on the
way. It reads through the same ``ingest`` and ``read_sitting`` the report uses (and the
same cache), so what it lists is what the report will use.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import polars as pl

from runload.errors import Problem

if TYPE_CHECKING:
    from runload.copies import Duplicate
    from runload.ingest import NoActivity
    from runload.options import Options


@dataclass(frozen=True)
class Found:
    """One kind of input under one path: ``what`` is ``activities``, ``sitting`` or
    ``hr_rest`` (a file read for resting heart rates alone); ``items`` counts activities
    (sessions) or days; ``first``/``last`` the days covered. Activities only (None
    otherwise): ``merged``, the copies read and merged into another file's activity (not
    counted in ``items``); ``no_activity``, the files that gave none."""

    path: str
    what: str
    kind: str
    files: int
    items: int
    merged: int | None = None
    no_activity: int | None = None
    first: dt.date | None = None
    last: dt.date | None = None


@dataclass
class SourcesResult:
    found: list[Found] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)  # the copies merged
    no_activity: list[NoActivity] = field(default_factory=list)  # files that gave none


def owner(name: str, given: Iterable[str]) -> str:
    """The path given that the file ``name`` was found under (the readers name files after
    the path given: ``export.zip:member``, ``folder/x.fit``)."""
    for path in sorted(given, key=len, reverse=True):
        if name == path or name.startswith((path + ":", path + os.sep, path + "/")):
            return path
    return name


def _rows(files: pl.DataFrame, rows: pl.DataFrame, what: str) -> list[Found]:
    """``files``: every file found (``file``, ``kind``, ``path``: the path given that holds
    it; for activities also ``merged`` and ``no_activity`` per file); ``rows``: what they
    gave (``file``, ``date``), so a file that gave nothing still counts as found."""
    counts = [c for c in ("merged", "no_activity") if c in files.columns]
    per_file = files.join(
        rows.group_by("file").agg(
            pl.len().alias("items"),
            pl.col("date").min().alias("first"),
            pl.col("date").max().alias("last"),
        ),
        on="file",
        how="left",
    )
    table = (
        per_file.group_by("path", "kind", maintain_order=True)
        .agg(
            pl.len().alias("files"),
            pl.col("items").fill_null(0).sum(),
            *(pl.col(c).sum() for c in counts),
            pl.col("first").min(),
            pl.col("last").max(),
        )
        .sort("path", "kind")
    )
    return [Found(what=what, **row) for row in table.iter_rows(named=True)]


_FILES = {"file": pl.String, "kind": pl.String, "path": pl.String}
_ACTIVITY_FILES = {**_FILES, "merged": pl.Int64, "no_activity": pl.Int64}


def sources(options: Options, *, progress: Callable[..., Any] | None = None) -> SourcesResult:
    """What ``report`` would read for ``options``, by path and kind: the activity files of
    ``options.paths`` and the sitting it would use (given, the config's log, or found in the
    paths), with the days each gives after the sources are merged."""
    from runload.ingest import ingest
    from runload.report import read_as_sitting, read_sitting_of

    ing = ingest(options, progress=progress, hr_samples=False)
    sit, _, note = read_sitting_of(options, ing.not_sitting)
    ing = read_as_sitting(ing, sit)  # (a sitting log named as a PATH: no "not a FIT file")
    merged = Counter(d.file for d in ing.duplicates)
    none = {f.file for f in ing.no_activity}
    activity_files = pl.DataFrame(
        [
            (name, kind, owner(name, options.paths), merged[name], int(name in none))
            for name, kind in ing.kinds.items()
        ],
        schema=_ACTIVITY_FILES,
        orient="row",
    )
    result = SourcesResult(
        found=_rows(activity_files, ing.activities.select("file", "date"), "activities"),
        problems=list(ing.problems),
        notes=list(ing.notes),
        duplicates=list(ing.duplicates),
        no_activity=list(ing.no_activity),
    )
    if sit is None:
        return result
    if note:
        result.notes.append(note)
    from runload.sitting.read import NO_SITTING_KINDS

    sitting = [f for f in sit.files if f.kind not in NO_SITTING_KINDS]
    sitting_files = pl.DataFrame(
        [(f.name, f.kind, f.given) for f in sitting], schema=_FILES, orient="row"
    )
    # a day's source names the file it came from, or a member of it (an Apple export.zip's
    # export.xml), or the first of several monitoring files ("first (+N more)")
    names = [f.name for f in sitting]
    days = sit.days.select(
        pl.col("source")
        .str.replace(r" \(\+\d+ more\)$", "")
        .map_elements(lambda source: owner(source, names), return_dtype=pl.String)
        .alias("file"),
        "date",
    )
    result.found += _rows(sitting_files, days, "sitting")
    resting = [f for f in sit.files if f.kind in NO_SITTING_KINDS]
    if resting:  # files read for the resting heart rates alone: the days each gives
        resting_files = pl.DataFrame(
            [(f.name, f.kind, f.given) for f in resting], schema=_FILES, orient="row"
        )
        resting_days = sit.resting_hr.select(pl.col("source").alias("file"), "date")
        result.found += _rows(resting_files, resting_days, "hr_rest")
    result.problems += sit.problems
    return result
