"""What every risk rule's test cases share: a scored day table built from generated runs and
sitting days (``tools.fitgen``), and the reasons of one day as data."""

from __future__ import annotations

import datetime as dt

import polars as pl

from runload.config import Settings
from runload.load import long_runs
from runload.metrics import daily_table
from runload.risk import score_days
from tools.fitgen import activities_frame, run_record, sitting_frame

D0 = dt.date(2024, 5, 6)
DAY = dt.timedelta(days=1)
S = Settings()


def scored(runs, sitting=(), *, loads=None, settings: Settings = S, until=None) -> pl.DataFrame:
    acts = activities_frame(list(runs))
    acts = acts.with_columns(
        pl.Series("load", loads if loads is not None else [50.0] * acts.height, dtype=pl.Float64),
        pl.lit("avg_hr").alias("load_method"),
    )
    acts = long_runs(acts, settings.load)
    days = daily_table(acts, sitting_frame(list(sitting)), settings, until=until)
    return score_days(days, acts, settings)


def day(frame: pl.DataFrame, d: dt.date) -> dict:
    return frame.filter(pl.col("date") == d).row(0, named=True)


def reasons(row: dict) -> dict[str, tuple[int, str]]:
    return {r["factor"]: (r["points"], r["detail"]) for r in row["reasons"]}


def _load_days(last: float) -> pl.DataFrame:
    runs = [run_record(D0 + i * DAY, 30) for i in range(29)]
    return scored(runs, loads=[100.0] * 28 + [last])


def fields(row: dict) -> dict[str, tuple[float, float, str]]:
    return {r["factor"]: (r["value"], r["threshold"], r["unit"]) for r in row["reasons"]}
