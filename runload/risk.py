"""The risk of a day: points per factor, each with a reason the runner can read (and the
numbers behind it: ``REASON_DTYPE``), and the level (low / elevated / high).

Owns: the sitting exposure rule (a run before ``morning_before`` is exposed to the sitting of
the day before, a later run to that day's; with several runs the worst; a day without runs to
its own sitting; device days get ``device_offset_hours`` added to every sitting threshold),
the factors ``sitting``, ``sitting_streak``, ``long_run``, ``long_run_spike``, ``load_spike``,
``monotony``, ``symptoms``, and the rule that sitting alone never lifts a day above low.
"""

from __future__ import annotations

import polars as pl

from runload.config import Settings
from runload.schema import ATHLETE_KEY, keyed
from runload.wording import (
    EPS,
    cut_expr,
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
# A reason: the factor, its points, the number the rule compared (``value``, in ``unit``), the
# line it reached (``threshold``) and the sentence saying so (``detail``, worded from those
# two). Units: "h" (sitting exposure), "days" (streak), "min" or "km" (long run, spike),
# "ratio" (ACWR, monotony), "/10" (numbness).
REASON_DTYPE = pl.Struct(
    {
        "factor": pl.String,
        "points": pl.Int64,
        "value": pl.Float64,
        "threshold": pl.Float64,
        "unit": pl.String,
        "detail": pl.String,
    }
)
UNITS = ("h", "days", "min", "km", "ratio", "/10")
LEVELS = ("low", "elevated", "high")  # in order: the level expression and the plots use it


def _planned(activities: pl.DataFrame) -> pl.Expr:
    """True on the planned run of ``check --planned`` (``load_method`` "planned"), so that a
    reason its numbers come from says so ("planned long run of 1 h 40 min")."""
    if "load_method" not in activities.columns:
        return pl.lit(False)
    return (pl.col("load_method") == "planned").fill_null(False)


def _planned_word(flag: pl.Expr, word: str = "planned ") -> pl.Expr:
    return pl.when(flag.fill_null(False)).then(pl.lit(word)).otherwise(pl.lit(""))


def _offset(kind: pl.Expr, settings: Settings) -> pl.Expr:
    return pl.when(kind == "device").then(settings.sitting.device_offset_hours).otherwise(0.0)


def hour_decimals(settings: Settings) -> int:
    """Decimals for sitting hours in reasons: enough for every sitting threshold."""
    r, off = settings.risk, settings.sitting.device_offset_hours
    hours = (r.sitting_hours, r.sitting_hours_high, r.streak_hours)
    return decimals_for(*hours, *(h + off for h in hours))


def sitting_exposure(
    days: pl.DataFrame, activities: pl.DataFrame, settings: Settings
) -> pl.DataFrame:
    """Per day: ``sitting_exposure_hours``, ``sitting_kind`` (the source kind of the day the
    exposure came from), ``_eff`` (the exposure with the device offset taken off) and
    ``_exposure_context`` (" the day before a 1 h 52 min run"; empty on a day without runs)."""
    from runload.load import run_minutes_expr

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
            (pl.col("_h") - _offset(pl.col("_k"), settings)).alias("_eff"),
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
        .then(pl.col("sitting_hours") - _offset(pl.col("sitting_source"), settings))
        .otherwise(pl.col("_eff"))
        .alias("_eff"),
        pl.when(no_run).then(pl.lit("")).otherwise(pl.col("_context")).alias("_exposure_context"),
    ).drop("_h", "_k", "_context", "_has_run")


def _run_details(activities: pl.DataFrame, settings: Settings) -> pl.DataFrame:
    """Per day, what the reasons of the longest long run and of the biggest spike quote:
    ``_long_value`` (its minutes), ``_long_threshold`` (the minutes it reached: the absolute
    rule's, else the share rule's), ``_week_minutes``; ``_spike_value`` (its km, or minutes
    when a distance is missing), ``_spike_threshold`` (``spike_ratio`` × the longest run
    before, in the same unit) and ``_spike_unit`` (``km`` | ``min``); ``_long_planned``,
    ``_spike_planned`` whether that run is the planned one (``check --planned``) and
    ``_day_planned`` whether the day has it."""
    from runload.load import run_minutes_expr

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


