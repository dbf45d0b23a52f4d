"""Fitbit sources: the Takeout ``sedentary_minutes-*.json`` series (also a plain
``sedentary_minutes.json``), the ``resting_heart_rate-*.json`` series, and the daily activity
CSV (``ActivityDate``, ``SedentaryMinutes``; Fitabase exports too).

Dates are read by ``runload.fitbit_dates`` (Takeout's ``11/05/19 00:00:00``, the
``2019-11-05 00:00:00`` of cleaned copies such as PMData, Fitabase's ``4/12/2016``); values
may be written as strings (``"636"``, as Fitbit does) or numbers.

Days are dropped, with a warning, when the tracker was not worn (1440 sedentary
minutes, or 0 steps where steps are given) or when they are after the export date
(today). In a daily activity CSV where Very/Fairly/Lightly active and SedentaryMinutes
add up to 1440 (24 h), the tracker counted sleep as sedentary: the hours outside the
waking window (8 h by default) are taken as sleep and subtracted from SedentaryMinutes
(not below 0), and the warning gives the sum. A CSV holding several people (``Id``
column, as Fitabase exports do) is read for the first Id only. A resting heart rate of 0
is Fitbit's "unknown" and is skipped; others outside 20–150 bpm are a warning. Fitbit's
estimate carries decimals (``53.74``, with an ``error`` of about 7 bpm): it is kept in
whole bpm.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import polars as pl

from runload.errors import Problem
from runload.fitbit_dates import parse_fitbit_date
from runload.sitting.probe import Probe
from runload.sitting.source import RESTING_SCHEMA, ReadContext, SourceRead, device_days
from runload.units import outside

RESTING_HR = (20.0, 150.0)  # bpm; Garmin's daily summaries are held to the same band


def _keep_fitbit_day(
    path: str, day: dt.date, minutes: float, steps: float | None, ctx: ReadContext, line: int | None
) -> Problem | None:
    """A warning when a Fitbit day is not a measured day, else None."""
    if day > ctx.today:
        msg = f"{day} is after the export date {ctx.today}; dropped"
        return Problem(path, "warning", msg, line, code="fitbit.after_export")
    if minutes >= 1440:
        msg = f"{day}: 1440 sedentary minutes (not worn); dropped"
        return Problem(path, "warning", msg, line, code="fitbit.not_worn")
    if steps is not None and steps == 0:
        msg = f"{day}: 0 steps (not worn); dropped"
        return Problem(path, "warning", msg, line, code="fitbit.not_worn")
    return None


def _unusable_day(
    path: str,
    day: dt.date,
    column: str,
    minutes: float,
    steps: float | None,
    ctx: ReadContext,
    line: int | None,
) -> Problem | None:
    """Why a day's sedentary ``minutes`` are not used (out of range: an error; not worn or
    after the export: a warning), else None."""
    if wrong := outside(column, minutes, 0, 1440):
        return Problem(path, "error", f"{day}: {wrong}", line, code="fitbit.out_of_range")
    return _keep_fitbit_day(path, day, minutes, steps, ctx, line)


def _number(value: Any) -> float:
    """A value written as a number or as text (``"636"``); ``ValueError`` for anything else
    (``true``, ``""``, ``"n/a"``, a list)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError
    return float(value)


def _series_entry(obj: Any, i: int, what: str) -> tuple[dt.date, Any]:
    """(the day, the value) of one ``{"dateTime": ..., "value": ...}`` entry; ``ValueError``
    saying what is wrong with it otherwise."""
    if not isinstance(obj, dict) or "dateTime" not in obj or "value" not in obj:
        raise ValueError(f"entry {i} is not a date and {what}: {json.dumps(obj)[:60]}")
    try:
        day = parse_fitbit_date(obj["dateTime"])
    except ValueError as exc:
        raise ValueError(f"entry {i}: dateTime {exc}") from None
    return day, obj["value"]


def read_sedentary_json(probe: Probe, ctx: ReadContext) -> SourceRead:
    """A ``sedentary_minutes`` series: minutes per day."""
    problems: list[Problem] = []
    dates: list[dt.date] = []
    hours: list[float] = []
    for i, (line, obj) in enumerate(probe.json_items, start=1):
        try:
            day, value = _series_entry(obj, i, "a minute count")
        except ValueError as exc:
            problems.append(Problem(probe.name, "error", str(exc), line, code="fitbit.bad_entry"))
            continue
        try:
            minutes = _number(value)
        except ValueError:
            msg = f"{day}: value {json.dumps(value)[:40]} is not a number of minutes"
            problems.append(Problem(probe.name, "error", msg, line, code="fitbit.bad_entry"))
            continue
        if bad := _unusable_day(probe.name, day, "sedentary minutes", minutes, None, ctx, line):
            problems.append(bad)
            continue
        dates.append(day)
        hours.append(minutes / 60)
    return SourceRead("fitbit_sedentary_json", device_days(dates, hours, probe.name), problems)


