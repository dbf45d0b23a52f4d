"""Device sitting sources: detection by content and exact values from the real samples
in ../shared/fixtures/sitting and from monitoring files written with fit-tool."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from runload.errors import EmptySittingSourceError, UnsupportedSittingSourceError
from runload.sitting import (
    ReadContext,
    detect,
    monitoring_days,
    read_monitoring_states,
    read_sitting_file,
)
from tools.fitgen import MonitoringState, monitoring_bytes

D = dt.date
UTC = dt.UTC
WAKING = (dt.time(7), dt.time(23))
CTX = ReadContext(today=D(2026, 11, 1), waking=WAKING)
SEDENTARY, WALKING, RUNNING, GENERIC = 8, 6, 1, 0


def _rows(read) -> list[tuple]:
    return read.days.select("date", "sitting_hours", "source_kind").rows()


# ---- real samples ----------------------------------------------------------------------


def test_garmin_usersummary_sample(shared_sitting_dir: Path) -> None:
    path = shared_sitting_dir / "garmin_usersummary_daily_2days.json"
    assert detect(path) == "garmin_summary"
    read = read_sitting_file(path, CTX)
    assert read.problems == []
    rows = sorted(_rows(read))
    assert rows == [
        (D(2025, 6, 13), 48657 / 3600, "device"),
        (D(2025, 6, 14), 53385 / 3600, "device"),
    ]
    assert round(rows[1][1], 3) == 14.829
    assert read.resting_hr is not None
    assert sorted(read.resting_hr.select("date", "resting_hr").rows()) == [
        (D(2025, 6, 13), 49.0),
        (D(2025, 6, 14), 51.0),
    ]


def test_garmin_single_object_and_udsfile_array(shared_sitting_dir: Path, tmp_path: Path) -> None:
    days = json.loads((shared_sitting_dir / "garmin_usersummary_daily_2days.json").read_text())
    one = tmp_path / "day.json"
    one.write_text(json.dumps(days[0]))
    assert _rows(read_sitting_file(one, CTX)) == [(D(2025, 6, 14), 53385 / 3600, "device")]
    uds = tmp_path / "UDSFile_2025-06-01_2025-09-09.json"
    broken = {k: v for k, v in days[1].items() if k != "sedentarySeconds"}
    bad = dict(days[0], calendarDate="2025-13-01")
    # One day object per line, the first without sedentarySeconds (a day not worn).
    objects = [broken, days[0], bad, "junk"]
    uds.write_text("[\n" + ",\n".join(json.dumps(o) for o in objects) + "\n]\n")
    read = read_sitting_file(uds, CTX)
    assert _rows(read) == [(D(2025, 6, 14), 53385 / 3600, "device")]
    assert [str(p) for p in read.problems] == [
        f"{uds}:2: 2025-06-13: no sedentarySeconds (no wellness data that day); left unknown "
        "[warning]",
        f'{uds}:4: day object 3: calendarDate "2025-13-01" is not a valid date',
        f"{uds}:5: day object 4 has no calendarDate",
    ]


def test_garmin_day_without_wellness_data_is_unknown_not_zero(
    shared_sitting_dir: Path, tmp_path: Path
) -> None:
    # A day the watch was not worn or not synced: Garmin says includesWellnessData false and
    # zeros the counters. 0 h of sitting would be a measurement; the day is unknown.
    days = json.loads((shared_sitting_dir / "garmin_usersummary_daily_2days.json").read_text())
    empty = dict(
        days[1],
        includesWellnessData=False,
        sedentarySeconds=0,
        activeSeconds=0,
        highlyActiveSeconds=0,
        sleepingSeconds=0,
    )
    path = tmp_path / "UDSFile_2025-06-01_2025-06-30.json"
    path.write_text("[\n" + ",\n".join(json.dumps(o) for o in [empty, days[0]]) + "\n]\n")
    read = read_sitting_file(path, CTX)
    assert _rows(read) == [(D(2025, 6, 14), 53385 / 3600, "device")]
    assert [str(p) for p in read.problems] == [
        f"{path}:2: 2025-06-13: includesWellnessData is false (the watch recorded nothing that "
        "day); left unknown [warning]"
    ]


def test_fitabase_daily_activity_sample(shared_sitting_dir: Path) -> None:
    path = shared_sitting_dir / "fitabase_dailyActivity_merged_head.csv"
    assert detect(path) == "fitbit_daily_csv"
    read = read_sitting_file(path, CTX)
    # First person (Id 1503960366) only; SedentaryMinutes / 60.
    assert _rows(read) == [
        (D(2016, 4, 12), 728 / 60, "device"),
        (D(2016, 4, 13), 776 / 60, "device"),
        (D(2016, 4, 14), (1218 - 480) / 60, "device"),  # 30+11+181+1218 = 1440: sleep inside
        (D(2016, 4, 15), 726 / 60, "device"),
    ]
    assert [(p.severity, p.line, p.message) for p in read.problems] == [
        (
            "warning",
            None,
            "holds 3 people (3 different Ids); read only the first, Id 1503960366, and skipped "
            "the 5 rows of the other 2",
        ),
        (
            "warning",
            4,
            "2016-04-14: active and sedentary minutes add up to 24 h, so SedentaryMinutes "
            "includes sleep; counted 1218 − 480 = 738 min (the 8 h outside the 07:00–23:00 "
            "waking window taken as sleep)",
        ),
        ("warning", 6, "2016-05-12: 1440 sedentary minutes (not worn); dropped"),
    ]


def test_fitabase_other_people_rows(shared_sitting_dir: Path, tmp_path: Path) -> None:
    """The sample's other rows (sleep-included 1294, non-wear, partial last day), read as
    one person's file each: built from the real file, not copied into the repo."""
    lines = (shared_sitting_dir / "fitabase_dailyActivity_merged_head.csv").read_text().splitlines()
    header, body = lines[0], lines[1:]
    for person, expected, messages in [
        (
            "1624580081",
            # 0+0+146+1294 and 186+63+171+1020 are both 1440: sleep is inside.
            [
                (D(2016, 4, 12), (1294 - 480) / 60, "device"),
                (D(2016, 5, 1), (1020 - 480) / 60, "device"),
            ],
            [
                "2016-04-12: active and sedentary minutes add up to 24 h, so SedentaryMinutes "
                "includes sleep; counted 1294 − 480 = 814 min (the 8 h outside the 07:00–23:00 "
                "waking window taken as sleep)",
                "2016-05-01: active and sedentary minutes add up to 24 h, so SedentaryMinutes "
                "includes sleep; counted 1020 − 480 = 540 min (the 8 h outside the 07:00–23:00 "
                "waking window taken as sleep)",
            ],
        ),
        (
            "1844505072",
            [(D(2016, 4, 30), 218 / 60, "device")],
            [
                "2016-04-24: 1440 sedentary minutes (not worn); dropped",
                "2016-05-12: 0 steps (not worn); dropped",
            ],
        ),
    ]:
        f = tmp_path / f"dailyActivity_{person}.csv"
        f.write_text("\n".join([header] + [ln for ln in body if ln.startswith(person)]) + "\n")
        read = read_sitting_file(f, CTX)
        assert _rows(read) == expected
        assert [p.message for p in read.problems] == messages


