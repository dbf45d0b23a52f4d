"""Write GPX and TCX files as Strava and Garmin Connect export them, for the tests and
the benchmark (dev-only, like ``fitgen``). Plain text templates: runload only reads
these formats, through gpxpy and tcxreader.
"""

from __future__ import annotations

import datetime as dt
import math


def _points(start: dt.datetime, seconds: int, every_s: int, km: float):
    """(time, lat, lon, ele, cumulative metres) along a straight line north."""
    steps = max(1, seconds // every_s)
    for i in range(steps + 1):
        t = start + dt.timedelta(seconds=i * every_s)
        metres = km * 1000 * i / steps
        yield t, 46.0 + metres / 111_195.0, 14.5, 300.0 + 10 * math.sin(i / 50), metres


def _iso(t: dt.datetime) -> str:
    return t.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def gpx_text(
    start: dt.datetime,
    minutes: float,
    km: float = 10.0,
    *,
    hr: int | None = 150,
    kind: str | None = "running",
    every_s: int = 1,
    times: bool = True,
) -> str:
    """A Strava-style GPX 1.1 track with ``gpxtpx:hr`` (``kind``: the ``<type>``)."""
    rows = []
    for i, (t, lat, lon, ele, _m) in enumerate(_points(start, int(minutes * 60), every_s, km)):
        ext = (
            "<extensions><gpxtpx:TrackPointExtension>"
            f"<gpxtpx:hr>{hr + (i % 7) - 3}</gpxtpx:hr>"
            "</gpxtpx:TrackPointExtension></extensions>"
            if hr is not None
            else ""
        )
        time = f"<time>{_iso(t)}</time>" if times else ""
        rows.append(
            f'   <trkpt lat="{lat:.7f}" lon="{lon:.7f}"><ele>{ele:.1f}</ele>{time}{ext}</trkpt>'
        )
    type_line = f"  <type>{kind}</type>\n" if kind is not None else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx creator="StravaGPX" version="1.1" xmlns="http://www.topografix.com/GPX/1/1"'
        ' xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">\n'
        f" <metadata><time>{_iso(start)}</time></metadata>\n"
        f" <trk>\n  <name>Morning Run</name>\n{type_line}  <trkseg>\n"
        + "\n".join(rows)
        + "\n  </trkseg>\n </trk>\n</gpx>\n"
    )


def tcx_text(
    start: dt.datetime,
    minutes: float,
    km: float = 10.0,
    *,
    hr: int | None = 150,
    sport: str = "Running",
    every_s: int = 1,
) -> str:
    """A Garmin-style TCX activity with one lap, ``HeartRateBpm`` and ``DistanceMeters``."""
    rows = []
    for i, (t, lat, lon, ele, metres) in enumerate(_points(start, int(minutes * 60), every_s, km)):
        beat = (
            f"<HeartRateBpm><Value>{hr + (i % 7) - 3}</Value></HeartRateBpm>"
            if hr is not None
            else ""
        )
        rows.append(
            f"<Trackpoint><Time>{_iso(t)}</Time><Position><LatitudeDegrees>{lat:.7f}"
            f"</LatitudeDegrees><LongitudeDegrees>{lon:.7f}</LongitudeDegrees></Position>"
            f"<AltitudeMeters>{ele:.1f}</AltitudeMeters><DistanceMeters>{metres:.1f}"
            f"</DistanceMeters>{beat}</Trackpoint>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">\n'
        f'<Activities><Activity Sport="{sport}"><Id>{_iso(start)}</Id>\n'
        f'<Lap StartTime="{_iso(start)}"><TotalTimeSeconds>{minutes * 60:.1f}</TotalTimeSeconds>'
        f"<DistanceMeters>{km * 1000:.1f}</DistanceMeters><Track>\n"
        + "\n".join(rows)
        + "\n</Track></Lap></Activity></Activities>\n</TrainingCenterDatabase>\n"
    )


def fitbit_tcx_text(
    start: dt.datetime,
    minutes: float,
    km: float = 10.0,
    *,
    hr: int = 150,
    sport: str = "Running",
    first_point_s: int = 38,
    every_s: int = 1,
) -> str:
    """A TCX as Fitbit exports a logged exercise (``exerciseTcx``): ``start`` (aware) as the
    ``<Id>`` and lap start, written in local time with milliseconds and the offset
    (``2019-11-05T14:56:32.000+01:00``), and the first track point ``first_point_s`` later
    (the GPS fix), times in the same local form."""

    def local(t: dt.datetime) -> str:
        return t.isoformat(timespec="milliseconds")

    first = start + dt.timedelta(seconds=first_point_s)
    rows = []
    points = _points(first, int(minutes * 60) - first_point_s, every_s, km)
    for i, (t, lat, lon, ele, metres) in enumerate(points):
        rows.append(
            f"<Trackpoint><Time>{local(t)}</Time><Position><LatitudeDegrees>{lat:.7f}"
            f"</LatitudeDegrees><LongitudeDegrees>{lon:.7f}</LongitudeDegrees></Position>"
            f"<AltitudeMeters>{ele:.1f}</AltitudeMeters><DistanceMeters>{metres:.1f}"
            f"</DistanceMeters><HeartRateBpm><Value>{hr + (i % 7) - 3}</Value></HeartRateBpm>"
            "</Trackpoint>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">\n'
        f'<Activities><Activity Sport="{sport}"><Id>{local(start)}</Id>\n'
        f'<Lap StartTime="{local(start)}"><TotalTimeSeconds>{minutes * 60:.1f}</TotalTimeSeconds>'
        f"<DistanceMeters>{km * 1000:.1f}</DistanceMeters><Calories>500</Calories>"
        "<Intensity>Active</Intensity><TriggerMethod>Manual</TriggerMethod><Track>\n"
        + "\n".join(rows)
        + "\n</Track></Lap><Creator><Name>Fitbit Versa 2</Name></Creator></Activity></Activities>"
        "\n</TrainingCenterDatabase>\n"
    )
