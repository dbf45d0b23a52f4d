"""Garmin usersummary JSON (one day object, a list, or the ``UDSFile_*.json`` arrays of
Garmin's account export): ``sedentarySeconds`` per day and the resting heart rate.

A day without wellness data (``includesWellnessData`` false, or no ``sedentarySeconds``)
is left unknown with a warning, never read as 0 h.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from runload.errors import Problem
from runload.sitting.probe import Probe
from runload.sitting.source import RESTING_SCHEMA, ReadContext, SourceRead, device_days
from runload.units import outside


def _garmin_date(value: Any) -> dt.date:
    if isinstance(value, dict):
        value = value.get("date")
    return dt.date.fromisoformat(str(value)[:10])


def read_summary(probe: Probe, ctx: ReadContext) -> SourceRead:
    """A usersummary JSON: sedentarySeconds per day, and the resting heart rates."""
    problems: list[Problem] = []
    dates: list[dt.date] = []
    hours: list[float] = []
    hr_rows: list[tuple[dt.date, float]] = []
    for i, (line, obj) in enumerate(probe.json_items, start=1):
        where = f"day object {i}"
        if not isinstance(obj, dict) or "calendarDate" not in obj:
            msg = f"{where} has no calendarDate"
            problems.append(Problem(probe.name, "error", msg, line, code="garmin.no_date"))
            continue
        try:
            day = _garmin_date(obj["calendarDate"])
        except ValueError:
            msg = f'{where}: calendarDate "{obj["calendarDate"]}" is not a valid date'
            problems.append(Problem(probe.name, "error", msg, line, code="garmin.bad_date"))
            continue
        hr = obj.get("restingHeartRate")
        if isinstance(hr, int | float) and not isinstance(hr, bool) and 20 <= hr <= 150:
            hr_rows.append((day, float(hr)))
        seconds = obj.get("sedentarySeconds")
        if obj.get("includesWellnessData") is False:  # not worn or not synced: zeros, no data
            msg = (
                f"{day}: includesWellnessData is false (the watch recorded nothing that day); "
                "left unknown"
            )
            problems.append(Problem(probe.name, "warning", msg, line, code="garmin.no_wellness"))
            continue
        if seconds is None:
            msg = f"{day}: no sedentarySeconds (no wellness data that day); left unknown"
            problems.append(Problem(probe.name, "warning", msg, line, code="garmin.no_wellness"))
            continue
        if isinstance(seconds, bool) or not isinstance(seconds, int | float):
            msg = f'{day}: sedentarySeconds "{seconds}" is not a number'
            problems.append(Problem(probe.name, "error", msg, line, code="garmin.bad_value"))
            continue
        if wrong := outside("sedentarySeconds", seconds, 0, 86400):
            msg = f"{day}: {wrong}"
            problems.append(Problem(probe.name, "error", msg, line, code="garmin.bad_value"))
            continue
        dates.append(day)
        hours.append(seconds / 3600)
    days = device_days(dates, hours, probe.name)
    resting = pl.DataFrame(
        {
            "date": [d for d, _ in hr_rows],
            "resting_hr": [h for _, h in hr_rows],
            "source": [probe.name] * len(hr_rows),
        },
        schema=RESTING_SCHEMA,
    )
    return SourceRead("garmin_summary", days, problems, resting_hr=resting)