def test_fitbit_csv_with_a_bad_number_names_the_column_and_line(
    shared_sitting_dir: Path, tmp_path: Path
) -> None:
    lines = (shared_sitting_dir / "fitabase_dailyActivity_merged_head.csv").read_text().splitlines()
    lines[2] = lines[2].replace(",776,", ",lots,")  # 2016-04-13 SedentaryMinutes
    f = tmp_path / "dailyActivity.csv"
    f.write_text("\n".join(lines[:6]) + "\n")
    read = read_sitting_file(f, CTX)
    assert [r[0] for r in _rows(read)] == [D(2016, 4, 12), D(2016, 4, 14), D(2016, 4, 15)]
    assert [str(p) for p in read.problems if p.severity == "error"] == [
        f'{f}:3: 2016-04-13: SedentaryMinutes "lots" is not a number'
    ]


def test_fitbit_sleep_rule_follows_the_waking_window(shared_sitting_dir: Path) -> None:
    path = shared_sitting_dir / "fitabase_dailyActivity_merged_head.csv"
    read = read_sitting_file(
        path, ReadContext(today=D(2026, 1, 1), waking=(dt.time(6), dt.time(22, 30)))
    )
    day = read.days.filter(read.days["date"] == D(2016, 4, 14))
    assert day["sitting_hours"].to_list() == [(1218 - 450) / 60]
    assert [p.message for p in read.problems if p.line == 4] == [
        "2016-04-14: active and sedentary minutes add up to 24 h, so SedentaryMinutes includes "
        "sleep; counted 1218 − 450 = 768 min (the 7.5 h outside the 06:00–22:30 waking window "
        "taken as sleep)"
    ]


