"""The one call the commands use: activities + sitting + settings → ``Analysis``.

Owns the order of the method (athlete → run loads → planned run → long runs → daily table →
risk → advice) and the planned run of ``runload check --planned 90m``: it counts as a run of
that length on ``planned_date``, starting at ``[load] planned_start`` (18:00 by default, i.e.
after ``risk.morning_before``, so that day's sitting is its exposure), at the runner's typical
load per minute (the median of the runs with heart rate in the ``planned_rate_days`` before,
else the estimated-load rate).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import cast

import polars as pl

from runload.advice import advise_days
from runload.athlete import Athlete, resolve_athlete
from runload.config import Settings
from runload.errors import PlannedRunError
from runload.load import (
    ATHLETE_VALUE_COLUMNS,
    long_runs,
    run_minutes_expr,
    session_loads,
    trimp_weight_value,
)
from runload.metrics import daily_table
from runload.risk import score_days
from runload.schema import (
    ATHLETE_KEY,
    DAY_COLUMNS,
    AthleteFact,
    activity_schema,
    keyed,
    sitting_schema,
)
from runload.wording import duration

EXTRA_DAY_COLUMNS = (
    "points",
    "sitting_exposure_hours",
    "sitting_kind",
    "sitting_streak_days",
    "sitting_file",
    "seat",
    "planned",
)
PLANNED_FILE = "(planned run)"


@dataclass(frozen=True)
class Analysis:
    """``athlete``: values and their sources; ``activities``: the input plus ``load``,
    ``load_method``, ``long_run``, ``long_run_spike`` (and helper columns); ``days``:
    ``DAY_COLUMNS`` in order, then ``EXTRA_DAY_COLUMNS``; ``notes``: plain sentences for the
    report (estimated loads, the planned run's rate, athlete warnings)."""

    athlete: Athlete
    activities: pl.DataFrame
    days: pl.DataFrame
    settings: Settings
    notes: tuple[str, ...] = field(default=())


def conform(frame: pl.DataFrame | None, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """``frame`` with every schema column (missing ones null) cast to the schema type; other
    columns kept after them."""
    if frame is None:
        return pl.DataFrame(schema=schema)
    missing = [pl.lit(None, dtype=t).alias(c) for c, t in schema.items() if c not in frame.columns]
    frame = frame.with_columns(missing) if missing else frame
    rest = [c for c in frame.columns if c not in schema]
    cols = [
        pl.col(c).cast(t).fill_nan(None) if t == pl.Float64 else pl.col(c).cast(t)
        for c, t in schema.items()
    ]
    return frame.select(*cols, *rest)


def typical_rate(
    activities: pl.DataFrame, before: dt.date, settings: Settings, athlete: Athlete
) -> tuple[float, str]:
    """Load per minute for a planned run, with a sentence saying where it came from."""
    days = settings.load.planned_rate_days
    recent = activities.filter(
        pl.col("load_method").is_in(["hr_samples", "avg_hr"])
        & (pl.col("date") < before)
        & (pl.col("date") >= before - dt.timedelta(days=days))
    ).select((pl.col("load") / run_minutes_expr()).alias("rate"))
    recent = recent.filter(pl.col("rate").is_finite() & (pl.col("rate") > 0))
    if not recent.is_empty():
        # cast: the median of a non-empty Float64 column is a float
        rate = cast(float, recent.get_column("rate").median())
        runs = "the run" if recent.height == 1 else f"the {recent.height} runs"
        return rate, f"median load per minute of {runs} with heart rate in the {days} days before"
    rate = trimp_weight_value(settings.load.assumed_hrr, athlete.sex)
    return rate, (
        f"no run with heart rate in the {days} days before: the estimated rate at "
        f"{settings.load.assumed_hrr:g} of heart-rate reserve"
    )


def _planned_row(
    activities: pl.DataFrame, day: dt.date, minutes: float, rate: float, settings: Settings
) -> pl.DataFrame:
    """The planned run as one row of ``activities`` (of its one athlete)."""
    start_local = dt.datetime.combine(day, settings.load.planned_start)
    offsets = activities.filter(pl.col("utc_offset_min").is_not_null()).sort("start_utc")
    offset = int(offsets.get_column("utc_offset_min")[-1]) if not offsets.is_empty() else 0
    start_utc = (start_local - dt.timedelta(minutes=offset)).replace(tzinfo=dt.UTC)
    row = {
        "file": PLANNED_FILE,
        "session": 0,
        "sport": "running",
        "sub_sport": "generic",
        "is_run": True,
        "start_utc": start_utc,
        "start_local": start_local,
        "date": day,
        "utc_offset_min": offset,
        "moving_minutes": float(minutes),
        "elapsed_minutes": float(minutes),
        "load": rate * minutes,
        "load_method": "planned",
        ATHLETE_KEY: "",
    }
    return conform(pl.DataFrame([row]), dict(activities.schema))


def _run_name(file: str, day: dt.date | None) -> str:
    """A run as a note names it: its file's name, and its day unless the name says it."""
    name = file.replace("\\", "/").rsplit("/", 1)[-1]
    return name if day is None or name.startswith(day.isoformat()) else f"{name} ({day})"


def _some_runs(runs: pl.DataFrame) -> str:
    """The first three runs as a note names them, and how many more."""
    named = [
        _run_name(f, d) for d, f in runs.sort("start_utc", "file").select("date", "file").rows()
    ]
    return ", ".join(named[:3]) + (f" and {len(named) - 3} more" if len(named) > 3 else "")


def _notes(acts: pl.DataFrame, athlete: Athlete, settings: Settings) -> list[str]:
    notes = list(athlete.warnings)
    estimated = acts.filter(pl.col("load_method") == "estimated")
    if estimated.height:
        notes.append(
            f"{estimated.height} run(s) had no heart rate ({_some_runs(estimated)}): their load is"
            f" estimated at {settings.load.assumed_hrr:g} of heart-rate reserve and marked as"
            " estimated"
        )
    averaged = acts.filter(pl.col("load_method") == "avg_hr")
    if averaged.height:
        notes.append(
            f"{averaged.height} run(s) had only a session average heart rate"
            f" ({_some_runs(averaged)}): their load is TRIMP on that average, which mostly reads"
            " lower than heart-rate samples would (more so for a run of uneven effort; see"
            " docs/method.md)"
        )
    others = acts.filter(~pl.col("is_run").fill_null(False)).height
    if others:
        notes.append(f"{others} session(s) are not runs: listed, not counted in the load")
    return notes


def analyse(
    activities: pl.DataFrame | None,
    sitting: pl.DataFrame | None,
    settings: Settings,
    *,
    facts: Iterable[AthleteFact] = (),
    planned_minutes: float | None = None,
    planned_date: dt.date | None = None,
    planned_runs: Sequence[tuple[dt.date, float]] = (),
    until: dt.date | None = None,
) -> Analysis:
    """Run the whole method. ``planned_minutes`` is one planned run on ``planned_date``, which
    defaults to ``until``, else the last day of data; ``planned_runs`` are more, as (date,
    minutes) (``runload plan``'s week). The table runs to ``until`` (or the last planned date,
    whichever is later)."""
    acts = conform(activities, activity_schema())
    sit = conform(sitting, sitting_schema())
    athlete = resolve_athlete(settings.athlete, facts, acts)
    acts, sit = (keyed(f)[0] for f in (acts, sit))
    acts = session_loads(acts, athlete, settings.load)
    notes = _notes(acts, athlete, settings)
    runs = list(planned_runs)
    if planned_minutes is not None:
        if planned_date is None:
            dates = pl.concat([acts.get_column("date"), sit.get_column("date")])
            # cast: the max of a Date column is a date, or None when it has none
            last = cast(dt.date | None, dates.max())
            planned_date = until or last
            if planned_date is None:
                raise PlannedRunError("give the date of the planned run (there is no data yet)")
        runs.append((planned_date, planned_minutes))
    if runs:
        acts, planned_notes = _with_planned(acts, runs, settings, athlete)
        notes += planned_notes
        last_planned = max(day for day, _ in runs)
        if until is not None and until < last_planned:
            until = last_planned
    acts, days = _method_days(acts, sit, settings, until)
    return Analysis(athlete, acts.drop(ATHLETE_KEY), days.drop(ATHLETE_KEY), settings, tuple(notes))


def _with_planned(
    acts: pl.DataFrame,
    runs: Sequence[tuple[dt.date, float]],
    settings: Settings,
    athlete: Athlete,
) -> tuple[pl.DataFrame, list[str]]:
    """``acts`` (with their loads) and the planned ``runs`` as rows of their own, each at the
    runner's typical load per minute before it; and the notes that say so."""
    notes: list[str] = []
    rows = []
    for day, minutes in runs:
        if minutes <= 0:
            raise PlannedRunError("the planned run must be longer than 0 minutes")
        rate, why = typical_rate(acts, day, settings, athlete)
        rows.append(_planned_row(acts, day, minutes, rate, settings))
        notes.append(f"planned run on {day}: {duration(minutes)} at {rate:.2f} load/min ({why})")
        done = acts.filter((pl.col("date") == day) & pl.col("is_run")).height
        if done:
            notes.append(
                f"the planned run counts on top of the {done} run(s) already in the files for {day}"
            )
    return pl.concat([acts, *rows]), notes


def _method_days(
    acts: pl.DataFrame, sit: pl.DataFrame, settings: Settings, until: dt.date | None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The steps after the loads, for one athlete or many (``ATHLETE_KEY``): long runs, the
    daily table, risk and advice; the days keep ``ATHLETE_KEY`` first."""
    acts = long_runs(acts, settings.load)
    days = daily_table(acts, sit, settings, until=until)
    days = advise_days(score_days(days, acts, settings), settings)
    return acts, days.select([ATHLETE_KEY, *DAY_COLUMNS, *EXTRA_DAY_COLUMNS])


def analyse_many(
    activities: pl.DataFrame,
    sitting: pl.DataFrame,
    athletes: pl.DataFrame,
    settings: Settings,
    *,
    until: dt.date | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The method over many athletes at once: ``activities`` and ``sitting`` carry
    ``ATHLETE_KEY``; ``athletes`` has one row per athlete with ``ATHLETE_KEY`` and the
    values of ``runload.load.ATHLETE_VALUE_COLUMNS`` (each athlete's hr_max, hr_rest and
    TRIMP coefficients, from ``athlete_values``), joined onto their runs as columns. The
    method's own settings (windows, thresholds) are ``settings``, shared by these athletes.
    Every window runs ``over(ATHLETE_KEY)``: one polars pass for the whole squad, the same
    numbers as ``analyse`` per athlete. Returns (activities with loads, days), both keyed
    and sorted by athlete."""
    acts = conform(activities, {ATHLETE_KEY: pl.String(), **activity_schema()})
    sit = conform(sitting, {ATHLETE_KEY: pl.String(), **sitting_schema()})
    acts = acts.join(athletes.select(ATHLETE_KEY, *ATHLETE_VALUE_COLUMNS), on=ATHLETE_KEY)
    acts = session_loads(acts, None, settings.load)
    acts, days = _method_days(acts, sit, settings, until)
    return acts.sort(ATHLETE_KEY, "start_utc", "session"), days
