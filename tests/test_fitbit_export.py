"""Fitbit's export as a runner downloads it: the exercise log as activities (both date forms,
Takeout folder and zip, broken entries, treadmill pace, time zones, a TCX copy), the
sedentary minutes and resting heart rate as sitting and hr_rest, through ingest, read_sitting
and the CLI."""

from __future__ import annotations

import datetime as dt
import json
import time
import zoneinfo
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from click.testing import CliRunner

from runload.cli import main
from runload.exercise_log import MERGED_REASON
from runload.fitbit_dates import parse_fitbit_date, parse_fitbit_datetime
from runload.ingest import read_activities
from runload.sitting import read_sitting
from tools.fitbitgen import TAKEOUT, exercise, resting, sedentary, takeout_zip
from tools.trackgen import fitbit_tcx_text

D, T = dt.date, dt.datetime
OSLO = "Europe/Oslo"
TODAY = D(2020, 6, 1)


def _write(path: Path, value: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value))
    return path


def _log(form: str = "iso") -> list[dict[str, Any]]:
    """A week: two runs, a treadmill run, a treadmill walk, a walk, a Sport."""
    return [
        exercise(
            1, "Run", T(2019, 11, 4, 17, 5, 10), 50, 10.0, hr=150, active_minutes=48, form=form
        ),
        exercise(2, "Walk", T(2019, 11, 5, 12, 0, 0), 25, hr=95, form=form),
        exercise(3, "Treadmill", T(2019, 11, 6, 18, 0, 0), 40, 8.0, hr=145, form=form),
        exercise(4, "Treadmill", T(2019, 11, 7, 7, 30, 0), 30, 2.7, hr=110, form=form),
        exercise(5, "Sport", T(2019, 11, 8, 19, 0, 0), 60, hr=130, form=form),
        exercise(6, "Run", T(2019, 11, 10, 9, 15, 0), 70, 13.0, hr=148, form=form),
    ]


def _problems(result: Any) -> list[str]:
    return [f"{p.severity}: {p.message}" for p in result.problems]


# ---------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "text",
    ["2019-11-05 14:56:32", "11/05/19 14:56:32", "11/05/2019 14:56:32", "2019-11-05T14:56:32.000"],
)
def test_fitbit_datetime_reads_every_form_as_the_same_wall_time(text: str) -> None:
    assert parse_fitbit_datetime(text) == T(2019, 11, 5, 14, 56, 32)


@pytest.mark.parametrize("text", ["2019-11-05", "11/05/19", "11/5/2019", "2019-11-05 00:00:00"])
def test_fitbit_date_reads_every_form(text: str) -> None:
    assert parse_fitbit_date(text) == D(2019, 11, 5)


@pytest.mark.parametrize(
    "value", ["2019-11-05T14:56:32+01:00", "05.11.2019", "yesterday", "13/40/19", "", 20191105]
)
def test_fitbit_dates_refuse_what_they_cannot_place(value: Any) -> None:
    with pytest.raises(ValueError, match="is not a date"):
        parse_fitbit_datetime(value)


# ---------------------------------------------------------------------- activities


def test_the_log_gives_one_activity_per_entry_in_both_date_forms(tmp_path: Path) -> None:
    iso = _write(tmp_path / "pmdata" / "exercise.json", _log("iso"))
    takeout = _write(tmp_path / TAKEOUT / "exercise-0.json", _log("takeout"))
    a = read_activities([iso], timezone=OSLO, use_cache=False)
    b = read_activities([takeout], timezone=OSLO, use_cache=False)
    assert a.activities.height == b.activities.height == 6
    assert a.problems == [] and b.problems == []
    cols = ["session", "sport", "sub_sport", "start_utc", "start_local", "date", "utc_offset_min"]
    assert a.activities.select(cols).equals(b.activities.select(cols))
    run = a.activities.row(0, named=True)
    assert run["start_local"] == T(2019, 11, 4, 17, 5, 10)
    assert run["start_utc"] == T(2019, 11, 4, 16, 5, 10, tzinfo=zoneinfo.ZoneInfo("UTC"))
    assert (run["utc_offset_min"], run["moving_minutes"], run["elapsed_minutes"]) == (60, 48, 50)
    assert (run["distance_km"], run["avg_hr"], run["device"]) == (10.0, 150.0, "Fitbit Versa 2")
    assert a.activities.get_column("sport").to_list() == [
        "running", "walking", "running", "walking", None, "running",
    ]  # fmt: skip
    assert a.kinds == {str(iso): "fitbit"}


