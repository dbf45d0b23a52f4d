"""GPX and TCX activity files (Strava's and Garmin Connect's exports) and Fitbit's exercise
log, read into the FIT reader's result type (``runload.fit.FitResult``) so that ingest,
the cache and the method treat them like FIT files.

* ``gpx``: ``read_gpx`` — GPX 1.0/1.1 through gpxpy; heart rate from Garmin's
  ``TrackPointExtension`` (``gpxtpx:hr``), sport from the track's ``<type>``.
* ``tcx``: ``read_tcx`` — Training Center XML through tcxreader; HR and ``Sport``.
* ``fitbit``: ``read_exercise_log`` — Fitbit's ``exercise.json`` / Takeout
  ``exercise-N.json``: one session per entry (local wall times, placed by ingest).
* ``points``: what GPX and TCX share: points → one ``SessionData``, the XML error wording.
* ``sport``: every sport name runload meets outside FIT → FIT's sport names.
* ``strava``: a bulk export's ``activities.csv`` → the sport of files that have none.

This module names the reader tags the cache keys carry and dispatches to the reader of a
kind (``read_track``; ``runload.readers`` is the worker processes' entry point for every
kind). It imports neither polars nor the XML libraries until a GPX or TCX file is read.
The exercise log's tag carries ``RUN_SPEED_MS``, the bound its treadmill sessions are
told by, so a change of that bound re-reads the logs.
"""

from __future__ import annotations

import functools
from typing import Any

# Bump when the meaning of a GPX/TCX result changes: it is part of their cache keys.
TRACK_VERSION = "1"
# Likewise for the Fitbit exercise log.
FITBIT_VERSION = "1"
TRACK_DECODERS = ("gpx", "tcx", "fitbit")
_LIBRARY = {"gpx": "gpxpy", "tcx": "tcxreader"}


@functools.cache
def reader_tag(decoder: str) -> str:
    """``gpx1-gpxpy1.6.2``: the reader version and the library release, for cache keys
    (``fitbit1-run1.7-6.5``: the log reader's version and its running-speed bound)."""
    from importlib.metadata import PackageNotFoundError, version

    if decoder == "fitbit":
        from runload.fit.runlike import RUN_SPEED_MS

        return f"fitbit{FITBIT_VERSION}-run{RUN_SPEED_MS[0]:g}-{RUN_SPEED_MS[1]:g}"
    library = _LIBRARY[decoder]
    try:
        release = version(library)
    except PackageNotFoundError:
        release = "none"
    return f"{decoder}{TRACK_VERSION}-{library}{release}"


def decoders_for(kind: str) -> tuple[str, ...]:
    """The decoders whose cached results may serve a source of this kind, preferred first."""
    if kind in TRACK_DECODERS:
        return (kind,)
    from runload.fit.decoder import allowed_decoders

    return allowed_decoders()


def read_track(kind: str, data: bytes, path: str) -> Any:
    """A GPX or TCX file's or a Fitbit exercise log's bytes → ``FitResult``."""
    if kind == "fitbit":
        from runload.track.fitbit import read_exercise_log

        return read_exercise_log(data, path)
    if kind == "gpx":
        from runload.track.gpx import read_gpx

        return read_gpx(data, path)
    from runload.track.tcx import read_tcx

    return read_tcx(data, path)
