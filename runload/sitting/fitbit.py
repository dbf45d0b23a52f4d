"""Fitbit sources: the Takeout ``sedentary_minutes-*.json`` series and the daily activity
CSV (``ActivityDate``, ``SedentaryMinutes``; Fitabase exports too).

Days are dropped, with a warning, when the tracker was not worn (1440 sedentary
minutes, or 0 steps where steps are given) or when they are after the export date
(today). In a daily activity CSV where Very/Fairly/Lightly active and SedentaryMinutes
add up to 1440 (24 h), the tracker counted sleep as sedentary: the hours outside the
waking window (8 h by default) are taken as sleep and subtracted from SedentaryMinutes
(not below 0), and the warning gives the sum. A CSV holding several people (``Id``
column, as Fitabase exports do) is read for the first Id only.
"""

from __future__ import annotations

import datetime as dt
import json

from runload.errors import Problem
from runload.sitting.detect import Probe
from runload.sitting.source import ReadContext, SourceRead, device_days
from runload.units import outside


def _fitbit_date(text: str) -> dt.date:
    """Fitbit dates: ``04/12/2016``, ``4/13/2016`` or ``04/12/16 00:00:00`` (month first)."""
    part = text.strip().split(" ")[0]
    month, day, year = (int(x) for x in part.split("/"))
    if year < 100:
        year += 2000
    return dt.date(year, month, day)


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


def read_sedentary_json(probe: Probe, ctx: ReadContext) -> SourceRead:
    """A Takeout ``sedentary_minutes-*.json`` series: minutes per day."""
    problems: list[Problem] = []
    dates: list[dt.date] = []
    hours: list[float] = []
    for i, (line, obj) in enumerate(probe.json_items, start=1):
        try:
            day = _fitbit_date(str(obj["dateTime"]))
            minutes = float(obj["value"])
        except (KeyError, TypeError, ValueError):
            msg = f"entry {i} is not a date and a minute count: {json.dumps(obj)[:60]}"
            problems.append(Problem(probe.name, "error", msg, line, code="fitbit.bad_entry"))
            continue
        if bad := _unusable_day(probe.name, day, "sedentary minutes", minutes, None, ctx, line):
            problems.append(bad)
            continue
        dates.append(day)
        hours.append(minutes / 60)
    return SourceRead("fitbit_sedentary_json", device_days(dates, hours, probe.name), problems)


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
            day = _fitbit_date(row.get("activitydate", ""))
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
        if all(a is not None for a in active) and minutes + sum(active) >= 1440:  # type: ignore[arg-type]
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
