"""Write small, exact FIT files with fit-tool, for the tests and the example season
(dev-only: it lives in ``tools/``, outside the ``runload`` package, and is not in the wheel).

This module owns FIT *writing*; runload itself only reads FIT. It needs the
``test`` extra (``pip install -e '.[test]'``) because fit-tool is not a
runtime dependency. It also holds the tests' in-memory frame builders and
``CrashingSource``, a source that kills the worker process reading it.

Import it as ``tools.fitgen`` with the repository root on ``sys.path``: the tests get it
from ``pythonpath`` in pyproject.toml; the scripts in ``examples/`` and ``benchmarks/``
put the root there themselves.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from runload.inputs import Source

FIT_EPOCH = dt.datetime(1989, 12, 31, tzinfo=dt.UTC)


def _ms(t: dt.datetime) -> int:
    """fit-tool takes timestamps as milliseconds since the Unix epoch."""
    return round(t.timestamp() * 1000)


@dataclass
class SessionSpec:
    """One session of an activity file (a multisport file has several)."""

    start: dt.datetime  # aware, UTC
    minutes: float  # timer (moving) time
    sport: str = "running"  # fit-tool Sport enum name, lower case
    sub_sport: str = "generic"
    distance_km: float | None = None  # None: no distance anywhere
    hr: Sequence[int] | int | None = 150  # constant bpm, a per-record series, or None
    with_gps: bool = True
    record_every_s: int = 1
    ascent_m: int | None = None
    write_session: bool = True  # False: a file with records only (no session message)
    elapsed_extra_s: int = 0  # pause time added to elapsed time
    avg_hr: int | None = None  # session avg_hr override (default: the mean of the series)
    max_hr: int | None = None
    end_at_start: bool = False  # the session's end timestamp is its start time (a bad watch)
    summary: bool = True  # False: the session message has no distance and no heart rate
    no_elapsed: bool = False  # the session message has no total_elapsed_time
    # a Connect IQ developer field of the session named "total_distance" (metres)
    ciq_total_distance_m: float | None = None


@dataclass
class ActivitySpec:
    sessions: list[SessionSpec]
    local_offset_s: int | None = 0  # activity.local_timestamp - timestamp; None: no local_timestamp
    manufacturer: str = "development"
    product: int = 0
    serial_number: int = 0x12345678
    user_gender: str | None = None  # "male" | "female": writes a user_profile message
    resting_hr: int | None = None
    max_hr: int | None = None  # writes zones_target.max_heart_rate


def _hr_at(spec: SessionSpec, i: int) -> int | None:
    if spec.hr is None:
        return None
    if isinstance(spec.hr, int):
        return spec.hr
    return int(spec.hr[min(i, len(spec.hr) - 1)])


def activity_bytes(spec: ActivitySpec) -> bytes:
    """Encode an activity file and return its bytes."""
    from fit_tool.fit_file_builder import FitFileBuilder
    from fit_tool.profile.messages.activity_message import ActivityMessage
    from fit_tool.profile.messages.device_info_message import DeviceInfoMessage
    from fit_tool.profile.messages.event_message import EventMessage
    from fit_tool.profile.messages.file_id_message import FileIdMessage
    from fit_tool.profile.messages.lap_message import LapMessage
    from fit_tool.profile.messages.record_message import RecordMessage
    from fit_tool.profile.messages.session_message import SessionMessage
    from fit_tool.profile.messages.user_profile_message import UserProfileMessage
    from fit_tool.profile.messages.zones_target_message import ZonesTargetMessage
    from fit_tool.profile.profile_type import (
        Event,
        EventType,
        FileType,
        Gender,
        Manufacturer,
        Sport,
        SubSport,
    )

    builder = FitFileBuilder(auto_define=True, min_string_size=50)
    first = spec.sessions[0].start
    fid = FileIdMessage()
    fid.type = FileType.ACTIVITY
    fid.manufacturer = Manufacturer[spec.manufacturer.upper()].value
    fid.product = spec.product
    fid.time_created = _ms(first)
    fid.serial_number = spec.serial_number
    builder.add(fid)

    dev = DeviceInfoMessage()
    dev.timestamp = _ms(first)
    dev.manufacturer = Manufacturer[spec.manufacturer.upper()].value
    dev.product = spec.product
    dev.serial_number = spec.serial_number
    builder.add(dev)

    if spec.user_gender is not None or spec.resting_hr is not None:
        up = UserProfileMessage()
        if spec.user_gender is not None:
            up.gender = Gender[spec.user_gender.upper()]
        if spec.resting_hr is not None:
            up.resting_heart_rate = spec.resting_hr
        builder.add(up)
    if spec.max_hr is not None:
        zt = ZonesTargetMessage()
        zt.max_heart_rate = spec.max_hr
        builder.add(zt)

    last_end = first
    for s in spec.sessions:
        n = max(1, round(s.minutes * 60 / s.record_every_s))
        start_ev = EventMessage()
        start_ev.event = Event.TIMER
        start_ev.event_type = EventType.START
        start_ev.timestamp = _ms(s.start)
        builder.add(start_ev)
        total_m = (s.distance_km or 0.0) * 1000.0
        hrs: list[int] = []
        records = []
        for i in range(n + 1):
            t = s.start + dt.timedelta(seconds=i * s.record_every_s)
            r = RecordMessage()
            r.timestamp = _ms(t)
            frac = i / n
            if s.distance_km is not None:
                r.distance = total_m * frac
                r.speed = total_m / (s.minutes * 60) if s.minutes else 0.0
            hr = _hr_at(s, i)
            if hr is not None:
                r.heart_rate = hr
                hrs.append(hr)
            if s.with_gps:
                r.position_lat = 52.0 + 0.01 * math.sin(frac * math.pi)
                r.position_long = 13.0 + 0.01 * frac
                r.altitude = 40.0 + 5 * math.sin(frac * 6)
            r.cadence = 85
            r.temperature = 18
            records.append(r)
        builder.add_all(records)
        end = s.start + dt.timedelta(seconds=n * s.record_every_s)
        stop_ev = EventMessage()
        stop_ev.event = Event.TIMER
        stop_ev.event_type = EventType.STOP_ALL
        stop_ev.timestamp = _ms(end)
        builder.add(stop_ev)
        if s.write_session:
            lap = LapMessage()
            lap.timestamp = _ms(end)
            lap.start_time = _ms(s.start)
            lap.total_timer_time = s.minutes * 60
            lap.total_elapsed_time = s.minutes * 60 + s.elapsed_extra_s
            builder.add(lap)
            ses = SessionMessage(developer_fields=_ciq_distance(builder, s))
            ses.timestamp = _ms(s.start if s.end_at_start else end)
            ses.start_time = _ms(s.start)
            ses.sport = Sport[s.sport.upper()]
            ses.sub_sport = SubSport[s.sub_sport.upper()]
            ses.total_timer_time = s.minutes * 60
            if not s.no_elapsed:
                ses.total_elapsed_time = s.minutes * 60 + s.elapsed_extra_s
            if s.distance_km is not None and s.summary:
                ses.total_distance = total_m
            if hrs and s.summary:
                mean_hr = round(sum(hrs) / len(hrs))
                ses.avg_heart_rate = s.avg_hr if s.avg_hr is not None else mean_hr
                ses.max_heart_rate = s.max_hr if s.max_hr is not None else max(hrs)
            elif s.avg_hr is not None and s.summary:
                ses.avg_heart_rate = s.avg_hr
                if s.max_hr is not None:
                    ses.max_heart_rate = s.max_hr
            if s.ascent_m is not None:
                ses.total_ascent = s.ascent_m
            builder.add(ses)
        last_end = end

    act = ActivityMessage()
    act.timestamp = _ms(last_end)
    act.total_timer_time = sum(s.minutes * 60 for s in spec.sessions)
    act.num_sessions = len(spec.sessions)
    if spec.local_offset_s is not None:
        # local_timestamp is seconds since the FIT epoch, in local time
        act.local_timestamp = int((last_end - FIT_EPOCH).total_seconds()) + spec.local_offset_s
    builder.add(act)
    return builder.build().to_bytes()


def _ciq_distance(builder, spec: SessionSpec) -> list:  # (FitFileBuilder) -> [DeveloperField]
    """A Connect IQ app's session field named like the native one ("total_distance",
    float32 metres, declared as standing for session field 9), defined in the file."""
    if spec.ciq_total_distance_m is None:
        return []
    from fit_tool.base_type import BaseType
    from fit_tool.developer_field import DeveloperField
    from fit_tool.profile.messages.developer_data_id_message import DeveloperDataIdMessage
    from fit_tool.profile.messages.field_description_message import FieldDescriptionMessage

    data_id = DeveloperDataIdMessage()
    data_id.application_id = b"runload-ciq-test"
    data_id.developer_data_index = 0
    builder.add(data_id)
    description = FieldDescriptionMessage()
    description.developer_data_index = 0
    description.field_definition_number = 0
    description.fit_base_type_id = BaseType.FLOAT32
    description.field_name = "total_distance"
    description.units = "m"
    description.native_mesg_num = 18  # session
    description.native_field_num = 9  # total_distance
    builder.add(description)
    field = DeveloperField(developer_data_index=0, field_id=0, size=4,
                           base_type=BaseType.FLOAT32, name="total_distance")  # fmt: skip
    field.set_value(0, spec.ciq_total_distance_m)
    return [field]


def summary_first_bytes(
    start: dt.datetime,
    session_s: int,
    records_s: int,
    *,
    num_sessions: int | None = 1,
    lap_after_s: int | None = None,
) -> bytes:
    """The layout of muktihari/fit's ``testdata/big_activity.fit`` (its
    ``internal/cmd/testgen/big_activity.go``), shortened: file_id (a Bryton Rider 420),
    sport, then the summary first — an activity message (``num_sessions``; None: no such
    field) and one cycling session whose end time is its start time and whose elapsed time
    is ``session_s`` — then one identical record a second (only the time moves) from
    ``start`` + 1 s to ``start`` + ``records_s``. ``lap_after_s``: a lap starting that
    long after ``start`` (a lap of a session not written)."""
    from fit_tool.fit_file_builder import FitFileBuilder
    from fit_tool.profile.messages.activity_message import ActivityMessage
    from fit_tool.profile.messages.file_id_message import FileIdMessage
    from fit_tool.profile.messages.lap_message import LapMessage
    from fit_tool.profile.messages.record_message import RecordMessage
    from fit_tool.profile.messages.session_message import SessionMessage
    from fit_tool.profile.messages.sport_message import SportMessage
    from fit_tool.profile.profile_type import FileType, Sport, SubSport

    builder = FitFileBuilder(auto_define=True, min_string_size=50)
    fid = FileIdMessage()
    fid.type = FileType.ACTIVITY
    fid.manufacturer = 267  # Bryton
    fid.product = 1901
    fid.time_created = _ms(start)
    fid.serial_number = 5122
    builder.add(fid)
    sport = SportMessage()
    sport.sport, sport.sub_sport = Sport.CYCLING, SubSport.ROAD
    builder.add(sport)
    act = ActivityMessage()
    act.timestamp = _ms(start)
    act.total_timer_time = session_s
    if num_sessions is not None:
        act.num_sessions = num_sessions
    builder.add(act)
    ses = SessionMessage()
    ses.timestamp = ses.start_time = _ms(start)
    ses.total_elapsed_time = session_s
    ses.total_distance = 32172.05
    ses.sport, ses.sub_sport = Sport.CYCLING, SubSport.ROAD
    ses.total_ascent = 909
    builder.add(ses)
    if lap_after_s is not None:
        lap = LapMessage()
        lap.timestamp = lap.start_time = _ms(start + dt.timedelta(seconds=lap_after_s))
        lap.total_elapsed_time = 60
        builder.add(lap)
    records = []
    for i in range(1, records_s + 1):
        r = RecordMessage()
        r.timestamp = _ms(start + dt.timedelta(seconds=i))
        r.position_lat, r.position_long = -7.584, 110.91
        r.speed, r.distance, r.heart_rate, r.cadence = 8.33, 405.81, 110, 85
        r.altitude, r.temperature = 166.0, 32
        records.append(r)
    builder.add_all(records)
    return builder.build().to_bytes()


def swim_via_iq_bytes(
    start: dt.datetime,
    *,
    native_distance_m: float | None = 0.0,
    ciq_distance_m: float = 1250.0,
    units: str = "m",
    minutes: int = 35,
) -> bytes:
    """The layout of Runalyze's ``swim-pool-via-iq.fit`` (a Forerunner 230 with a Connect IQ
    swim app), shortened: one pool swim whose native distances are ``native_distance_m``
    (the watch's 0; None: no such field) in every record and in the session, and a Connect
    IQ app's developer fields that declare the native fields they stand for: record
    ``distance`` (``native_field_num`` 5) rising to ``ciq_distance_m`` and session
    ``total_distance`` (9) of ``ciq_distance_m``, both in ``units``. A record every 10 s."""
    from fit_tool.base_type import BaseType
    from fit_tool.developer_field import DeveloperField
    from fit_tool.fit_file_builder import FitFileBuilder
    from fit_tool.profile.messages.activity_message import ActivityMessage
    from fit_tool.profile.messages.developer_data_id_message import DeveloperDataIdMessage
    from fit_tool.profile.messages.field_description_message import FieldDescriptionMessage
    from fit_tool.profile.messages.file_id_message import FileIdMessage
    from fit_tool.profile.messages.record_message import RecordMessage
    from fit_tool.profile.messages.session_message import SessionMessage
    from fit_tool.profile.profile_type import FileType, Sport, SubSport

    def field(number: int, name: str, mesg: int, native: int, value: float) -> DeveloperField:
        made = DeveloperField(developer_data_index=0, field_id=number, size=4,
                              base_type=BaseType.FLOAT32, name=name)  # fmt: skip
        made.set_value(0, value)
        if number not in described:
            description = FieldDescriptionMessage()
            description.developer_data_index = 0
            description.field_definition_number = number
            description.fit_base_type_id = BaseType.FLOAT32
            description.field_name = name
            description.units = units
            description.native_mesg_num = mesg
            description.native_field_num = native
            builder.add(description)
            described.add(number)
        return made

    builder = FitFileBuilder(auto_define=True, min_string_size=50)
    described: set[int] = set()
    fid = FileIdMessage()
    fid.type = FileType.ACTIVITY
    fid.manufacturer = 1  # Garmin
    fid.product = 2157  # Forerunner 230
    fid.time_created = _ms(start)
    fid.serial_number = 3913935517
    builder.add(fid)
    data_id = DeveloperDataIdMessage()
    data_id.application_id = bytes(range(16))
    data_id.developer_data_index = 0
    builder.add(data_id)
    n = minutes * 6
    for i in range(n + 1):
        r = RecordMessage(developer_fields=[field(0, "distance", 20, 5, ciq_distance_m * i / n)])
        r.timestamp = _ms(start + dt.timedelta(seconds=10 * i))
        if native_distance_m is not None:
            r.distance = native_distance_m
        builder.add(r)
    ses = SessionMessage(developer_fields=[field(5, "total_distance", 18, 9, ciq_distance_m)])
    ses.timestamp = _ms(start + dt.timedelta(minutes=minutes))
    ses.start_time = _ms(start)
    ses.total_elapsed_time = ses.total_timer_time = minutes * 60
    ses.sport, ses.sub_sport = Sport.SWIMMING, SubSport.GENERIC
    if native_distance_m is not None:
        ses.total_distance = native_distance_m
    builder.add(ses)
    act = ActivityMessage()
    act.timestamp = _ms(start + dt.timedelta(minutes=minutes))
    act.num_sessions = 1
    builder.add(act)
    return builder.build().to_bytes()


def write_activity(path: str | Path, spec: ActivitySpec) -> Path:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(activity_bytes(spec))
    return p


def run(
    start: dt.datetime,
    minutes: float,
    distance_km: float | None = 10.0,
    hr: Sequence[int] | int | None = 150,
    *,
    local_offset_s: int | None = 0,
    sport: str = "running",
    sub_sport: str = "generic",
    record_every_s: int = 1,
    with_gps: bool = True,
    **session_kw: object,
) -> ActivitySpec:
    """Shorthand: a one-session activity."""
    return ActivitySpec(
        sessions=[
            SessionSpec(
                start=start,
                minutes=minutes,
                sport=sport,
                sub_sport=sub_sport,
                distance_km=distance_km,
                hr=hr,
                record_every_s=record_every_s,
                with_gps=with_gps,
                **session_kw,  # type: ignore[arg-type]
            )
        ],
        local_offset_s=local_offset_s,
    )


@dataclass
class MonitoringState:
    """From ``start`` (aware UTC) on, the wearer is in ``activity_type`` (FIT enum value)."""

    start: dt.datetime
    activity_type: int  # 8 = sedentary, 6 = walking, 1 = running, 7 = generic...
    intensity: int = 0


def monitoring_bytes(
    day_start_utc: dt.datetime,
    local_offset_s: int,
    states: Sequence[MonitoringState],
    *,
    full_timestamp_every: int = 4,
    end_utc: dt.datetime | None = None,
) -> bytes:
    """Encode a monitoring_b (wellness) file with the given activity states.

    Each state becomes one ``monitoring`` message carrying
    ``current_activity_type_intensity`` (type in the low 5 bits, intensity in the
    high 3). Every ``full_timestamp_every``-th message carries a full
    ``timestamp``; the others only ``timestamp_16`` (low 16 bits of FIT seconds),
    as Garmin devices write them. ``end_utc``: the file ends there with the
    per-type daily totals (``duration_min``, ``activity_type``), as a real file
    closed at local midnight or at a sync does; without it the last state is the
    file's last record.
    """
    from fit_tool.fit_file_builder import FitFileBuilder
    from fit_tool.profile.messages.file_id_message import FileIdMessage
    from fit_tool.profile.messages.monitoring_info_message import MonitoringInfoMessage
    from fit_tool.profile.messages.monitoring_message import MonitoringMessage
    from fit_tool.profile.profile_type import FileType, Manufacturer

    builder = FitFileBuilder(auto_define=True, min_string_size=50)
    fid = FileIdMessage()
    fid.type = FileType.MONITORING_B
    fid.manufacturer = Manufacturer.GARMIN.value
    fid.product = 1
    fid.serial_number = 0x1234
    fid.time_created = _ms(day_start_utc)
    builder.add(fid)
    info = MonitoringInfoMessage()
    info.timestamp = _ms(day_start_utc)
    info.local_timestamp = int((day_start_utc - FIT_EPOCH).total_seconds()) + local_offset_s
    builder.add(info)
    for i, st in enumerate(states):
        m = MonitoringMessage()
        fit_s = int((st.start - FIT_EPOCH).total_seconds())
        if i % full_timestamp_every == 0:
            m.timestamp = _ms(st.start)
        else:
            m.timestamp_16 = fit_s & 0xFFFF
        m.current_activity_type_intensity = (st.intensity << 5) | (st.activity_type & 0x1F)
        builder.add(m)
    if end_utc is not None:
        for kind in (6, 1):  # walking, running: the totals a vivofit writes
            total = MonitoringMessage()
            total.timestamp = _ms(end_utc)
            total.activity_type = kind
            total.duration_min = round((end_utc - day_start_utc).total_seconds() / 60)
            total.active_time = 0
            builder.add(total)
    return builder.build().to_bytes()


# --- in-memory frames for the method's tests (no FIT encoding needed) -------------------------


def run_record(
    day: dt.date,
    minutes: float,
    *,
    hour: int = 7,
    minute: int = 0,
    avg_hr: float | None = None,
    distance_km: float | None = None,
    hr_t: Sequence[float] | None = None,
    hr_bpm: Sequence[float] | None = None,
    is_run: bool = True,
    sport: str = "running",
    file: str | None = None,
) -> dict[str, object]:
    """One activity row (``runload.schema.activity_schema`` names) starting at hour:minute
    local time, UTC offset 0."""
    start = dt.datetime(day.year, day.month, day.day, hour, minute)
    return {
        "file": file or f"{day.isoformat()}-{hour:02d}{minute:02d}.fit",
        "session": 0,
        "sport": sport,
        "sub_sport": "generic",
        "is_run": is_run,
        "start_utc": start.replace(tzinfo=dt.UTC),
        "start_local": start,
        "date": day,
        "utc_offset_min": 0,
        "moving_minutes": float(minutes),
        "elapsed_minutes": float(minutes),
        "distance_km": distance_km,
        "avg_hr": avg_hr,
        "max_hr": None,
        "ascent_m": None,
        "has_gps": distance_km is not None,
        "device": "test",
        "hr_t": [float(v) for v in hr_t] if hr_t is not None else None,
        "hr_bpm": [None if v is None else float(v) for v in hr_bpm] if hr_bpm is not None else None,
    }


def activities_frame(records: Sequence[dict[str, object]]):  # -> pl.DataFrame
    """The activities table from ``run_record`` dicts, typed by the schema."""
    import polars as pl

    from runload.schema import activity_schema

    return pl.DataFrame(list(records), schema=activity_schema())


def sitting_record(
    day: dt.date,
    hours: float | None,
    *,
    kind: str = "self_report",
    numbness: int | None = None,
    seat: str | None = None,
    source: str = "sitting.csv",
    **more: object,
) -> dict[str, object]:
    """One sitting row; ``more``: the other sitting columns (``longest_sit_minutes``,
    ``sit_breaks``, ``trendelenburg``, ``thomas``, ``pain``)."""
    return {
        "date": day,
        "sitting_hours": hours,
        "source": source,
        "source_kind": kind,
        "numbness": numbness,
        "seat": seat,
        **more,
    }


def sitting_frame(records: Sequence[dict[str, object]]):  # -> pl.DataFrame
    import polars as pl

    from runload.schema import sitting_schema

    schema = sitting_schema()
    rows = [{c: r.get(c) for c in schema} for r in records]
    return pl.DataFrame(rows, schema=schema)


@dataclass(frozen=True)
class CrashingSource(Source):
    """A FIT source that kills the worker process reading it, as the kernel's
    out-of-memory killer or a crash in C code would (the main process still reads it,
    to hash it): for testing that a dead worker costs only its own file."""

    def read(self) -> bytes:
        import multiprocessing
        import os

        if multiprocessing.parent_process() is not None:
            os._exit(70)
        return super().read()
