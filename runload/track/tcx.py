"""TCX files (Training Center XML: Garmin Connect, Strava, Polar exports) → ``FitResult``,
through tcxreader.

All laps of the file form one session. The sport is the ``Activity``'s ``Sport``
attribute (``Running``, ``Biking``; ``Other`` gives none), HR the trackpoints'
``HeartRateBpm``, the distance the laps' ``DistanceMeters`` (else the trackpoints'),
the ascent tcxreader's. Never raises on bad data: problems are in ``.problems``.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

from runload.fit.result import FitResult
from runload.track.points import Point, build_session, xml_problem
from runload.track.sport import sport_of


def read_tcx(data: bytes, path: str) -> FitResult:
    """Read one TCX file's bytes."""
    from tcxreader.tcxreader import TCXReader

    result = FitResult(path=path, decoder="tcx")
    try:
        # only_gps=False: keep the points of an indoor or pool activity
        exercise = TCXReader().read(io.BytesIO(data), only_gps=False)
    except ET.ParseError as exc:
        xml_problem(result, "TCX", str(exc))
        return result
    except KeyError as exc:  # an Activity without its Sport attribute
        result.problem("error", f"not a readable TCX file (missing {exc})", code="tcx.invalid")
        return result
    except (ValueError, TypeError) as exc:  # a time or number it cannot read
        result.problem("error", f"not a readable TCX file ({exc})", code="tcx.invalid")
        return result
    trackpoints = exercise.trackpoints or []
    points = [
        Point(
            tp.time,
            float(tp.hr_value) if tp.hr_value is not None else None,
            tp.latitude is not None and tp.longitude is not None,
            tp.distance,
        )
        for tp in trackpoints
    ]
    laps = exercise.distance if exercise.laps else None
    build_session(
        result,
        points,
        sport=sport_of(getattr(exercise, "activity_type", None)),
        distance_m=float(laps) if laps else None,
        ascent_m=exercise.ascent if any(tp.elevation is not None for tp in trackpoints) else None,
    )
    return result
