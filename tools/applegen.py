"""Write synthetic Apple Health exports (``export.xml``, ``export.zip``) for the tests and
``benchmarks/apple.py`` (dev-only, not in the wheel).

The shape follows a real export: an XML declaration, a DOCTYPE with an internal subset,
``<HealthData locale="en_US">``, ``<ExportDate>``, ``<Me>``, then ``<Record>`` elements of
many types (step counts, heart rate with ``MetadataEntry`` children, stand hours), a
``<Workout>`` and an ``<ActivitySummary>``. Dates are written as Apple writes them:
``2026-03-02 09:00:00 +0100``.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

STOOD = "HKCategoryValueAppleStandHourStood"
IDLE = "HKCategoryValueAppleStandHourIdle"

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!-- HealthKit Export Version: 14 -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary)*)>
<!ATTLIST HealthData
  locale CDATA #REQUIRED
>
<!ELEMENT ExportDate EMPTY>
<!ATTLIST ExportDate
  value CDATA #REQUIRED
>
<!ELEMENT Me EMPTY>
<!ATTLIST Me
  HKCharacteristicTypeIdentifierDateOfBirth         CDATA #REQUIRED
  HKCharacteristicTypeIdentifierBiologicalSex       CDATA #REQUIRED
  HKCharacteristicTypeIdentifierBloodType           CDATA #REQUIRED
  HKCharacteristicTypeIdentifierFitzpatrickSkinType CDATA #REQUIRED
>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record
  type          CDATA #REQUIRED
  unit          CDATA #IMPLIED
  value         CDATA #IMPLIED
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
<!ELEMENT MetadataEntry EMPTY>
<!ATTLIST MetadataEntry
  key   CDATA #REQUIRED
  value CDATA #REQUIRED
>
<!ELEMENT Workout ((MetadataEntry|WorkoutEvent|WorkoutStatistics)*)>
<!ATTLIST Workout
  workoutActivityType   CDATA #REQUIRED
  duration              CDATA #IMPLIED
  durationUnit          CDATA #IMPLIED
  sourceName            CDATA #REQUIRED
  startDate             CDATA #REQUIRED
  endDate               CDATA #REQUIRED
>
<!ELEMENT WorkoutEvent EMPTY>
<!ATTLIST WorkoutEvent
  type     CDATA #REQUIRED
  date     CDATA #REQUIRED
>
<!ELEMENT ActivitySummary EMPTY>
<!ATTLIST ActivitySummary
  dateComponents           CDATA #IMPLIED
  activeEnergyBurned       CDATA #IMPLIED
  appleStandHours          CDATA #IMPLIED
  appleStandHoursGoal      CDATA #IMPLIED
>
]>
<HealthData locale="en_US">
 <ExportDate value="2026-06-22 10:00:00 +0100"/>
 <Me HKCharacteristicTypeIdentifierDateOfBirth="1990-05-01" HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexMale" HKCharacteristicTypeIdentifierBloodType="HKBloodTypeNotSet" HKCharacteristicTypeIdentifierFitzpatrickSkinType="HKFitzpatrickSkinTypeNotSet"/>
"""  # noqa: E501

TAIL = """ <Workout workoutActivityType="HKWorkoutActivityTypeRunning" duration="45.2" durationUnit="min" sourceName="Alex’s Apple Watch" startDate="2026-03-02 18:00:00 +0100" endDate="2026-03-02 18:45:12 +0100">
  <WorkoutEvent type="HKWorkoutEventTypeSegment" date="2026-03-02 18:10:00 +0100"/>
 </Workout>
 <ActivitySummary dateComponents="2026-03-02" activeEnergyBurned="512.3" appleStandHours="9" appleStandHoursGoal="12"/>
</HealthData>
"""  # noqa: E501

WATCH = "Alex’s Apple Watch"
DEVICE = (
    "&lt;&lt;HKDevice: 0x28245e0a0&gt;, name:Apple Watch, manufacturer:Apple Inc., "
    "model:Watch, hardware:Watch6,2, software:10.3&gt;"
)


def apple_time(t: dt.datetime) -> str:
    """An aware datetime as Apple writes it: ``2026-03-02 09:00:00 +0100``."""
    return t.strftime("%Y-%m-%d %H:%M:%S %z")


def stand_hour(start: dt.datetime, stood: bool, source: str = WATCH, minutes: int = 60) -> str:
    end = start + dt.timedelta(minutes=minutes)
    return (
        f' <Record type="HKCategoryTypeIdentifierAppleStandHour" sourceName="{source}" '
        f'sourceVersion="10.3" device="{DEVICE}" creationDate="{apple_time(end)}" '
        f'startDate="{apple_time(start)}" endDate="{apple_time(end)}" '
        f'value="{STOOD if stood else IDLE}"/>\n'
    )


