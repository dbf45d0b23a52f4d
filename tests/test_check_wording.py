"""``check``'s words for its level: a day whose points are all sitting reads why it stays
low (sitting alone never raises a day: ``runload.risk``), and a planned run's reasons say
they come from the planned run."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from runload.cli import main
from runload.wording import level_text, sitting_alone_text
from tools.fitgen import activity_bytes, run

DAY = dt.date(2026, 4, 16)  # a Thursday; the desk streak is Tue–Thu
FIRST = DAY - dt.timedelta(days=42)


@pytest.fixture(scope="module")
def season(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six weeks of easy 35-minute runs every other day (no long run, no spike, a steady
    load), and three 10.5 h desk days in a row ending on ``DAY``: sitting 2 points, the
    streak 1, nothing else."""
    root = tmp_path_factory.mktemp("wording")
    fit = root / "fit"
    fit.mkdir()
    for k in range(0, 42, 2):
        day = FIRST + dt.timedelta(days=k)
        start = dt.datetime.combine(day, dt.time(17, 0), tzinfo=dt.UTC)
        spec = run(start, 35, 6.0, hr=[140, 150], record_every_s=60, local_offset_s=0)
        (fit / f"{day}.fit").write_bytes(activity_bytes(spec))
    rows = [f"{DAY - dt.timedelta(days=k)},10.5" for k in (2, 1, 0)]
    (root / "sitting.csv").write_text("date,sitting_hours\n" + "\n".join(rows) + "\n")
    return root


def check(season: Path, *args: str):
    base = ["check", str(season / "fit"), "--sitting", str(season / "sitting.csv")]
    cache = ["--cache-dir", str(season / "cache"), "--jobs", "1"]
    return CliRunner().invoke(main, [*base, "--date", str(DAY), *cache, *args])


def test_three_sitting_points_read_low_with_why_sitting_alone_never_raises_a_day(season):
    res = check(season)
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert lines[0] == f"{DAY}: LOW (3 points, all from sitting)"
    assert "  +2 sat 10.5 h (10 h or more)" in lines
    assert "  +1 3 days in a row with 8 h or more of sitting (3 days or more)" in lines
    text = " ".join(res.stdout.split())
    assert sitting_alone_text(3, 2) in text
    assert "sitting alone never raises a day above low" in text
    out = json.loads(check(season, "--format", "json").stdout)
    assert out["risk"] == "low" and out["score"] == 3
    assert out["level_note"] == sitting_alone_text(3, 2)


def test_a_day_raised_by_its_run_has_no_sitting_alone_note(season):
    res = check(season, "--planned", "1h40", "--format", "json")
    out = json.loads(res.stdout)
    assert res.exit_code in (3, 4) and out["risk"] in ("elevated", "high")
    assert out["level_note"] is None


def test_with_planned_the_reasons_name_the_planned_run(season):
    res = check(season, "--planned", "1h40")
    assert res.exit_code in (3, 4), res.output
    text = " ".join(res.stdout.split())
    assert text.startswith(f"{DAY}, planned run 1 h 40 min: ")
    assert "sat 10.5 h the same day as the planned 1 h 40 min run (10 h or more)" in text
    assert "planned long run of 1 h 40 min (90 min or more)" in text
    assert "planned 1 h 40 min run, longer than" in text
    out = json.loads(check(season, "--planned", "1h40", "--format", "json").stdout)
    details = [r["detail"] for r in out["reasons"] if r["factor"] != "sitting_streak"]
    assert details and all("planned" in d for d in details), details


def test_a_short_planned_run_is_named_in_the_sitting_reason(season):
    out = json.loads(check(season, "--planned", "30m", "--format", "json").stdout)
    sitting = next(r["detail"] for r in out["reasons"] if r["factor"] == "sitting")
    assert sitting == "sat 10.5 h the same day as the planned 30 min run (10 h or more)"


def test_level_text() -> None:
    assert level_text("elevated", 3) == "ELEVATED (3 points)"
    assert level_text("low", 1) == "LOW (1 point)"
    assert level_text("low", 3, "all from sitting") == "LOW (3 points, all from sitting)"
