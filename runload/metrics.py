"""The continuous daily table: one row per local calendar day from the first to the last day
of data, with the day's runs, load, the standard load metrics and the day's sitting. Sitting
logged long before the first run does not stretch the table back: it starts at most
``LEAD_IN_DAYS`` before the first run (a sitting log kept for two years before the first run
would otherwise give two years of empty days).

Owns: ``daily_table`` (runs → per-day totals, joined to the sitting table) and the metric
expressions: acute/chronic/acwr (rolling, uncoupled, EWMA), monotony and strain (Foster
1998), ctl/atl/tsb (Banister/Coggan). Days without runs have load 0; days before the first
day of the table count as rest days. All metrics are polars expressions, no loops over days.
"""

from __future__ import annotations

import datetime as dt
import math

import polars as pl

from runload.config import Settings
from runload.schema import ATHLETE_KEY, keyed
from runload.wording import EPS

# Sitting days shown before the first run: the desk weeks leading into the season.
LEAD_IN_DAYS = 28
# The lower edge of the usual acute:chronic range (Gabbett 2016; the upper edge is the
# setting risk.acwr), drawn as a band in the plots.
ACWR_LOW = 0.8


def metrics_schema() -> dict[str, pl.DataType]:
    f = pl.Float64()
    return {
        "date": pl.Date(),
        "runs": pl.UInt32(),
        "run_minutes": f,
        "distance_km": f,
        "load": f,
        "load_estimated": pl.Boolean(),
        "long_run": pl.Boolean(),
        "long_run_spike": pl.Boolean(),
        "sitting_hours": f,
        "sitting_source": pl.String(),
        "numbness": pl.Int8(),
        "longest_sit_minutes": f,
        "sit_breaks": pl.Int32(),
        "trendelenburg": pl.String(),
        "thomas": pl.String(),
        "pain": pl.String(),
        "acute": f,
        "chronic": f,
        "acwr": f,
        "monotony": f,
        "strain": f,
        "ctl": f,
        "atl": f,
        "tsb": f,
        "sitting_file": pl.String(),
        "seat": pl.String(),
        "planned": pl.Boolean(),
    }


# What a sitting row may carry besides its hours, numbness and seat: the unbroken bouts and
# the self-check (each from the first row that has it, a self-report before a device).
DAY_EXTRAS = ("longest_sit_minutes", "sit_breaks", "trendelenburg", "thomas", "pain")


def one_sitting_row_per_day(sitting: pl.DataFrame) -> pl.DataFrame:
    """One row per date. The hours (with their kind and file) come from the first row that
    has hours, a self-report before a device reading of the same day, then in the order
    given; numbness, seat, the bouts and the self-check likewise from the first row that has
    them (a frame without those columns has none). So a self-report that logs only numbness
    or a self-check keeps the watch's sitting hours for that day."""
    has_hours = pl.col("sitting_hours").is_not_null()
    schema = metrics_schema()
    absent = [pl.lit(None, dtype=schema[c]).alias(c) for c in DAY_EXTRAS if c not in sitting]
    return (
        sitting.with_columns(absent)
        .filter(pl.col("date").is_not_null())
        .with_row_index("_order")
        .sort(pl.col("source_kind") != "self_report", "_order", nulls_last=True)
        .group_by(ATHLETE_KEY, "date", maintain_order=True)
        .agg(
            pl.col("sitting_hours").cast(pl.Float64).drop_nulls().first(),
            pl.coalesce(
                pl.col("source_kind").filter(has_hours).first(), pl.col("source_kind").first()
            ).alias("sitting_source"),
            pl.col("numbness").cast(pl.Int8).drop_nulls().first(),
            pl.coalesce(pl.col("source").filter(has_hours).first(), pl.col("source").first()).alias(
                "sitting_file"
            ),
            pl.col("seat").drop_nulls().first(),
            *[pl.col(c).drop_nulls().first() for c in DAY_EXTRAS],
        )
    )


