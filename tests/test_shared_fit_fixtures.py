"""Every real FIT file in ../shared/fixtures/fit (from public projects, some broken on
purpose; SOURCES.tsv says which) ends up as activities or as problem entries."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from runload.ingest import IngestResult, read_activities

NOT_ACTIVITY = ("monitoring", "settings", "weight", "workout")


@pytest.fixture(scope="module")
def fixtures(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, dict[str, str], IngestResult, Path]:
    folder = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures" / "fit"
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent (the shared real-file fixtures live beside the repo)")
    with open(folder / "SOURCES.tsv", newline="") as fh:
        classes = {row["file"]: row["class"] for row in csv.DictReader(fh, delimiter="\t")}
    cache_dir = tmp_path_factory.mktemp("cache")
    return folder, classes, read_activities([folder], jobs=2, cache_dir=cache_dir), cache_dir


def _by_name(result: IngestResult) -> tuple[set[str], dict[str, list]]:
    rows = {Path(f).name for f in result.activities.get_column("file").to_list()}
    problems: dict[str, list] = {}
    for p in result.problems:
        problems.setdefault(Path(p.path).name, []).append(p)
    return rows, problems


def test_every_file_is_accounted_for(fixtures) -> None:
    folder, _classes, result, _cache = fixtures
    rows, problems = _by_name(result)
    merged = {Path(d.file).name for d in result.duplicates}
    monitoring = {Path(f).name for f in result.monitoring}  # sitting data, listed once
    files = sorted(p.name for p in folder.iterdir() if p.name != "SOURCES.tsv")
    assert result.files_seen == len(files)
    missing = [
        f
        for f in files
        if f not in rows and f not in problems and f not in merged and f not in monitoring
    ]
    assert missing == []
    for ps in problems.values():
        for p in ps:
            assert p.severity in ("error", "warning", "info") and p.message
            assert "internal error" not in p.message and "Traceback" not in p.message


def test_malformed_files_have_a_problem(fixtures) -> None:
    _folder, classes, result, _cache = fixtures
    _rows, problems = _by_name(result)
    malformed = [f for f, c in classes.items() if c.startswith("MALFORMED")]
    assert len(malformed) >= 5
    assert [f for f in malformed if f not in problems] == []


def test_non_activity_files_are_skipped_with_a_warning(fixtures) -> None:
    _folder, classes, result, _cache = fixtures
    rows, problems = _by_name(result)
    others = [f for f, c in classes.items() if c.startswith(NOT_ACTIVITY)]
    assert others
    for f in others:
        assert f not in rows
        said = any(p.message.startswith("not an activity file") for p in problems.get(f, []))
        assert said or f in {Path(m).name for m in result.monitoring}, f


def test_activity_files_give_rows(fixtures) -> None:
    _folder, classes, result, _cache = fixtures
    rows, problems = _by_name(result)
    merged = {Path(d.file).name for d in result.duplicates}
    counts = (
        result.activities.get_column("file")
        .map_elements(lambda f: Path(f).name, return_dtype=str)
        .value_counts()
    )
    n_rows = dict(counts.iter_rows())
    for f, c in classes.items():
        if not c.startswith("activity") or "no session msg" in c or f in merged:
            continue
        assert f in rows, (f, problems.get(f))
        if "multi-session" in c:
            assert n_rows[f] >= 2, f


def test_known_values_of_a_real_run(fixtures) -> None:
    _folder, _classes, result, _cache = fixtures
    row = next(
        r
        for r in result.activities.iter_rows(named=True)
        if r["file"].endswith("python-fitparse__garmin-fenix-5-run.fit")
    )
    assert (row["sport"], row["is_run"], row["device"]) == ("running", True, "Garmin Fenix 5")
    assert row["start_utc"] == dt.datetime(2017, 6, 11, 14, 34, 9, tzinfo=dt.UTC)
    assert row["utc_offset_min"] == -420 and row["date"] == dt.date(2017, 6, 11)
    assert row["distance_km"] == pytest.approx(0.15756)
    assert (row["avg_hr"], row["max_hr"]) == (90.0, 112.0)
    assert len(row["hr_bpm"]) == 21


def test_devices_are_named_from_the_current_fit_sdk(fixtures) -> None:
    """fitparse's profile (FIT SDK 20.8, 2019) knows none of these products."""
    _folder, _classes, result, _cache = fixtures
    device = dict(
        (Path(f).name, d)
        for f, d in result.activities.select("file", "device").unique().iter_rows()
    )
    assert device["GoldenCheetah__Garmin945swimRRdata.fit"] == "Garmin Forerunner 945"
    assert device["GarminDB__22638574127_ACTIVITY.fit"] == "Garmin Forerunner 965"
    assert device["GoldenCheetah__Garmin830_with_Stages.fit"] == "Garmin Edge 830"
    garmin = [d for d in device.values() if d and d.startswith("Garmin")]
    assert len(garmin) > 30 and not [d for d in garmin if "(product" in d]