def _reason(
    factor: str, points: pl.Expr, value: pl.Expr, threshold: pl.Expr, unit: pl.Expr, detail: pl.Expr
) -> pl.Expr:
    return (
        pl.when(points > 0)
        .then(
            pl.struct(
                pl.lit(factor).alias("factor"),
                points.alias("points"),
                value.cast(pl.Float64).alias("value"),
                threshold.cast(pl.Float64).alias("threshold"),
                unit.alias("unit"),
                detail.alias("detail"),
            )
        )
        .otherwise(None)
    )


def _reason_lists(frame: pl.DataFrame, reasons: list[pl.Expr]) -> pl.Series:
    """``reasons``: each row's reasons (the non-null of ``reasons``, in their order; empty when
    none). The factors are stacked and grouped back by row: with ``pl.concat_list`` of the
    struct columns ``score_days`` took 11.5 s for 200 athletes × 3 years of days, with
    this 0.8 s (the same frame)."""
    stacked = (
        frame.select([r.cast(REASON_DTYPE).alias(str(i)) for i, r in enumerate(reasons)])
        .with_row_index("_row")
        .unpivot(index="_row", value_name="reasons")
        .filter(pl.col("reasons").is_not_null())
        .group_by("_row", maintain_order=True)  # keeps each row's reasons in stacking order
        .agg("reasons")
    )
    rows = pl.DataFrame({"_row": pl.arange(0, frame.height, eager=True, dtype=pl.UInt32)})
    return (
        rows.join(stacked, on="_row", how="left", maintain_order="left")
        .get_column("reasons")
        .fill_null(pl.lit([], dtype=pl.List(REASON_DTYPE)))
    )