def _per_day_runs(activities: pl.DataFrame) -> pl.DataFrame:
    from runload.load import run_minutes_expr

    runs = activities.filter(pl.col("is_run").fill_null(False) & pl.col("date").is_not_null())
    return runs.group_by(ATHLETE_KEY, "date").agg(
        pl.len().cast(pl.UInt32).alias("runs"),
        run_minutes_expr().sum().alias("run_minutes"),
        pl.col("distance_km").fill_null(0.0).sum().alias("distance_km"),
        pl.col("load").fill_null(0.0).sum().alias("load"),
        pl.col("load_method").is_in(["estimated", "planned"]).any().alias("load_estimated"),
        pl.col("long_run").any().alias("long_run"),
        pl.col("long_run_spike").any().alias("long_run_spike"),
        (pl.col("load_method") == "planned").any().alias("planned"),
    )


def _clean(expr: pl.Expr) -> pl.Expr:
    """Rolling sums of non-negative loads drift by ~1e-16 when the window empties: snap the
    noise to 0 so a rest week reads 0, never -5e-16."""
    return pl.when(expr.abs() < EPS).then(0.0).otherwise(expr)


def _from_zero_ewm(expr: pl.Expr, alpha: float) -> pl.Expr:
    """x_d = x_(d-1) + alpha·(v_d − x_(d-1)) with x before the first day = 0, per athlete."""
    zero_first = pl.concat([pl.lit(0.0), expr]).ewm_mean(alpha=alpha, adjust=False).slice(1)
    return zero_first.over(ATHLETE_KEY)


def _per_athlete(expr: pl.Expr) -> pl.Expr:
    return expr.over(ATHLETE_KEY)


def ewm_k(days: float) -> float:
    """Banister/Coggan decay constant k = 1 − e^(−1/days)."""
    return 1.0 - math.exp(-1.0 / days)


def load_metric_exprs(settings: Settings, history: pl.Expr) -> list[list[pl.Expr]]:
    """Stages of expressions (each may use the previous): acute, chronic, acwr, monotony,
    strain, ctl, atl, tsb over a continuous ``load``
    column; ``history`` = days since the first run, 1 on its day (null without runs)."""
    cfg = settings.load
    load = pl.col("load")
    a_n, c_n = cfg.acute_days, cfg.chronic_days
    acute_rolling = _clean(_per_athlete(load.rolling_sum(a_n, min_samples=1))) / a_n
    if cfg.acwr_method == "ewma":
        acute = _from_zero_ewm(load, 2.0 / (a_n + 1))
        chronic = _from_zero_ewm(load, 2.0 / (c_n + 1))
    elif cfg.acwr_method == "uncoupled":
        acute = acute_rolling
        n = max(c_n - a_n, 1)
        shifted = load.shift(a_n, fill_value=0.0).rolling_sum(n, min_samples=1)
        chronic = _clean(_per_athlete(shifted)) / n
    else:
        acute = acute_rolling
        chronic = _clean(_per_athlete(load.rolling_sum(c_n, min_samples=1))) / c_n
    acwr = (
        pl.when((history >= c_n) & (pl.col("chronic") > EPS))
        .then(pl.col("acute") / pl.col("chronic"))
        .otherwise(None)
    )
    m_n = cfg.monotony_days
    mean = _clean(_per_athlete(load.rolling_mean(m_n, min_samples=1)))
    std = _per_athlete(load.rolling_std(m_n, min_samples=m_n, ddof=0))
    monotony = (
        pl.when(
            (history >= m_n) & (mean > EPS) & (std > EPS * pl.max_horizontal(mean, pl.lit(1.0)))
        )
        .then(pl.min_horizontal(mean / std, pl.lit(cfg.monotony_cap)))
        .otherwise(None)
    )
    strain = _clean(_per_athlete(load.rolling_sum(m_n, min_samples=1))) * pl.col("monotony")
    ctl = _from_zero_ewm(load, ewm_k(cfg.ctl_days))
    atl = _from_zero_ewm(load, ewm_k(cfg.atl_days))
    return [
        [acute.alias("acute"), chronic.alias("chronic"), monotony.alias("monotony")],
        [acwr.alias("acwr"), strain.alias("strain"), ctl.alias("ctl"), atl.alias("atl")],
        [_per_athlete((pl.col("ctl") - pl.col("atl")).shift(1, fill_value=0.0)).alias("tsb")],
    ]


