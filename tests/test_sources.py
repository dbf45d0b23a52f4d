"""``runload sources``: what a download holds, by path and kind, as report would read it."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from runload.cli import main
from tools.applegen import export_text, stand_hour, write_zip
from tools.exportgen import zip_bytes
from tools.fitgen import activity_bytes, run
from tools.trackgen import gpx_text

D = dt.date
RUN_DAYS = [D(2026, 3, 2), D(2026, 3, 4), D(2026, 3, 6)]
UDS_DAYS = [D(2026, 3, 1) + dt.timedelta(days=i) for i in range(7)]


def _fit(day: D) -> bytes:
    start = dt.datetime(day.year, day.month, day.day, 17, 0, tzinfo=dt.UTC)
    return activity_bytes(run(start, 40, 7.0, 150, record_every_s=10))


@pytest.fixture
def download(tmp_path: Path, shared_sitting_dir: Path) -> Path:
    """A Garmin account export (FIT uploads + a UDSFile made from a real day summary) and
    a Strava-style GPX run, in one folder."""
    template: dict[str, Any] = json.loads(
        (shared_sitting_dir / "garmin_usersummary_daily_2days.json").read_text()
    )[0]
    days = [
        {**template, "calendarDate": d.isoformat(), "sedentarySeconds": 9 * 3600} for d in UDS_DAYS
    ]
    uploads = zip_bytes({f"runner_{i}.fit": _fit(d) for i, d in enumerate(RUN_DAYS)})
    folder = tmp_path / "download"
    folder.mkdir()
    (folder / "garmin_export.zip").write_bytes(
        zip_bytes(
            {
                "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip": uploads,
                "DI_CONNECT/DI-Connect-Aggregator/UDSFile_2026-03-01_2026-03-08.json": (
                    json.dumps(days)
                ),
            }
        )
    )
    start = dt.datetime(2026, 3, 8, 8, 0, tzinfo=dt.UTC)
    (folder / "strava.gpx").write_text(gpx_text(start, 30, 5.0))
    return folder


def _json(*args: str) -> dict[str, Any]:
    res = CliRunner().invoke(main, ["sources", *args, "--format", "json", "-j", "1"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_a_download_by_path_and_kind(download: Path) -> None:
    export = str(download / "garmin_export.zip")
    gpx = str(download / "strava.gpx")
    doc = _json(export, gpx)
    rows = {(r["path"], r["what"], r["kind"]): r for r in doc["found"]}
    assert set(rows) == {
        (export, "activities", "fit"),
        (gpx, "activities", "gpx"),
        (export, "sitting", "garmin_summary"),
    }
    fit = rows[(export, "activities", "fit")]
    assert (fit["files"], fit["items"], fit["first"], fit["last"]) == (
        3,
        3,
        "2026-03-02",
        "2026-03-06",
    )
    summary = rows[(export, "sitting", "garmin_summary")]
    assert (summary["files"], summary["items"], summary["first"], summary["last"]) == (
        1,
        7,
        "2026-03-01",
        "2026-03-07",
    )
    assert rows[(gpx, "activities", "gpx")]["items"] == 1
    assert doc["problems"] == []


def test_the_sitting_given_is_what_is_listed(download: Path, tmp_path: Path) -> None:
    """With --sitting, that is the sitting report uses: the export's own is not listed."""
    tz = dt.timezone(dt.timedelta(hours=1))
    hours = [
        stand_hour(dt.datetime(2026, 3, 3, h, tzinfo=tz), stood=h % 3 == 0) for h in range(7, 23)
    ]
    apple = write_zip(tmp_path / "export.zip", export_text(hours))
    doc = _json(str(download), "--sitting", str(apple))
    sitting = [r for r in doc["found"] if r["what"] == "sitting"]
    assert [(r["path"], r["kind"], r["items"]) for r in sitting] == [
        (str(apple), "apple_stand_hours", 1)
    ]
    kinds = {r["kind"] for r in doc["found"] if r["what"] == "activities"}
    assert kinds == {"fit", "gpx"}