def test_a_broken_entry_is_one_warning_naming_it_and_the_rest_is_read(tmp_path: Path) -> None:
    entries: list[Any] = _log()
    entries[1] = {**entries[1], "startTime": "sometime"}
    entries[2] = {k: v for k, v in entries[2].items() if k != "duration"}
    entries[3] = {**entries[3], "duration": "long"}
    entries.append("not an exercise")
    entries.append(exercise(9, "Run", T(2019, 11, 12, 8, 0), 30, 5.0) | {"distanceUnit": "furlong"})
    log = _write(tmp_path / "exercise.json", entries)
    result = read_activities([log], timezone=OSLO, use_cache=False)
    assert result.activities.height == 4  # entries 0, 4, 5 and 7 (of 0-7)
    assert _problems(result) == [
        'warning: entry 1 (logId 2): startTime "sometime" is not a date '
        "(YYYY-MM-DD HH:MM:SS or MM/DD/YY HH:MM:SS); left out",
        "warning: entry 2 (logId 3): duration null is not a duration in milliseconds; left out",
        'warning: entry 3 (logId 4): duration "long" is not a duration in milliseconds; left out',
        'warning: entry 6: is "not an exercise", not an exercise; left out',
        'warning: entry 7 (logId 9): distance 5 in unit "furlong" runload does not know: left out',
    ]
    assert all(p.path == str(log) for p in result.problems)
    assert result.activities.get_column("session").to_list() == [0, 4, 5, 7]
    assert result.activities.row(3, named=True)["distance_km"] is None


