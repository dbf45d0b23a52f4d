"""``runload check``: the level of one day, why, what to do, and the exit status scripts use
(0 low, 3 elevated, 4 high). Runs on the generated season of ``test_report`` (see its
docstring for the known answers)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_report import LONG_DAY, shared_season

from runload.cli import main
from runload.config import Settings
from runload.options import resolve_options
from runload.report import check

NEXT_DAY = LONG_DAY + dt.timedelta(days=1)


@pytest.fixture(scope="module")
def season(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    paths = shared_season(tmp_path_factory)
    # the day after the long run: a 10.5 h desk day with a numb buttock, logged apart
    sore = tmp_path_factory.mktemp("check") / "today.csv"
    sore.write_text(f"date,sitting_hours,numbness\n{NEXT_DAY},10.5,4\n")
    return paths | {"sore": sore}


def run_check(season: dict[str, Path], *args: str, sore: bool = False):
    sources = ["--sitting", str(season["log"])]
    if sore:
        sources += ["--sitting", str(season["sore"])]
    base = ["check", str(season["fit"]), *sources, "--cache-dir", str(season["cache"])]
    return CliRunner().invoke(main, [*base, "--jobs", "1", *args])


def test_low_day_exits_0(season) -> None:
    result = run_check(season, "--date", "2026-02-03")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("2026-02-03: LOW (0 points)")
    assert "nothing stands out" in result.output


def test_long_run_after_a_desk_day_is_elevated_exits_3(season) -> None:
    result = run_check(season, "--date", str(LONG_DAY))
    assert result.exit_code == 3, result.output
    out = result.output
    assert out.startswith(f"{LONG_DAY}: ELEVATED (3 points)")
    assert "10.5 h" in out and "long run" in out
    # the pre-run routine, written out
    assert "hip flexor stretch" in out.lower()
    assert "2 × 30 s" in out
    assert "not medical advice" in out


def test_planned_long_run_on_a_sore_desk_day_is_high_exits_4(season) -> None:
    result = run_check(season, "--date", str(NEXT_DAY), "--planned", "1h40", sore=True)
    assert result.exit_code == 4, result.output
    assert result.output.startswith(f"{NEXT_DAY}, planned run 1 h 40 min: HIGH")
    assert "RICE" in result.output or "rest" in result.output.lower()


def test_planned_durations_written_three_ways_agree(season) -> None:
    answers = []
    for written in ("90m", "1h30", "1:30"):
        result = run_check(
            season, "--date", str(NEXT_DAY), "--planned", written, "--format", "json", sore=True
        )
        assert result.exit_code == 4, result.output
        doc = json.loads(result.stdout)
        answers.append((doc["planned_minutes"], doc["risk"], doc["score"], doc["reasons"]))
    assert answers[0] == answers[1] == answers[2]
    minutes, level, _, reasons = answers[0]
    assert (minutes, level) == (90, "high")
    factors = {r["factor"]: r["points"] for r in reasons}
    assert all(
        list(r) == ["factor", "points", "value", "threshold", "unit", "detail"] for r in reasons
    )
    assert factors["sitting"] == 2  # a planned run is in the evening: that day's sitting
    assert factors["long_run"] == 1  # 90 min is long
    assert factors["symptoms"] == 2  # numbness 4 logged that day


def test_check_library_answer(season) -> None:
    options = resolve_options(
        [season["fit"]],
        [season["log"], season["sore"]],
        settings=Settings(),
        cache_dir=season["cache"],
        jobs=1,
    )
    answer = check(options, day=NEXT_DAY, planned_minutes=100)
    assert answer.risk == "high"
    assert answer.sitting_hours == 10.5
    codes = [a["code"] for a in answer.advice]
    assert "rest_rice" in codes and "hip_flexor_stretch" in codes
    assert any("Ice" in s or "ice" in s for s in answer.steps)
    # no run of that day in the files: only the planned one counts
    assert answer.problems == []


def test_without_sitting_that_day_it_says_so(season) -> None:
    result = run_check(season, "--date", str(NEXT_DAY), "--planned", "45m")
    assert result.exit_code in (0, 3), result.output
    assert f"no sitting logged for {NEXT_DAY}" in result.output


def test_date_defaults_to_today_and_todays_sitting_counts(
    season, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The everyday use: log today's desk day with `runload sitting add`, then `runload check`
    with no date and no --sitting (the log is the config default, ./sitting.csv)."""
    today = dt.date.today()
    if today <= LONG_DAY:
        pytest.skip("the generated season must lie in the past")
    monkeypatch.chdir(tmp_path)
    cache = ["--cache-dir", str(season["cache"]), "--jobs", "1"]
    runner = CliRunner()
    before = runner.invoke(main, ["check", str(season["fit"]), *cache])
    assert before.exit_code == 0, before.output
    assert before.stdout.startswith(f"{today}: LOW (0 points)")
    assert f"no sitting logged for {today}" in before.stdout

    added = runner.invoke(main, ["sitting", "add", "10h30", "--numbness", "4"])
    assert added.exit_code == 0, added.output
    assert (tmp_path / "sitting.csv").is_file()
    after = runner.invoke(main, ["check", str(season["fit"]), *cache, "--format", "json"])
    # 4 points, but numbness is the one reason besides sitting: elevated (a high day needs
    # two running or body reasons; sitting raises a day by at most one level)
    assert after.exit_code == 3, after.output
    doc = json.loads(after.stdout)
    assert (doc["date"], doc["risk"], doc["sitting_hours"]) == (str(today), "elevated", 10.5)
    assert "needs 2 different reasons from the running or the body" in doc["level_note"]
    assert doc["sitting_source"] == "self_report"
    assert {r["factor"]: r["points"] for r in doc["reasons"]} == {"sitting": 2, "symptoms": 2}
    text = runner.invoke(main, ["check", str(season["fit"]), *cache])
    assert text.exit_code == 3
    assert text.stdout.splitlines()[0] == (
        f"{today}: ELEVATED (4 points, high needs 2 running or body reasons)"
    )
    assert text.stdout.splitlines()[1] == "Sitting that day: 10.5 h (self report)"
    assert "no sitting logged" not in text.stdout