def test_fitbit_dates_after_the_export_date_are_dropped(
    shared_sitting_dir: Path, tmp_path: Path
) -> None:
    path = shared_sitting_dir / "fitabase_dailyActivity_merged_head.csv"
    read = read_sitting_file(path, ReadContext(today=D(2016, 4, 13), waking=WAKING))
    assert [r[0] for r in _rows(read)] == [D(2016, 4, 12), D(2016, 4, 13)]
    assert "2016-04-14 is after the export date 2016-04-13; dropped" in [
        p.message for p in read.problems
    ]


def test_googlefit_is_an_unsupported_source_naming_what_is(shared_sitting_dir: Path) -> None:
    path = shared_sitting_dir / "googlefit_Daily_activity_metrics_head.csv"
    with pytest.raises(UnsupportedSittingSourceError) as info:
        read_sitting_file(path, CTX)
    text = str(info.value)
    assert text.startswith(f"{path}: unsupported sitting source: a Google Fit daily activity")
    for kind in ("sitting log", "Garmin usersummary JSON", "monitoring FIT", "sedentary_minutes"):
        assert kind in text


def test_vivofit_monitoring_sample(shared_sitting_dir: Path) -> None:
    """The vivofit file covers 2014-12-27 local (UTC-6) from 07:43 to midnight; the
    daily-total messages (duration_min=1440) are not states."""
    path = shared_sitting_dir / "garmin_vivofit_MonitoringFile.fit"
    assert detect(path) == "garmin_monitoring"
    states, problems = read_monitoring_states(path)
    assert problems == []
    assert states.height == 335
    assert states["t"].min() == dt.datetime(2014, 12, 27, 7, 43)
    assert states["t"].max() == dt.datetime(2014, 12, 28, 0, 0)
    assert (states["activity_type"] == SEDENTARY).sum() == 256  # as SOURCES.tsv counts
    days, problems = monitoring_days(states, WAKING)
    assert problems == []
    assert days.select("date", "source_kind").rows() == [(D(2014, 12, 27), "device")]
    assert round(days["sitting_hours"][0] * 60, 2) == 564.85
    whole, _ = monitoring_days(states, (dt.time(0), dt.time(23, 59, 59)))
    assert round(whole["sitting_hours"][0] * 60, 2) == 623.85  # ~10.4 h as SOURCES.tsv says


def test_choochoo_monitoring_fragments_are_left_unknown(shared_fit_dir: Path) -> None:
    """Sync fragments of a few hours do not make a day: they are reported, not guessed.
    (25505915679 holds one state at 21:53 and nothing after it: no time at all.)"""
    paths = sorted(shared_fit_dir.glob("choochoo__*acooke.org_255*.fit"))
    assert len(paths) == 3
    states = [read_monitoring_states(p)[0] for p in paths]
    import polars as pl

    days, problems = monitoring_days(pl.concat(states), WAKING)
    assert days.is_empty()
    assert sorted(p.message for p in problems) == [
        "2018-10-07: monitoring covers only 6.1 h of the 07:00–23:00 waking window; left unknown",
    ]
    days, _ = monitoring_days(pl.concat(states), WAKING, min_cover=0.3)
    assert days.height == 1 and days["date"][0] == D(2018, 10, 7)
    assert "(+1 more)" in days["source"][0]


def test_monitoring_days_outside_the_waking_window_are_named(shared_fit_dir: Path) -> None:
    """25822184777 ends at 05:55 local (a sync before getting up), 37140810636 holds a
    single minute of the window: both days are named, neither is silently dropped."""
    names = ("choochoo__25822184777.fit", "choochoo__37140810636.fit")
    import polars as pl

    states = pl.concat([read_monitoring_states(shared_fit_dir / n)[0] for n in names])
    days, problems = monitoring_days(states, WAKING)
    assert days.is_empty()
    assert [(Path(p.path).name, p.message) for p in problems] == [
        (
            names[0],
            "2018-10-16: monitoring covers none of the 07:00–23:00 waking window; left unknown",
        ),
        (
            names[1],
            "2019-07-08: monitoring covers only 1 min of the 07:00–23:00 waking window; "
            "left unknown",
        ),
    ]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("python-fitparse__Activity.fit", "a FIT activity file, not a monitoring file"),
        ("python-fitparse__Settings.fit", "a FIT settings file, not a monitoring file"),
        (
            "choochoo__2018-02-24-10-04-10.fit",  # MALFORMED: data_size 0 in the header
            "a FIT file whose type cannot be read (no file_id; damaged?)",
        ),
    ],
)
def test_other_fit_files_are_not_sitting_sources(
    shared_fit_dir: Path, name: str, reason: str
) -> None:
    path = shared_fit_dir / name
    assert detect(path, strict=True) is None
    with pytest.raises(UnsupportedSittingSourceError) as info:
        read_sitting_file(path, CTX)
    assert str(info.value).startswith(f"{path}: unsupported sitting source: {reason}; supported")


