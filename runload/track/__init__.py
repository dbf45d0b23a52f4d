"""GPX and TCX activity files (Strava's and Garmin Connect's exports), read into the FIT
reader's result type (``runload.fit.FitResult``) so that ingest, the cache and the
method treat them like FIT files.

* ``gpx``: ``read_gpx`` — GPX 1.0/1.1 through gpxpy; heart rate from Garmin's
  ``TrackPointExtension`` (``gpxtpx:hr``), sport from the track's ``<type>``.
* ``tcx``: ``read_tcx`` — Training Center XML through tcxreader; HR and ``Sport``.
* ``points``: what both share: points → one ``SessionData``, the XML error wording.
* ``sport``: every sport name runload meets outside FIT → FIT's sport names.
* ``strava``: a bulk export's ``activities.csv`` → the sport of files that have none.

This module names the reader tags the cache keys carry and dispatches to the reader of a
kind (``read_track``; ``runload.readers`` is the worker processes' entry point for every
kind). It imports neither polars nor the XML libraries until a GPX or TCX file is read.
"""

from __future__ import annotations

import functools
from typing import Any

# Bump when the meaning of a GPX/TCX result changes: it is part of their cache keys.
TRACK_VERSION = "1"
TRACK_DECODERS = ("gpx", "tcx")
_LIBRARY = {"gpx": "gpxpy", "tcx": "tcxreader"}


@functools.cache
def reader_tag(decoder: str) -> str:
    """``gpx1-gpxpy1.6.2``: the reader version and the library release, for cache keys."""
    from importlib.metadata import PackageNotFoundError, version

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
    """A GPX or TCX file's bytes → ``FitResult``."""
    if kind == "gpx":
        from runload.track.gpx import read_gpx

        return read_gpx(data, path)
    from runload.track.tcx import read_tcx

    return read_tcx(data, path)
