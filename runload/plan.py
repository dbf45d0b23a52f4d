"""The week ahead (``runload plan``): on which day the long run fits best around the desk.

Owns ``plan``, the library call behind the command: the sitting expected on each weekday
(``expected_sitting``: the median of the runner's own sitting on that weekday in the
``HISTORY_WEEKS`` before the week, from any source; a day of the week already logged keeps
its own), the runs planned for the week (``--run "tue 45min"``), and for each of the 7 days
the risk if the long run were on that day — the whole method run once per day, with the long
run taking the place of a run planned that day (one run a day) — with its reasons. The best
day has the least risk; among equals the least expected sitting, then the earliest. Too little
history is a ``PlanHistoryError`` that says how much is needed. Nothing here prints.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import polars as pl

from runload.errors import InputError, PlannedRunError, Problem

if TYPE_CHECKING:
    from runload.config import Settings
    from runload.options import Options

HISTORY_WEEKS = 8  # the weeks before the planned week that give each weekday's sitting
MIN_WEEKDAY_DAYS = 2  # logged days of a weekday in those weeks for its median to count
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)
LEVEL_RANK = {"low": 0, "elevated": 1, "high": 2}
EXPECTED_SOURCE = "(expected from the weeks before)"  # the sitting file of an expected day


class PlanHistoryError(InputError):
    """Too little history before the planned week to plan it."""

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)


@dataclass(frozen=True)
class PlanDay:
    """One day of the week: its sitting (``sitting_kind``: expected from the weekday's
    history, or logged), the other runs planned that day, and the risk with the long run on
    it."""

    date: dt.date
    weekday: str
    sitting_hours: float | None
    sitting_source: str | None  # self_report | device
    sitting_kind: str  # "expected" | "logged"
    runs: tuple[float, ...]  # minutes of the other runs planned that day (--run)
    risk: str
    score: int
    reasons: list[dict[str, Any]]
    best: bool = False


@dataclass
class Plan:
    week_of: dt.date
    long_minutes: float
    days: list[PlanDay]
    history: dict[str, int] = field(default_factory=dict)  # weekday → logged days used
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    display_units: str = "metric"  # [display] units: what the reasons' details are worded in

    @property
    def best(self) -> PlanDay:
        return next(d for d in self.days if d.best)


def parse_weekday(text: str) -> int:
    """``tue``, ``Tuesday``, ``TU`` → 1 (Monday is 0): any start of a day's name that names
    one day; ValueError naming the accepted forms otherwise."""
    key = text.strip().lower()
    found = [i for i, name in enumerate(WEEKDAY_NAMES) if key and name.lower().startswith(key)]
    if len(found) == 1:
        return found[0]
    raise ValueError(f'"{text}" is not a day of the week (mon, tue, ... sun)')


def week_days(week_of: dt.date) -> list[dt.date]:
    """The 7 days from ``week_of``."""
    return [week_of + dt.timedelta(days=i) for i in range(7)]


def expected_sitting(
    sitting: pl.DataFrame, week_of: dt.date, settings: Settings
) -> tuple[pl.DataFrame, dict[str, int]]:
    """Per weekday (0 = Monday): the median sitting of that weekday in the ``HISTORY_WEEKS``
    before ``week_of`` (``sitting_hours``, ``sitting_source``), and how many logged days each
    weekday had. The hours are those of the kind most of that weekday's days have (a tie:
    self-report); days of the other kind are moved onto its scale by the device offset first,
    so a week of watch days and a week of log entries give one number."""
    from runload.metrics import one_sitting_row_per_day
    from runload.schema import keyed

    first = week_of - dt.timedelta(weeks=HISTORY_WEEKS)
    days = one_sitting_row_per_day(keyed(sitting)[0]).filter(
        pl.col("date").is_between(first, week_of - dt.timedelta(days=1))
        & pl.col("sitting_hours").is_not_null()
    )
    offset = settings.sitting.device_offset_hours
    device = (pl.col("sitting_source") == "device").cast(pl.Int64)
    per = (
        days.with_columns((pl.col("date").dt.weekday() - 1).alias("weekday"))
        .group_by("weekday")
        .agg(
            pl.len().alias("n"),
            device.sum().alias("_device"),
            (pl.col("sitting_hours") - device * offset).alias("_own"),
        )
        .with_columns(
            pl.when(pl.col("_device") * 2 > pl.col("n"))
            .then(pl.lit("device"))
            .otherwise(pl.lit("self_report"))
            .alias("sitting_source")
        )
        .with_columns(
            (
                pl.col("_own").list.median()
                + pl.when(pl.col("sitting_source") == "device").then(offset).otherwise(0.0)
            ).alias("sitting_hours")
        )
        .select("weekday", "n", "sitting_hours", "sitting_source")
        .sort("weekday")
    )
    counts = {WEEKDAYS[w]: 0 for w in range(7)}
    counts.update({WEEKDAYS[w]: int(n) for w, n in per.select("weekday", "n").rows()})
    return per, counts


def _check_history(
    counts: dict[str, int], runs: pl.DataFrame, week_of: dt.date, settings: Settings
) -> None:
    """``PlanHistoryError`` saying what is missing: ``MIN_WEEKDAY_DAYS`` logged days of each
    weekday in the weeks before, and runs going back a chronic window (the load's history)."""
    short = [f"{w} {n}" for w, n in counts.items() if n < MIN_WEEKDAY_DAYS]
    need = settings.load.chronic_days
    first_run = runs.filter(pl.col("date") < week_of).get_column("date").min()
    run_days = (week_of - first_run).days if isinstance(first_run, dt.date) else 0
    missing = []
    if short:
        missing.append(
            f"sitting on at least {MIN_WEEKDAY_DAYS} days of each weekday in the "
            f"{HISTORY_WEEKS} weeks before {week_of} (found {', '.join(short)})"
        )
    if run_days < need:
        found = f"{run_days} days" if run_days else "no run"
        missing.append(f"runs going back {need} days before {week_of} (found {found})")
    if missing:
        raise PlanHistoryError(
            "too little history to plan the week: it needs " + "; and ".join(missing)
        )


def _week_sitting(
    logged: pl.DataFrame, expected: pl.DataFrame, week_of: dt.date
) -> tuple[pl.DataFrame, dict[dt.date, str]]:
    """The week's sitting rows: a day already logged keeps its own; the others get their
    weekday's expected hours (as a row of the expected kind). And each day's kind of value."""
    from runload.schema import sitting_schema

    have = set(
        logged.filter(
            pl.col("date").is_between(week_of, week_of + dt.timedelta(days=6))
            & pl.col("sitting_hours").is_not_null()
        )
        .get_column("date")
        .to_list()
    )
    by_weekday = {w: (h, k) for w, _, h, k in expected.rows()}
    rows, kinds = [], {}
    for day in week_days(week_of):
        if day in have:
            kinds[day] = "logged"
            continue
        kinds[day] = "expected"
        hours, kind = by_weekday.get(day.weekday(), (None, None))
        if hours is not None:
            rows.append((day, hours, EXPECTED_SOURCE, kind))
    columns = ("date", "sitting_hours", "source", "source_kind")
    schema = {c: sitting_schema()[c] for c in columns}
    frame = pl.DataFrame(rows, schema=schema, orient="row")
    return pl.concat([logged, frame], how="diagonal_relaxed"), kinds


def plan_week(
    activities: pl.DataFrame,
    sitting: pl.DataFrame,
    settings: Settings,
    *,
    week_of: dt.date,
    long_minutes: float,
    runs: Sequence[tuple[int, float]] = (),
    facts: Sequence[Any] = (),
) -> Plan:
    """``plan`` on frames: ``activities`` and ``sitting`` as the report reads them, ``runs``
    the other runs of the week as (weekday, minutes)."""
    from runload.analysis import analyse

    if long_minutes <= 0:
        raise PlannedRunError("the long run must be longer than 0 minutes")
    before = activities.filter(pl.col("date") < week_of)
    history = sitting.filter(pl.col("date") < week_of + dt.timedelta(days=7))
    expected, counts = expected_sitting(history, week_of, settings)
    _check_history(counts, before.filter(pl.col("is_run")), week_of, settings)
    week_sitting, kinds = _week_sitting(history, expected, week_of)
    planned: dict[dt.date, list[float]] = {day: [] for day in week_days(week_of)}
    for weekday, minutes in runs:
        planned[week_of + dt.timedelta(days=weekday)].append(minutes)
    last = week_of + dt.timedelta(days=6)
    days: list[PlanDay] = []
    notes: list[str] = []
    for day in week_days(week_of):
        others = [(d, m) for d, ms in planned.items() if d != day for m in ms]
        result = analyse(
            before,
            week_sitting,
            settings,
            facts=facts,
            planned_runs=[*others, (day, long_minutes)],
            until=last,
        )
        row = result.days.filter(pl.col("date") == day).row(0, named=True)
        hours = row.get("sitting_hours")
        days.append(
            PlanDay(
                date=day,
                weekday=WEEKDAYS[day.weekday()],
                sitting_hours=hours,
                sitting_source=row.get("sitting_source") if hours is not None else None,
                sitting_kind=kinds[day],
                runs=tuple(planned[day]),
                risk=str(row["risk"]),
                score=int(row["score"] or 0),
                reasons=list(row.get("reasons") or []),
            )
        )
        if planned[day]:
            notes.append(
                f"with the long run on {day:%a} {day}, it takes the place of the run planned "
                "that day (one run a day)"
            )
    best = min(
        days,
        key=lambda d: (
            LEVEL_RANK.get(d.risk, 9),
            d.sitting_hours if d.sitting_hours is not None else float("inf"),
            d.date,
        ),
    )
    days = [dataclasses.replace(d, best=d is best) for d in days]
    return Plan(
        week_of, long_minutes, days, counts, notes=notes, display_units=settings.display.units
    )


def plan(
    options: Options,
    *,
    week_of: dt.date,
    long_minutes: float,
    runs: Sequence[tuple[int, float]] = (),
    progress: Callable[..., Any] | None = None,
) -> Plan:
    """``runload plan``: the week from ``week_of`` with the long run of ``long_minutes`` put
    on each day in turn, around the runs planned (``runs``: (weekday, minutes), Monday = 0)
    and the sitting expected from the runner's own weeks before."""
    from runload.ingest import ingest
    from runload.report import inputs_of

    inputs = inputs_of(options, ingest(options, progress=progress, hr_samples=False))
    try:
        result = plan_week(
            inputs.activities,
            inputs.sitting,
            options.settings,
            week_of=week_of,
            long_minutes=long_minutes,
            runs=runs,
            facts=inputs.facts,
        )
    except PlanHistoryError as exc:
        raise PlanHistoryError(exc.message, inputs.problems) from None
    result.problems = list(inputs.problems)
    result.notes = [*inputs.run_notes, *result.notes]
    return result
