"""GPX and TCX: the readers on real files from public test suites (tests/data/tracks,
see SOURCES.tsv), HR samples into TRIMP, a Strava bulk export through ``runload
ingest``, FIT over GPX for the same run, and bad input as one-line problems."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from runload.analysis import analyse
from runload.cli import main
from runload.config import Settings
from runload.entries import entry_from_result
from runload.ingest import read_activities
from runload.inputs import find_inputs
from runload.readers import Unread, read_activity
from runload.track.gpx import read_gpx
from runload.track.tcx import read_tcx
from tools.fitgen import activity_bytes, run
from tools.trackgen import gpx_text, tcx_text

DATA = Path(__file__).parent / "data" / "tracks"
START = dt.datetime(2026, 3, 1, 7, 0, tzinfo=dt.UTC)


def _unix(text: str) -> int:
    return int(dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())


def read(name: str):
    data = (DATA / name).read_bytes()
    return (read_gpx if name.endswith(".gpx") else read_tcx)(data, name)


# ------------------------------------------------------------------ real files


def test_real_gpx_lake_walk() -> None:
    # gpxpy's cerknicko-jezero.gpx: 296 points, no HR, no <type>; gpxpy's own tests give
    # its 2-D length as about 4.58 km. Tolerance: 1 % on distance, exact on times.
    r = read("cerknicko-jezero.gpx")
    assert r.problems == [] and r.decoder == "gpx" and r.kind == "activity"
    (s,) = r.sessions
    assert s.start_unix == _unix("2010-08-05T14:23:59Z")
    assert s.elapsed_s == _unix("2010-08-05T16:23:49Z") - _unix("2010-08-05T14:23:59Z")
    assert s.distance_m == pytest.approx(4580, rel=0.01)
    assert s.sport is None and s.hr_t == [] and s.avg_hr is None and s.has_gps
    assert s.from_records and 0 < s.moving_s <= s.elapsed_s


def test_real_gpx_with_garmin_hr_and_type() -> None:
    r = read("garmin_tpx.gpx")  # Garmin Connect, ns3:TrackPointExtension/ns3:hr
    (s,) = r.sessions
    assert (s.sport, s.sub_sport) == ("cycling", "road")  # <type>road_biking</type>
    assert s.start_unix == _unix("2017-11-19T11:23:07Z") and s.elapsed_s == 1265
    assert s.hr_t == [0.0, 1.0, 1265.0] and s.hr_bpm == [113.0, 112.0, 138.0]
    # the average and max are the valid samples', filled in by ingest (load.valid_hr)
    assert s.max_hr is None and s.avg_hr is None
    shown = entry_from_result(r).sessions.row(0, named=True)
    assert shown["max_hr"] == 138 and shown["avg_hr"] == pytest.approx(121.0)


def test_real_tcx_pool_swim_without_hr() -> None:
    # A vivoactive HR pool swim from Garmin Connect: Sport="Other", 32 points, no HR
    r = read("pool_swim-activity_1.tcx")
    assert r.problems == [] and r.decoder == "tcx"
    (s,) = r.sessions
    assert s.sport is None  # "Other" names no sport
    assert s.start_unix == _unix("2022-08-26T16:35:13Z") and s.elapsed_s == 1531
    assert s.distance_m == pytest.approx(1500.0)  # the lap's DistanceMeters
    assert s.hr_t == [] and not s.has_gps
    # one 104 s gap covering 50 m is a pause (the lap's timer says 1530.7 s in all)
    assert s.moving_s == pytest.approx(1427)


def test_real_gpx_mostly_without_times_is_an_error() -> None:
    (p,) = read("cerknicko-without-times.gpx").problems
    assert p.severity == "error" and "cannot place it in the season" in p.message


def test_real_gpx_with_an_empty_segment() -> None:
    r = read("track-with-empty-segment.gpx")
    assert r.problems == [] and len(r.sessions) == 1


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("name", "data", "message", "line"),
    [
        ("a.gpx", gpx_text(START, 5, times=False).encode(), "has no time stamps", None),
        ("b.gpx", gpx_text(START, 5).encode()[:2000], "not a readable GPX file (broken XML", 10),
        ("c.tcx", tcx_text(START, 5).encode()[:1500], "not a readable TCX file (broken XML", 6),
        ("d.gpx", b'<gpx version="1.1"><trk><trkseg/></trk></gpx>', "has no track points", None),
        ("e.tcx", b"PK\x03\x04 not xml at all", "not a readable TCX file (broken XML", 1),
        ("f.gpx", b"", "not a readable GPX file (broken XML", 1),
    ],
)
def test_bad_input_is_one_problem(name: str, data: bytes, message: str, line: int | None) -> None:
    r = (read_gpx if name.endswith(".gpx") else read_tcx)(data, name)
    (p,) = r.problems
    assert p.severity == "error" and p.message.startswith(message), p
    assert (p.line is not None) == (line is not None)
    assert "\n" not in str(p) and r.sessions == []


def test_a_reader_exception_costs_one_file(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    import runload.track.gpx as gpx_module

    def boom(data: bytes, path: str):
        raise RuntimeError("bug")

    monkeypatch.setattr(gpx_module, "read_gpx", boom)
    (tmp_path / "a.gpx").write_text(gpx_text(START, 5))
    (source,), _ = find_inputs([tmp_path])
    assert read_activity(source) == (
        None,
        Unread("read.failed", "parser failed (RuntimeError: bug)"),
    )


def test_bad_files_do_not_stop_the_others(tmp_path: Path) -> None:
    (tmp_path / "good.gpx").write_text(gpx_text(START, 20, 4))
    (tmp_path / "good.tcx").write_text(tcx_text(START + dt.timedelta(days=1), 20, 4))
    (tmp_path / "cut.gpx").write_bytes(gpx_text(START, 5).encode()[:900])
    (tmp_path / "times.gpx").write_text(gpx_text(START, 5, times=False))
    (tmp_path / "junk.tcx.gz").write_bytes(gzip.compress(b"hello"))
    res = read_activities([tmp_path], jobs=2, use_cache=False)
    assert sorted(Path(f).name for f in res.activities["file"]) == ["good.gpx", "good.tcx"]
    assert sorted(Path(p.path).name for p in res.problems) == [
        "cut.gpx",
        "junk.tcx.gz",
        "times.gpx",
    ]


# ------------------------------------------------------------------ load, cache


def test_gpx_hr_gives_trimp_from_samples(tmp_path: Path) -> None:
    (tmp_path / "run.gpx").write_text(gpx_text(START, 45, 8, hr=155))
    res = read_activities([tmp_path], jobs=1, use_cache=False)
    a = analyse(res.activities, None, Settings())
    (row,) = a.activities.filter(a.activities["is_run"]).iter_rows(named=True)
    assert row["load_method"] == "hr_samples" and row["load"] > 0


def test_cold_and_warm_are_equal(tmp_path: Path) -> None:
    season = tmp_path / "season"
    season.mkdir()
    (season / "a.gpx.gz").write_bytes(gzip.compress(gpx_text(START, 30, 5).encode()))
    (season / "b.tcx").write_text(tcx_text(START + dt.timedelta(days=1), 30, 5))
    (season / "c.fit").write_bytes(activity_bytes(run(START + dt.timedelta(days=2), 30, 5.0)))
    cache_dir = tmp_path / "cache"
    cold = read_activities([season], jobs=1, cache_dir=cache_dir)
    assert (cold.parsed, cold.from_cache) == (3, 0)
    for _ in range(2):  # per-file entries, then the season snapshot
        warm = read_activities([season], jobs=1, cache_dir=cache_dir)
        assert (warm.parsed, warm.from_cache) == (0, 3)
        assert warm.activities.equals(cold.activities) and warm.problems == cold.problems


# ------------------------------------------------------------------ FIT wins


@pytest.mark.parametrize("names", [("a.fit", "b.gpx"), ("b.fit", "a.gpx")])
def test_fit_and_gpx_of_one_run_are_one_activity_the_fit(tmp_path: Path, names) -> None:
    fit_name, gpx_name = names
    (tmp_path / fit_name).write_bytes(activity_bytes(run(START, 30, 5.0, hr=150)))
    (tmp_path / gpx_name).write_text(gpx_text(START, 30, 5))
    res = read_activities([tmp_path], jobs=1, use_cache=False)
    (row,) = res.activities.iter_rows(named=True)
    assert row["file"].endswith(fit_name)
    (dup,) = res.duplicates
    assert dup.file.endswith(gpx_name) and dup.kept_file.endswith(fit_name)
    assert dup.reason == "same start and sport"


# ------------------------------------------------------------------ Strava export


CSV = (
    "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,"
    "Elapsed Time,Distance,Filename\n"
    '101,"Mar 1, 2026, 7:00:00 AM",Morning Run,Run,,1800,5.0,activities/101.fit.gz\n'
    '102,"Mar 2, 2026, 7:00:00 AM",Ride,Ride,,1800,5.0,activities/102.gpx.gz\n'
    '103,"Mar 3, 2026, 7:00:00 AM",Track,Run,,1800,5.0,activities/103.tcx\n'
    '104,"Mar 4, 2026, 7:00:00 AM",Untyped,Run,,1800,5.0,activities/104.gpx\n'
    '105,"Mar 5, 2026, 7:00:00 AM",Yoga,Yoga,,1800,,\n'
)


def _export_files() -> dict[str, bytes]:
    day = dt.timedelta(days=1)
    fit = activity_bytes(run(START, 30, 5.0, hr=150, sport="running"))
    return {
        "activities.csv": CSV.encode(),
        "activities/101.fit.gz": gzip.compress(fit),
        "activities/102.gpx.gz": gzip.compress(gpx_text(START + day, 30, 12, kind="1").encode()),
        "activities/103.tcx": tcx_text(START + 2 * day, 30, 5).encode(),
        "activities/104.gpx": gpx_text(START + 3 * day, 30, 5, kind=None).encode(),
    }


@pytest.fixture(params=["folder", "zip"])
def strava_export(request, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)
    files = _export_files()
    if request.param == "folder":
        for rel, data in files.items():
            (tmp_path / "export" / rel).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / "export" / rel).write_bytes(data)
        return "export"
    with zipfile.ZipFile(tmp_path / "export.zip", "w") as z:
        for rel, data in files.items():
            z.writestr(f"export_1234/{rel}", data)
    return "export.zip"


def test_strava_export_through_ingest(strava_export: str) -> None:
    res = CliRunner().invoke(main, ["ingest", strava_export, "--format", "json", "--jobs", "2"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    rows = {Path(r["file"].split(":")[-1]).name: r for r in out["activities"]}
    assert set(rows) == {"101.fit.gz", "102.gpx.gz", "103.tcx", "104.gpx"}
    assert rows["101.fit.gz"]["sport"] == "running"
    assert rows["102.gpx.gz"]["sport"] == "cycling"  # Strava's numeric <type>1</type>
    assert rows["102.gpx.gz"]["distance_km"] == pytest.approx(12.0, rel=0.01)
    assert rows["103.tcx"]["sport"] == "running"  # TCX Sport="Running"
    assert rows["104.gpx"]["sport"] == "running" and rows["104.gpx"]["is_run"]  # from the CSV
    assert [r["is_run"] for r in rows.values()].count(True) == 3
    assert out["problems"] == []
    assert res.stderr.count("activities.csv") == 1  # said once
