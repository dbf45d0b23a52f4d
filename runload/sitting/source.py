"""The contract between ``read_sitting`` and each reader: what a reader is given (the
``ReadContext``: today and the waking window) and what one file gives back
(``SourceRead``: its days, problems, resting heart rates or monitoring states), and the
frames they are built from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

from runload.errors import Problem
from runload.schema import sitting_frame, sitting_schema

RESTING_SCHEMA: dict[str, pl.DataType] = {
    "date": pl.Date(),
    "resting_hr": pl.Float64(),
    "source": pl.String(),
}


@dataclass(frozen=True)
class ReadContext:
    today: dt.date
    waking: tuple[dt.time, dt.time]

    @property
    def waking_hours(self) -> float:
        a, b = self.waking
        return (b.hour * 60 + b.minute - a.hour * 60 - a.minute) / 60


@dataclass
class SourceRead:
    """What one file gave."""

    kind: str
    days: pl.DataFrame  # sitting_schema()
    problems: list[Problem] = field(default_factory=list)
    resting_hr: pl.DataFrame | None = None  # RESTING_SCHEMA
    states: pl.DataFrame | None = None  # monitoring.STATE_SCHEMA (monitoring files)


def empty_days() -> pl.DataFrame:
    return pl.DataFrame(schema=sitting_schema())


def device_days(
    dates: list[dt.date],
    hours: list[float],
    source: str,
    *,
    longest_sit_minutes: list[float | None] | None = None,
    sit_breaks: list[int | None] | None = None,
) -> pl.DataFrame:
    """Device days: the hours, and the unbroken bouts where the source has them."""
    columns: dict[str, list[object]] = {
        "date": list(dates),
        "sitting_hours": list(hours),
        "source": [source] * len(dates),
        "source_kind": ["device"] * len(dates),
    }
    if longest_sit_minutes is not None:
        columns["longest_sit_minutes"] = list(longest_sit_minutes)
    if sit_breaks is not None:
        columns["sit_breaks"] = list(sit_breaks)
    return sitting_frame(columns)