# ---- generated files -------------------------------------------------------------------

DAY = D(2026, 3, 2)
OFFSET = 2 * 3600  # local = UTC+2
LOCAL_MIDNIGHT_UTC = dt.datetime(2026, 3, 1, 22, 0, tzinfo=UTC)

# (local hh:mm, activity type): sedentary in 07:00–23:00 = 1.5 + 2.75 + 4.5 + 1 h, the
# last state (22:00) closed at the end of the day, where the day's file ends.
TIMELINE = [
    ("00:00", SEDENTARY),
    ("06:00", WALKING),
    ("07:30", SEDENTARY),
    ("09:00", WALKING),
    ("09:15", SEDENTARY),
    ("12:00", RUNNING),
    ("13:00", SEDENTARY),
    ("17:30", WALKING),
    ("22:00", SEDENTARY),
]
EXPECTED_MINUTES = (1.5 + 2.75 + 4.5 + 1.0) * 60
NEXT_MIDNIGHT_UTC = LOCAL_MIDNIGHT_UTC + dt.timedelta(days=1)


def _at(hhmm: str) -> dt.datetime:
    h, m = (int(x) for x in hhmm.split(":"))
    return LOCAL_MIDNIGHT_UTC + dt.timedelta(hours=h, minutes=m)


def _states(timeline) -> list[MonitoringState]:
    return [
        MonitoringState(start=_at(hhmm), activity_type=kind, intensity=1) for hhmm, kind in timeline
    ]


