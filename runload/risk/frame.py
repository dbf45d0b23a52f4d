"""The day frame the risk rules read, built once before any rule runs.

Owns the sitting exposure rule (a run before ``morning_before`` is exposed to the sitting of
the day before, a later run to that day's; with several runs the worst; a day without runs to
its own sitting; device days get ``device_offset_hours`` added to every sitting threshold) and
the per-day facts of the day's runs that the run rules quote (``run_details``: the longest long
run, the biggest spike, whether the day has the planned run of ``check --planned``).
"""

from __future__ import annotations

import polars as pl

from runload.config import Settings
from runload.load import run_minutes_expr
from runload.risk.rule import device_offset
from runload.schema import ATHLETE_KEY, keyed
from runload.wording import EPS, duration_expr


def _planned(activities: pl.DataFrame) -> pl.Expr:
    """True on the planned run of ``check --planned`` (``load_method`` "planned"), so that a
    reason its numbers come from says so ("planned long run of 1 h 40 min")."""
    if "load_method" not in activities.columns:
        return pl.lit(False)
    return (pl.col("load_method") == "planned").fill_null(False)


def sitting_exposure(
    days: pl.DataFrame, activities: pl.DataFrame, settings: Settings
) -> pl.DataFrame:
    """Per day: ``sitting_exposure_hours``, ``sitting_kind`` (the source kind of the day the
    exposure came from), ``_eff`` (the exposure with the device offset taken off) and
    ``_exposure_context`` (" the day before a 1 h 52 min run"; empty on a day without runs)."""
    sit = days.select(
        ATHLETE_KEY,
        "date",
        pl.col("sitting_hours").alias("_h"),
        pl.col("sitting_source").alias("_k"),
    )
    morning = settings.risk.morning_before
    runs = activities.filter(pl.col("is_run").fill_null(False) & pl.col("date").is_not_null())
    runs = runs.select(
        ATHLETE_KEY,
        "date",
        run_minutes_expr().alias("_min"),
        (pl.col("start_local").dt.time() < morning).fill_null(False).alias("_morning"),
        _planned(activities).alias("_planned"),
    ).with_columns(
        pl.when(pl.col("_morning"))
        .then(pl.col("date") - pl.duration(days=1))
        .otherwise(pl.col("date"))
        .alias("_exp_date")
    )
    runs = runs.join(sit.rename({"date": "_exp_date"}), on=[ATHLETE_KEY, "_exp_date"], how="left")
    run_context = pl.format(
        " {} {} {} run",
        pl.when(pl.col("_morning"))
        .then(pl.lit("the day before"))
        .otherwise(pl.lit("the same day as")),
        pl.when(pl.col("_planned")).then(pl.lit("the planned")).otherwise(pl.lit("a")),
        duration_expr(pl.col("_min")),
    )
    per_run = (
        runs.filter(pl.col("_h").is_not_null())
        .with_columns(
            (pl.col("_h") - device_offset(pl.col("_k"), settings)).alias("_eff"),
            run_context.alias("_context"),
        )
        .sort(ATHLETE_KEY, "date", "_eff", "_min", descending=[False, False, True, True])
        .unique([ATHLETE_KEY, "date"], keep="first", maintain_order=True)
        .select(ATHLETE_KEY, "date", "_h", "_k", "_eff", "_context")
    )
    run_days = (
        runs.select(ATHLETE_KEY, "date").unique().with_columns(pl.lit(True).alias("_has_run"))
    )
    on = [ATHLETE_KEY, "date"]
    out = (
        days.join(run_days, on=on, how="left", maintain_order="left")
        .join(per_run, on=on, how="left", maintain_order="left")
        .with_columns(pl.col("_has_run").fill_null(False))
    )
    no_run = ~pl.col("_has_run")
    return out.with_columns(
        pl.when(no_run)
        .then(pl.col("sitting_hours"))
        .otherwise(pl.col("_h"))
        .alias("sitting_exposure_hours"),
        pl.when(no_run)
        .then(pl.col("sitting_source"))
        .otherwise(pl.col("_k"))
        .alias("sitting_kind"),
        pl.when(no_run)
        .then(pl.col("sitting_hours") - device_offset(pl.col("sitting_source"), settings))
        .otherwise(pl.col("_eff"))
        .alias("_eff"),
        pl.when(no_run).then(pl.lit("")).otherwise(pl.col("_context")).alias("_exposure_context"),
    ).drop("_h", "_k", "_context", "_has_run")


