"""Which dates runload trusts: the season's span, and the stray dates left out of it.

A watch whose clock was never set writes 1989-12-31 (the FIT epoch) or a year like 2100; a
sitting log gets 2062 for 2026. One such date among a season would stretch the daily table
to thousands of days and its chronic load to nothing. So, before the method runs:

- an activity dated before ``EARLIEST`` (no GPS watch recorded it) or after today is stray;
- so is a small group of activities far from the rest: the activities' dates split where
  ``GAP_DAYS`` or more pass without one, the biggest group is the season, and a group with
  fewer than ``MINOR_SHARE`` of the activities is stray (a second real season is bigger);
- a sitting day after today (and after the last activity) is a typo.

Stray rows are left out with one warning each naming the file, unless ``--from/--to`` asks
for their dates. ``refuse_far_day`` bounds the day a command is asked about (``check --date``):
the table runs to that day, so 9999-12-31 would build 2.9 million days.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from runload.errors import DateRangeError, Problem

EARLIEST = dt.date(2000, 1, 1)
GAP_DAYS = 365
MINOR_SHARE = 0.1
FURTHEST_DAYS = 366


def refuse_far_day(day: dt.date, today: dt.date) -> dt.date:
    """``day`` when it is at most a year after ``today``; else ``DateRangeError``."""
    last = today + dt.timedelta(days=FURTHEST_DAYS)
    if day > last:
        raise DateRangeError(
            f"{day} is more than a year after today ({today}): give a date up to {last}"
        )
    return day


def _asked(date_from: dt.date | None, date_to: dt.date | None) -> pl.Expr:
    """Dates inside the period the user asked for (``False`` when none was asked)."""
    if date_from is None and date_to is None:
        return pl.lit(False)
    inside = pl.lit(True)
    if date_from is not None:
        inside &= pl.col("date") >= date_from
    if date_to is not None:
        inside &= pl.col("date") <= date_to
    return inside


def _why(today: dt.date) -> pl.Expr:
    """Why an activity's date is stray (null: it is not)."""
    date = pl.col("date")
    group = (date.diff().dt.total_days() >= GAP_DAYS).fill_null(False).cum_sum()
    size = pl.len().over(group)
    return (
        pl.when(date < EARLIEST)
        .then(pl.lit(f"before {EARLIEST.year}, earlier than any GPS watch (a clock never set?)"))
        .when(date > today)
        .then(pl.format("after today ({})", pl.lit(today)))
        .when((size < size.max()) & (size < MINOR_SHARE * pl.len()))
        .then(pl.lit(f"more than {GAP_DAYS} days away from the rest of the season"))
    )


def _option(date: dt.date, season_start: dt.date) -> str:
    """The option that would ask for ``date``: before the season --from, after it --to."""
    return "--from" if date < season_start else "--to"


def stray_activities(
    activities: pl.DataFrame,
    today: dt.date,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> tuple[pl.DataFrame, list[Problem]]:
    """``activities`` without the stray-dated ones (those ``date_from``/``date_to`` ask for
    stay), and one warning per file left out."""
    dated = activities.filter(pl.col("date").is_not_null())
    if dated.is_empty():
        return activities, []
    order = dated.sort("date").with_columns(_why(today).alias("_stray"))
    stray = order.filter(pl.col("_stray").is_not_null() & ~_asked(date_from, date_to))
    if stray.is_empty():
        return activities, []
    season_start = order.filter(pl.col("_stray").is_null()).get_column("date").min()
    if not isinstance(season_start, dt.date):  # every date is stray
        season_start = today
    problems = [
        Problem(
            row["file"],
            "warning",
            f"dated {row['date']}, {row['_stray']}: left out of the load "
            f"({_option(row['date'], season_start)} {row['date']} includes it)",
            code="activity.stray_date",
        )
        for row in stray.unique(["file", "date"], maintain_order=True).iter_rows(named=True)
    ]
    kept = activities.join(stray.select("file", "session"), on=["file", "session"], how="anti")
    return kept, problems


def drop_future_days(
    sitting: pl.DataFrame, activities: pl.DataFrame, today: dt.date
) -> tuple[pl.DataFrame, list[Problem]]:
    """Sitting days after today (and after the last activity) are typos such as 2062 for
    2026: left out with a warning naming the file, so they cannot stretch the season."""
    last_activity = activities.get_column("date").max() if activities.height else None
    horizon = max(today, last_activity) if isinstance(last_activity, dt.date) else today
    future = sitting.filter(pl.col("date") > horizon)
    if future.is_empty():
        return sitting, []
    problems = [
        Problem(
            row["source"],
            "warning",
            f"{row['n']} day(s) dated after today ({horizon}) left out, "
            f"e.g. {row['first']}: a typo in the year?",
            code="sitting.future",
        )
        for row in future.group_by("source", maintain_order=True)
        .agg(pl.len().alias("n"), pl.col("date").min().alias("first"))
        .iter_rows(named=True)
    ]
    return sitting.filter(pl.col("date") <= horizon), problems


def trusted(
    activities: pl.DataFrame,
    sitting: pl.DataFrame,
    today: dt.date,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame, list[Problem]]:
    """The activities and sitting the method may use, and the warnings for what was left
    out: the one call report, check and team make."""
    activities, problems = stray_activities(activities, today, date_from, date_to)
    sitting, future = drop_future_days(sitting, activities, today)
    return activities, sitting, problems + future