def step_count(start: dt.datetime, steps: int) -> str:
    end = start + dt.timedelta(minutes=10)
    return (
        f' <Record type="HKQuantityTypeIdentifierStepCount" sourceName="{WATCH}" '
        f'sourceVersion="10.3" device="{DEVICE}" unit="count" creationDate="{apple_time(end)}" '
        f'startDate="{apple_time(start)}" endDate="{apple_time(end)}" value="{steps}"/>\n'
    )


def heart_rate(t: dt.datetime, bpm: int) -> str:
    return (
        f' <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="{WATCH}" '
        f'sourceVersion="10.3" device="{DEVICE}" unit="count/min" creationDate="{apple_time(t)}" '
        f'startDate="{apple_time(t)}" endDate="{apple_time(t)}" value="{bpm}">\n'
        '  <MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="0"/>\n'
        " </Record>\n"
    )


def others(day_start: dt.datetime) -> str:
    """Records of other types on one day (they must be ignored)."""
    return step_count(day_start + dt.timedelta(hours=8), 812) + heart_rate(
        day_start + dt.timedelta(hours=12), 71
    )


def export_text(records: Iterable[str], *, tail: bool = True) -> str:
    return HEAD + "".join(records) + (TAIL if tail else "")


def write_export(path: Path, records: Iterable[str], *, tail: bool = True) -> Path:
    path.write_text(export_text(records, tail=tail), encoding="utf-8")
    return path


def write_zip(path: Path, xml_text: str, member: str = "apple_health_export/export.xml") -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, xml_text)
        archive.writestr("apple_health_export/export_cda.xml", "<ClinicalDocument/>\n")
    return path


def year_of_stand_hours(first: dt.date, days: int, tz: dt.timezone) -> Iterator[str]:
    """Stand hours 07:00–22:00 local of ``days`` days: idle except every third hour."""
    for d in range(days):
        day = dt.datetime.combine(first + dt.timedelta(days=d), dt.time(), tz)
        for h in range(7, 23):
            yield stand_hour(day + dt.timedelta(hours=h), stood=(h + d) % 3 == 0)


def _day_of_other_records(day: dt.date, seed: int) -> str:
    """One day of step counts (every 15 min) and heart rates (every 10 min), values varying
    as real ones do, written without strftime (fast enough for hundreds of MB)."""
    d = day.isoformat()
    out = []
    for k in range(96):
        h, m = divmod(k * 15, 60)
        t0, t1 = f"{d} {h:02d}:{m:02d}:00 +0100", f"{d} {h:02d}:{m + 14:02d}:59 +0100"
        out.append(
            f' <Record type="HKQuantityTypeIdentifierStepCount" sourceName="{WATCH}" '
            f'sourceVersion="10.3" device="{DEVICE}" unit="count" creationDate="{t1}" '
            f'startDate="{t0}" endDate="{t1}" value="{(seed * 31 + k * 17) % 1500}"/>\n'
        )
    for k in range(144):
        h, m = divmod(k * 10, 60)
        t = f"{d} {h:02d}:{m:02d}:{(seed + k) % 60:02d} +0100"
        out.append(
            f' <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="{WATCH}" '
            f'sourceVersion="10.3" device="{DEVICE}" unit="count/min" creationDate="{t}" '
            f'startDate="{t}" endDate="{t}" value="{55 + (seed * 7 + k * 13) % 110}">\n'
            f'  <MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="{k % 3}"/>\n'
            " </Record>\n"
        )
    return "".join(out)


def write_big_export(fh: IO[bytes], target_bytes: int, stand: Iterable[str]) -> int:
    """Stream an export of about ``target_bytes`` into ``fh``: step counts and heart rates
    day after day (as real exports are mostly other records), then the stand hours, as
    Apple groups records by type. Returns the size."""
    written = 0

    def out(text: str) -> None:
        nonlocal written
        data = text.encode("utf-8")
        fh.write(data)
        written += len(data)

    out(HEAD)
    stand_text = "".join(stand)
    day, n = dt.date(2020, 1, 1), 0
    while written < target_bytes - len(stand_text) - len(TAIL):
        out(_day_of_other_records(day, n))
        day, n = day + dt.timedelta(days=1), n + 1
    out(stand_text)
    out(TAIL)
    return written
