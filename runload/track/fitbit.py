"""Fitbit's exercise log → ``FitResult``: one session per entry.

The log is ``exercise-N.json`` in Fitbit's account export (Google Takeout:
``Takeout/Fitbit/Global Export Data/``; the older ``MyFitbitData/NAME/Physical Activity/``)
and ``exercise.json`` in copies such as PMData's. It is a JSON list of objects; a file is
one when an object of it has ``logId``, ``activityName`` and ``startTime``. An entry that
cannot be read is one warning naming the entry (its index in the list, which is also its
``session``, and its ``logId``); the other entries are still read.

Per entry:

* sport from ``activityName`` (``SPORTS`` here, then ``sport.sport_of``): ``Run`` is a run;
  ``Treadmill`` is a treadmill run when its pace is a running pace, by the bound the FIT
  reader tells runs with (``RUN_SPEED_MS``, distance ÷ ``activeDuration``), a treadmill
  walk when slower, and no sport when faster or without a distance (a warning). Every
  treadmill session keeps sub_sport ``treadmill``, so the rule's verdicts can be counted
  (``runload.exercise_log.treadmill_notes``). Names runload does not know (``Sport``,
  ``Workout``) give no sport: listed, not counted.
* start from ``startTime``: a local wall time without a zone (``runload.fitbit_dates``).
  The reader cannot know the zone (results are cached by content), so ``start_unix``
  holds the wall time read as if it were UTC; ingest places it in the athlete's zone
  (``runload.exercise_log.place_wall_times``) before anything else sees it.
* moving time ``activeDuration``, elapsed ``duration`` (ms), distance ``distance`` in
  ``distanceUnit`` (a distance without a known unit is left out, with a warning),
  ``averageHeartRate`` as the session's average (the load method ``avg_hr``), ``hasGps``,
  the device from ``source.name``. There are no samples, no max HR, and no ascent (the
  unit of ``elevationGain`` is not stated).

Never raises on bad data: problems are in ``.problems``. Imports no polars.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any, TypeGuard

from runload import jsontext
from runload.errors import Problem
from runload.fit.result import MAX_SESSION_S, FitResult, SessionData
from runload.fit.runlike import RUN_SPEED_MS
from runload.fitbit_dates import parse_fitbit_datetime
from runload.track.sport import sport_of

KEYS = ("logId", "activityName", "startTime")
NOT_A_LOG = (
    "not a Fitbit exercise log (a JSON list of exercises with logId, activityName and startTime)"
)
UNITS_M = {"kilometer": 1000.0, "km": 1000.0, "mile": 1609.344, "meter": 1.0, "m": 1.0}
TREADMILL = "treadmill"
# Fitbit's activity names that ``sport.sport_of`` does not already know.
SPORTS: dict[str, tuple[str, str | None]] = {
    "outdoor_bike": ("cycling", None),
    "bike": ("cycling", None),
    "spinning": ("cycling", "indoor_cycling"),
    "elliptical": ("fitness_equipment", "elliptical"),
    "weights": ("training", "strength_training"),
    "yoga": ("training", "yoga"),
    "tennis": ("tennis", None),
}


def _name_key(name: str) -> str:
    return name.strip().lower().replace("-", "_").replace(" ", "_")


def _is_number(value: Any) -> TypeGuard[int | float]:
    """A finite JSON number (not ``true``, not text)."""
    return not isinstance(value, bool) and isinstance(value, int | float) and math.isfinite(value)


def _ms(entry: dict[str, Any], key: str, required: bool) -> float | None:
    """Seconds from the entry's milliseconds ``key``; ``ValueError`` when it is not a
    duration of 0 to 48 hours (or missing where ``required``)."""
    value = entry.get(key)
    if value is None and not required:
        return None
    if not _is_number(value):
        raise ValueError(f"{key} {json.dumps(value)} is not a duration in milliseconds")
    seconds = value / 1000
    if not 0 <= seconds <= MAX_SESSION_S:
        raise ValueError(f"{key} {value:g} ms is not 0 to 48 hours")
    return float(seconds)


def _distance(entry: dict[str, Any], warn: list[str]) -> float | None:
    """Metres, or None (with the reason in ``warn`` when the entry has one runload cannot
    use)."""
    value = entry.get("distance")
    if value is None:
        return None
    unit = entry.get("distanceUnit")
    factor = UNITS_M.get(unit.strip().lower()) if isinstance(unit, str) else None
    if not _is_number(value) or value < 0:
        warn.append(f"distance {json.dumps(value)} is not a distance: left out")
        return None
    if factor is None:
        warn.append(
            f"distance {value:g} in unit {json.dumps(unit)} runload does not know: left out"
        )
        return None
    return float(value) * factor


def _avg_hr(entry: dict[str, Any], warn: list[str]) -> float | None:
    value = entry.get("averageHeartRate")
    if value is None:
        return None
    if not _is_number(value):
        warn.append(f"averageHeartRate {json.dumps(value)} is not a heart rate: left out")
        return None
    return float(value)  # (a dropout such as 0 is ingest's to say: load.valid_hr)


def _treadmill(distance_m: float | None, moving_s: float | None, warn: list[str]) -> str | None:
    """The sport of a Treadmill entry: ``running`` at a running pace (``RUN_SPEED_MS``),
    ``walking`` below it, None (with the reason in ``warn``) when it cannot be told."""
    lo, hi = RUN_SPEED_MS
    if not distance_m or not moving_s:
        missing = "a distance" if not distance_m else "an active time (activeDuration)"
        warn.append(f"Treadmill without {missing}: cannot tell a run from a walk; no sport"
                    " (listed, not counted)")  # fmt: skip
        return None
    speed = distance_m / moving_s
    if speed > hi:
        warn.append(f"Treadmill at {speed:.1f} m/s, faster than a run ({lo:g}–{hi:g} m/s): "
                    "no sport (listed, not counted)")  # fmt: skip
        return None
    return "running" if speed >= lo else "walking"


def _sport(name: Any, distance_m: float | None, moving_s: float | None, warn: list[str]):
    """(sport, sub_sport) from ``activityName`` (None, None when runload does not know it)."""
    if not isinstance(name, str):
        return None, None
    key = _name_key(name)
    if key == TREADMILL:
        return _treadmill(distance_m, moving_s, warn), TREADMILL
    found = SPORTS.get(key) or sport_of(name)
    return found if found is not None else (None, None)


def _device(entry: dict[str, Any]) -> str:
    source = entry.get("source")
    name = source.get("name") if isinstance(source, dict) else None
    return f"Fitbit {name}" if isinstance(name, str) and name.strip() else "Fitbit"


def _session(index: int, entry: dict[str, Any], warn: list[str]) -> SessionData:
    """One entry as a session; ``ValueError`` when it cannot be one."""
    for key in KEYS:
        if key not in entry:
            raise ValueError(f"no {key}")
    try:
        wall = parse_fitbit_datetime(entry["startTime"])
    except ValueError as exc:
        raise ValueError(f"startTime {exc}") from None
    elapsed = _ms(entry, "duration", required=True)
    moving = _ms(entry, "activeDuration", required=False)
    if moving is not None and elapsed is not None and moving > elapsed + 1:
        warn.append(f"activeDuration is longer than duration: moving time taken as {elapsed:g} s")
        moving = elapsed
    distance = _distance(entry, warn)
    sport, sub = _sport(entry["activityName"], distance, moving, warn)
    start_unix = int(wall.replace(tzinfo=dt.UTC).timestamp())  # the wall time, as if UTC
    return SessionData(
        index=index,
        sport=sport,
        sub_sport=sub,
        start_unix=start_unix,
        moving_s=moving,
        elapsed_s=elapsed,
        distance_m=distance,
        avg_hr=_avg_hr(entry, warn),
        max_hr=None,
        ascent_m=None,
        has_gps=entry.get("hasGps") is True,
    )


def _who(index: int, entry: Any) -> str:
    """``entry 12 (logId 26451905128)``: the entry as messages name it."""
    log_id = entry.get("logId") if isinstance(entry, dict) else None
    return f"entry {index}" + (f" (logId {log_id})" if log_id is not None else "")


def read_exercise_log(data: bytes, path: str) -> FitResult:
    """Read one exercise log's bytes: one session per entry."""
    result = FitResult(path=path, decoder="fitbit")
    try:
        text = data.decode("utf-8-sig")
        entries = jsontext.loads(text)
    except UnicodeDecodeError as exc:
        why = f"{NOT_A_LOG}: not UTF-8 text"
        result.problem("error", why, offset=exc.start, code="fitbit.not_a_log")
        return result
    except json.JSONDecodeError as exc:  # (a number too long to read among them)
        at = len(text[: exc.pos].encode())
        too_long = isinstance(exc, jsontext.NumberTooLongError)
        why = f"holds {exc.msg}: not read" if too_long else f"{NOT_A_LOG}: broken JSON ({exc.msg})"
        code = "json.number" if too_long else "fitbit.not_a_log"
        result.problems.append(Problem(path, "error", why, line=exc.lineno, offset=at, code=code))
        return result
    except RecursionError:
        result.problem("error", f"{NOT_A_LOG}: JSON nested too deeply", code="json.too_deep")
        return result
    if entries == []:
        why = "an empty Fitbit exercise log: no exercises in it"
        result.problem("warning", why, code="fitbit.empty_log")
        return result
    if not isinstance(entries, list) or not any(
        isinstance(e, dict) and all(k in e for k in KEYS) for e in entries
    ):
        result.problem("error", NOT_A_LOG, code="fitbit.not_a_log")
        return result
    result.kind = "activity"
    for index, entry in enumerate(entries):
        warn: list[str] = []
        try:
            if not isinstance(entry, dict):
                raise ValueError(f"is {json.dumps(entry)[:40]}, not an exercise")
            session = _session(index, entry, warn)
        except ValueError as exc:
            why = f"{_who(index, entry)}: {exc}; left out"
            result.problem("warning", why, code="fitbit.bad_entry")
            continue
        result.sessions.append(session)
        result.problems += [
            Problem(path, "warning", f"{_who(index, entry)}: {w}", code="fitbit.entry_value")
            for w in warn
        ]
    devices = {_device(e) for e in entries if isinstance(e, dict)}
    result.device = devices.pop() if len(devices) == 1 else "Fitbit"
    return result
