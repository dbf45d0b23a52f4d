"""The risk of a day: points per factor, each with a reason the runner can read, and the
level (low / elevated / high).

Owns: the sitting exposure rule (a run before ``morning_before`` is exposed to the sitting of
the day before, a later run to that day's; with several runs the worst; a day without runs to
its own sitting; device days get ``device_offset_hours`` added to every sitting threshold),
the factors ``sitting``, ``sitting_streak``, ``long_run``, ``long_run_spike``, ``load_spike``,
``monotony``, ``symptoms``, and the rule that sitting alone never lifts a day above low.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from runload.config import Settings
from runload.wording import (
    EPS,
    decimals_for,
    duration_expr,
    hours_expr,
    km_expr,
    percent_expr,
    ratio_expr,
)

SITTING_FACTORS = ("sitting", "sitting_streak")
FACTORS = (
    "sitting",
    "sitting_streak",
    "long_run",
    "long_run_spike",
    "load_spike",
    "monotony",
    "symptoms",
)
REASON_DTYPE = pl.Struct({"factor": pl.String, "points": pl.Int64, "detail": pl.String})
LEVELS = ("low", "elevated", "high")


def _g(x: float) -> str:
    return f"{x:g}"


def _offset(kind: pl.Expr, settings: Settings) -> pl.Expr:
    return pl.when(kind == "device").then(settings.sitting.device_offset_hours).otherwise(0.0)


def hour_decimals(settings: Settings) -> int:
    """Decimals for sitting hours in reasons: enough for every sitting threshold."""
    r, off = settings.risk, settings.sitting.device_offset_hours
    hours = (r.sitting_hours, r.sitting_hours_high, r.streak_hours)
    return decimals_for(*hours, *(h + off for h in hours))


def _parse_hhmm(text: str) -> dt.time:
    h, m = text.split(":")
    return dt.time(int(h), int(m))


def sitting_exposure(
    days: pl.DataFrame, activities: pl.DataFrame, settings: Settings
) -> pl.DataFrame:
    """Per day: ``sitting_exposure_hours``, ``sitting_kind`` (the source kind of the day the
    exposure came from), ``_excess`` (hours above the threshold, offset removed) and
    ``_exposure_text`` ("sat 10.5 h the day before a 1 h 52 min run")."""
    from runload.load import run_minutes_expr

    sit = days.select(
        "date", pl.col("sitting_hours").alias("_h"), pl.col("sitting_source").alias("_k")
    )
    morning = _parse_hhmm(settings.risk.morning_before)
    dec = hour_decimals(settings)
    runs = activities.filter(pl.col("is_run").fill_null(False) & pl.col("date").is_not_null())
    runs = runs.select(
        "date",
        run_minutes_expr().alias("_min"),
        (pl.col("start_local").dt.time() < morning).fill_null(False).alias("_morning"),
    ).with_columns(
        pl.when(pl.col("_morning"))
        .then(pl.col("date") - pl.duration(days=1))
        .otherwise(pl.col("date"))
        .alias("_exp_date")
    )
    runs = runs.join(sit.rename({"date": "_exp_date"}), on="_exp_date", how="left")
    run_text = pl.format(
        "sat {} h{} {} a {} run",
        hours_expr(pl.col("_h"), dec),
        pl.when(pl.col("_k") == "device").then(pl.lit(" by device count")).otherwise(pl.lit("")),
        pl.when(pl.col("_morning"))
        .then(pl.lit("the day before"))
        .otherwise(pl.lit("the same day as")),
        duration_expr(pl.col("_min")),
    )
    per_run = (
        runs.filter(pl.col("_h").is_not_null())
        .with_columns(
            (pl.col("_h") - _offset(pl.col("_k"), settings)).alias("_eff"),
            run_text.alias("_text"),
        )
        .sort("date", "_eff", "_min", descending=[False, True, True])
        .unique("date", keep="first", maintain_order=True)
        .select("date", "_h", "_k", "_eff", "_text")
    )
    run_days = runs.select("date").unique().with_columns(pl.lit(True).alias("_has_run"))
    own_text = pl.format(
        "sat {} h{}",
        hours_expr(pl.col("sitting_hours"), dec),
        pl.when(pl.col("sitting_source") == "device")
        .then(pl.lit(" by device count"))
        .otherwise(pl.lit("")),
    )
    out = (
        days.join(run_days, on="date", how="left")
        .join(per_run, on="date", how="left")
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
        .then(pl.col("sitting_hours") - _offset(pl.col("sitting_source"), settings))
        .otherwise(pl.col("_eff"))
        .alias("_eff"),
        pl.when(no_run).then(own_text).otherwise(pl.col("_text")).alias("_exposure_text"),
    ).drop("_h", "_k", "_text", "_has_run")


def _run_details(activities: pl.DataFrame, settings: Settings) -> pl.DataFrame:
    """Per day, the text of the longest long run and of the biggest spike."""
    from runload.load import run_minutes_expr

    cfg = settings.load
    runs = activities.filter(pl.col("is_run").fill_null(False) & pl.col("date").is_not_null())
    runs = runs.with_columns(run_minutes_expr().alias("_min"))
    share = pl.col("_min") / pl.col("week_run_minutes")
    long_text = (
        pl.when(pl.col("_min") >= cfg.long_run_minutes - EPS)
        .then(
            pl.format(
                "long run of {} ({} min or more)",
                duration_expr(pl.col("_min")),
                pl.lit(_g(cfg.long_run_minutes)),
            )
        )
        .otherwise(
            pl.format(
                "{} run, {} % of the {} of running in the 7 days ending that day ({} min and {} % "
                "or more)",
                duration_expr(pl.col("_min")),
                percent_expr(share),
                duration_expr(pl.col("week_run_minutes")),
                pl.lit(_g(cfg.long_run_share_minutes)),
                pl.lit(_g(round(cfg.long_run_week_share * 100, 1))),
            )
        )
    )
    km = pl.when(pl.col("distance_km") > 0).then(pl.col("distance_km"))
    by_km = km.is_not_null() & pl.col("longest_before_km").is_not_null()
    spike_text = (
        pl.when(by_km)
        .then(
            pl.format(
                "{} km run, longer than {} × the longest run of the {} days before ({} km)",
                km_expr(km, "up"),
                pl.lit(_g(cfg.spike_ratio)),
                pl.lit(cfg.spike_days),
                km_expr(pl.col("longest_before_km"), "down"),
            )
        )
        .otherwise(
            pl.format(
                "{} run, longer than {} × the longest run of the {} days before ({})",
                duration_expr(pl.col("_min"), "up"),
                pl.lit(_g(cfg.spike_ratio)),
                pl.lit(cfg.spike_days),
                duration_expr(pl.col("longest_before_minutes"), "down"),
            )
        )
    )
    long_day = (
        runs.filter(pl.col("long_run"))
        .sort("date", "_min", descending=[False, True])
        .group_by("date", maintain_order=True)
        .agg(long_text.first().alias("_long_text"))
    )
    spike_day = (
        runs.filter(pl.col("long_run_spike"))
        .sort("date", "_min", descending=[False, True])
        .group_by("date", maintain_order=True)
        .agg(spike_text.first().alias("_spike_text"))
    )
    return long_day.join(spike_day, on="date", how="full", coalesce=True)


def _reason(factor: str, points: pl.Expr, detail: pl.Expr) -> pl.Expr:
    return (
        pl.when(points > 0)
        .then(
            pl.struct(
                pl.lit(factor).alias("factor"), points.alias("points"), detail.alias("detail")
            )
        )
        .otherwise(None)
    )


def score_days(days: pl.DataFrame, activities: pl.DataFrame, settings: Settings) -> pl.DataFrame:
    """Add ``score``, ``risk`` and ``reasons`` (plus the helper columns ``points`` — the same as
    ``score`` —, ``sitting_exposure_hours``, ``sitting_kind``, ``sitting_streak_days``). ``days``
    is the continuous daily table, ``activities`` the runs with their long-run flags."""
    r = settings.risk
    frame = sitting_exposure(days, activities, settings)
    frame = frame.join(_run_details(activities, settings), on="date", how="left")

    # sitting: exposure vs the thresholds (device days: + device_offset_hours)
    eff = pl.col("_eff")
    p_sit = (
        pl.when(eff >= r.sitting_hours_high - EPS)
        .then(2)
        .when(eff >= r.sitting_hours - EPS)
        .then(1)
        .otherwise(0)
    )
    device = pl.col("sitting_kind") == "device"
    off = settings.sitting.device_offset_hours
    sit_rule = pl.format(
        "({} h or more{})",
        pl.when(eff >= r.sitting_hours_high - EPS)
        .then(
            pl.when(device)
            .then(pl.lit(_g(r.sitting_hours_high + off)))
            .otherwise(pl.lit(_g(r.sitting_hours_high)))
        )
        .otherwise(
            pl.when(device)
            .then(pl.lit(_g(r.sitting_hours + off)))
            .otherwise(pl.lit(_g(r.sitting_hours)))
        ),
        pl.when(device).then(pl.lit(" for device data")).otherwise(pl.lit("")),
    )
    # sitting_streak: consecutive days with the day's own sitting ≥ streak_hours (+offset)
    long_day = (
        pl.col("sitting_hours") - _offset(pl.col("sitting_source"), settings)
        >= r.streak_hours - EPS
    ).fill_null(False)
    device_day = (pl.col("sitting_source") == "device").fill_null(False)
    run_id = (~long_day).cum_sum()
    streak = long_day.cast(pl.Int64).cum_sum().over(run_id)
    # a device day in the streak needed streak_hours + offset: the reason says so
    device_days = (long_day & device_day).cast(pl.Int64).cum_sum().over(run_id)
    frame = frame.with_columns(
        streak.alias("sitting_streak_days"), (device_days > 0).alias("_streak_device")
    )
    p_streak = pl.when(pl.col("sitting_streak_days") >= r.streak_days).then(1).otherwise(0)
    streak_text = pl.format(
        "{} days in a row with {} h or more of sitting{} ({} days or more)",
        pl.col("sitting_streak_days"),
        pl.lit(_g(r.streak_hours)),
        pl.when(pl.col("_streak_device"))
        .then(pl.lit(f", {_g(r.streak_hours + off)} h for device data"))
        .otherwise(pl.lit("")),
        pl.lit(r.streak_days),
    )
    # load
    acwr = pl.col("acwr")
    p_acwr = (
        pl.when(acwr >= r.acwr_high - EPS).then(2).when(acwr >= r.acwr - EPS).then(1).otherwise(0)
    )
    acwr_text = pl.format(
        "acute:chronic load {} ({} or more)",
        ratio_expr(acwr, decimals_for(r.acwr, r.acwr_high)),
        pl.when(acwr >= r.acwr_high - EPS)
        .then(pl.lit(_g(r.acwr_high)))
        .otherwise(pl.lit(_g(r.acwr))),
    )
    p_mono = pl.when(pl.col("monotony") >= r.monotony - EPS).then(1).otherwise(0)
    mono_text = pl.format(
        "training monotony {} over {} days: similar load every day ({} or more)",
        ratio_expr(pl.col("monotony"), decimals_for(r.monotony)),
        pl.lit(settings.load.monotony_days),
        pl.lit(_g(r.monotony)),
    )
    # symptoms: numbness that day or the day before
    today = pl.col("numbness").cast(pl.Int64)
    before = pl.col("numbness").cast(pl.Int64).shift(1)
    p_sym = pl.when((today >= r.numbness) | (before >= r.numbness)).then(2).otherwise(0)
    sym_text = (
        pl.when(today >= r.numbness)
        .then(pl.format("numbness {}/10 logged that day ({} or more)", today, pl.lit(r.numbness)))
        .otherwise(
            pl.format(
                "numbness {}/10 logged the day before ({} or more)", before, pl.lit(r.numbness)
            )
        )
    )
    points = {
        "sitting": (p_sit.fill_null(0), pl.format("{} {}", pl.col("_exposure_text"), sit_rule)),
        "sitting_streak": (p_streak.fill_null(0), streak_text),
        "long_run": (pl.col("long_run").cast(pl.Int64), pl.col("_long_text")),
        "long_run_spike": (pl.col("long_run_spike").cast(pl.Int64), pl.col("_spike_text")),
        "load_spike": (p_acwr.fill_null(0), acwr_text),
        "monotony": (p_mono.fill_null(0), mono_text),
        "symptoms": (p_sym.fill_null(0), sym_text),
    }
    frame = frame.with_columns(
        [p.cast(pl.Int64).alias(f"_p_{name}") for name, (p, _) in points.items()]
    )
    total = pl.sum_horizontal([pl.col(f"_p_{n}") for n in FACTORS])
    other = pl.sum_horizontal([pl.col(f"_p_{n}") for n in FACTORS if n not in SITTING_FACTORS])
    level = (
        pl.when((other > 0) & (total >= r.high_points))
        .then(pl.lit("high"))
        .when((other > 0) & (total >= r.elevated_points))
        .then(pl.lit("elevated"))
        .otherwise(pl.lit("low"))
    )
    reasons = pl.concat_list(
        [_reason(n, pl.col(f"_p_{n}"), detail) for n, (_, detail) in points.items()]
    ).list.drop_nulls()
    return frame.with_columns(
        total.cast(pl.Int64).alias("score"),
        level.alias("risk"),
        reasons.cast(pl.List(REASON_DTYPE)).alias("reasons"),
    ).with_columns(pl.col("score").alias("points"))
