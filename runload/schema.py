"""The tables that flow between the modules, named in one place.

files → activities (``ACTIVITY_SCHEMA``) → daily table (``DAY_COLUMNS``) →
risk → advice → renderers. Sitting sources become ``SITTING_SCHEMA``.
Every module that builds one of these frames selects/casts to the schema
here, so a renderer can rely on names and types.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

# Public activity columns, in output order (the HR sample lists are kept but never printed).
ACTIVITY_COLUMNS: tuple[str, ...] = (
    "file",
    "session",
    "sport",
    "sub_sport",
    "is_run",
    "start_utc",
    "start_local",
    "date",
    "utc_offset_min",
    "moving_minutes",
    "elapsed_minutes",
    "distance_km",
    "avg_hr",
    "max_hr",
    "ascent_m",
    "has_gps",
    "device",
)
HR_SAMPLE_COLUMNS: tuple[str, ...] = ("hr_t", "hr_bpm")  # seconds from start, bpm
# What the method needs of the samples, per session (``runload.load``: the HR summary):
# the highest plausible sample, and the valid samples as (bpm, gap to the next, count).
HR_SUMMARY_COLUMNS: tuple[str, ...] = ("hr_peak", "hr_profile")


def hr_profile_type() -> pl.DataType:
    import polars as pl

    return pl.List(pl.Struct({"bpm": pl.Float64(), "gap_s": pl.Float64(), "n": pl.UInt32()}))


def activity_schema() -> dict[str, pl.DataType]:
    import polars as pl

    return {
        "file": pl.String(),
        "session": pl.Int32(),
        "sport": pl.String(),
        "sub_sport": pl.String(),
        "is_run": pl.Boolean(),
        "start_utc": pl.Datetime("us", "UTC"),
        "start_local": pl.Datetime("us"),  # local wall time, naive
        "date": pl.Date(),  # local calendar day of the start
        "utc_offset_min": pl.Int32(),
        "moving_minutes": pl.Float64(),
        "elapsed_minutes": pl.Float64(),
        "distance_km": pl.Float64(),
        "avg_hr": pl.Float64(),
        "max_hr": pl.Float64(),
        "ascent_m": pl.Float64(),
        "has_gps": pl.Boolean(),
        "device": pl.String(),
        "hr_t": pl.List(pl.Float64()),
        "hr_bpm": pl.List(pl.Float64()),
        "hr_peak": pl.Float64(),
        "hr_profile": hr_profile_type(),
    }


SITTING_COLUMNS: tuple[str, ...] = (
    "date",
    "sitting_hours",
    "source",
    "source_kind",
    "numbness",
    "seat",
    "longest_sit_minutes",
    "sit_breaks",
    "trendelenburg",
    "thomas",
    "pain",
)


def sitting_schema() -> dict[str, pl.DataType]:
    import polars as pl

    return {
        "date": pl.Date(),
        "sitting_hours": pl.Float64(),
        "source": pl.String(),  # the file the day came from
        "source_kind": pl.String(),  # "self_report" | "device"
        "numbness": pl.Int8(),  # 0-10, null when not logged
        "seat": pl.String(),  # "hard" | "soft" | null
        # the longest unbroken sedentary bout of the waking day and the breaks in sitting
        # (null: the source has no minutes or hours of its own)
        "longest_sit_minutes": pl.Float64(),
        "sit_breaks": pl.Int32(),
        # ``runload selfcheck``: the side whose test was positive (none|left|right|both)
        # and the pain sites (``knee+lower_back``, "none"); null: no self-check that day
        "trendelenburg": pl.String(),
        "thomas": pl.String(),
        "pain": pl.String(),
    }


def sitting_frame(columns: dict[str, list[object]]) -> pl.DataFrame:
    """A sitting frame (``sitting_schema``) from ``columns``: the columns not given are null."""
    import polars as pl

    schema = sitting_schema()
    n = len(next(iter(columns.values()))) if columns else 0
    data = {c: columns.get(c, [None] * n) for c in schema}
    return pl.DataFrame(data, schema=schema)


# The column that keeps athletes apart when the method runs over a squad at once
# (``runload.analysis.analyse_many``): every window of the method runs ``over`` it.
ATHLETE_KEY = "athlete"


def keyed(frame: pl.DataFrame) -> tuple[pl.DataFrame, bool]:
    """``frame`` with an ``ATHLETE_KEY`` column (one unnamed athlete when it has none), and
    whether the column was added (so the caller can drop it again)."""
    import polars as pl

    if ATHLETE_KEY in frame.columns:
        return frame, False
    return frame.with_columns(pl.lit("", dtype=pl.String).alias(ATHLETE_KEY)), True


# The day table of the report, exactly as the JSON output names it.
DAY_COLUMNS: tuple[str, ...] = (
    "date",
    "runs",
    "run_minutes",
    "distance_km",
    "load",
    "load_estimated",
    "long_run",
    "long_run_spike",
    "sitting_hours",
    "sitting_source",
    "numbness",
    "longest_sit_minutes",
    "sit_breaks",
    "trendelenburg",
    "thomas",
    "pain",
    "acute",
    "chronic",
    "acwr",
    "monotony",
    "strain",
    "ctl",
    "atl",
    "tsb",
    "score",
    "risk",
    "reasons",
    "advice",
)


@dataclass(frozen=True)
class AthleteFact:
    """A fact about the athlete found in an input file (``user_profile``, ``zones_target``,
    a Garmin daily summary), used when the config does not say."""

    name: str  # "sex" | "hr_rest" | "hr_max"
    value: str | float
    source: str  # file it came from
