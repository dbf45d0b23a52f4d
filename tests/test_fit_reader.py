"""runload.fit: exact values read back from files written with fit-tool, and every kind
of damage turned into problems (never an exception)."""

from __future__ import annotations

import datetime as dt
import struct
from functools import cache

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from runload.fit import fit_crc, read_fit
from tools.fitgen import ActivitySpec, SessionSpec, activity_bytes, run

START = dt.datetime(2026, 3, 1, 7, 30, tzinfo=dt.UTC)


@cache
def simple_run() -> bytes:
    return activity_bytes(
        ActivitySpec(
            sessions=[
                SessionSpec(
                    start=START,
                    minutes=30,
                    distance_km=6.0,
                    hr=[140, 150, 160],
                    record_every_s=10,
                    ascent_m=42,
                    elapsed_extra_s=90,
                )
            ],
            local_offset_s=3600,
            manufacturer="garmin",
            product=2697,
            user_gender="female",
            resting_hr=48,
            max_hr=188,
        )
    )


def test_single_run_reads_back_exactly() -> None:
    result = read_fit(simple_run(), "run.fit")
    assert result.problems == []
    assert result.kind == "activity"
    assert result.utc_offset_s == 3600
    assert result.device is not None and result.device.startswith("Garmin")
    (s,) = result.sessions
    assert (s.sport, s.sub_sport) == ("running", "generic")
    assert s.start_unix == int(START.timestamp())
    assert s.moving_s == pytest.approx(1800.0)
    assert s.elapsed_s == pytest.approx(1890.0)
    assert s.distance_m == pytest.approx(6000.0)
    assert s.ascent_m == 42
    assert s.has_gps is True
    # 181 records every 10 s: HR 140, 150, then 160 to the end
    assert len(s.hr_t) == 181
    assert s.hr_t[:3] == [0.0, 10.0, 20.0] and s.hr_t[-1] == 1800.0
    assert s.hr_bpm[:3] == [140.0, 150.0, 160.0] and s.hr_bpm[-1] == 160.0
    assert s.max_hr == 160.0
    assert s.avg_hr == round((140 + 150 + 160 * 179) / 181)
    assert set(result.facts) == {("sex", "female"), ("hr_rest", 48.0), ("hr_max", 188.0)}


def test_multisport_gives_one_session_each() -> None:
    swim = SessionSpec(START, 20, sport="swimming", sub_sport="open_water", distance_km=1.0,
                       hr=120, with_gps=False, record_every_s=20)  # fmt: skip
    bike = SessionSpec(START + dt.timedelta(minutes=22), 40, sport="cycling", distance_km=20.0,
                       hr=135, record_every_s=20)  # fmt: skip
    runs = SessionSpec(START + dt.timedelta(minutes=64), 25, distance_km=5.0, hr=155,
                       sub_sport="trail", record_every_s=20)  # fmt: skip
    result = read_fit(activity_bytes(ActivitySpec([swim, bike, runs])), "tri.fit")
    assert [(s.index, s.sport, s.sub_sport) for s in result.sessions] == [
        (0, "swimming", "open_water"),
        (1, "cycling", "generic"),
        (2, "running", "trail"),
    ]
    assert [s.distance_m for s in result.sessions] == pytest.approx([1000.0, 20000.0, 5000.0])
    assert [s.avg_hr for s in result.sessions] == [120.0, 135.0, 155.0]
    assert result.sessions[0].has_gps is False and result.sessions[2].has_gps is True
    # HR samples are split by session, counted from each session's start
    assert result.sessions[2].hr_t[0] == 0.0 and set(result.sessions[2].hr_bpm) == {155.0}


def test_no_session_message_is_built_from_records() -> None:
    spec = run(START, 20, 4.0, hr=[130, 170], record_every_s=10, write_session=False)
    result = read_fit(activity_bytes(spec), "nosession.fit")
    (s,) = result.sessions
    assert s.from_records
    assert s.start_unix == int(START.timestamp())
    assert s.elapsed_s == 1200.0 and s.moving_s == 1200.0
    assert s.distance_m == pytest.approx(4000.0)
    # no session message to give them: ingest fills them in from the valid samples
    assert s.max_hr is None and s.avg_hr is None
    assert s.hr_bpm == [130.0] + [170.0] * 120
    # 4 km in 20 min at cadence 85 (fitgen's records): a run
    assert s.sport == "running"
    assert [p.message for p in result.problems] == [
        "no sport or session message (file cut short?); treated as a run from its records"
        " (median speed 12.0 km/h, cadence 85 rpm)"
    ]


@pytest.mark.parametrize(
    ("offset_s", "expected"),
    [(3600, 3600), (-4 * 3600 - 10, -4 * 3600), (5 * 3600 + 1800 + 7, 5 * 3600 + 1800),
     (15 * 3600, None), (None, None)],
)  # fmt: skip
def test_local_offset_rounded_and_bounded(offset_s: int | None, expected: int | None) -> None:
    spec = run(START, 1, 0.2, record_every_s=30, local_offset_s=offset_s)
    assert read_fit(activity_bytes(spec), "x.fit").utc_offset_s == expected


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (b"hello, this is not a FIT file at all", "not a FIT file (no .FIT signature)"),
        (b"\x0e\x10", "not a FIT file (no .FIT signature)"),
        (b"\x05\x10\x00\x00\x00\x00\x00\x00.FIT\x00\x00", "bad FIT header (header size 5)"),
        # found by hypothesis: a header that claims to be longer than the file
        (
            b"\x0f\x10\x00\x00\x00\x00\x00\x00.FIT",
            "truncated inside the FIT header (12 of 15 bytes)",
        ),
    ],
)
def test_not_fit_is_one_error(data: bytes, message: str) -> None:
    result = read_fit(data, "bad.fit")
    assert result.sessions == []
    assert [(p.path, p.severity, p.message) for p in result.problems] == [
        ("bad.fit", "error", message)
    ]


