"""Write Fitbit exports as its account export (Google Takeout) and cleaned copies such as
PMData's write them, for the tests (dev-only, like ``fitgen``): exercise log entries, the
daily ``sedentary_minutes`` and ``resting_heart_rate`` series, and a Takeout layout.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterable
from typing import Any

TAKEOUT = "Takeout/Fitbit/Global Export Data"


def stamp(t: dt.datetime | dt.date, form: str = "iso") -> str:
    """``2019-11-05 14:56:32`` (``iso``, PMData) or ``11/05/19 14:56:32`` (``takeout``)."""
    if not isinstance(t, dt.datetime):
        t = dt.datetime.combine(t, dt.time())
    return t.strftime("%Y-%m-%d %H:%M:%S" if form == "iso" else "%m/%d/%y %H:%M:%S")


def exercise(
    log_id: int,
    name: str,
    start: dt.datetime,
    minutes: float,
    km: float | None = None,
    *,
    hr: int | None = 140,
    active_minutes: float | None = None,
    form: str = "iso",
    **extra: Any,
) -> dict[str, Any]:
    """One exercise log entry (a naive local ``start``), with Fitbit's keys and units."""
    entry: dict[str, Any] = {
        "logId": log_id,
        "activityName": name,
        "activityTypeId": 90009,
        "calories": 300,
        "duration": int(minutes * 60_000),
        "activeDuration": int((active_minutes or minutes) * 60_000),
        "steps": 4000,
        "logType": "tracker",
        "lastModified": stamp(start, "takeout"),
        "startTime": stamp(start, form),
        "originalStartTime": stamp(start, "takeout"),
        "hasGps": km is not None and name == "Run",
        "source": {"type": "tracker", "name": "Versa 2"},
    }
    if km is not None:
        entry |= {"distance": km, "distanceUnit": "Kilometer"}
    if hr is not None:
        entry["averageHeartRate"] = hr
        entry["heartRateZones"] = [
            {"name": "Out of Range", "min": 30, "max": 96, "minutes": 1},
            {"name": "Fat Burn", "min": 96, "max": 135, "minutes": int(minutes) - 1},
            {"name": "Cardio", "min": 135, "max": 164, "minutes": 0},
            {"name": "Peak", "min": 164, "max": 220, "minutes": 0},
        ]
    return entry | extra


def sedentary(days: Iterable[tuple[dt.date, Any]], form: str = "iso") -> list[dict[str, Any]]:
    """``sedentary_minutes``: ``[{"dateTime": ..., "value": "636"}]`` (values as given: a
    string, as Fitbit writes them, or a number)."""
    return [{"dateTime": stamp(d, form), "value": v} for d, v in days]


def resting(days: Iterable[tuple[dt.date, float]], form: str = "iso") -> list[dict[str, Any]]:
    """``resting_heart_rate``: ``value.value`` per day (0: unknown), with Fitbit's ``error``."""
    return [
        {
            "dateTime": stamp(d, form),
            "value": {"date": d.strftime("%m/%d/%y"), "value": bpm, "error": 6.8 if bpm else 0},
        }
        for d, bpm in days
    ]


def takeout_zip(files: dict[str, Any]) -> bytes:
    """A Takeout zip with ``files`` (name → JSON value) in ``Global Export Data``, beside
    other Fitbit series runload does not read."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, value in files.items():
            z.writestr(f"{TAKEOUT}/{name}", json.dumps(value))
        z.writestr(f"{TAKEOUT}/heart_rate-2019-11-05.json", json.dumps([]))
        z.writestr("Takeout/archive_browser.html", "<html></html>")
    return buf.getvalue()