def run_details(activities: pl.DataFrame, settings: Settings) -> pl.DataFrame:
    """Per day, what the reasons of the longest long run and of the biggest spike quote:
    ``_long_value`` (its minutes), ``_long_threshold`` (the minutes it reached: the absolute
    rule's, else the share rule's), ``_week_minutes``; ``_spike_value`` (its km, or minutes
    when a distance is missing), ``_spike_threshold`` (``spike_ratio`` × the longest run
    before, in the same unit) and ``_spike_unit`` (``km`` | ``min``); ``_long_planned``,
    ``_spike_planned`` whether that run is the planned one (``check --planned``) and
    ``_day_planned`` whether the day has it."""
    cfg = settings.load
    runs = activities.filter(pl.col("is_run").fill_null(False) & pl.col("date").is_not_null())
    runs = runs.with_columns(run_minutes_expr().alias("_min"), _planned(activities).alias("_plan"))
    absolute = pl.col("_min") >= cfg.long_run_minutes - EPS
    km = pl.when(pl.col("distance_km") > 0).then(pl.col("distance_km"))
    by_km = km.is_not_null() & pl.col("longest_before_km").is_not_null()
    long_day = (
        runs.filter(pl.col("long_run"))
        .sort(ATHLETE_KEY, "date", "_min", descending=[False, False, True])
        .group_by(ATHLETE_KEY, "date", maintain_order=True)
        .agg(
            pl.col("_min").first().alias("_long_value"),
            pl.when(absolute)
            .then(pl.lit(float(cfg.long_run_minutes)))
            .otherwise(pl.lit(float(cfg.long_run_share_minutes)))
            .first()
            .alias("_long_threshold"),
            pl.col("week_run_minutes").first().alias("_week_minutes"),
            pl.col("_plan").first().alias("_long_planned"),
        )
    )
    spike_day = (
        runs.filter(pl.col("long_run_spike"))
        .sort(ATHLETE_KEY, "date", "_min", descending=[False, False, True])
        .group_by(ATHLETE_KEY, "date", maintain_order=True)
        .agg(
            pl.when(by_km).then(km).otherwise(pl.col("_min")).first().alias("_spike_value"),
            (
                cfg.spike_ratio
                * pl.when(by_km)
                .then(pl.col("longest_before_km"))
                .otherwise(pl.col("longest_before_minutes"))
            )
            .first()
            .alias("_spike_threshold"),
            pl.when(by_km).then(pl.lit("km")).otherwise(pl.lit("min")).first().alias("_spike_unit"),
            pl.col("_plan").first().alias("_spike_planned"),
        )
    )
    planned_day = runs.group_by(ATHLETE_KEY, "date").agg(
        pl.col("_plan").any().alias("_day_planned")
    )
    on = [ATHLETE_KEY, "date"]
    return long_day.join(spike_day, on=on, how="full", coalesce=True).join(
        planned_day, on=on, how="full", coalesce=True
    )


def day_frame(days: pl.DataFrame, activities: pl.DataFrame, settings: Settings) -> pl.DataFrame:
    """``days`` (keyed by athlete) with the sitting exposure and the run details joined in."""
    days, _ = keyed(days)
    activities, _ = keyed(activities)
    frame = sitting_exposure(days, activities, settings)
    return frame.join(
        run_details(activities, settings),
        on=[ATHLETE_KEY, "date"],
        how="left",
        maintain_order="left",
    )
