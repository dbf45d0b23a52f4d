"""Garmin ``monitoring_b`` FIT files: read into activity *states*
(``read_monitoring_states``) and turned into days only after every file is in
(``monitoring_days``), so several files of one day never count the same minutes twice.

A state lasts until the next state or the end of its file, cut at local midnight. The
end of a file is its last timestamp: the daily file a watch writes at midnight ends at
midnight, so the last state of the day is closed at the end of the day; a file written
at a sync ends at the sync, and its last state is not stretched to midnight over hours
nobody has measured yet (a later file, when there is one, carries on from the sync).
These files include sleep, so only the waking window (default 07:00–23:00 local)
counts, and a day whose window is less than half covered is left unknown.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from runload.errors import Problem
from runload.schema import sitting_schema
from runload.sitting.probe import Probe
from runload.sitting.source import ReadContext, SourceRead, empty_days

FIT_EPOCH = dt.datetime(1989, 12, 31)  # naive UTC, as fitparse returns datetimes
SEDENTARY = 8  # FIT activity_type "sedentary"
MIN_COVER = 0.5  # a monitoring day must cover this share of the waking window

STATE_SCHEMA: dict[str, pl.DataType] = {
    "t": pl.Datetime("us"),  # local wall time the state began
    "activity_type": pl.Int16(),
    "source": pl.String(),
    "file_end": pl.Datetime("us"),  # local wall time of the file's last timestamp
}


def read_monitoring_states(path: str | Path) -> tuple[pl.DataFrame, list[Problem]]:
    """The activity states of a monitoring FIT file on disk (``monitoring_states``)."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return pl.DataFrame(schema=STATE_SCHEMA), [
            Problem(name, "error", f"cannot be read: {exc.strerror}", code="input.unreadable")
        ]
    return monitoring_states(data, name)


def monitoring_states(data: bytes, name: str) -> tuple[pl.DataFrame, list[Problem]]:
    """The activity states of a monitoring FIT file's bytes, shown as ``name``, in local
    wall time (decoded by ``runload.fit.read_monitoring``: its damage policy is every FIT
    file's)."""
    from runload.fit import read_monitoring

    read = read_monitoring(data, name)
    shift = read.offset_s or 0
    frame = pl.DataFrame(
        {
            "t": [FIT_EPOCH + dt.timedelta(seconds=s + shift) for s in read.times],
            "activity_type": read.types,
            "source": [name] * len(read.times),
            "file_end": [FIT_EPOCH + dt.timedelta(seconds=read.last_s + shift)] * len(read.times),
        },
        schema=STATE_SCHEMA,
    )
    return frame, read.problems


def _span_text(seconds: float) -> str:
    if seconds == 0:
        return "none"
    return "only " + (f"{seconds / 3600:.1f} h" if seconds >= 360 else f"{seconds / 60:.0f} min")


