"""What the GPX and TCX readers share: their points → one ``SessionData``, and the
wording of their problems.

Moving time is the elapsed time less the pauses: a gap between two points longer than
``PAUSE_S`` (the default HR gap cap of the load method) over which the distance grew by
less than ``STILL_MPS`` metres a second (or that has no distance to tell). GPX and TCX
carry no timer runload can trust; a sparse recording (a point every minute) moves on
between its points, a paused one stands still.

A file whose points mostly lack a time stamp (fewer than half have one) is an error:
its duration and load would be guesses.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from runload.fit.result import FitResult, SessionData

PAUSE_S = 30.0
STILL_MPS = 0.5
MAX_SESSION_S = 48 * 3600
NO_TIMES = "has no time stamps: cannot place it in the season"
NO_POINTS = "has no track points: no activity to read"
_WHERE = re.compile(r":? ?line (\d+), column (\d+)")


@dataclass
class Point:
    time: dt.datetime | None
    hr: float | None = None
    has_position: bool = False
    distance_m: float | None = None  # cumulative, when the file carries it


def unix(t: dt.datetime) -> float:
    """Seconds since the Unix epoch; a time without a zone is UTC (as GPX and TCX mean)."""
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.UTC)
    return t.timestamp()


def xml_problem(result: FitResult, what: str, message: str) -> None:
    """A parser's error as one problem (code ``gpx.xml`` / ``tcx.xml`` after ``what``): the
    message without its position, the line as the problem's line."""
    found = _WHERE.search(message)
    text = _WHERE.sub("", message).strip()
    text = text.removeprefix("Error parsing XML: ")
    line = int(found.group(1)) if found else None
    message = f"not a readable {what} file (broken XML: {text})"
    result.problems.append(_problem(result.path, message, line, XML_CODES[what]))


XML_CODES = {"GPX": "gpx.xml", "TCX": "tcx.xml"}


def _problem(path: str, message: str, line: int | None, code: str):  # -> Problem
    from runload.errors import Problem

    return Problem(path, "error", message, line=line, code=code)


def _still(p: Point, q: Point, gap: float) -> bool:
    if p.distance_m is None or q.distance_m is None:
        return True
    return (q.distance_m - p.distance_m) < STILL_MPS * gap


def build_session(
    result: FitResult,
    points: Sequence[Point],
    *,
    sport: tuple[str, str | None] | None,
    distance_m: float | None,
    ascent_m: float | None,
) -> None:
    """One session from the points into ``result`` (or the problem why there is none).
    ``distance_m``: the file's own total (laps, or the library's track length), else the
    cumulative distances of the points are used."""
    if not points:
        result.problem("error", NO_POINTS, code="track.no_points")
        return
    timed = sorted((unix(p.time), p) for p in points if p.time is not None)
    if not timed:
        result.problem("error", NO_TIMES, code="track.no_times")
        return
    if 2 * len(timed) < len(points):
        result.problem(
            "error",
            f"has time stamps on only {len(timed)} of {len(points)} track points:"
            " cannot place it in the season",
            code="track.no_times",
        )
        return
    if len(timed) < len(points):
        result.problem(
            "warning",
            f"{len(points) - len(timed)} track point(s) without a time stamp: left out",
            code="track.untimed_points",
        )
    start = timed[0][0]
    kept = [(t, p) for t, p in timed if t - start <= MAX_SESSION_S]
    if len(kept) < len(timed):
        result.problem(
            "warning",
            f"{len(timed) - len(kept)} track point(s) more than 48 hours after the start: left out",
            code="track.late_points",
        )
    elapsed = kept[-1][0] - start
    paused = sum(
        b - a
        for (a, p), (b, q) in itertools.pairwise(kept)
        if b - a > PAUSE_S and _still(p, q, b - a)
    )
    hr_t = [t - start for t, p in kept if p.hr is not None and p.hr > 0]
    hr_bpm = [float(p.hr) for _, p in kept if p.hr is not None and p.hr > 0]
    if distance_m is None:
        dists = [p.distance_m for _, p in kept if p.distance_m is not None]
        distance_m = max(dists) - min(dists) if dists else None
    name, sub = sport if sport is not None else (None, None)
    result.kind = "activity"
    result.sessions = [
        SessionData(
            index=0,
            sport=name,
            sub_sport=sub,
            start_unix=int(start),
            moving_s=elapsed - paused,
            elapsed_s=elapsed,
            distance_m=distance_m,
            avg_hr=None,  # ingest fills both in from the valid samples (load.valid_hr)
            max_hr=None,
            ascent_m=ascent_m,
            has_gps=any(p.has_position for _, p in kept),
            hr_t=hr_t,
            hr_bpm=hr_bpm,
            from_records=True,
        )
    ]