def daily_table(
    activities: pl.DataFrame,
    sitting: pl.DataFrame,
    settings: Settings,
    *,
    until: dt.date | None = None,
) -> pl.DataFrame:
    """The continuous daily table (``DAY_COLUMNS`` up to ``tsb``, then ``sitting_file``,
    ``seat``, ``planned``). ``activities`` must carry ``load``, ``load_method``, ``long_run``
    and ``long_run_spike``.

    It runs from the first day of data — but at most ``LEAD_IN_DAYS`` before the first run —
    to the last day of data (runs or sitting); without runs, over the sitting days. Days
    after ``until`` are dropped; the table runs to ``until``."""
    schema = metrics_schema()
    activities, added = keyed(activities)
    sitting, _ = keyed(sitting)
    if until is not None:
        activities = activities.filter(pl.col("date") <= until)
        sitting = sitting.filter(pl.col("date") <= until)
    per_day = _per_day_runs(activities)
    sit = one_sitting_row_per_day(sitting)
    calendar = _calendar(per_day, sit, until)
    if calendar.is_empty():
        return pl.DataFrame(schema=schema if added else {ATHLETE_KEY: pl.String(), **schema})
    history = (pl.col("date") - pl.col("_first_run")).dt.total_days() + 1
    frame = (
        calendar.join(per_day, on=[ATHLETE_KEY, "date"], how="left")
        .join(sit, on=[ATHLETE_KEY, "date"], how="left")
        .with_columns(
            pl.col("runs").fill_null(0),
            pl.col("run_minutes", "distance_km", "load").fill_null(0.0),
            pl.col("load_estimated", "long_run", "long_run_spike", "planned").fill_null(False),
        )
    )
    for stage in load_metric_exprs(settings, history):
        frame = frame.with_columns(stage)
    columns = [pl.col(c).cast(t) for c, t in schema.items()]
    return frame.select(columns if added else [ATHLETE_KEY, *columns])


def _calendar(per_day: pl.DataFrame, sit: pl.DataFrame, until: dt.date | None) -> pl.DataFrame:
    """Every athlete's continuous run of days (``ATHLETE_KEY``, ``date``, sorted) with the
    athlete's ``_first_run``: from their first day of data (but at most ``LEAD_IN_DAYS``
    before their first run) to their last, or ``until``. A log that runs into the lead-in
    shows all of it; one that ended long before the first run shows none of it (not 28
    days of nothing)."""
    key = ATHLETE_KEY
    runs = per_day.group_by(key).agg(pl.col("date").min().alias("_first_run"))
    data = pl.concat([per_day.select(key, "date"), sit.select(key, "date")])
    lead = pl.col("_first_run") - pl.duration(days=LEAD_IN_DAYS)
    in_lead = (pl.col("_sit") >= lead) & (pl.col("_sit") < pl.col("_first_run"))
    bounds = (
        data.group_by(key)
        .agg(pl.col("date").min().alias("_first"), pl.col("date").max().alias("_last"))
        .join(runs, on=key, how="left")
        .join(sit.select(key, pl.col("date").alias("_sit")), on=key, how="left")
        .group_by(key)
        .agg(pl.col("_first", "_last", "_first_run").first(), in_lead.any().alias("_in_lead"))
    )
    first = (
        pl.when(pl.col("_first_run").is_null())
        .then(pl.col("_first"))
        .when(pl.col("_in_lead"))
        .then(pl.max_horizontal("_first", lead))
        .otherwise(pl.col("_first_run"))
    )
    last = pl.lit(until, dtype=pl.Date) if until is not None else pl.col("_last")
    return (
        bounds.select(key, "_first_run", pl.date_ranges(first, last, "1d").alias("date"))
        .explode("date")
        .filter(pl.col("date").is_not_null())
        .sort(key, "date")
    )
