"""The 8 PMData people's real Fitbit exports (../shared/fixtures/pmdata): every exercise
entry is accounted for, every worn sedentary day is read, every known resting heart rate
is kept; and the squad tools.pmdata_squad lays out reads with ``runload team --season``.
The expected counts are computed here from the JSON itself, not by runload."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from runload.cli import main
from runload.ingest import read_activities
from runload.sitting import read_sitting
from tools.pmdata_squad import make_squad

PEOPLE = [f"p{i:02d}" for i in range(1, 9)]
REQUIRED = ("logId", "activityName", "startTime", "duration")


def _json(path: Path) -> list[dict]:
    return json.loads(path.read_text())


@pytest.mark.parametrize("person", PEOPLE)
def test_every_exercise_entry_is_read_merged_or_reported(
    shared_pmdata_dir: Path, person: str
) -> None:
    folder = shared_pmdata_dir / person / "fitbit"
    log = folder / "exercise.json"
    entries = _json(log)
    broken = sum(1 for e in entries if not all(k in e for k in REQUIRED))
    # the same start and activity twice is one session exported twice
    seen: set[tuple[str, str]] = set()
    twice = 0
    for e in entries:
        key = (e.get("startTime"), e.get("activityName"))
        twice += key in seen
        seen.add(key)

    result = read_activities([folder], timezone="Europe/Oslo", use_cache=False)
    read = result.activities.filter(pl.col("file") == str(log)).height
    merged = sum(1 for d in result.duplicates if d.file == str(log))
    left_out = [p for p in result.problems if p.path == str(log) and p.message.endswith("left out")]
    assert len(entries) == read + merged + len(left_out)
    assert (merged, len(left_out)) == (twice, broken)
    assert result.files_seen == 1  # sedentary_minutes.json and the others are not activities
    assert not [p for p in result.problems if p.severity == "error"]
    runs = sum(1 for e in entries if e["activityName"] == "Run")
    assert (
        result.activities.filter(pl.col("sub_sport").is_null()).get_column("is_run").sum() == runs
    )


@pytest.mark.parametrize("person", PEOPLE)
def test_every_worn_sedentary_day_and_known_resting_hr_is_read(
    shared_pmdata_dir: Path, person: str
) -> None:
    folder = shared_pmdata_dir / person / "fitbit"
    worn = sum(1 for d in _json(folder / "sedentary_minutes.json") if float(d["value"]) < 1440)
    known = sum(1 for d in _json(folder / "resting_heart_rate.json") if d["value"]["value"] > 0)
    result = read_sitting([folder], search=True)
    assert result.days.height == worn
    assert result.resting_hr.height == known
    assert {f.kind for f in result.files} == {"fitbit_sedentary_json", "fitbit_resting_hr_json"}
    assert not [p for p in result.problems if p.severity == "error"]


def test_the_pmdata_squad_reads_as_a_team_season(shared_pmdata_dir: Path, tmp_path: Path) -> None:
    squad, season = tmp_path / "squad", tmp_path / "season"
    make_squad(shared_pmdata_dir, squad)
    args = [
        "team",
        str(squad),
        "--season",
        str(season),
        "--from",
        "2019-11-01",
        "--to",
        "2020-03-31",
    ]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0, res.output
    days = pl.scan_parquet(season / "**/*.parquet", hive_partitioning=True).collect()
    assert sorted(days.get_column("athlete").unique().to_list()) == PEOPLE
    assert days.get_column("date").min().isoformat() == "2019-11-01"
    assert days.get_column("date").max().isoformat() == "2020-03-31"
    assert "machine's time zone" not in res.stderr  # each runload.toml names Europe/Oslo