def test_second_run_is_served_from_the_cache(fixtures) -> None:
    folder, _classes, result, cache_dir = fixtures
    warm = read_activities([folder], jobs=2, cache_dir=cache_dir)
    assert warm.parsed == 0 and warm.from_cache == result.parsed + result.from_cache
    assert warm.activities.equals(result.activities)
    assert warm.problems == result.problems and warm.duplicates == result.duplicates


def test_the_command_over_the_folder_prints_no_traceback(fixtures) -> None:
    """The user's view of the same folder (warm from the shared ingest's cache)."""
    import json

    from click.testing import CliRunner

    from runload.cli import main

    folder, _classes, result, cache_dir = fixtures
    args = ["ingest", str(folder), "--format", "json", "--cache-dir", str(cache_dir)]
    res = CliRunner().invoke(main, [*args, "--verbose"])
    assert res.exit_code == 0, res.output
    assert "Traceback" not in res.output and "internal error" not in res.output
    out = json.loads(res.stdout)
    assert len(out["activities"]) == result.activities.height
    assert len(out["problems"]) == len(result.problems)
    monitoring_line = 1 if result.monitoring else 0  # the monitoring files, said once
    every = 1 + len(result.duplicates) + len(result.problems) + monitoring_line
    assert len(res.stderr.splitlines()) == every  # --verbose: one line each
    short = CliRunner().invoke(main, args)  # else past 5 of a kind: counted, the first 5
    assert short.stdout == res.stdout and len(short.stderr.splitlines()) <= every
    strict = CliRunner().invoke(
        main, ["ingest", str(folder), "--strict", "--cache-dir", str(cache_dir)]
    )
    assert strict.exit_code == 1 and "Traceback" not in strict.output


def test_ingest_and_report_json_list_every_file_seen(fixtures) -> None:
    """`ingest --format json` on the fixtures listed 100 of 108 files: the 8 monitoring files
    were only on stderr. Every file is now in ``activities``, ``duplicates`` or
    ``no_activity`` (with its kind and why), in ingest's JSON and in report's."""
    import json

    from click.testing import CliRunner

    from runload.cli import main

    folder, _classes, _result, cache = fixtures
    files = {str(p) for p in folder.iterdir() if p.name != "SOURCES.tsv"}
    for command in ("ingest", "report"):
        args = [command, str(folder), "--format", "json", "--cache-dir", str(cache), "-j", "2"]
        res = CliRunner().invoke(main, args)
        assert res.exit_code == 0, res.output
        doc = json.loads(res.stdout)
        listed = (
            {a["file"] for a in doc["activities"]}
            | {d["file"] for d in doc["duplicates"]}
            | {f["file"] for f in doc["no_activity"]}
        )
        # (the report leaves out activities dated far from the season, each a warning)
        listed |= {p["path"] for p in doc["problems"] if p["code"] == "activity.stray_date"}
        assert listed == files, command
        none = {Path(f["file"]).name: f for f in doc["no_activity"]}
        monitoring = [f for f in none.values() if f["file_type"] == "monitoring_b"]
        assert len(monitoring) == 8 and all(f["code"] is None for f in monitoring)
        settings = none["python-fitparse__Settings.fit"]
        assert (settings["kind"], settings["file_type"], settings["code"]) == (
            "fit",
            "settings",
            "fit.not_activity",
        )
        assert settings["why"] == "not an activity file (settings): skipped"
