"""One resolution of the inputs for every command: runload.toml + flags + environment.

The same config must mean the same thing to ``ingest``, ``report``, ``check``, ``plot`` and
``runload.api``: before ``Options``, ``[paths] cache_dir`` was applied by report/check/plot
only, so ``runload ingest`` filled one cache and ``runload report`` read another.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from runload import api
from runload.cli import main
from runload.options import NoActivitiesError, resolve_options
from tools.fitgen import run, write_activity

START = dt.datetime(2026, 5, 6, 18, tzinfo=dt.UTC)


@pytest.fixture
def athlete(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A runner's folder: runload.toml naming a cache folder, the runs and the log."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RUNLOAD_CACHE_DIR")
    (tmp_path / "runload.toml").write_text(
        '[paths]\nactivities = "fit"\ncache_dir = "mycache"\n[sitting]\nlog = "log.csv"\n'
    )
    write_activity(tmp_path / "fit" / "run.fit", run(START, 40, record_every_s=20))
    (tmp_path / "log.csv").write_text("date,sitting_hours\n2026-05-06,9\n")
    return tmp_path


def _cached(folder: Path) -> int:
    return len(list(folder.rglob("*.parquet"))) if folder.exists() else 0


def test_every_command_uses_the_configured_cache(athlete: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(main, ["ingest", "fit", "-j", "1", "--format", "json"])
    assert res.exit_code == 0, res.output
    assert _cached(athlete / "mycache") > 0  # not the user cache folder
    for command in (["report", "--format", "json"], ["check", "--date", "2026-05-06"]):
        res = runner.invoke(main, [*command, "-j", "1"])
        assert res.exit_code in (0, 3, 4), res.output
    rep = api.report(resolve_options())
    assert rep.files == 1 and rep.summary.runs == 1
    assert resolve_options().cache_dir == athlete / "mycache"


def test_the_config_supplies_paths_and_the_log(athlete: Path) -> None:
    options = resolve_options()
    assert options.paths == (str(athlete / "fit"),)
    assert options.sitting == (str(athlete / "log.csv"),)
    (athlete / "other").mkdir()
    (athlete / "other.csv").write_text("date,sitting_hours\n")
    given = resolve_options(["other"], ["other.csv"])
    assert (given.paths, given.sitting) == (("other",), ("other.csv",))
    # ingest reads no sitting: the config's log is not pulled in there
    assert resolve_options(default_sitting=False).sitting == ()


def test_cache_folder_order_is_flag_then_env_then_config(
    athlete: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert resolve_options().cache_dir == athlete / "mycache"
    monkeypatch.setenv("RUNLOAD_CACHE_DIR", str(athlete / "env"))
    assert resolve_options().cache_dir == athlete / "env"
    assert resolve_options(cache_dir=athlete / "flag").cache_dir == athlete / "flag"
    res = CliRunner().invoke(main, ["ingest", "fit", "-j", "1", "--cache-dir", "flagged"])
    assert res.exit_code == 0, res.output
    assert _cached(athlete / "flagged") > 0 and _cached(athlete / "mycache") == 0


def test_no_activity_path_anywhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(NoActivitiesError, match=r"\[paths\] activities"):
        resolve_options()
    res = CliRunner().invoke(main, ["report"])
    assert res.exit_code == 2 and "[paths] activities" in res.output


def test_ingest_applies_the_configured_time_zone(athlete: Path) -> None:
    """A file without local time gets the config's zone in ingest as in report."""
    (athlete / "runload.toml").write_text('[athlete]\ntimezone = "Asia/Tokyo"\n')
    write_activity(athlete / "bare" / "run.fit", run(START, 30, local_offset_s=None))
    res = CliRunner().invoke(main, ["ingest", "bare", "-j", "1", "--format", "json"])
    assert res.exit_code == 0, res.output
    row = json.loads(res.stdout)["activities"][0]
    assert row["utc_offset_min"] == 540


def test_sitting_from_the_activity_paths_only_without_sitting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No --sitting and no log: the sitting is looked for in the activity paths."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "runs").mkdir()
    (tmp_path / "log.csv").write_text("date,sitting_hours\n")
    assert resolve_options(["runs"]).sitting_from_paths
    assert not resolve_options(["runs"], ["log.csv"]).sitting_from_paths
    assert not resolve_options(["runs"], default_sitting=False).sitting_from_paths
    (tmp_path / "sitting.csv").write_text("date,sitting_hours\n")
    found = resolve_options(["runs"])  # the default log is read, and the paths searched too
    assert found.sitting == ("sitting.csv",) and found.sitting_from_paths