def test_files_that_give_nothing_are_still_listed_and_said(tmp_path: Path) -> None:
    folder = tmp_path / "season"
    folder.mkdir()
    (folder / "broken.fit").write_bytes(b"\x0e\x10" + b"\x00" * 20)
    (folder / "empty.gpx").write_text('<?xml version="1.0"?><gpx version="1.1"></gpx>')
    res = CliRunner().invoke(main, ["sources", str(folder), "--format", "json", "-j", "1"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert {(r["kind"], r["files"], r["items"]) for r in doc["found"]} == {
        ("fit", 1, 0),
        ("gpx", 1, 0),
    }
    assert {Path(p["path"]).name for p in doc["problems"]} == {"broken.fit", "empty.gpx"}
    assert "Traceback" not in res.output


def test_nothing_found_exits_1(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("no runs here")
    res = CliRunner().invoke(main, ["sources", str(tmp_path)])
    assert res.exit_code == 1
    assert res.stderr.splitlines()[-1] == (
        "nothing found: no activity files or sitting sources in the given paths"
    )


def test_table_on_a_terminal_names_each_kind(download: Path) -> None:
    res = CliRunner().invoke(main, ["sources", str(download), "--format", "table", "-j", "1"])
    assert res.exit_code == 0, res.output
    for words in ("activities", "sitting", "FIT files", "GPX files", "Garmin daily summaries"):
        assert all(word in res.stdout for word in words.split()), words


@pytest.fixture
def two_exports(tmp_path: Path, shared_sitting_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A Garmin account export of three runs, and a Strava bulk export of two of them: one
    as the same FIT bytes gzipped, one as a GPX with the same start and sport."""
    monkeypatch.chdir(tmp_path)
    template: dict[str, Any] = json.loads(
        (shared_sitting_dir / "garmin_usersummary_daily_2days.json").read_text()
    )[0]
    days = [
        {**template, "calendarDate": d.isoformat(), "sedentarySeconds": 9 * 3600} for d in UDS_DAYS
    ]
    uploads = zip_bytes({f"runner_{i}.fit": _fit(d) for i, d in enumerate(RUN_DAYS)})
    (tmp_path / "garmin_export.zip").write_bytes(
        zip_bytes(
            {
                "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip": uploads,
                "DI_CONNECT/DI-Connect-Aggregator/UDSFile_2026-03-01.json": json.dumps(days),
            }
        )
    )
    second = dt.datetime(RUN_DAYS[1].year, RUN_DAYS[1].month, RUN_DAYS[1].day, 17, tzinfo=dt.UTC)
    (tmp_path / "strava_export.zip").write_bytes(
        zip_bytes(
            {
                "activities/1001.fit.gz": gzip.compress(_fit(RUN_DAYS[0])),
                "activities/1002.gpx": gpx_text(second, 40, 7.0),
            }
        )
    )
    return tmp_path


def test_sources_shows_the_strava_copies_as_merged_and_report_calls_them_no_problem(
    two_exports: Path,
) -> None:
    """`runload sources garmin_export.zip strava_export.zip` showed Strava 0 activities with
    no reason; `report` on the same called the de-duplication problems."""
    doc = _json("garmin_export.zip", "strava_export.zip")
    rows = {(r["path"], r["kind"]): r for r in doc["found"] if r["what"] == "activities"}
    counts = {k: (r["files"], r["items"], r["merged"], r["no_activity"]) for k, r in rows.items()}
    assert counts == {
        ("garmin_export.zip", "fit"): (3, 3, 0, 0),
        ("strava_export.zip", "fit"): (1, 0, 1, 0),
        ("strava_export.zip", "gpx"): (1, 0, 1, 0),
    }
    assert {d["file"] for d in doc["duplicates"]} == {
        "strava_export.zip:activities/1001.fit.gz",
        "strava_export.zip:activities/1002.gpx",
    }
    assert doc["problems"] == [] and doc["no_activity"] == []
    table = CliRunner().invoke(
        main, ["sources", "garmin_export.zip", "strava_export.zip", "--format", "table", "-j", "1"]
    )
    assert table.stdout.count("1 merged") == 2
    report = CliRunner().invoke(
        main, ["report", "garmin_export.zip", "strava_export.zip", "--format", "json", "-j", "1"]
    )
    assert report.exit_code == 0, report.output
    out = json.loads(report.stdout)
    assert out["problems"] == [] and len(out["duplicates"]) == 2
    assert len(out["activities"]) == 3
    report = CliRunner().invoke(
        main, ["report", "garmin_export.zip", "strava_export.zip", "--format", "csv", "-j", "1"]
    )
    assert "Problems" not in report.stderr and "problems" not in report.stderr
    assert "same activity as garmin_export.zip:" in report.stderr


def test_files_that_give_no_activity_are_listed_with_their_kind_and_why(
    tmp_path: Path, shared_fit_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A watch's monitoring file and a settings file beside a run: `sources` counts them
    under "no activity" and lists each with why (they were only on stderr, or nowhere)."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "watch"
    folder.mkdir()
    (folder / "run.fit").write_bytes(_fit(RUN_DAYS[0]))
    for name in ("python-fitparse__MonitoringFile.fit", "python-fitparse__Settings.fit"):
        (folder / name).write_bytes((shared_fit_dir / name).read_bytes())
    doc = _json("watch")
    (row,) = [r for r in doc["found"] if r["what"] == "activities"]
    assert (row["files"], row["items"], row["merged"], row["no_activity"]) == (3, 1, 0, 2)
    assert {(f["file"], f["kind"], f["file_type"], f["code"]) for f in doc["no_activity"]} == {
        ("watch/python-fitparse__MonitoringFile.fit", "fit", "monitoring_b", None),
        ("watch/python-fitparse__Settings.fit", "fit", "settings", "fit.not_activity"),
    }


def test_a_sitting_log_named_among_the_paths_is_sitting_not_a_broken_fit_file(
    tmp_path: Path,
) -> None:
    """``runload check season/ sitting.csv``, as a runner hands over "my files": the log is
    read as sitting and listed with why it gave no activity, with no "not a FIT file"
    problem in report, check or sources; a named file that is neither still gets one."""
    season = tmp_path / "season"
    season.mkdir()
    for day in RUN_DAYS:
        (season / f"{day}.fit").write_bytes(_fit(day))
    log = tmp_path / "sitting.csv"
    log.write_text("date,sitting_hours\n" + "".join(f"{d},9.5\n" for d in RUN_DAYS))
    stray = tmp_path / "notes.txt"
    stray.write_text("ran well\n")
    cache = ["--cache-dir", str(tmp_path / "cache"), "-j", "1"]
    sources = CliRunner().invoke(
        main, ["sources", str(season), str(log), "--format", "json", *cache]
    )
    assert sources.exit_code == 0, sources.output
    doc = json.loads(sources.stdout)
    assert doc["problems"] == []
    assert [(f["file"], f["kind"], f["code"], f["why"]) for f in doc["no_activity"]] == [
        (str(log), "manual_csv", None, "read as sitting (sitting log)")
    ]
    assert [r["path"] for r in doc["found"] if r["what"] == "activities"] == [str(season)]
    assert [(r["path"], r["items"]) for r in doc["found"] if r["what"] == "sitting"] == [
        (str(log), 3)
    ]
    day = ["--date", str(RUN_DAYS[-1]), "--format", "json"]
    check = CliRunner().invoke(main, ["check", str(season), str(log), *day, *cache])
    assert check.exit_code in (0, 3, 4), check.output
    checked = json.loads(check.stdout)
    assert checked["sitting_hours"] == 9.5
    assert not [p for p in checked["problems"] if p["code"] == "fit.not_fit"]
    report = CliRunner().invoke(
        main, ["report", str(season), str(log), str(stray), "--format", "json", *cache]
    )
    assert report.exit_code == 0, report.output
    said = {(p["path"], p["code"]) for p in json.loads(report.stdout)["problems"]}
    assert (str(stray), "fit.not_fit") in said
    assert not {path for path, _ in said if path == str(log)}