def score_days(days: pl.DataFrame, activities: pl.DataFrame, settings: Settings) -> pl.DataFrame:
    """Add ``score``, ``risk`` and ``reasons`` (plus the helper columns ``points`` — the same as
    ``score`` —, ``sitting_exposure_hours``, ``sitting_kind``, ``sitting_streak_days``). ``days``
    is the continuous daily table, ``activities`` the runs with their long-run flags. Each
    reason's ``detail`` is worded from its own ``value`` and ``threshold`` (``runload.wording``),
    so the sentence and the numbers cannot disagree."""
    r, load = settings.risk, settings.load
    off = settings.sitting.device_offset_hours
    hour_dec = hour_decimals(settings)
    days, added = keyed(days)
    activities, _ = keyed(activities)
    frame = sitting_exposure(days, activities, settings)
    frame = frame.join(
        _run_details(activities, settings),
        on=[ATHLETE_KEY, "date"],
        how="left",
        maintain_order="left",
    )

    def hours(x: pl.Expr | float) -> pl.Expr:
        return hours_expr(x if isinstance(x, pl.Expr) else pl.lit(float(x)), hour_dec)

    # sitting: exposure vs the thresholds (device days: + device_offset_hours)
    eff = pl.col("_eff")
    high_sitting = eff >= r.sitting_hours_high - EPS
    p_sit = pl.when(high_sitting).then(2).when(eff >= r.sitting_hours - EPS).then(1).otherwise(0)
    device = pl.col("sitting_kind") == "device"
    sit_value = pl.col("sitting_exposure_hours")
    sit_line = pl.when(high_sitting).then(r.sitting_hours_high).otherwise(r.sitting_hours)
    sit_threshold = sit_line + _offset(pl.col("sitting_kind"), settings)
    sit_text = pl.format(
        "sat {} h{}{} ({} h or more{})",
        hours(sit_value),
        pl.when(device).then(pl.lit(" by device count")).otherwise(pl.lit("")),
        pl.col("_exposure_context"),
        hours(sit_threshold),
        pl.when(device).then(pl.lit(" for device data")).otherwise(pl.lit("")),
    )
    # sitting_streak: consecutive days with the day's own sitting ≥ streak_hours (+offset)
    long_day = (
        pl.col("sitting_hours") - _offset(pl.col("sitting_source"), settings)
        >= r.streak_hours - EPS
    ).fill_null(False)
    device_day = (pl.col("sitting_source") == "device").fill_null(False)
    # the stretch of days since the athlete's last short day: a column first, since a
    # window inside the partition of another window is evaluated once per group
    frame = frame.with_columns((~long_day).cum_sum().over(ATHLETE_KEY).alias("_stretch"))
    by_stretch = (ATHLETE_KEY, "_stretch")
    streak = long_day.cast(pl.Int64).cum_sum().over(by_stretch)
    # a device day in the streak needed streak_hours + offset: the reason says so
    device_days = (long_day & device_day).cast(pl.Int64).cum_sum().over(by_stretch)
    frame = frame.with_columns(
        streak.alias("sitting_streak_days"), (device_days > 0).alias("_streak_device")
    )
    streak_value, streak_threshold = pl.col("sitting_streak_days"), pl.lit(float(r.streak_days))
    p_streak = pl.when(streak_value >= r.streak_days).then(1).otherwise(0)
    streak_text = pl.format(
        "{} days in a row with {} h or more of sitting{} ({} days or more)",
        cut_expr(streak_value),
        hours(r.streak_hours),
        pl.when(pl.col("_streak_device"))
        .then(pl.format(", {} h for device data", hours(r.streak_hours + off)))
        .otherwise(pl.lit("")),
        cut_expr(streak_threshold),
    )
    # long_run: the day's longest long run, against the rule it met
    long_value, long_threshold = pl.col("_long_value"), pl.col("_long_threshold")
    minutes_dec = decimals_for(load.long_run_minutes, load.long_run_share_minutes)
    long_text = (
        pl.when(long_value >= load.long_run_minutes - EPS)
        .then(
            pl.format(
                "{}long run of {} ({} min or more)",
                _planned_word(pl.col("_long_planned")),
                duration_expr(long_value),
                cut_expr(long_threshold, minutes_dec),
            )
        )
        .otherwise(
            pl.format(
                "{}{} run, {} % of the {} of running in the 7 days ending that day "
                "({} min and {} % or more)",
                _planned_word(pl.col("_long_planned")),
                duration_expr(long_value),
                percent_expr(long_value / pl.col("_week_minutes")),
                duration_expr(pl.col("_week_minutes")),
                cut_expr(long_threshold, minutes_dec),
                percent_expr(pl.lit(load.long_run_week_share), 1),
            )
        )
    )
    # long_run_spike: the run rounded up, the run it beat (threshold / ratio) rounded down
    spike_value, spike_threshold = pl.col("_spike_value"), pl.col("_spike_threshold")
    beaten = spike_threshold / load.spike_ratio
    spike_rule = pl.format(
        "longer than {} × the longest run of the {} days before",
        ratio_expr(pl.lit(load.spike_ratio), decimals_for(load.spike_ratio)),
        pl.lit(load.spike_days),
    )
    spike_text = (
        pl.when(pl.col("_spike_unit") == "km")
        .then(
            pl.format(
                "{}{} km run, {} ({} km)",
                _planned_word(pl.col("_spike_planned")),
                km_expr(spike_value, "up"),
                spike_rule,
                km_expr(beaten, "down"),
            )
        )
        .otherwise(
            pl.format(
                "{}{} run, {} ({})",
                _planned_word(pl.col("_spike_planned")),
                duration_expr(spike_value, "up"),
                spike_rule,
                duration_expr(beaten, "down"),
            )
        )
    )
    # load
    acwr = pl.col("acwr")
    high_acwr = acwr >= r.acwr_high - EPS
    p_acwr = pl.when(high_acwr).then(2).when(acwr >= r.acwr - EPS).then(1).otherwise(0)
    acwr_threshold = pl.when(high_acwr).then(r.acwr_high).otherwise(r.acwr)
    acwr_dec = decimals_for(r.acwr, r.acwr_high)
    with_planned = _planned_word(pl.col("_day_planned"), " with the planned run")
    acwr_text = pl.format(
        "acute:chronic load {}{} ({} or more)",
        ratio_expr(acwr, acwr_dec),
        with_planned,
        ratio_expr(acwr_threshold, acwr_dec),
    )
    mono, mono_threshold = pl.col("monotony"), pl.lit(float(r.monotony))
    p_mono = pl.when(mono >= r.monotony - EPS).then(1).otherwise(0)
    mono_dec = decimals_for(r.monotony)
    mono_text = pl.format(
        "training monotony {} over {} days{}: similar load every day ({} or more)",
        ratio_expr(mono, mono_dec),
        pl.lit(load.monotony_days),
        with_planned,
        ratio_expr(mono_threshold, mono_dec),
    )
    # symptoms: numbness that day or the day before
    today = pl.col("numbness").cast(pl.Int64)
    frame = frame.with_columns(today.shift(1).over(ATHLETE_KEY).alias("_numb_before"))
    before = pl.col("_numb_before")
    p_sym = pl.when((today >= r.numbness) | (before >= r.numbness)).then(2).otherwise(0)
    sym_value = pl.when(today >= r.numbness).then(today).otherwise(before)
    sym_threshold = pl.lit(float(r.numbness))
    sym_text = pl.format(
        "numbness {}/10 logged {} ({} or more)",
        cut_expr(sym_value),
        pl.when(today >= r.numbness).then(pl.lit("that day")).otherwise(pl.lit("the day before")),
        cut_expr(sym_threshold),
    )
    # factor: (points, value, threshold, unit, detail)
    reasons_of = {
        "sitting": (p_sit.fill_null(0), sit_value, sit_threshold, pl.lit("h"), sit_text),
        "sitting_streak": (
            p_streak.fill_null(0),
            streak_value,
            streak_threshold,
            pl.lit("days"),
            streak_text,
        ),
        "long_run": (
            pl.col("long_run").cast(pl.Int64),
            long_value,
            long_threshold,
            pl.lit("min"),
            long_text,
        ),
        "long_run_spike": (
            pl.col("long_run_spike").cast(pl.Int64),
            spike_value,
            spike_threshold,
            pl.col("_spike_unit"),
            spike_text,
        ),
        "load_spike": (p_acwr.fill_null(0), acwr, acwr_threshold, pl.lit("ratio"), acwr_text),
        "monotony": (p_mono.fill_null(0), mono, mono_threshold, pl.lit("ratio"), mono_text),
        "symptoms": (p_sym.fill_null(0), sym_value, sym_threshold, pl.lit("/10"), sym_text),
    }
    frame = frame.with_columns(
        [p.cast(pl.Int64).alias(f"_p_{name}") for name, (p, *_) in reasons_of.items()]
    )
    total = pl.sum_horizontal([pl.col(f"_p_{n}") for n in FACTORS])
    other = pl.sum_horizontal([pl.col(f"_p_{n}") for n in FACTORS if n not in SITTING_FACTORS])
    low, elevated, high = LEVELS
    level = (
        pl.when((other > 0) & (total >= r.high_points))
        .then(pl.lit(high))
        .when((other > 0) & (total >= r.elevated_points))
        .then(pl.lit(elevated))
        .otherwise(pl.lit(low))
    )
    reasons = [_reason(n, pl.col(f"_p_{n}"), *rest) for n, (_, *rest) in reasons_of.items()]
    frame = frame.with_columns(
        total.cast(pl.Int64).alias("score"),
        level.alias("risk"),
        _reason_lists(frame, reasons),
    ).with_columns(pl.col("score").alias("points"))
    return frame.drop(ATHLETE_KEY) if added else frame
