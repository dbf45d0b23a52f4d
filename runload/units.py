"""Parsing the values people type: durations (``9.5``, ``9,5``, ``9h30``, ``570m``,
``1:30``, ``90m``), dates (``2026-03-01``) and clock times (``07:00``). Pure functions,
no I/O; every parser raises ``ValueError`` with a plain message."""

from __future__ import annotations

import calendar
import datetime as dt
import re

# ``1.5h`` or ``1h30``; minutes after the hours are 0–59 (as in ``1:30``): ``1h90`` is a typo.
_H_M = re.compile(
    r"^(?:(?P<hf>\d+(?:[.,]\d+)?)\s*h|(?P<h>\d+)\s*h\s*(?P<m>[0-5]?\d(?:[.,]\d+)?)\s*(?:m|min)?)$"
)
_M = re.compile(r"^(?P<m>\d+(?:[.,]\d+)?)\s*(?:m|min|mins|minutes)$")
_COLON = re.compile(r"^(?P<h>\d+):(?P<m>[0-5]\d)(?::(?P<s>[0-5]\d))?$")
_NUM = re.compile(r"^\d+(?:[.,]\d+)?$")
_CLOCK = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def _decimal(text: str) -> float:
    """``9,5`` or ``9.5`` as 9.5 (the text already matched one of the patterns above)."""
    return float(text.replace(",", "."))


def parse_duration_minutes(text: str, *, bare_unit: str | None = "minutes") -> float:
    """Minutes in ``text``: ``90m``, ``90 min``, ``1h30``, ``1h``, ``1.5h``, ``1:30``,
    ``1:30:00``, or a bare number in ``bare_unit`` (``"minutes"`` or ``"hours"``; None: a
    bare number is refused, as ``check --planned 2`` is 2 minutes to a program and 2 hours
    to a runner).

    Raises ``ValueError`` with a message naming the accepted forms.
    """
    s = text.strip().lower()
    if m := _H_M.match(s):
        if m["hf"] is not None:
            return _decimal(m["hf"]) * 60
        return int(m["h"]) * 60 + _decimal(m["m"])
    if m := _M.match(s):
        return _decimal(m["m"])
    if m := _COLON.match(s):
        return int(m["h"]) * 60 + int(m["m"]) + (int(m["s"]) / 60 if m["s"] else 0.0)
    if _NUM.match(s):
        if bare_unit is None:
            raise ValueError(
                f'"{text}" has no unit: write {s}min or {s}h (e.g. 90min, 1h30, 1.5h or 1:30)'
            )
        value = _decimal(s)
        return value * 60 if bare_unit == "hours" else value
    raise ValueError(
        f'"{text}" is not a duration (write it like 90m, 1h30, 1:30'
        + (" or 9.5)" if bare_unit == "hours" else ")")
    )


def parse_hours(text: str) -> float:
    """Hours in ``text``: ``9.5``, ``9,5``, ``9h30``, ``570m``, ``9:30``."""
    return parse_duration_minutes(text, bare_unit="hours") / 60


_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_MONTHS = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)


def no_such_day(text: str) -> str | None:
    """Why ``text``, written like YYYY-MM-DD, names no day of the calendar
    (``2026-02-30``: "February 2026 has 28 days"); None when it is not in that form or
    is a day."""
    m = _YMD.match(text.strip())
    if not m:
        return None
    year, month, day = (int(g) for g in m.groups())
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    days = calendar.monthrange(year, month)[1] if year else 31
    if not 1 <= day <= days:
        return f"there is no day {day}: {_MONTHS[month - 1]} {year} has {days} days"
    return None


def parse_date(text: str) -> dt.date:
    """A calendar date written YYYY-MM-DD; ``ValueError`` with a plain message otherwise,
    saying when the form is right but the day does not exist (``2026-02-30``)."""
    s = text.strip()
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        pass
    if why := no_such_day(s):
        raise ValueError(f'"{text}" is not a day of the calendar ({why})')
    raise ValueError(f'"{text}" is not a valid date (write it YYYY-MM-DD)')


def parse_clock(text: str) -> dt.time:
    """A time of day written HH:MM (``07:00``, ``23:30``); ``ValueError`` otherwise."""
    m = _CLOCK.match(text.strip())
    if not m:
        raise ValueError(f'"{text}" is not a time of day (write it like "07:00")')
    return dt.time(int(m[1]), int(m[2]))


def parse_zone(text: str) -> str:
    """An IANA time zone name (``Europe/Paris``) this machine knows; ``ValueError``
    otherwise."""
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(text)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(f'"{text}" is not a known time zone (e.g. "Europe/Paris")') from None
    return text


def outside(name: str, value: float, lo: float, hi: float) -> str | None:
    """``"sitting_hours 25 is outside 0–24"`` when ``value`` is not within ``lo``–``hi``
    (or is NaN), else None: the one wording of a value out of its range."""
    if lo <= value <= hi:
        return None
    return f"{name} {value:g} is outside {lo:g}–{hi:g}"
