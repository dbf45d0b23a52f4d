"""Fitbit's dates and times, as its exports write them: the one parser every Fitbit reader
uses (the exercise log, sedentary minutes, resting heart rate, the daily activity CSV).

Fitbit's own account export (Google Takeout) writes ``11/05/19 14:56:32`` (month first,
two-digit year); cleaned copies such as PMData's write ``2019-11-05 14:56:32``; Fitabase's
CSVs ``4/12/2016`` or ``04/12/2016 00:00:00``. All of them are local wall times without a
zone. Accepted: ``YYYY-MM-DD`` and ``M/D/YY`` or ``M/D/YYYY`` dates, each alone or followed
by a time ``HH:MM`` or ``HH:MM:SS`` (after a space, or a ``T`` after an ISO date; fractions
of a second are dropped). A written zone or offset is refused: these files never carry one,
and runload does not guess which clock a time with one meant. Pure functions, no I/O.
"""

from __future__ import annotations

import datetime as dt
import re

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_US = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$")
FORMS = "YYYY-MM-DD HH:MM:SS or MM/DD/YY HH:MM:SS"


def _date(text: str) -> dt.date:
    if m := _ISO.match(text):
        year, month, day = (int(x) for x in m.groups())
    elif m := _US.match(text):
        month, day, year = (int(x) for x in m.groups())
        if year < 100:  # Fitbit's two-digit years are this century's
            year += 2000
    else:
        raise ValueError
    return dt.date(year, month, day)


def _time(text: str) -> dt.time:
    m = _TIME.match(text)
    if not m:
        raise ValueError
    return dt.time(int(m[1]), int(m[2]), int(m[3] or 0))


def parse_fitbit_datetime(text: object) -> dt.datetime:
    """A Fitbit date and time as a naive local wall time (a date alone is its midnight);
    ``ValueError`` with a plain message naming the accepted forms otherwise."""
    if not isinstance(text, str):
        raise ValueError(f"{_shown(text)} is not a date ({FORMS})")
    s = text.strip()
    day, _, clock = s.replace("T", " ", 1).partition(" ") if "-" in s else s.partition(" ")
    try:
        return dt.datetime.combine(_date(day), _time(clock.strip()) if clock else dt.time())
    except ValueError:
        raise ValueError(f"{_shown(text)} is not a date ({FORMS})") from None


def parse_fitbit_date(text: object) -> dt.date:
    """The calendar day of a Fitbit date (a time after it, as in ``11/05/19 00:00:00``, is
    allowed and ignored); ``ValueError`` as ``parse_fitbit_datetime``."""
    return parse_fitbit_datetime(text).date()


def _shown(value: object) -> str:
    return f'"{value}"' if isinstance(value, str) else repr(value)