def test_that_days_sitting_entry_decides_the_level(season, tmp_path: Path) -> None:
    """--date with a sitting log entry for that day: the 10.5 h desk day before the long run
    makes it elevated; the same run after a 6 h day is low."""
    calm = tmp_path / "calm.csv"
    calm.write_text(f"date,sitting_hours\n{LONG_DAY},6\n")
    base = ["check", str(season["fit"]), "--date", str(LONG_DAY), "--cache-dir"]
    low = CliRunner().invoke(main, [*base, str(season["cache"]), "--sitting", str(calm)])
    assert low.exit_code == 0, low.output
    assert low.stdout.splitlines()[:4] == [
        f"{LONG_DAY}: LOW (1 point)",
        "Sitting that day: 6 h (self report)",
        "Why:",
        "  +1 long run of 1 h 35 min (90 min or more)",
    ]
    # the season's own log has 10.5 h that day: elevated (test_long_run_after_a_desk_day...)
    desk = run_check(season, "--date", str(LONG_DAY))
    assert desk.exit_code == 3
    assert "Sitting that day: 10.5 h (self report)" in desk.stdout


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_today_is_the_runners_day_in_the_configured_zone(season, tmp_path: Path, zone) -> None:
    """UTC+14 and UTC-11 are never on the same date: the default day follows the config."""
    from zoneinfo import ZoneInfo

    from runload.config import read_settings

    config = tmp_path / "runload.toml"
    config.write_text(f'[athlete]\ntimezone = "{zone}"\n')
    settings = read_settings(config)
    expected = dt.datetime.now(ZoneInfo(zone)).date()
    options = resolve_options(
        [season["fit"]], [], settings=settings, cache_dir=season["cache"], jobs=1
    )
    answer = check(options)
    assert answer.day == expected


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--planned", "soon"], "not a duration"),
        (["--planned", "0m"], "not a run length"),
        (["--date", "2026-13-01"], "there is no month 13"),
        (["--format", "yaml"], "yaml"),
    ],
)
def test_usage_mistakes_exit_2(season, args: list[str], needle: str) -> None:
    result = run_check(season, *args)
    assert result.exit_code == 2
    assert needle in result.output
    assert "Traceback" not in result.output


def test_no_runs_before_the_day_is_one_line_exit_1(season) -> None:
    result = run_check(season, "--date", "2025-01-01")
    assert result.exit_code == 1
    assert "no runs on or before 2025-01-01" in result.output
    assert "Traceback" not in result.output
