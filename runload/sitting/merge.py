"""Many sources into one sitting row per date, and the resting heart rates they gave.

The days of every source are kept by ``PRECEDENCE``: manual log > Garmin daily summary >
monitoring files > Fitbit > Apple stand hours. Monitoring files are first merged on one
timeline (their states), so overlapping files count once. Two sources of the same rank
that disagree on a day keep the first named, with a warning. A day no source covers is
absent (unknown), never zero.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from runload.errors import Problem
from runload.schema import AthleteFact, sitting_schema
from runload.sitting.monitoring import STATE_SCHEMA, monitoring_days
from runload.sitting.source import RESTING_SCHEMA, SourceRead

# Lower wins when two sources give the same day.
PRECEDENCE: dict[str, int] = {
    "manual_csv": 0,
    "manual_json": 0,
    "garmin_summary": 1,
    "garmin_monitoring": 2,
    "fitbit_sedentary_json": 3,
    "fitbit_daily_csv": 3,
    "fitbit_resting_hr_json": 3,  # (resting heart rates only: no days of sitting)
    "apple_stand_hours": 4,  # idle hours: a coarser proxy than sedentary minutes
}


def merge_days(
    reads: list[SourceRead], waking: tuple[dt.time, dt.time], problems: list[Problem]
) -> pl.DataFrame:
    """One row per date (``sitting_schema()``, sorted) from every read, in the order the
    sources were named; the problems of each read, then the merge's, go to ``problems``."""
    frames: list[tuple[int, pl.DataFrame]] = []
    states = [r.states for r in reads if r.states is not None and not r.states.is_empty()]
    for r in reads:
        problems.extend(r.problems)
        if r.kind != "garmin_monitoring" and not r.days.is_empty():
            frames.append((PRECEDENCE[r.kind], r.days))
    if states:
        merged = pl.concat(states).cast(STATE_SCHEMA)  # type: ignore[arg-type]  # a schema dict
        mon_days, mon_problems = monitoring_days(merged, waking)
        problems.extend(mon_problems)
        if not mon_days.is_empty():
            frames.append((PRECEDENCE["garmin_monitoring"], mon_days))
    frames.sort(key=lambda x: x[0])
    return _by_precedence(frames, problems)


def _by_precedence(frames: list[tuple[int, pl.DataFrame]], problems: list[Problem]) -> pl.DataFrame:
    """One row per date: the hours (with their source and kind) of the first source by
    precedence that has hours that day; every other field from the first that has it (a
    log row holding only a self-check keeps a watch's hours and bouts for its day)."""
    if not frames:
        return pl.DataFrame(schema=sitting_schema())
    tagged = pl.concat(
        [f.with_columns(rank=pl.lit(rank), order=pl.lit(i)) for i, (rank, f) in enumerate(frames)],
        how="diagonal_relaxed",
    ).sort("date", "rank", "order")
    has = pl.col("sitting_hours").is_not_null()
    # Two sources of the same rank disagreeing on a day: say so (the first named wins).
    clash = (
        tagged.filter(has)
        .group_by("date", "rank")
        .agg(
            pl.col("sitting_hours").round(2).n_unique().alias("n"),
            pl.col("source").unique(maintain_order=True),
            pl.col("sitting_hours").first().alias("kept"),
        )
        .filter(pl.col("n") > 1)
        .sort("date")
    )
    for row in clash.iter_rows(named=True):
        others = ", ".join(row["source"][1:])
        msg = f"{row['date']}: also in {others} with other hours; kept {row['kept']:.2f} h"
        problems.append(Problem(row["source"][0], "warning", msg, code="sitting.clash"))
    with_hours = ("sitting_hours", "source", "source_kind")
    rest = [c for c in sitting_schema() if c not in ("date", *with_hours)]
    return (
        tagged.group_by("date", maintain_order=True)
        .agg(
            pl.col("sitting_hours").filter(has).first(),
            *[
                pl.coalesce(pl.col(c).filter(has).first(), pl.col(c).first()).alias(c)
                for c in with_hours[1:]
            ],
            *[pl.col(c).drop_nulls().first().alias(c) for c in rest],
        )
        .select(list(sitting_schema()))
        .cast(sitting_schema())  # type: ignore[arg-type]  # a dict[str, DataType] is a schema
    )


def merge_resting_hr(reads: list[SourceRead]) -> tuple[pl.DataFrame, list[AthleteFact]]:
    """Date → resting HR (``RESTING_SCHEMA``; a later source wins a date) and the athlete
    facts it gives: one ``hr_rest`` per day, so that the athlete's resting HR is their
    median (``runload.athlete``), as for the values of FIT files, not one day's reading."""
    resting = [r.resting_hr for r in reads if r.resting_hr is not None]
    resting_hr = (
        pl.concat(resting).sort("date").unique("date", keep="last", maintain_order=True)
        if resting
        else pl.DataFrame(schema=RESTING_SCHEMA)
    )
    facts = [
        AthleteFact("hr_rest", bpm, source)
        for bpm, source in resting_hr.select("resting_hr", "source").iter_rows()
    ]
    return resting_hr, facts
