"""Stray dates (issue 12): one FIT dated 1999 or 2100, or a clock ten years off, must not
stretch the season; ``check --date`` is bounded to a year ahead; team's athletes (one
folder each, built here with their own dates) get the same rules, and a folder name that
is not UTF-8."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from click.testing import CliRunner

from runload.cli import main
from runload.errors import DateRangeError
from runload.span import refuse_far_day, stray_activities
from tools.fitgen import activity_bytes, run

EXAMPLES = Path(__file__).parents[1] / "examples"
TODAY = dt.date(2026, 12, 2)


def _run_file(folder: Path, day: dt.date) -> Path:
    start = dt.datetime(day.year, day.month, day.day, 7, 0, tzinfo=dt.UTC)
    path = folder / f"{day}-stray.fit"
    path.write_bytes(activity_bytes(run(start, 60, 9.0, 150, local_offset_s=3600)))
    return path


def _report(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(
        main,
        ["report", *args, "--sitting", str(EXAMPLES / "sitting.csv"), "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def season_with_strays(tmp_path: Path) -> Path:
    folder = tmp_path / "season"
    shutil.copytree(EXAMPLES / "season", folder)
    _run_file(folder, dt.date(1999, 5, 1))
    _run_file(folder, dt.date(2100, 5, 1))
    return folder


def test_one_fit_dated_1999_or_2100_is_left_out_of_the_season_with_a_warning(
    season_with_strays: Path,
) -> None:
    clean = _report(str(EXAMPLES / "season"))
    stray = _report(str(season_with_strays))
    assert stray["period"] == clean["period"]
    levels = Counter(d["risk"] for d in stray["days"])
    assert levels == Counter(d["risk"] for d in clean["days"])
    assert (levels["elevated"], levels["high"]) == (9, 4)
    assert [d["acwr"] for d in stray["days"]] == [d["acwr"] for d in clean["days"]]
    warned = {Path(p["path"]).name: p["message"] for p in stray["problems"]}
    assert "before 2000" in warned["1999-05-01-stray.fit"]
    assert "--from 1999-05-01 includes it" in warned["1999-05-01-stray.fit"]
    assert "after today" in warned["2100-05-01-stray.fit"]
    assert "--to 2100-05-01 includes it" in warned["2100-05-01-stray.fit"]
    assert all(p["severity"] == "warning" for p in stray["problems"])


def test_a_stray_date_asked_for_with_from_is_kept(season_with_strays: Path) -> None:
    asked = _report(str(season_with_strays), "--from", "1999-04-01", "--to", "1999-05-31")
    assert asked["period"]["data_from"] == "1999-05-01"
    assert [d["date"] for d in asked["days"] if d["runs"]] == ["1999-05-01"]
    warned = [Path(p["path"]).name for p in asked["problems"]]
    assert warned == ["2100-05-01-stray.fit"]  # not asked for: still left out


def _acts(dates: list[dt.date]) -> pl.DataFrame:
    return pl.DataFrame(
        {"file": [f"{d}.fit" for d in dates], "session": [0] * len(dates), "date": dates}
    )


def test_a_clock_ten_years_off_is_stray_but_a_second_real_season_is_kept() -> None:
    season = [dt.date(2026, 3, 1) + dt.timedelta(days=2 * i) for i in range(60)]
    off = [dt.date(2016, 4, 3)]
    kept, problems = stray_activities(_acts(season + off), TODAY)
    assert kept.get_column("date").to_list() == season
    assert [p.path for p in problems] == ["2016-04-03.fit"]
    assert "more than 365 days away from the rest" in problems[0].message
    earlier = [dt.date(2023, 3, 1) + dt.timedelta(days=3 * i) for i in range(20)]
    kept, problems = stray_activities(_acts(earlier + season), TODAY)
    assert kept.height == 80 and problems == []


def test_check_date_more_than_a_year_ahead_is_refused_at_once() -> None:
    result = CliRunner().invoke(main, ["check", str(EXAMPLES / "season"), "--date", "9999-12-31"])
    assert result.exit_code == 2
    assert "more than a year after today" in result.output
    with pytest.raises(DateRangeError):
        refuse_far_day(dt.date(2028, 1, 1), TODAY)
    assert refuse_far_day(dt.date(2027, 12, 1), TODAY) == dt.date(2027, 12, 1)


def test_team_leaves_out_an_athletes_stray_date(tmp_path: Path) -> None:
    from runload.team import team

    for name in ("ana", "ben"):
        folder = tmp_path / name
        folder.mkdir()
        for i in range(6):
            _run_file(folder, dt.date(2026, 5, 1) + dt.timedelta(days=2 * i))
    _run_file(tmp_path / "ben", dt.date(2100, 5, 1))
    squad = team(tmp_path, day=dt.date(2026, 5, 12))
    assert squad.days.height == 2
    assert [Path(p.path).name for p in squad.problems] == ["2100-05-01-stray.fit"]
    result = CliRunner().invoke(main, ["team", str(tmp_path), "--date", "9999-12-31"])
    assert result.exit_code == 2


def test_team_carries_an_athlete_folder_name_that_is_not_utf8(tmp_path: Path) -> None:
    import os

    from runload.team import team

    odd = tmp_path / os.fsdecode(b"caf\xe9")
    for folder in (odd, tmp_path / "ana"):
        folder.mkdir()
        for i in range(4):
            _run_file(folder, dt.date(2026, 5, 1) + dt.timedelta(days=2 * i))
    squad = team(tmp_path, day=dt.date(2026, 5, 8))
    assert sorted(squad.days.get_column("athlete").to_list()) == ["ana", "caf\\xe9"]
    result = CliRunner().invoke(main, ["team", str(tmp_path), "--date", "2026-05-08"])
    assert result.exit_code in (0, 3, 4), result.output
    assert "caf\\xe9" in result.stdout
