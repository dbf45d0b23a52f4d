"""The load of one run (Banister TRIMP) and the run-level flags ``long_run`` and
``long_run_spike``.

Owns: the heart-rate-reserve weighting, the three ways a run gets its load
(``hr_samples`` > ``avg_hr`` > ``estimated``), the long-run rule (absolute, or a big share of
the week) and the single-run spike of Frandsen et al. (BJSM 2025). Pure functions on the
activities frame; non-running sessions keep a null load (listed, not counted).
"""

from __future__ import annotations

import polars as pl

from runload.athlete import Athlete
from runload.config import LoadSettings
from runload.hrsummary import PLAUSIBLE_HR, VALID_HR
from runload.schema import ATHLETE_KEY, HR_SUMMARY_COLUMNS, hr_profile_type, keyed
from runload.wording import EPS

# Banister (1991) weighting y = a·e^(b·HRr); "unspecified" is the mean of the two.
TRIMP_COEFFICIENTS: dict[str, tuple[float, float]] = {
    "male": (0.64, 1.92),
    "female": (0.86, 1.67),
    "unspecified": (0.75, 1.795),
}


def valid_hr(hr: pl.Expr) -> pl.Expr:
    """True where a heart rate counts (``VALID_HR``); anything else is a dropout. The one
    rule for the loads' samples and average, and for the average and max that ingest
    shows (``shown_hr``)."""
    lo, hi = VALID_HR
    return hr.is_between(lo, hi)


def shown_hr(column: str, samples: str = "hr_bpm") -> pl.Expr:
    """``avg_hr`` or ``max_hr`` as shown: the session's own when it is a valid heart rate,
    else the mean (or max) of the valid samples, else null."""
    valid = pl.col(samples).list.eval(pl.element().filter(valid_hr(pl.element())))
    from_samples = valid.list.mean() if column == "avg_hr" else valid.list.max()
    return (
        pl.when(valid_hr(pl.col(column)))
        .then(pl.col(column))
        .otherwise(from_samples.cast(pl.Float64))
        .alias(column)
    )


# The athlete's values the loads use, as columns of the activities (one athlete: the same
# value on every row; a squad: each athlete's own, joined in by ``athlete_columns``).
HR_MAX, HR_REST, TRIMP_A, TRIMP_B = "_hr_max", "_hr_rest", "_trimp_a", "_trimp_b"
ATHLETE_VALUE_COLUMNS = (HR_MAX, HR_REST, TRIMP_A, TRIMP_B)


def athlete_values(athlete: Athlete) -> dict[str, float]:
    """The values of ``ATHLETE_VALUE_COLUMNS`` for one athlete."""
    a, b = TRIMP_COEFFICIENTS.get(athlete.sex, TRIMP_COEFFICIENTS["unspecified"])
    return {HR_MAX: athlete.hr_max, HR_REST: athlete.hr_rest, TRIMP_A: a, TRIMP_B: b}


def hrr(hr: pl.Expr) -> pl.Expr:
    """Heart-rate reserve fraction of the row's athlete, clipped to [0, 1]."""
    return ((hr - pl.col(HR_REST)) / (pl.col(HR_MAX) - pl.col(HR_REST))).clip(0.0, 1.0)


def trimp_weight(hrr_expr: pl.Expr) -> pl.Expr:
    """w(HRr) = HRr · a · e^(b·HRr), load units per minute, with the row's athlete's
    coefficients (by sex)."""
    return hrr_expr * pl.col(TRIMP_A) * (hrr_expr * pl.col(TRIMP_B)).exp()


def trimp_weight_value(hrr_value: float, sex: str) -> float:
    """The same weight for one number (for the estimated rate and the docs)."""
    import math

    a, b = TRIMP_COEFFICIENTS.get(sex, TRIMP_COEFFICIENTS["unspecified"])
    return hrr_value * a * math.exp(b * hrr_value)


def run_minutes_expr() -> pl.Expr:
    """Moving minutes, else elapsed (also when the moving time is 0: a manual entry or a
    watch that never started its timer), else 0."""
    moving = pl.when(pl.col("moving_minutes") > 0).then(pl.col("moving_minutes"))
    return pl.coalesce(moving, "elapsed_minutes", pl.lit(0.0)).clip(lower_bound=0.0)


# ------------------------------------------------------------- the HR samples' summary
#
# What the loads and the athlete need of a session's HR samples, kept per session (in the
# cache too), so that a run of the method never has to read the samples themselves:
# ``hr_profile``, the valid samples (``VALID_HR``, at a finite time) as (bpm, gap to the
# next valid sample in seconds, how many) — every sample but the last, which adds nothing
# to a load — sorted by bpm, then gap; null when there are fewer than two valid samples or
# the two sample lists do not pair up. A load Σ nᵢ·min(max(gapᵢ, 0), cap)/60·w(HRrᵢ) is
# then exact for any athlete and any gap cap. ``hr_peak``: the highest sample within
# ``hrsummary.PLAUSIBLE_HR`` (the highest heart rate of the runs, when nothing better says
# the max). Two implementations of the one definition: ``hrsummary.hr_summary`` for one
# session's lists (ingest's workers, per file) and ``hr_summaries`` for a frame's sample
# columns (a frame that comes without the summary); the tests hold them equal.