def test_bad_crc_keeps_data_with_warning() -> None:
    data = bytearray(simple_run())
    data[-1] ^= 0xFF
    result = read_fit(bytes(data), "crc.fit")
    assert len(result.sessions) == 1 and result.sessions[0].distance_m == pytest.approx(6000.0)
    assert [p.severity for p in result.problems] == ["warning"]
    assert "bad CRC" in result.problems[0].message


def test_crc_matches_fitparse() -> None:
    from fitparse.records import Crc

    data = simple_run()
    assert fit_crc(data) == Crc.calculate(data)
    assert fit_crc(data[:-2]) == struct.unpack("<H", data[-2:])[0]


def test_truncated_keeps_what_came_before_with_byte_offset() -> None:
    data = simple_run()
    cut = len(data) * 2 // 3
    result = read_fit(data[:cut], "cut.fit")
    assert result.problems and all(p.severity == "warning" for p in result.problems)
    assert any(p.offset is not None and p.offset <= cut for p in result.problems)
    assert any("byte" in str(p) for p in result.problems)
    # the session message is at the end, so the run is rebuilt from the records read
    (s,) = result.sessions
    assert s.from_records and s.start_unix == int(START.timestamp())
    assert 0 < s.elapsed_s < 1800


def test_non_activity_file_is_accounted_for() -> None:
    from tools.fitgen import MonitoringState, monitoring_bytes

    data = monitoring_bytes(START, 3600, [MonitoringState(START, 8)])
    result = read_fit(data, "mon.fit")
    assert result.sessions == []
    # sitting data, not a problem: ingest lists the monitoring files on their own
    assert result.kind == "monitoring_b" and result.problems == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cut=st.integers(min_value=0, max_value=4000),
    flips=st.lists(st.tuples(st.integers(0, 3999), st.integers(0, 7)), max_size=6),
)
@example(cut=990, flips=[(974, 0)])  # a flipped session time: an "info" note, found by CI
def test_damaged_bytes_never_raise(cut: int, flips: list[tuple[int, int]]) -> None:
    data = bytearray(small_run()[:cut] if cut < len(small_run()) else small_run())
    for pos, bit in flips:
        if pos < len(data):
            data[pos] ^= 1 << bit
    result = read_fit(bytes(data), "fuzz.fit")
    assert result.sessions or result.problems
    for p in result.problems:
        assert p.path == "fuzz.fit" and p.severity in ("error", "warning", "info") and p.message
        assert p.code  # every problem a file can raise has its documented code


@cache
def small_run() -> bytes:
    return activity_bytes(run(START, 5, 1.0, hr=[120, 130, 140], record_every_s=10))


# Small real files with what the lean path treats specially: developer fields, compressed
# timestamp headers and several sessions, compressed speed/distance in records.
REAL_TO_FUZZ = (
    "Runalyze__swim-via-iq.fit",
    "choochoo__activity-activity-filecrc.fit",
    "python-fitparse__compressed-speed-distance.fit",
)


@pytest.mark.parametrize("name", REAL_TO_FUZZ)
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    cut=st.integers(min_value=0, max_value=8000),
    flips=st.lists(st.tuples(st.integers(0, 7999), st.integers(0, 7)), max_size=6),
)
def test_damaged_real_files_never_raise(
    shared_fit_dir, name: str, cut: int, flips: list[tuple[int, int]]
) -> None:
    original = (shared_fit_dir / name).read_bytes()
    data = bytearray(original[:cut])
    for pos, bit in flips:
        if pos < len(data):
            data[pos] ^= 1 << bit
    result = read_fit(bytes(data), name)
    assert result.sessions or result.problems
    for p in result.problems:
        assert p.path == name and p.severity in ("error", "warning", "info") and p.message


def test_session_without_a_usable_start_is_kept_with_a_warning() -> None:
    # a watch whose clock was never set writes times counted from power-on (tiny values)
    unset = dt.datetime(1990, 1, 1, 0, 5, tzinfo=dt.UTC)
    result = read_fit(activity_bytes(run(unset, 3, 0.5, record_every_s=30)), "noclock.fit")
    (s,) = result.sessions
    assert s.start_unix is None and s.sport == "running"
    assert s.distance_m == pytest.approx(500.0)
    assert [(p.severity, p.message) for p in result.problems] == [
        (
            "warning",
            "session 0 has no usable start time (watch clock not set?): kept, but it falls"
            " on no day",
        )
    ]


def test_the_crc_word_table_is_each_pair_of_bytes_crc() -> None:
    # built from 512 entries by linearity: every one of the 65,536 must be the CRC of its
    # two bytes, as the byte table computes it
    from runload.fit import layout

    table = layout._CRC_TABLE
    words = layout._word_table()
    assert len(words) == 65536
    for x in range(65536):
        crc = table[x & 0xFF]  # (from 0: the low byte, then the high byte)
        crc = (crc >> 8) ^ table[(crc ^ (x >> 8)) & 0xFF]
        assert words[x] == crc, x
