"""``runload ingest`` through click's CliRunner: formats, summary, problems, exit codes."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner

from runload.cli import main
from tools.fitgen import activity_bytes, run

START = dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC)


@cache
def a_run() -> bytes:
    return activity_bytes(run(START, 30, 5.0, hr=150, record_every_s=30, local_offset_s=3600))


@cache
def no_local_time() -> bytes:
    start = START + dt.timedelta(days=3)
    return activity_bytes(run(start, 20, 4.0, hr=140, record_every_s=30, local_offset_s=None))


@pytest.fixture
def season(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "season"
    folder.mkdir()
    (folder / "run.fit").write_bytes(a_run())
    return folder


def invoke(*args: str):
    return CliRunner().invoke(main, ["ingest", *args])


def test_json_has_activities_and_problems(season: Path) -> None:
    (season / "broken.fit").write_bytes(b"garbage")
    res = invoke("season", "--format", "json", "--jobs", "1")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    (row,) = out["activities"]
    assert row["file"] == "season/run.fit"
    assert row["start_utc"] == "2026-03-01T23:30:00Z"
    assert row["start_local"] == "2026-03-02T00:30:00"
    assert row["date"] == "2026-03-02" and row["utc_offset_min"] == 60
    assert row["distance_km"] == pytest.approx(5.0) and row["is_run"] is True
    assert "hr_t" not in row and "hr_bpm" not in row
    assert out["problems"] == [
        {
            "path": "season/broken.fit",
            "severity": "error",
            "code": "fit.not_fit",
            "message": "not a FIT file (no .FIT signature)",
            "line": None,
            "offset": None,
        }
    ]
    assert "1 activity (1 run)" in res.stderr
    assert "season/broken.fit: not a FIT file (no .FIT signature)" in res.stderr


def test_csv_when_piped_and_summary_on_stderr(season: Path) -> None:
    res = invoke("season", "--jobs", "1")
    assert res.exit_code == 0, res.output
    header, line = res.stdout.splitlines()
    assert header.startswith("file,session,sport,sub_sport,is_run,start_utc,start_local,date")
    assert "hr_t" not in header
    assert line.startswith("season/run.fit,0,running,generic,true,2026-03-01T23:30:00Z,")
    assert res.stderr.splitlines()[0] == (
        "1 file seen, 1 activity (1 run), 0 with no activity, 0 from cache, 1 parsed, 0 duplicates"
        " merged, 0 problems"
    )
    again = invoke("season", "--jobs", "1")
    assert "1 from cache, 0 parsed" in again.stderr


def test_table_format(season: Path) -> None:
    res = invoke("season", "--format", "table")
    assert res.exit_code == 0, res.output
    assert "Activities" in res.stdout and "running" in res.stdout


def test_strict_fails_on_any_problem(season: Path) -> None:
    (season / "empty.fit").write_bytes(b"")
    assert invoke("season").exit_code == 0
    res = invoke("season", "--strict")
    assert res.exit_code == 1
    assert "season/empty.fit: empty file" in res.stderr


def test_nothing_readable_exits_1_without_traceback(tmp_path: Path) -> None:
    (tmp_path / "x.fit").write_text("nope")
    res = invoke(str(tmp_path / "x.fit"))
    assert res.exit_code == 1
    assert "Traceback" not in res.output
    assert "not a FIT file" in res.stderr and "no activity could be read" in res.stderr


def test_a_named_path_that_does_not_exist_is_a_usage_mistake_nothing_read(tmp_path: Path) -> None:
    (tmp_path / "x.fit").write_bytes(a_run())
    res = invoke(str(tmp_path / "x.fit"), str(tmp_path / "missing"))
    assert res.exit_code == 2 and res.stdout == ""
    assert res.stderr == (
        f"Error: {tmp_path / 'missing'}: no such file or folder (an activity path you named; "
        "nothing was read)\n"
    )


def test_duplicates_are_listed(season: Path) -> None:
    (season / "copy.fit").write_bytes(a_run())
    res = invoke("season")
    assert res.exit_code == 0
    assert "1 duplicates merged" in res.stderr
    assert "season/run.fit: same activity as season/copy.fit (identical bytes); merged" in (
        res.stderr.splitlines()
    )


def test_no_cache_and_cache_dir(season: Path, tmp_path: Path) -> None:
    res = invoke("season", "--cache-dir", str(tmp_path / "mycache"))
    assert res.exit_code == 0 and list((tmp_path / "mycache").rglob("*.parquet"))
    res = invoke("season", "--cache-dir", str(tmp_path / "other"), "--no-cache")
    assert "0 from cache, 1 parsed" in res.stderr and not (tmp_path / "other").exists()


def test_config_timezone_is_used(season: Path, tmp_path: Path) -> None:
    (season / "nolocal.fit").write_bytes(no_local_time())
    (tmp_path / "my.toml").write_text('[athlete]\ntimezone = "Asia/Tokyo"\n')
    # two files, two workers: the spawned workers run under CliRunner too
    res = invoke("season", "--config", str(tmp_path / "my.toml"), "--format", "json", "-j", "2")
    assert res.exit_code == 0, res.output
    rows = {r["file"]: r for r in json.loads(res.stdout)["activities"]}
    assert rows["season/nolocal.fit"]["utc_offset_min"] == 540
    assert rows["season/run.fit"]["utc_offset_min"] == 60


def test_bad_jobs_is_a_usage_error(season: Path) -> None:
    res = invoke("season", "--jobs", "0")
    assert res.exit_code == 2


def test_ingest_and_report_both_say_which_copies_were_merged(season: Path) -> None:
    from tools.fitgen import activity_bytes, run

    # a second export of the same run (another device serial, so other bytes) and a copy
    spec = run(START, 30, 5.0, hr=150, record_every_s=30, local_offset_s=3600)
    spec.serial_number = 4242
    (season / "z_reexport.fit").write_bytes(activity_bytes(spec))
    (season / "y_copy.fit").write_bytes(a_run())
    merged = [
        "season/z_reexport.fit (session 0): same activity as season/run.fit (session 0)"
        " (same start and sport)",
        "season/y_copy.fit: same activity as season/run.fit (identical bytes)",
    ]
    res = invoke("season", "-j", "1")
    assert res.exit_code == 0, res.output
    assert "1 activity (1 run)" in res.stderr and "2 duplicates merged" in res.stderr
    for line in merged:
        assert f"{line}; merged" in res.stderr.splitlines()
    report = CliRunner().invoke(main, ["report", "season", "--format", "json", "-j", "1"])
    assert report.exit_code == 0, report.output
    # the report's JSON lists the merged copies exactly as ingest's JSON does
    listed = CliRunner().invoke(main, ["ingest", "season", "--format", "json", "-j", "1"])
    assert json.loads(report.stdout)["duplicates"] == json.loads(listed.stdout)["duplicates"]
    assert {d["file"] for d in json.loads(report.stdout)["duplicates"]} == {
        "season/z_reexport.fit",
        "season/y_copy.fit",
    }
    assert json.loads(report.stdout)["problems"] == []  # a copy merged is no problem
    table = CliRunner().invoke(main, ["report", "season", "--format", "table", "-j", "1"])
    assert table.exit_code == 0, table.output
    assert "Merged copies, each counted once (2):" in table.output
    for copy in ("season/z_reexport.fit (session 0)", "season/y_copy.fit"):
        assert f"{copy}: same activity as season/run.fit" in table.output


def test_an_empty_folder_says_no_activity_files_naming_gpx_and_tcx_too(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("no FIT here")
    res = invoke(str(tmp_path))
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert res.stderr.splitlines()[-1] == (
        "runload: no activity files (.fit, .gpx or .tcx, each also gzipped, or .zip exports) "
        "in the given paths"
    )


def test_ingest_without_paths_reads_the_configs_activities(
    season: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # as report and check: [paths] activities, relative to the config file's folder
    config_dir = tmp_path / "conf"
    config_dir.mkdir()
    (config_dir / "runload.toml").write_text('[paths]\nactivities = "../season"\n')
    monkeypatch.chdir(config_dir)
    res = invoke("--jobs", "1", "--format", "json")
    assert res.exit_code == 0, res.output
    (row,) = json.loads(res.stdout)["activities"]
    assert Path(row["file"]).resolve() == (season / "run.fit").resolve()
    res = invoke("--config", str(config_dir / "runload.toml"), "--jobs", "1")
    assert res.exit_code == 0 and "1 activity (1 run)" in res.stderr


def test_ingest_without_paths_or_config_is_a_usage_mistake(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    res = invoke()
    assert res.exit_code == 2
    assert "set [paths] activities in runload.toml" in res.output