def hr_summaries(frame: pl.DataFrame) -> pl.DataFrame:
    """``hr_peak`` and ``hr_profile`` (``schema.hr_profile_type``) of each row's ``hr_t`` and
    ``hr_bpm``, in row order."""
    lo, hi = PLAUSIBLE_HR
    rows = frame.select(
        pl.int_range(pl.len(), dtype=pl.UInt32).alias("_row"),
        pl.col("hr_bpm")
        .list.eval(pl.element().filter(pl.element().is_between(lo, hi)))
        .list.max()
        .cast(pl.Float64)
        .alias("hr_peak"),
        "hr_t",
        "hr_bpm",
    )
    paired = (pl.col("hr_t").list.len() == pl.col("hr_bpm").list.len()) & (
        pl.col("hr_bpm").list.len() >= 2
    )
    gap = pl.col("hr_t").shift(-1).over("_row") - pl.col("hr_t")
    pairs = (
        rows.filter(paired)
        .select("_row", "hr_t", "hr_bpm")
        .explode("hr_t", "hr_bpm")
        .filter(valid_hr(pl.col("hr_bpm")) & pl.col("hr_t").is_finite())
        .with_columns(gap.alias("gap_s"))
        .drop_nulls("gap_s")
        .group_by("_row", "hr_bpm", "gap_s")
        .agg(pl.len().cast(pl.UInt32).alias("n"))
        .sort("_row", "hr_bpm", "gap_s")
        .group_by("_row", maintain_order=True)
        .agg(pl.struct(bpm="hr_bpm", gap_s="gap_s", n="n").alias("hr_profile"))
    )
    return (
        rows.select("_row", "hr_peak")
        .join(pairs, on="_row", how="left")
        .sort("_row")
        .select("hr_peak", pl.col("hr_profile").cast(hr_profile_type()))
    )


