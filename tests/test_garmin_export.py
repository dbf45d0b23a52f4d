"""Garmin's account export (a zip of zips) and a watch over USB (``GARMIN/Activity`` and
``GARMIN/Monitor``): the runs and the sitting read from the same input, with and without
``--sitting``; bad parts of an archive cost only themselves."""

from __future__ import annotations

import copy
import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from runload.cli import main
from runload.sitting import read_sitting
from tools.exportgen import zip_bytes
from tools.fitgen import MonitoringState, activity_bytes, monitoring_bytes, run

D = dt.date
OFFSET = 3600  # the runner's zone in March: UTC+1
RUN_DAYS = [D(2026, 3, 2), D(2026, 3, 4), D(2026, 3, 6)]
UDS_DAYS = [D(2026, 2, 23) + dt.timedelta(days=i) for i in range(14)]  # 02-23 .. 03-08
UDS_HOURS = [7.0 + 0.25 * i for i in range(14)]
UPLOADS = "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip"
UDS = "DI_CONNECT/DI-Connect-Aggregator/UDSFile_2026-01-01_2026-04-01.json"


def invoke(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def _run_fit(day: D, minutes: float = 45, offset_s: int = OFFSET) -> bytes:
    start = dt.datetime(day.year, day.month, day.day, 7, 0, tzinfo=dt.UTC)
    return activity_bytes(run(start, minutes, 8.0, 150, local_offset_s=offset_s, record_every_s=10))


@pytest.fixture
def summary_template(shared_sitting_dir: Path) -> dict[str, Any]:
    """A real Connect day summary (every key the export's UDSFile objects carry)."""
    days = json.loads((shared_sitting_dir / "garmin_usersummary_daily_2days.json").read_text())
    return days[0]


def _uds(template: dict[str, Any], days: list[D], hours: list[float]) -> str:
    """A UDSFile: the real day objects, re-dated, with their seconds adding up to 24 h."""
    out = []
    for i, (day, h) in enumerate(zip(days, hours, strict=True)):
        obj = copy.deepcopy(template)
        before = day - dt.timedelta(days=1)
        sedentary, sleeping, active, high = round(h * 3600), 8 * 3600, 3000, 600
        obj.update(
            calendarDate=day.isoformat(),
            userDailySummaryId=template["userDailySummaryId"] + i,
            wellnessStartTimeGmt=f"{before}T23:00:00.0",
            wellnessStartTimeLocal=f"{day}T00:00:00.0",
            wellnessEndTimeGmt=f"{day}T23:00:00.0",
            wellnessEndTimeLocal=f"{day + dt.timedelta(days=1)}T00:00:00.0",
            sedentarySeconds=sedentary,
            sleepingSeconds=sleeping,
            highlyActiveSeconds=high,
            activeSeconds=86400 - sedentary - sleeping - high,
            includesWellnessData=True,
        )
        assert active > 0
        out.append(obj)
    return json.dumps(out, indent=2)


def _uploads() -> bytes:
    """UploadedFiles_*.zip: the FIT uploads, named as Connect names them."""
    return zip_bytes(
        {f"runner@example.com_{1001 + i}.fit": _run_fit(day) for i, day in enumerate(RUN_DAYS)}
    )


def _export(folder: Path, template: dict[str, Any], **extra: bytes | str) -> Path:
    export = folder / "garmin_export.zip"
    members: dict[str, bytes | str] = {
        "DI_CONNECT/DI-Connect-User/user_profile.json": '{"userName": "runner"}',
        "DI_CONNECT/DI-Connect-Fitness/runner_0_summarizedActivities.json": json.dumps(
            [{"summarizedActivitiesExport": [{"activityId": 1, "name": "Easy run"}]}]
        ),
        UPLOADS: _uploads(),
        UDS: _uds(template, UDS_DAYS, UDS_HOURS),
        **extra,
    }
    export.write_bytes(zip_bytes(members))
    return export


def _stderr_lines(res: Any) -> list[str]:
    return [line for line in res.stderr.splitlines() if line]


def _days(doc: dict[str, Any]) -> dict[D, dict[str, Any]]:
    return {D.fromisoformat(d["date"]): d for d in doc["days"]}


# --- (a) a Garmin account export --------------------------------------------------------------


def test_report_takes_runs_and_sitting_from_the_export(tmp_path, summary_template) -> None:
    export = _export(tmp_path, summary_template)
    res = invoke("report", str(export), "--format", "json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert [a["date"] for a in doc["activities"]] == [d.isoformat() for d in RUN_DAYS]
    days = _days(doc)
    assert set(UDS_DAYS) <= set(days)  # the season spans the sitting days too
    for day, hours in zip(UDS_DAYS, UDS_HOURS, strict=True):
        assert days[day]["sitting_source"] == "device"
        assert days[day]["sitting_hours"] == pytest.approx(hours, abs=0.01)
    assert doc["problems"] == []
    note = f"note: sitting from {export} (Garmin daily summaries, 1 file; 14 days)"
    assert [ln for ln in _stderr_lines(res) if ln.startswith("note: sitting")] == [note]
    assert all(ln.startswith("note: ") for ln in _stderr_lines(res))


def test_the_export_as_sitting_source(tmp_path, summary_template) -> None:
    export = _export(tmp_path, summary_template)
    res = invoke("report", str(export), "--sitting", str(export), "--format", "json")
    assert res.exit_code == 0, res.output
    days = _days(json.loads(res.stdout))
    assert days[RUN_DAYS[1]]["sitting_source"] == "device"
    assert days[RUN_DAYS[1]]["sitting_hours"] == pytest.approx(UDS_HOURS[9], abs=0.01)
    assert "note: sitting from" not in res.stderr  # named: the user knows which


def test_check_on_the_export(tmp_path, summary_template) -> None:
    export = _export(tmp_path, summary_template)
    res = invoke("check", str(export), "--date", "2026-03-06", "--format", "json")
    assert res.exit_code in (0, 3, 4), res.output
    doc = json.loads(res.stdout)
    assert doc["sitting_source"] == "device"
    assert doc["sitting_hours"] == pytest.approx(UDS_HOURS[11], abs=0.01)
    assert "note: sitting from" in res.stderr


def test_the_config_log_and_the_export_are_merged_the_log_winning_its_days(
    tmp_path, summary_template, monkeypatch
) -> None:
    """runload.toml and sitting.csv in one folder, the export elsewhere: both are read (the
    export's 14 days were dropped without a word before), the log wins the day it has."""
    export = _export(tmp_path, summary_template)
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "runload.toml").write_text("[athlete]\nhr_max = 190\n")
    (conf / "sitting.csv").write_text("date,sitting_hours\n2026-03-04,5\n2026-03-20,6\n")
    monkeypatch.chdir(tmp_path)
    res = invoke("report", str(export), "--config", str(conf / "runload.toml"), "--format", "json")
    assert res.exit_code == 0, res.output
    days = _days(json.loads(res.stdout))
    assert days[RUN_DAYS[1]]["sitting_source"] == "self_report"
    assert days[RUN_DAYS[1]]["sitting_hours"] == 5.0
    assert days[RUN_DAYS[0]]["sitting_source"] == "device"
    assert days[RUN_DAYS[0]]["sitting_hours"] == pytest.approx(UDS_HOURS[7], abs=0.01)
    assert days[D(2026, 3, 20)]["sitting_hours"] == 6.0
    log = conf / "sitting.csv"
    assert [ln for ln in _stderr_lines(res) if ln.startswith("note: sitting")] == [
        f"note: sitting from {log} (sitting log, 1 file; 2 days) and {export} (Garmin daily "
        "summaries, 1 file; 13 days); 15 days in all, the log winning the days it has"
    ]


# --- (b) a watch over USB ---------------------------------------------------------------------


def _monitor_day(day: D, desk_until: int) -> bytes:
    """A day's monitoring file: sedentary 09:00–desk_until and 18:00–21:00 local inside the
    07:00–23:00 window (sleep before 07:00 is outside it): desk_until - 9 + 3 hours."""
    midnight = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC) - dt.timedelta(
        seconds=OFFSET
    )
    at = [(0, 8), (7, 6), (9, 8), (desk_until, 6), (18, 8), (21, 6)]
    states = [MonitoringState(midnight + dt.timedelta(hours=h), kind) for h, kind in at]
    return monitoring_bytes(midnight, OFFSET, states, end_utc=midnight + dt.timedelta(days=1))