def monitoring_days(
    states: pl.DataFrame, waking: tuple[dt.time, dt.time], *, min_cover: float = MIN_COVER
) -> tuple[pl.DataFrame, list[Problem]]:
    """Sedentary hours per local day inside the waking window, from the states of any
    number of monitoring files (merged on one timeline, so overlaps count once).

    A state lasts until the next state or the end of its file, whichever comes first,
    and is cut at each local midnight (the part after midnight counts for the next
    day). The end of a file is its last timestamp: a day's file written at midnight
    ends at midnight, so its last state is closed at the end of the day; a file
    written at a sync ends at the sync, and the hours after it, not yet measured,
    are not guessed. Days whose waking window is covered less than ``min_cover``
    are left unknown (with a warning).
    """
    if states.is_empty():
        return empty_days(), []
    start_s = waking[0].hour * 3600 + waking[0].minute * 60
    end_s = waking[1].hour * 3600 + waking[1].minute * 60
    window_h = (end_s - start_s) / 3600
    t = pl.col("t")
    intervals = (
        # The same state in several files: keep the copy from the file that runs longest.
        states.sort("t", "file_end")
        .unique("t", keep="last", maintain_order=True)
        .with_columns(end=pl.max_horizontal(t, pl.min_horizontal(t.shift(-1), "file_end")))
        # One row per local day the state touches.
        .with_columns(d0=pl.datetime_ranges(t.dt.truncate("1d"), pl.col("end"), "1d"))
        .explode("d0")
        .with_columns(
            ws=pl.col("d0") + pl.duration(seconds=start_s),
            we=pl.col("d0") + pl.duration(seconds=end_s),
        )
        .with_columns(
            inside=(
                (pl.min_horizontal("end", "we") - pl.max_horizontal("t", "ws")).dt.total_seconds()
            ).clip(lower_bound=0),
            in_day=(
                (
                    pl.min_horizontal("end", pl.col("d0") + pl.duration(days=1))
                    - pl.max_horizontal("t", "d0")
                ).dt.total_seconds()
            ).clip(lower_bound=0),
        )
    )
    bouts = _bouts(intervals)
    per_day = (
        intervals.group_by(pl.col("d0").dt.date().alias("date"))
        .agg(
            sedentary_s=pl.col("inside").filter(pl.col("activity_type") == SEDENTARY).sum(),
            covered_s=pl.col("inside").sum(),
            measured_s=pl.col("in_day").sum(),
            first_source=pl.col("source").first(),
            n_sources=pl.col("source").n_unique(),
        )
        .sort("date")
    )
    enough = pl.col("covered_s") >= min_cover * window_h * 3600
    problems = [
        Problem(
            row["first_source"],
            "warning",
            f"{row['date']}: monitoring covers {_span_text(row['covered_s'])} of the "
            f"{waking[0]:%H:%M}–{waking[1]:%H:%M} waking window; left unknown",
            code="monitoring.coverage",
        )
        # Any day with measured time (even only at night) is named, never silently dropped.
        for row in per_day.filter(~enough & (pl.col("measured_s") > 0)).iter_rows(named=True)
    ]
    days = (
        per_day.filter(enough)
        .join(bouts, on="date", how="left")
        .select(
            "date",
            sitting_hours=pl.col("sedentary_s") / 3600,
            source=pl.when(pl.col("n_sources") > 1)
            .then(
                pl.format(
                    "{} (+{} more)",
                    pl.col("first_source"),
                    (pl.col("n_sources") - 1).cast(pl.String),
                )
            )
            .otherwise(pl.col("first_source")),
            source_kind=pl.lit("device"),
            numbness=pl.lit(None, dtype=pl.Int8),
            seat=pl.lit(None, dtype=pl.String),
            longest_sit_minutes=pl.col("longest_sit_minutes").fill_null(0.0),
            sit_breaks=pl.col("sit_breaks").fill_null(0),
            trendelenburg=pl.lit(None, dtype=pl.String),
            thomas=pl.lit(None, dtype=pl.String),
            pain=pl.lit(None, dtype=pl.String),
        )
        .cast(sitting_schema())  # type: ignore[arg-type]  # a dict[str, DataType] is a schema
    )
    return days, problems


def _bouts(intervals: pl.DataFrame) -> pl.DataFrame:
    """Per day: ``longest_sit_minutes``, the longest unbroken sedentary stretch inside the
    waking window (sedentary states one after the other are one stretch; a gap in the
    files ends it), and ``sit_breaks``, how many times a sedentary stretch was ended by a
    state that is not sedentary (Healy et al. 2008's breaks in sedentary time)."""
    seg = (
        intervals.filter(pl.col("inside") > 0)
        .with_columns(
            pl.col("d0").dt.date().alias("date"),
            pl.max_horizontal("t", "ws").alias("s0"),
            pl.min_horizontal("end", "we").alias("s1"),
            (pl.col("activity_type") == SEDENTARY).alias("sed"),
        )
        .sort("date", "s0")
    )
    joined = pl.col("s0") == pl.col("s1").shift(1).over("date")
    new_bout = ~(pl.col("sed") & pl.col("sed").shift(1).over("date").fill_null(False) & joined)
    ended = (
        pl.col("sed")
        & ~pl.col("sed").shift(-1).over("date").fill_null(True)
        & (pl.col("s1") == pl.col("s0").shift(-1).over("date")).fill_null(False)
    )
    seg = seg.with_columns(new_bout.cum_sum().alias("bout"), ended.alias("_ended"))
    per_bout = seg.group_by("date", "bout").agg(
        pl.col("sed").first(),
        (pl.col("inside").sum() / 60).alias("minutes"),
        pl.col("_ended").last().alias("broken"),
    )
    return (
        per_bout.filter(pl.col("sed"))
        .group_by("date")
        .agg(
            pl.col("minutes").max().alias("longest_sit_minutes"),
            pl.col("broken").sum().cast(pl.Int32).alias("sit_breaks"),
        )
    )


def read_file(probe: Probe, ctx: ReadContext) -> SourceRead:
    """One monitoring file as its states (made days later, with every other file's)."""
    if probe.path is not None:
        states, problems = read_monitoring_states(probe.path)
    else:
        states, problems = monitoring_states(probe.data(), probe.name)
    return SourceRead("garmin_monitoring", empty_days(), problems, states=states)