def read_resting_json(probe: Probe, ctx: ReadContext) -> SourceRead:
    """A ``resting_heart_rate`` series: ``value.value`` per day (0: unknown, skipped). It
    gives no sitting, only the resting heart rates (``SourceRead.resting_hr``)."""
    problems: list[Problem] = []
    rows: list[tuple[dt.date, float]] = []
    lo, hi = RESTING_HR
    for i, (line, obj) in enumerate(probe.json_items, start=1):
        try:
            day, value = _series_entry(obj, i, "a resting heart rate")
        except ValueError as exc:
            problems.append(Problem(probe.name, "error", str(exc), line, code="fitbit.bad_entry"))
            continue
        try:
            bpm = _number(value.get("value") if isinstance(value, dict) else value)
        except ValueError:
            msg = f"{day}: value {json.dumps(value)[:60]} is not a heart rate (value.value, bpm)"
            problems.append(Problem(probe.name, "error", msg, line, code="fitbit.bad_entry"))
            continue
        if bpm == 0:  # Fitbit's "no resting heart rate that day"
            continue
        if wrong := outside("resting heart rate", bpm, lo, hi):
            msg = f"{day}: {wrong}; left out"
            problems.append(Problem(probe.name, "warning", msg, line, code="fitbit.out_of_range"))
            continue
        if day > ctx.today:
            msg = f"{day} is after the export date {ctx.today}; dropped"
            problems.append(Problem(probe.name, "warning", msg, line, code="fitbit.after_export"))
            continue
        rows.append((day, float(round(bpm))))  # whole bpm: Fitbit states ±7 bpm on its estimate
    resting = pl.DataFrame(
        {
            "date": [d for d, _ in rows],
            "resting_hr": [b for _, b in rows],
            "source": [probe.name] * len(rows),
        },
        schema=RESTING_SCHEMA,
    )
    days = device_days([], [], probe.name)
    return SourceRead("fitbit_resting_hr_json", days, problems, resting_hr=resting)


_CSV_NAMES = {
    "sedentaryminutes": "SedentaryMinutes",
    "totalsteps": "TotalSteps",
    "veryactiveminutes": "VeryActiveMinutes",
    "fairlyactiveminutes": "FairlyActiveMinutes",
    "lightlyactiveminutes": "LightlyActiveMinutes",
}


def _csv_number(row: dict[str, str], key: str) -> float | None:
    """The number in column ``key``, None when empty; ``ValueError`` naming the column."""
    text = row.get(key, "")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if value != value:
        raise ValueError(f'{_CSV_NAMES.get(key, key)} "{text}" is not a number')
    return value


_ACTIVE_COLUMNS = ("veryactiveminutes", "fairlyactiveminutes", "lightlyactiveminutes")


def read_daily_csv(probe: Probe, ctx: ReadContext) -> SourceRead:
    """A daily activity CSV: SedentaryMinutes per day, sleep taken out where it is in."""
    problems = [
        Problem(probe.name, "error", why, line, code="csv.quote")
        for line, why in probe.table.broken
    ]
    rows = probe.table.records()
    ids = list(dict.fromkeys(r.get("id", "") for _, r in rows))
    if len(ids) > 1:
        others = sum(1 for _, r in rows if r.get("id", "") != ids[0])
        msg = (
            f"holds {len(ids)} people ({len(ids)} different Ids); read only the first, "
            f"Id {ids[0]}, and skipped the {others} rows of the other {len(ids) - 1}"
        )
        problems.append(Problem(probe.name, "warning", msg, code="fitbit.many_people"))
        rows = [(n, r) for n, r in rows if r.get("id", "") == ids[0]]
    night_minutes = (24 - ctx.waking_hours) * 60
    window = f"{ctx.waking[0]:%H:%M}–{ctx.waking[1]:%H:%M}"
    dates: list[dt.date] = []
    hours: list[float] = []
    for line, row in rows:
        try:
            day = parse_fitbit_date(row.get("activitydate", ""))
        except ValueError:
            msg = f'ActivityDate "{row.get("activitydate", "")}" is not a date (M/D/YYYY)'
            problems.append(Problem(probe.name, "error", msg, line, code="fitbit.bad_entry"))
            continue
        try:
            minutes = _csv_number(row, "sedentaryminutes")
            steps = _csv_number(row, "totalsteps")
            active = [_csv_number(row, k) for k in _ACTIVE_COLUMNS]
        except ValueError as exc:
            msg = f"{day}: {exc}"
            problems.append(Problem(probe.name, "error", msg, line, code="fitbit.bad_entry"))
            continue
        if minutes is None:
            msg = f"{day}: SedentaryMinutes is empty"
            problems.append(Problem(probe.name, "error", msg, line, code="fitbit.bad_entry"))
            continue
        if bad := _unusable_day(probe.name, day, "SedentaryMinutes", minutes, steps, ctx, line):
            problems.append(bad)
            continue
        known = [a for a in active if a is not None]
        if len(known) == len(active) and minutes + sum(known) >= 1440:
            waking = max(0.0, minutes - night_minutes)
            msg = (
                f"{day}: active and sedentary minutes add up to 24 h, so SedentaryMinutes "
                f"includes sleep; counted {minutes:g} − {night_minutes:g} = {waking:g} min "
                f"(the {night_minutes / 60:g} h outside the {window} waking window taken as sleep)"
            )
            problems.append(Problem(probe.name, "warning", msg, line, code="fitbit.sleep_included"))
            minutes = waking
        dates.append(day)
        hours.append(minutes / 60)
    return SourceRead("fitbit_daily_csv", device_days(dates, hours, probe.name), problems)