def _usb(folder: Path) -> Path:
    garmin = folder / "GARMIN"
    (garmin / "Activity").mkdir(parents=True)
    (garmin / "Monitor").mkdir()
    for i, (day, desk_until) in enumerate(zip(RUN_DAYS, (17, 16, 15), strict=True)):
        (garmin / "Activity" / f"{day}-07-00-00.fit").write_bytes(_run_fit(day))
        (garmin / "Monitor" / f"A3B4{i:04d}.FIT").write_bytes(_monitor_day(day, desk_until))
    return garmin


def test_report_on_a_watch_folder(tmp_path) -> None:
    garmin = _usb(tmp_path)
    res = invoke("report", str(garmin), "--format", "json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert len(doc["activities"]) == 3
    days = _days(doc)
    for day, hours in zip(RUN_DAYS, (11.0, 10.0, 9.0), strict=True):
        assert days[day]["sitting_source"] == "device"
        assert days[day]["sitting_hours"] == pytest.approx(hours, abs=1e-6)
    assert doc["problems"] == []  # no "not an activity file" per monitoring file
    assert _stderr_lines(res) == [
        f"note: sitting from {garmin} (Garmin monitoring files, 3 files; 3 days)"
    ]


def test_table_report_on_a_watch_folder_says_nothing_per_monitor_file(tmp_path) -> None:
    garmin = _usb(tmp_path)
    res = invoke("report", str(garmin), "--format", "csv")
    assert res.exit_code == 0, res.output
    assert "Monitor" not in res.stderr.replace(f"sitting from {garmin}", "")


def test_ingest_on_a_watch_folder_lists_the_monitor_files_once(tmp_path) -> None:
    garmin = _usb(tmp_path)
    res = invoke("ingest", str(garmin), "--format", "json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert len(doc["activities"]) == 3 and doc["problems"] == []
    first = garmin / "Monitor" / "A3B40000.FIT"
    said = [ln for ln in _stderr_lines(res) if "monitoring" in ln]
    assert said == [
        f"3 monitoring files (sitting data, not activities, e.g. {first}): "
        "`runload sitting show` and `runload report` read them"
    ]


def test_the_real_vivofit_file_in_a_watch_folder(tmp_path, shared_sitting_dir) -> None:
    garmin = tmp_path / "GARMIN"
    (garmin / "Activity").mkdir(parents=True)
    (garmin / "Monitor").mkdir()
    vivofit = garmin / "Monitor" / "MonitoringFile.fit"
    shutil.copy(shared_sitting_dir / "garmin_vivofit_MonitoringFile.fit", vivofit)
    day = D(2014, 12, 27)  # the file's local day (UTC-6); a run at 07:00 UTC is 01:00 local
    start = dt.datetime(2014, 12, 27, 16, 0, tzinfo=dt.UTC)
    (garmin / "Activity" / "run.fit").write_bytes(
        activity_bytes(run(start, 40, 7.0, 150, local_offset_s=-6 * 3600, record_every_s=10))
    )
    expected = read_sitting([vivofit]).days
    assert expected["date"].to_list() == [day]
    res = invoke("report", str(garmin), "--format", "json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    got = _days(doc)[day]
    assert got["sitting_source"] == "device"
    assert got["sitting_hours"] == pytest.approx(expected["sitting_hours"][0], abs=0.01)
    assert got["sitting_hours"] > 9  # of the 07:00-23:00 window (~10.4 h over the whole day)
    assert not [p for p in doc["problems"] if "MonitoringFile" in p["path"]]


# --- (c) bad parts of an archive --------------------------------------------------------------


def test_bad_members_cost_only_themselves(tmp_path, summary_template, monkeypatch) -> None:
    import runload.inputs as inputs

    good = _uds(summary_template, UDS_DAYS, UDS_HOURS)
    limit = max(len(good.encode()), *(len(_run_fit(d)) for d in RUN_DAYS)) + 1
    big_days = [D(2025, 1, 1) + dt.timedelta(days=i) for i in range(40)]
    big = _uds(summary_template, big_days, [8.0] * 40)
    assert len(big.encode()) > limit
    monkeypatch.setattr(inputs, "MAX_FIT_BYTES", limit)
    broken = "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part2.zip"
    other_shape = "DI_CONNECT/DI-Connect-Aggregator/UDSFile_2025-04-01_2025-07-01.json"
    too_big = "DI_CONNECT/DI-Connect-Aggregator/UDSFile_2025-01-01_2025-04-01.json"
    export = _export(
        tmp_path,
        summary_template,
        **{
            broken: b"PK\x03\x04 this zip was cut short",
            other_shape: json.dumps({"dailySummaries": [{"date": "2025-04-01", "steps": 1}]}),
            too_big: big,
        },
    )
    res = read_sitting([export])
    assert [(p.path, p.severity, p.message.split(" (")[0]) for p in res.problems] == [
        (f"{export}:{too_big}", "error", "too big for a sitting file"),
        (f"{export}:{broken}", "error", "not a readable zip archive"),
        (
            f"{export}:{other_shape}",
            "warning",
            "unsupported sitting source: JSON without day objects runload knows; "
            "supported: a sitting log",
        ),
    ]
    assert res.days["date"].to_list() == UDS_DAYS

    out = invoke("report", str(export), "--format", "json")
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    assert len(doc["activities"]) == 3  # Part1's runs, beside the broken Part2
    paths = [p["path"] for p in doc["problems"]]
    assert sorted(paths) == sorted(
        f"{export}:{m}" for m in (broken, too_big, other_shape)
    )  # one line each: the broken zip that ingest and sitting both met is said once
    assert _days(doc)[RUN_DAYS[0]]["sitting_source"] == "device"


def test_a_broken_outer_zip_is_one_problem(tmp_path) -> None:
    bad = tmp_path / "garmin_export.zip"
    bad.write_bytes(b"PK\x03\x04 not really")
    res = read_sitting([bad])
    assert [(p.path, p.message.split(" (")[0]) for p in res.problems] == [
        (str(bad), "not a readable zip archive")
    ]


def test_member_names_are_never_paths(tmp_path, summary_template) -> None:
    """A ``../`` member is read in memory under its name; nothing is written anywhere."""
    export = tmp_path / "inner" / "export.zip"
    export.parent.mkdir()
    export.write_bytes(
        zip_bytes({"../../UDSFile_evil.json": _uds(summary_template, [D(2026, 3, 2)], [9.0])})
    )
    before = sorted(p for p in tmp_path.rglob("*"))
    res = read_sitting([export])
    assert res.problems == []
    assert res.days["sitting_hours"].to_list() == [9.0]
    assert sorted(p for p in tmp_path.rglob("*")) == before


# --- (d) sitting show --------------------------------------------------------------------------


def test_sitting_show_lists_the_export_days(tmp_path, summary_template) -> None:
    export = _export(tmp_path, summary_template)
    res = invoke("sitting", "show", str(export), "--format", "csv")
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert lines[0].startswith("date,sitting_hours,source")
    assert [ln.split(",")[0] for ln in lines[1:]] == [d.isoformat() for d in UDS_DAYS]
    assert f"{export}:{UDS}" in lines[1]
    assert res.stderr == ""


def test_sitting_show_on_a_zip_without_sitting(tmp_path) -> None:
    export = tmp_path / "runs.zip"
    export.write_bytes(_uploads())
    res = invoke("sitting", "show", str(export), "--format", "csv")
    assert f"{export}: has no sitting sources" in res.stderr
