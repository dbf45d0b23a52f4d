"""Write the downloads a runner gives runload, as the services lay them out, for the tests and
the docs' example outputs (dev-only, like ``fitgen``):

- Garmin Connect's account export ("Export your data"): a zip holding the FIT uploads as a
  zip in the zip (``DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip``) and
  the daily summaries (``DI_CONNECT/DI-Connect-Aggregator/UDSFile_<first>_<last>.json``:
  Connect's usersummary day objects, whose ``sedentarySeconds`` is the watch's sitting);
- Strava's bulk export: ``activities/<id>.<ext>`` (FIT gzipped, GPX, TCX) with the
  ``activities.csv`` naming each file and its ``Activity Type``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from typing import Any

UPLOADS = "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip"
AGGREGATOR = "DI_CONNECT/DI-Connect-Aggregator"


def zip_bytes(members: Mapping[str, bytes | str]) -> bytes:
    """A zip archive of ``members`` (name → bytes or text), deflated."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def usersummary(
    day: dt.date,
    sedentary_hours: float,
    *,
    resting_hr: int | None = 52,
    sleeping_hours: float = 7.5,
    steps: int = 8000,
) -> dict[str, Any]:
    """One usersummary day object, with the keys runload reads (``calendarDate``,
    ``sedentarySeconds``, ``includesWellnessData``, ``restingHeartRate``) among others
    Connect writes. The day's seconds add up: sleep, sitting, and the rest active."""
    sedentary = round(sedentary_hours * 3600)
    sleeping = round(sleeping_hours * 3600)
    active = max(0, 86400 - sedentary - sleeping)
    return {
        "userProfileId": 1,
        "calendarDate": day.isoformat(),
        "totalSteps": steps,
        "durationInMilliseconds": 86_400_000,
        "highlyActiveSeconds": active // 10,
        "activeSeconds": active - active // 10,
        "sedentarySeconds": sedentary,
        "sleepingSeconds": sleeping,
        "includesWellnessData": True,
        "includesActivityData": False,
        "restingHeartRate": resting_hr,
        "source": "GARMIN",
    }


def garmin_account_export(fit_files: Mapping[str, bytes], days: Sequence[dict[str, Any]]) -> bytes:
    """``garmin_export.zip``: the FIT uploads (name → bytes) zipped inside it, and ``days``
    (usersummary objects, in date order) as one UDSFile."""
    members: dict[str, bytes | str] = {UPLOADS: zip_bytes(fit_files)}
    if days:
        first, last = days[0]["calendarDate"], days[-1]["calendarDate"]
        members[f"{AGGREGATOR}/UDSFile_{first}_{last}.json"] = json.dumps(days)
    return zip_bytes(members)


def strava_export(
    activities: Sequence[tuple[int, dt.datetime, str, str, str, bytes | str]],
) -> bytes:
    """``strava_export.zip``: each activity (id, start, name, Activity Type, file name under
    ``activities/``, the file's bytes or text) and the ``activities.csv`` listing them."""
    rows = io.StringIO()
    writer = csv.writer(rows, lineterminator="\n")
    writer.writerow(["Activity ID", "Activity Date", "Activity Name", "Activity Type", "Filename"])
    members: dict[str, bytes | str] = {}
    for activity_id, start, name, kind, filename, data in activities:
        when = start.strftime("%b %d, %Y, %I:%M:%S %p").replace(" 0", " ")
        writer.writerow([activity_id, when, name, kind, f"activities/{filename}"])
        members[f"activities/{filename}"] = data
    return zip_bytes({"activities.csv": rows.getvalue(), **members})
