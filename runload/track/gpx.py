"""GPX files (Strava, Garmin Connect, most apps) → ``FitResult``, through gpxpy.

Every track segment's points form one session (a GPX file is one activity); heart
rate comes from Garmin's ``TrackPointExtension`` (``<gpxtpx:hr>``, as Strava and
Garmin write it), the sport from the first track's ``<type>`` (names or Strava's
numbers, see ``sport``), the distance and ascent from gpxpy (2-D length, smoothed
uphill). Never raises on bad data: problems are in ``.problems``.
"""

from __future__ import annotations

from typing import Any

from runload.fit.result import FitResult
from runload.track.points import Point, build_session, xml_problem
from runload.track.sport import sport_of


def _hr(extensions: list[Any]) -> float | None:
    for ext in extensions:
        for node in ext.iter():
            if node.tag.rsplit("}", 1)[-1] == "hr" and node.text:
                try:
                    return float(node.text)
                except ValueError:
                    return None
    return None


def read_gpx(data: bytes, path: str) -> FitResult:
    """Read one GPX file's bytes."""
    import gpxpy
    import gpxpy.gpx

    result = FitResult(path=path, decoder="gpx")
    try:
        gpx = gpxpy.parse(data)
    except gpxpy.gpx.GPXXMLSyntaxException as exc:
        xml_problem(result, "GPX", str(exc))
        return result
    except (gpxpy.gpx.GPXException, ValueError) as exc:
        # bytes that are not UTF-8 are no XML either
        code = "gpx.xml" if isinstance(exc, UnicodeDecodeError) else "gpx.invalid"
        result.problem("error", f"not a readable GPX file ({exc})", code=code)
        return result
    points: list[Point] = []
    for track in gpx.tracks:
        for segment in track.segments:
            prev = None  # the distance runs on over segments, but not across their gaps
            for p in segment.points:
                at = points[-1].distance_m if points else 0.0
                if prev is not None and (step := p.distance_2d(prev)) is not None:
                    at = (at or 0.0) + step
                points.append(Point(p.time, _hr(p.extensions), True, at))
                prev = p
    kind = next((t.type for t in gpx.tracks if t.type), None)
    has_distance = bool(points)  # gpxpy points always have a position
    build_session(
        result,
        points,
        sport=sport_of(kind),
        distance_m=gpx.length_2d() if has_distance else None,
        ascent_m=gpx.get_uphill_downhill().uphill if has_distance else None,
    )
    return result