def with_hr_summaries(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with ``hr_peak`` and ``hr_profile`` filled in from its samples where it has
    no summary of its own (a frame from ingest has one; a frame built by hand may not)."""
    have = [c for c in HR_SUMMARY_COLUMNS if c in frame.columns]
    missing = pl.any_horizontal(pl.col(c).is_null() for c in have) if have else pl.lit(True)
    has_samples = pl.col("hr_bpm").list.len() > 0 if "hr_bpm" in frame.columns else pl.lit(False)
    todo = frame.select((missing & has_samples.fill_null(False)).alias("_todo")).to_series()
    if not todo.any():
        if len(have) == len(HR_SUMMARY_COLUMNS):
            return frame
        return frame.with_columns(
            pl.lit(None, dtype=t).alias(c)
            for c, t in (("hr_peak", pl.Float64()), ("hr_profile", hr_profile_type()))
            if c not in frame.columns
        )
    made = hr_summaries(frame.select("hr_t", "hr_bpm"))
    own = [pl.col(c) if c in frame.columns else pl.lit(None) for c in HR_SUMMARY_COLUMNS]
    return frame.with_columns(
        pl.when(todo).then(made.get_column(c)).otherwise(mine).alias(c)
        for c, mine in zip(HR_SUMMARY_COLUMNS, own, strict=True)
    )


def _sample_loads(activities: pl.DataFrame, cap_s: float) -> pl.DataFrame:
    """Σ nᵢ·Δtᵢ·w(HRrᵢ) per row over its ``hr_profile``: Δt the gap to the next valid sample
    in minutes, capped at ``cap_s`` (pauses); rows with a profile only."""
    pairs = (
        activities.select(
            pl.int_range(pl.len(), dtype=pl.UInt32).alias("_row"),
            "hr_profile",
            "is_run",
            *ATHLETE_VALUE_COLUMNS,
        )
        .filter(pl.col("is_run").fill_null(False) & (pl.col("hr_profile").list.len() > 0))
        .drop("is_run")
        .explode("hr_profile")
        .unnest("hr_profile")
        .rechunk()
    )
    dt_min = pl.col("gap_s").clip(0.0, cap_s) / 60.0
    weight = trimp_weight(hrr(pl.col("bpm")))
    return (
        pairs.with_columns((pl.col("n") * dt_min * weight).alias("_part"))
        .group_by("_row", maintain_order=True)
        .agg(pl.col("_part").sum().alias("_sample_load"))
        .select("_row", "_sample_load")
    )


def session_loads(
    activities: pl.DataFrame, athlete: Athlete | None, settings: LoadSettings
) -> pl.DataFrame:
    """Add ``load`` and ``load_method`` (``hr_samples`` | ``avg_hr`` | ``estimated``; both null
    for a session that is not a run). ``athlete``: the one athlete of every row; None when
    the rows already carry ``ATHLETE_VALUE_COLUMNS`` (a squad, each row its athlete's)."""
    if athlete is not None:
        values = athlete_values(athlete)
        activities = activities.with_columns(pl.lit(v).alias(k) for k, v in values.items())
    activities = with_hr_summaries(activities)
    sample = _sample_loads(activities, settings.hr_gap_cap_seconds)
    frame = activities.with_row_index("_row").join(sample, on="_row", how="left").drop("_row")
    is_run = pl.col("is_run").fill_null(False)
    avg_ok = valid_hr(pl.col("avg_hr"))
    minutes = run_minutes_expr()
    avg_load = minutes * trimp_weight(hrr(pl.col("avg_hr")))
    est_load = minutes * trimp_weight(pl.lit(settings.assumed_hrr))
    has_samples = pl.col("_sample_load").is_not_null()
    load = (
        pl.when(~is_run)
        .then(None)
        .when(has_samples)
        .then(pl.col("_sample_load"))
        .when(avg_ok)
        .then(avg_load)
        .otherwise(est_load)
    )
    method = (
        pl.when(~is_run)
        .then(None)
        .when(has_samples)
        .then(pl.lit("hr_samples"))
        .when(avg_ok)
        .then(pl.lit("avg_hr"))
        .otherwise(pl.lit("estimated"))
    )
    return frame.with_columns(
        load.cast(pl.Float64).alias("load"), method.cast(pl.String).alias("load_method")
    ).drop("_sample_load", *ATHLETE_VALUE_COLUMNS)


def long_runs(activities: pl.DataFrame, settings: LoadSettings) -> pl.DataFrame:
    """Add ``long_run``, ``long_run_spike`` and the helper columns the reasons quote:
    ``week_run_minutes`` (running minutes of the 7 days ending that day), ``longest_before_km``
    and ``longest_before_minutes`` (the longest run of the ``spike_days`` before).

    ``long_run``: moving time ≥ ``long_run_minutes``, or ≥ ``long_run_share_minutes`` and ≥
    ``long_run_week_share`` of ``week_run_minutes``. ``long_run_spike``: distance (moving
    time when the distance is missing) > ``spike_ratio`` × the longest of the runs that
    started in the ``spike_days`` before, once the first run is ``spike_days`` back; a run
    with no run at all in that window is not a spike (a new season).
    """
    activities, added = keyed(activities)
    is_run = pl.col("is_run").fill_null(False)
    minutes = run_minutes_expr()
    with_idx = activities.with_row_index("_row")
    runs = with_idx.filter(is_run).with_columns(
        minutes.alias("_min"),
        pl.when(pl.col("distance_km") > 0).then(pl.col("distance_km")).alias("_km"),
    )
    daily = (
        runs.group_by(ATHLETE_KEY, "date")
        .agg(pl.col("_min").sum())
        .sort(ATHLETE_KEY, "date")
        .with_columns(
            pl.col("_min")
            .rolling_sum_by("date", window_size="7d")
            .over(ATHLETE_KEY)
            .alias("week_run_minutes")
        )
        .select(ATHLETE_KEY, "date", "week_run_minutes")
    )
    window = f"{settings.spike_days}d"
    first_date = pl.col("date").min().over(ATHLETE_KEY)
    runs = (
        runs.with_columns(
            pl.coalesce(
                "start_utc",
                pl.col("start_local").dt.replace_time_zone("UTC"),
                pl.col("date").cast(pl.Datetime("us", "UTC")),
            ).alias("_t")
        )
        .sort(ATHLETE_KEY, "_t", "_row")
        .with_columns(
            pl.col("_km")
            .rolling_max_by("_t", window_size=window, closed="left")
            .over(ATHLETE_KEY)
            .alias("longest_before_km"),
            pl.col("_min")
            .rolling_max_by("_t", window_size=window, closed="left")
            .over(ATHLETE_KEY)
            .alias("longest_before_minutes"),
            ((pl.col("date") - first_date).dt.total_days() >= settings.spike_days).alias("_season"),
        )
        .join(daily, on=[ATHLETE_KEY, "date"], how="left")
    )
    ratio = settings.spike_ratio
    by_km = pl.col("_km").is_not_null() & pl.col("longest_before_km").is_not_null()
    spike = pl.when(by_km).then(
        pl.col("_km") > ratio * pl.col("longest_before_km") + EPS
    ).otherwise(pl.col("_min") > ratio * pl.col("longest_before_minutes") + EPS).fill_null(
        False
    ) & pl.col("_season")
    long_abs = pl.col("_min") >= settings.long_run_minutes - EPS
    long_share = (pl.col("_min") >= settings.long_run_share_minutes - EPS) & (
        pl.col("_min") >= settings.long_run_week_share * pl.col("week_run_minutes") - EPS
    )
    flags = runs.select(
        "_row",
        (long_abs | long_share).alias("long_run"),
        spike.alias("long_run_spike"),
        "week_run_minutes",
        "longest_before_km",
        "longest_before_minutes",
    )
    out = with_idx.join(flags, on="_row", how="left").sort("_row").drop("_row")
    if added:
        out = out.drop(ATHLETE_KEY)
    return out.with_columns(
        pl.col("long_run").fill_null(False), pl.col("long_run_spike").fill_null(False)
    )