@pytest.fixture(scope="module")
def monitoring_day(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("mon")
    path = folder / "day.fit"
    # A full timestamp only on the first message: every other time is a timestamp_16 that
    # wraps (the day spans more than 65536 s). The file ends at local midnight, with the
    # daily totals, as a day's file written at midnight does.
    path.write_bytes(
        monitoring_bytes(
            LOCAL_MIDNIGHT_UTC,
            OFFSET,
            _states(TIMELINE),
            full_timestamp_every=100,
            end_utc=NEXT_MIDNIGHT_UTC,
        )
    )
    return path


def test_generated_monitoring_file_exact_minutes(monitoring_day: Path) -> None:
    assert detect(monitoring_day) == "garmin_monitoring"
    states, problems = read_monitoring_states(monitoring_day)
    assert problems == []
    assert states["t"].to_list()[-1] == dt.datetime(2026, 3, 2, 22, 0)
    assert states["file_end"].to_list()[-1] == dt.datetime(2026, 3, 3, 0, 0)
    days, problems = monitoring_days(states, WAKING)
    assert problems == []
    assert days["date"].to_list() == [DAY]
    assert days["sitting_hours"][0] * 60 == pytest.approx(EXPECTED_MINUTES, abs=1e-9)
    # Unbroken: 13:00-17:30 is the longest stretch; walking at 09:00 and 17:30 and running at
    # 12:00 broke three (22:00-23:00 ends with the waking window, not a break).
    assert (days["longest_sit_minutes"][0], days["sit_breaks"][0]) == (270.0, 3)
    # The whole day: the last state runs 22:00 to midnight, and 00:00–06:00 counts too.
    days, _ = monitoring_days(states, (dt.time(0), dt.time(23, 59)))
    whole = (6 + 1.5 + 2.75 + 4.5 + 2) * 60 - 1  # the window ends at 23:59
    assert days["sitting_hours"][0] * 60 == pytest.approx(whole, abs=1e-9)
    assert (days["longest_sit_minutes"][0], days["sit_breaks"][0]) == (360.0, 4)
    # Another waking window: 09:00–12:00 holds 2.75 h sedentary (09:15–12:00).
    days, _ = monitoring_days(states, (dt.time(9), dt.time(12)))
    assert days["sitting_hours"][0] * 60 == pytest.approx(165, abs=1e-9)


def test_overlapping_files_of_one_day_count_once(tmp_path: Path, monitoring_day: Path) -> None:
    import polars as pl

    morning = tmp_path / "a.fit"
    evening = tmp_path / "b.fit"
    # The morning file ends at a sync at 13:00 (its last record), the evening one at midnight.
    morning.write_bytes(monitoring_bytes(LOCAL_MIDNIGHT_UTC, OFFSET, _states(TIMELINE[:7])))
    evening.write_bytes(
        monitoring_bytes(
            LOCAL_MIDNIGHT_UTC, OFFSET, _states(TIMELINE[3:]), end_utc=NEXT_MIDNIGHT_UTC
        )
    )
    states = pl.concat(
        [read_monitoring_states(p)[0] for p in (morning, evening, monitoring_day, morning)]
    )
    days, problems = monitoring_days(states, WAKING)
    assert problems == []
    assert days["sitting_hours"][0] * 60 == pytest.approx(EXPECTED_MINUTES, abs=1e-9)


def test_a_gap_between_files_is_not_counted(tmp_path: Path) -> None:
    import polars as pl

    morning = tmp_path / "a.fit"
    evening = tmp_path / "b.fit"
    # The morning file ends at 09:15 (its last record); the evening one starts at 13:00.
    morning.write_bytes(monitoring_bytes(LOCAL_MIDNIGHT_UTC, OFFSET, _states(TIMELINE[:5])))
    evening.write_bytes(
        monitoring_bytes(
            LOCAL_MIDNIGHT_UTC, OFFSET, _states(TIMELINE[6:]), end_utc=NEXT_MIDNIGHT_UTC
        )
    )
    states = pl.concat([read_monitoring_states(p)[0] for p in (morning, evening)])
    days, _ = monitoring_days(states, WAKING)
    assert days["sitting_hours"][0] * 60 == pytest.approx((1.5 + 4.5 + 1.0) * 60, abs=1e-9)


def test_a_file_ending_at_a_sync_is_not_stretched_to_the_end_of_the_day(tmp_path: Path) -> None:
    """Synced at 17:00 while sitting: the sedentary state from 13:00 is closed at the
    sync, not at midnight; the hours after it are not measured yet."""
    path = tmp_path / "sync.fit"
    path.write_bytes(
        monitoring_bytes(LOCAL_MIDNIGHT_UTC, OFFSET, _states(TIMELINE[:7]), end_utc=_at("17:00"))
    )
    days, problems = monitoring_days(read_monitoring_states(path)[0], WAKING)
    assert problems == []
    assert days["sitting_hours"][0] * 60 == pytest.approx((1.5 + 2.75 + 4.0) * 60, abs=1e-9)
    # The last record alone (no totals after it) ends the file: the 13:00 state has no length.
    bare = tmp_path / "bare.fit"
    bare.write_bytes(monitoring_bytes(LOCAL_MIDNIGHT_UTC, OFFSET, _states(TIMELINE[:7])))
    days, _ = monitoring_days(read_monitoring_states(bare)[0], WAKING, min_cover=0.3)
    assert days["sitting_hours"][0] * 60 == pytest.approx((1.5 + 2.75) * 60, abs=1e-9)


def test_a_state_across_midnight_counts_on_both_days(tmp_path: Path) -> None:
    """Sedentary from 20:00 until 09:00 the next morning (one file over two days): 3 h on
    the first day's window, 2 h (07:00–09:00) on the second's."""
    path = tmp_path / "two-days.fit"
    timeline = [("00:00", WALKING), ("20:00", SEDENTARY), ("33:00", WALKING)]
    path.write_bytes(
        monitoring_bytes(
            LOCAL_MIDNIGHT_UTC,
            OFFSET,
            _states(timeline),
            full_timestamp_every=1,  # gaps longer than timestamp_16 can hold
            end_utc=NEXT_MIDNIGHT_UTC + dt.timedelta(days=1),
        )
    )
    days, problems = monitoring_days(read_monitoring_states(path)[0], WAKING)
    assert problems == []
    assert days.select("date", "sitting_hours").rows() == [(DAY, 3.0), (D(2026, 3, 3), 2.0)]


def test_broken_monitoring_file_keeps_the_part_before(tmp_path: Path, monitoring_day: Path) -> None:
    cut = tmp_path / "cut.fit"
    cut.write_bytes(monitoring_day.read_bytes()[:-20])
    states, problems = read_monitoring_states(cut)
    size = len(cut.read_bytes())
    # the same policy and words as an activity file cut short: warnings, data kept
    assert [p.severity for p in problems] == ["warning", "warning"]
    truncated, damaged = problems
    assert truncated.message.startswith("truncated: header says") and truncated.offset == size
    assert damaged.offset is not None and 14 < damaged.offset < size
    assert str(damaged) == (
        f"{cut}: damaged at byte {damaged.offset} (the file ends inside a message);"
        " kept what was read before it [warning]"
    )
    assert 0 < states.height <= len(TIMELINE)


def test_same_damage_same_problem_in_activity_and_monitoring_files(
    tmp_path: Path, monitoring_day: Path
) -> None:
    """One flipped CRC byte: a warning with the data read, whichever kind of file."""
    from runload.fit import read_fit
    from tools.fitgen import activity_bytes, run

    def flip_crc(data: bytes) -> bytes:
        return data[:-1] + bytes([data[-1] ^ 0xFF])

    activity = flip_crc(activity_bytes(run(dt.datetime(2026, 3, 2, 7, tzinfo=dt.UTC), 20, 4.0)))
    monitoring = tmp_path / "mon.fit"
    monitoring.write_bytes(flip_crc(monitoring_day.read_bytes()))
    states, mon_problems = read_monitoring_states(monitoring)
    run_result = read_fit(activity, "run.fit")
    assert len(run_result.sessions) == 1 and states.height == len(TIMELINE)
    words = {(p.severity, p.message) for p in mon_problems}
    assert words == {(p.severity, p.message) for p in run_result.problems}
    assert words == {("warning", "bad CRC (file damaged?); data read without the CRC check")}


def test_fitbit_sedentary_minutes_json(tmp_path: Path) -> None:
    path = tmp_path / "sedentary_minutes-2026-03-01.json"
    entries = [
        {"dateTime": "03/01/26 00:00:00", "value": "800"},
        {"dateTime": "03/02/26 00:00:00", "value": "1440"},
        {"dateTime": "03/03/26 00:00:00", "value": "2000"},
        {"dateTime": "03/04/26 00:00:00", "value": "12"},
        {"dateTime": "yesterday", "value": "600"},
    ]
    path.write_text(json.dumps(entries))
    assert detect(path) == "fitbit_sedentary_json"
    read = read_sitting_file(path, ReadContext(today=D(2026, 3, 3), waking=WAKING))
    assert _rows(read) == [(D(2026, 3, 1), 800 / 60, "device")]
    assert [(p.severity, p.line, p.message) for p in read.problems] == [
        ("warning", 1, "2026-03-02: 1440 sedentary minutes (not worn); dropped"),
        ("error", 1, "2026-03-03: sedentary minutes 2000 is outside 0–1440"),
        ("warning", 1, "2026-03-04 is after the export date 2026-03-03; dropped"),
        (
            "error",
            1,
            'entry 5: dateTime "yesterday" is not a date'
            " (YYYY-MM-DD HH:MM:SS or MM/DD/YY HH:MM:SS)",
        ),
    ]
    # The same series under another Takeout name (steps) is not sitting.
    steps = tmp_path / "steps-2026-03-01.json"
    shutil.copy(path, steps)
    with pytest.raises(UnsupportedSittingSourceError, match="Fitbit Takeout series other than"):
        read_sitting_file(steps, CTX)


def test_an_empty_file_is_empty_not_an_unsupported_source(tmp_path: Path) -> None:
    path = tmp_path / "x.dat"
    for content in (b"", b" \r\n\n", "\ufeff\n".encode()):
        path.write_bytes(content)
        with pytest.raises(EmptySittingSourceError) as info:
            read_sitting_file(path, CTX)
        assert str(info.value) == f"{path}: is empty: no sitting days in it"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\x00\x01\x02binary", "not text, not FIT"),
        (b"date,sitting_hours\n2026-03-01,8 \x81\n", "is not UTF-8 text (byte 32)"),
        (b'{"calendarDate": "2025-06-14"', "broken JSON"),
        (b'{"hello": 1}', "JSON without day objects runload knows"),
        (b"when,what\n1,2\n", "a table without the columns runload needs (found: when, what)"),
    ],
)
def test_unsupported_files(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "x.dat"
    path.write_bytes(content)
    with pytest.raises(UnsupportedSittingSourceError) as info:
        read_sitting_file(path, CTX)
    assert str(info.value).startswith(f"{path}: unsupported sitting source: {reason}; supported:")