def test_a_json_named_like_a_log_that_is_not_one_is_one_problem(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    _write(folder / "exercise-0.json", [{"dateTime": "11/05/19 00:00:00", "value": "600"}])
    _write(folder / "exercise-100.json", [])
    (folder / "exercise-200.json").write_text('[{"logId": 1,')
    _write(folder / "heart_rate-2019-11-05.json", [{"dateTime": "x"}])  # not a candidate
    result = read_activities([folder], timezone=OSLO, use_cache=False)
    assert result.activities.height == 0 and result.files_seen == 3
    shown = {Path(p.path).name: (p.severity, p.message, p.line) for p in result.problems}
    assert shown == {
        "exercise-0.json": (
            "error",
            "not a Fitbit exercise log (a JSON list of exercises with logId, activityName and"
            " startTime)",
            None,
        ),
        "exercise-100.json": ("warning", "an empty Fitbit exercise log: no exercises in it", None),
        "exercise-200.json": (
            "error",
            "not a Fitbit exercise log (a JSON list of exercises with logId, activityName and"
            " startTime): broken JSON (Expecting property name enclosed in double quotes)",
            1,
        ),
    }


def test_a_json_file_named_on_the_command_line_is_tried_as_a_log(tmp_path: Path) -> None:
    named = _write(tmp_path / "my_runs.json", _log())
    assert read_activities([named], timezone=OSLO, use_cache=False).activities.height == 6


def test_treadmill_is_a_run_at_a_running_pace_and_a_walk_below_it(tmp_path: Path) -> None:
    from runload.fit.runlike import RUN_SPEED_MS

    lo, hi = RUN_SPEED_MS
    start = T(2019, 11, 4, 18, 0)
    day = dt.timedelta(days=1)
    entries = [  # 40 active minutes each: the pace is the distance over 2400 s
        exercise(1, "Treadmill", start, 40, lo * 2400 / 1000 + 0.01),  # just a run
        exercise(2, "Treadmill", start + day, 40, lo * 2400 / 1000 - 0.01),  # just a walk
        exercise(3, "Treadmill", start + 2 * day, 40, 8.0),
        exercise(4, "Treadmill", start + 3 * day, 40, hi * 2400 / 1000 + 1),  # too fast
        exercise(5, "Treadmill", start + 4 * day, 40),  # no distance
    ]
    log = _write(tmp_path / "exercise.json", entries)
    result = read_activities([log], timezone=OSLO, use_cache=False)
    acts = result.activities
    assert acts.select("sport", "sub_sport", "is_run").rows() == [
        ("running", "treadmill", True),
        ("walking", "treadmill", False),
        ("running", "treadmill", True),
        (None, "treadmill", False),
        (None, "treadmill", False),
    ]
    assert result.notes == [
        "5 Treadmill session(s) in the Fitbit exercise log: 2 at a running pace (1.7–6.5 m/s,"
        " distance ÷ active time) as runs, 1 slower as treadmill walks, 2 without a pace to"
        " tell (not counted)"
    ]
    assert _problems(result) == [
        "warning: entry 3 (logId 4): Treadmill at 6.9 m/s, faster than a run (1.7–6.5 m/s): no"
        " sport (listed, not counted)",
        "warning: entry 4 (logId 5): Treadmill without a distance: cannot tell a run from a walk;"
        " no sport (listed, not counted)",
    ]


# ---------------------------------------------------------------------- time zones


DST_RUNS = [  # Europe/Oslo: CEST, twice (clocks back), CET, skipped (clocks forward)
    exercise(1, "Run", T(2019, 10, 26, 10, 0), 30, 6.0),
    exercise(2, "Run", T(2019, 10, 27, 2, 30), 30, 6.0),
    exercise(3, "Run", T(2019, 10, 28, 10, 0), 30, 6.0),
    exercise(4, "Run", T(2020, 3, 29, 2, 30), 30, 6.0),
]


def test_the_timezone_places_wall_times_on_either_side_of_a_dst_change(tmp_path: Path) -> None:
    log = _write(tmp_path / "exercise.json", DST_RUNS)
    result = read_activities([log], timezone=OSLO, use_cache=False)
    rows = result.activities.select("start_local", "start_utc", "utc_offset_min").rows()
    utc = zoneinfo.ZoneInfo("UTC")
    assert rows == [
        (T(2019, 10, 26, 10, 0), T(2019, 10, 26, 8, 0, tzinfo=utc), 120),
        (T(2019, 10, 27, 2, 30), T(2019, 10, 27, 0, 30, tzinfo=utc), 120),
        (T(2019, 10, 28, 10, 0), T(2019, 10, 28, 9, 0, tzinfo=utc), 60),
        (T(2020, 3, 29, 2, 30), T(2020, 3, 29, 1, 30, tzinfo=utc), 60),
    ]
    assert _problems(result) == [
        "warning: session 1: its start 2019-10-27 02:30:00 happened twice in Europe/Oslo (the"
        " clocks went back); taken with the offset before the change (UTC+02:00)",
        "warning: session 3: its start 2020-03-29 02:30:00 does not exist in Europe/Oslo (the"
        " clocks went forward); taken with the offset before the change (UTC+01:00)",
    ]


def _zone_now() -> str:
    """This machine's zone as named today (EST or EDT, CET or CEST)."""
    return dt.datetime.now().astimezone().tzname() or ""


@pytest.fixture
def machine_zone(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Iterator[str]:
    """This process's local zone set to ``request.param`` (the TZ variable), then restored."""
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize("machine_zone", [OSLO], indirect=True)
def test_the_machine_zone_takes_the_offsets_the_named_zone_takes(
    tmp_path: Path, machine_zone: str
) -> None:
    log = _write(tmp_path / "exercise.json", DST_RUNS)
    named = read_activities([log], timezone=OSLO, use_cache=False)
    machine = read_activities([log], use_cache=False)
    cols = ["start_utc", "start_local", "utc_offset_min"]
    assert machine.activities.select(cols).equals(named.activities.select(cols))
    assert [p.message.split(";")[0] for p in machine.problems[1:]] == [
        p.message.split(";")[0].replace(OSLO, f"this machine's time zone ({_zone_now()})")
        for p in named.problems
    ]


@pytest.mark.parametrize("machine_zone", ["America/New_York"], indirect=True)
def test_without_a_timezone_the_machine_zone_is_used_with_one_warning_per_file(
    tmp_path: Path, machine_zone: str
) -> None:
    a = _write(tmp_path / "a" / "exercise.json", _log())
    b = _write(tmp_path / "b" / "exercise.json", _log()[:1])
    result = read_activities([a, b], use_cache=False)
    offsets = result.activities.get_column("utc_offset_min").unique().to_list()
    assert offsets == [-300]  # November in New York: EST
    assert result.activities.get_column("start_local")[0] == T(2019, 11, 4, 17, 5, 10)
    said = (
        "warning: start times are local wall times with no time zone: placed in this"
        f" machine's time zone ({_zone_now()}); set [athlete] timezone in runload.toml"
    )
    assert [(p.path, f"{p.severity}: {p.message}") for p in result.problems] == [
        (str(a), said),
        (str(b), said),
    ]
    assert result.duplicates[0].reason == "same start and sport"  # b's run is a's


# ---------------------------------------------------------------------- copies


def test_a_tcx_copy_of_a_logged_session_counts_once_and_keeps_the_samples(tmp_path: Path) -> None:
    start = T(2019, 11, 4, 17, 5, 10)
    folder = tmp_path / "fitbit"
    log = _write(folder / "exercise.json", _log())
    tcx = folder / "26451905128.tcx"  # Fitbit: Id = the entry's start, first point 38 s on
    tcx.write_text(fitbit_tcx_text(start.replace(tzinfo=zoneinfo.ZoneInfo(OSLO)), 50, 10.0))
    result = read_activities([folder], timezone=OSLO, use_cache=False)
    assert result.activities.height == 6  # not 7
    kept = result.activities.filter(pl.col("file") == str(tcx)).row(0, named=True)
    assert kept["start_local"] == start + dt.timedelta(seconds=38)
    assert len(kept["hr_bpm"]) > 2000
    merged = [(d.file, d.session, d.kept_file, d.kept_session) for d in result.duplicates]
    assert merged == [(str(log), 0, str(tcx), 0)]
    assert result.duplicates[0].reason == MERGED_REASON


def test_a_recorded_copy_without_a_sport_takes_the_log_entrys(tmp_path: Path) -> None:
    start = T(2019, 11, 5, 12, 0, 0)  # the log's Walk; Fitbit's TCX says Other
    folder = tmp_path / "fitbit"
    _write(folder / "exercise.json", _log())
    tcx = folder / "walk.tcx"
    tcx.write_text(
        fitbit_tcx_text(start.replace(tzinfo=zoneinfo.ZoneInfo(OSLO)), 25, 2.5, sport="Other")
    )
    result = read_activities([folder], timezone=OSLO, use_cache=False)
    assert result.activities.filter(pl.col("file") == str(tcx))["sport"].to_list() == ["walking"]
    assert (
        "1 recorded file(s) without a sport of their own took it from the Fitbit exercise log"
        " entry of the same session"
    ) in result.notes


def test_a_session_far_from_any_entry_is_not_merged(tmp_path: Path) -> None:
    folder = tmp_path / "fitbit"
    _write(folder / "exercise.json", _log())
    later = T(2019, 11, 4, 17, 12, 0, tzinfo=zoneinfo.ZoneInfo(OSLO))  # 6 min 50 s after
    (folder / "other.tcx").write_text(fitbit_tcx_text(later, 50, 10.0, first_point_s=0))
    result = read_activities([folder], timezone=OSLO, use_cache=False)
    assert result.activities.height == 7 and result.duplicates == []


# ---------------------------------------------------------------------- sitting, resting HR


def test_sedentary_minutes_in_every_fitbit_form(tmp_path: Path) -> None:
    days = [D(2019, 11, 1) + dt.timedelta(days=i) for i in range(6)]
    _write(
        tmp_path / "a" / "sedentary_minutes.json",
        sedentary(zip(days[:2], ["636", "1440"], strict=True)),
    )
    _write(
        tmp_path / "b" / "sedentary_minutes-2019-11-03.json",
        sedentary(zip(days[2:4], [700, 512.5], strict=True), form="takeout"),
    )
    _write(
        tmp_path / "c" / "sedentary_minutes-2019-11-05.json",
        [{"dateTime": "2019-11-05", "value": 600}, {"dateTime": "11/06/2019", "value": "1440"}],
    )
    result = read_sitting([tmp_path], today=TODAY)
    assert result.days.select("date", "sitting_hours", "source_kind").rows() == [
        (days[0], 636 / 60, "device"),
        (days[2], 700 / 60, "device"),
        (days[3], 512.5 / 60, "device"),
        (days[4], 600 / 60, "device"),
    ]
    assert [p.message for p in result.problems] == [
        "2019-11-02: 1440 sedentary minutes (not worn); dropped",
        "2019-11-06: 1440 sedentary minutes (not worn); dropped",
    ]


def test_resting_heart_rate_feeds_hr_rest_as_a_median(tmp_path: Path, cwd: Path) -> None:
    folder = cwd / "fitbit"
    _write(folder / "exercise.json", _log())
    days = [D(2019, 11, 1) + dt.timedelta(days=i) for i in range(5)]
    path = _write(
        folder / "resting_heart_rate.json",
        resting(zip(days, [53.74, 0, 49.2, 51.0, 0], strict=True)),
    )
    result = read_sitting([folder], today=TODAY, search=True)
    assert result.resting_hr.select("date", "resting_hr").rows() == [
        (days[0], 54.0), (days[2], 49.0), (days[3], 51.0),
    ]  # fmt: skip
    (cwd / "runload.toml").write_text(f'[athlete]\ntimezone = "{OSLO}"\n')
    res = CliRunner().invoke(main, ["report", "fitbit", "--format", "json"])
    athlete = {a["name"]: a for a in json.loads(res.stdout)["athlete"]}
    assert athlete["hr_rest"]["value"] == 51.0
    assert athlete["hr_rest"]["source"] == f"median of 3 values in {folder.name}/{path.name}"


# ---------------------------------------------------------------------- the CLI


def _takeout(folder: Path) -> Path:
    days = [D(2019, 11, 4) + dt.timedelta(days=i) for i in range(7)]
    zipped = takeout_zip(
        {
            "exercise-0.json": _log("takeout")[:3],
            "exercise-100.json": _log("takeout")[3:],
            "sedentary_minutes-2019-11-04.json": sedentary(
                zip(days, ["600", "620", "1440", "700", "710", "580", "500"], strict=True),
                form="takeout",
            ),
            "resting_heart_rate-2019-11-04.json": resting(
                zip(days, [50.2, 51, 0, 52, 50, 49, 51], strict=True), form="takeout"
            ),
        }
    )
    path = folder / "takeout-20200101.zip"
    path.write_bytes(zipped)
    return path


def test_sources_lists_a_takeout_zip_by_kind(cwd: Path) -> None:
    _takeout(cwd)
    (cwd / "runload.toml").write_text(f'[athlete]\ntimezone = "{OSLO}"\n')
    res = CliRunner().invoke(main, ["sources", "takeout-20200101.zip", "--format", "json"])
    assert res.exit_code == 0, res.output
    found = [
        (f["what"], f["kind"], f["files"], f["items"], f["first"], f["last"])
        for f in json.loads(res.stdout)["found"]
    ]
    assert found == [
        ("activities", "fitbit", 2, 6, "2019-11-04", "2019-11-10"),
        ("sitting", "fitbit_sedentary_json", 1, 6, "2019-11-04", "2019-11-10"),
        ("hr_rest", "fitbit_resting_hr_json", 1, 6, "2019-11-04", "2019-11-10"),
    ]
    table = CliRunner().invoke(main, ["sources", "takeout-20200101.zip", "--format", "table"])
    words = table.stdout.split()
    assert {"exercise", "logs", "sedentary", "resting", "hr_rest"} <= set(words)


def test_report_of_a_takeout_zip_says_its_loads_come_from_session_averages(cwd: Path) -> None:
    _takeout(cwd)
    (cwd / "runload.toml").write_text(f'[athlete]\ntimezone = "{OSLO}"\nhr_max = 190\n')
    res = CliRunner().invoke(main, ["report", "takeout-20200101.zip", "--format", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    runs = [a for a in doc["activities"] if a["is_run"]]
    assert [(a["date"], a["load_method"]) for a in runs] == [
        ("2019-11-04", "avg_hr"), ("2019-11-06", "avg_hr"), ("2019-11-10", "avg_hr"),
    ]  # fmt: skip
    assert {a["sitting_source"] for a in doc["days"] if a["sitting_hours"] is not None} == {
        "device"
    }
    table = CliRunner().invoke(main, ["report", "takeout-20200101.zip", "--format", "table"])
    assert "3 run(s) had only a session average heart rate" in " ".join(table.stdout.split())
    assert "note: 2 Treadmill session(s) in the Fitbit exercise log: 1 at a running" in (
        table.stderr
    )


def test_a_warm_run_reports_what_a_cold_one_did(tmp_path: Path) -> None:
    entries = [*_log(), exercise(7, "Treadmill", T(2019, 10, 27, 2, 30), 30)]
    log = _write(tmp_path / "exercise.json", entries)
    cache = tmp_path / "cache"
    cold = read_activities([log], timezone=OSLO, cache_dir=cache)
    warm = read_activities([log], timezone=OSLO, cache_dir=cache)
    assert (cold.parsed, warm.from_cache) == (1, 1)
    assert cold.activities.equals(warm.activities)
    assert (cold.problems, cold.notes) == (warm.problems, warm.notes)
