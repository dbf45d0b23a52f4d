"""``runload plan``: the week ahead on the example season — the sitting expected per weekday
from the 8 weeks before, the planned runs, the risk with the long run on each of the 7 days,
one best day — and what it says with too little history."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from runload.cli import main
from runload.config import Settings
from runload.plan import LEVEL_RANK, expected_sitting, parse_weekday

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SEASON, SITTING = EXAMPLES / "season", EXAMPLES / "sitting.csv"
WEEK = "2026-06-22"


def run_plan(tmp_path: Path, *args: str, sitting: Path = SITTING):
    cache = ["--cache-dir", str(tmp_path / "cache"), "--jobs", "1"]
    argv = ["plan", str(SEASON), "--sitting", str(sitting), *cache, *args]
    return CliRunner().invoke(main, argv)


@pytest.fixture(scope="module")
def week(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, dict]:
    tmp = tmp_path_factory.mktemp("plan")
    result = run_plan(
        tmp, "--week-of", WEEK, "--long", "2h", "--run", "tue 45min", "--run", "thu 45min",
        "--format", "json",
    )  # fmt: skip
    return result.exit_code, json.loads(result.stdout)


def test_the_week_has_seven_days_and_one_best(week: tuple[int, dict]) -> None:
    code, doc = week
    days = doc["days"]
    assert [d["date"] for d in days] == [
        (dt.date(2026, 6, 22) + dt.timedelta(days=i)).isoformat() for i in range(7)
    ]
    assert [d["weekday"] for d in days] == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    assert all({"date", "weekday", "sitting_hours_expected", "risk", "reasons", "best"} <= set(d)
               for d in days)  # fmt: skip
    best = [d for d in days if d["best"]]
    assert len(best) == 1 and doc["best"] == best[0]["date"]
    least = min(LEVEL_RANK[d["risk"]] for d in days)
    assert LEVEL_RANK[best[0]["risk"]] == least
    equals = [d for d in days if LEVEL_RANK[d["risk"]] == least]
    assert best[0]["sitting_hours_expected"] == min(d["sitting_hours_expected"] for d in equals)
    assert code == {"low": 0, "elevated": 3, "high": 4}[best[0]["risk"]]


def test_each_day_carries_the_long_run_and_its_reasons(week: tuple[int, dict]) -> None:
    _, doc = week
    for d in doc["days"]:
        details = [r["detail"] for r in d["reasons"]]
        assert "planned long run of 2 h (90 min or more)" in details
        assert d["score"] == sum(r["points"] for r in d["reasons"])
    by_day = {d["weekday"]: d for d in doc["days"]}
    assert by_day["tue"]["other_runs_minutes"] == [45.0]
    assert by_day["mon"]["other_runs_minutes"] == []
    assert any("takes the place of the run planned" in n for n in doc["notes"])


def test_expected_sitting_is_the_weekday_median_of_the_weeks_before(week: tuple[int, dict]) -> None:
    _, doc = week
    log = pl.read_csv(SITTING, try_parse_dates=True)
    first = dt.date(2026, 6, 22) - dt.timedelta(weeks=8)
    before = log.filter(pl.col("date").is_between(first, dt.date(2026, 6, 21)))
    mondays = before.filter(pl.col("date").dt.weekday() == 1).get_column("sitting_hours")
    monday = doc["days"][0]
    assert monday["sitting_from"] == "expected"
    assert monday["sitting_hours_expected"] == pytest.approx(mondays.median())


def test_a_day_already_logged_keeps_its_own_sitting(tmp_path: Path) -> None:
    log = tmp_path / "sitting.csv"
    log.write_text(SITTING.read_text() + "2026-06-23,11.5,,,\n")
    result = run_plan(tmp_path, "--week-of", WEEK, "--long", "2h", "--format", "json", sitting=log)
    tue = json.loads(result.stdout)["days"][1]
    assert (tue["sitting_from"], tue["sitting_hours_expected"]) == ("logged", 11.5)


def test_the_table_marks_the_best_day(tmp_path: Path) -> None:
    result = run_plan(tmp_path, "--week-of", WEEK, "--long", "2h")
    assert result.exit_code in (0, 3, 4), result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Week of 2026-06-22: the 2 h long run on each day"
    assert sum("← best" in line for line in lines) == 1
    assert any(line.startswith("Best day for the long run: ") for line in lines)


@pytest.mark.parametrize("columns", [60, 80])
def test_the_table_wraps_to_the_terminal_under_its_own_indent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    """A long reason, the best-day line and a note wrap within the width, the rest of a
    line indented under it, never cut inside a word; unwrapped, the words are the same."""
    monkeypatch.setenv("COLUMNS", str(columns))
    args = ["--week-of", WEEK, "--long", "2h", "--run", "tue 45min", "--run", "thu 45min"]
    lines = run_plan(tmp_path, *args).stdout.splitlines()
    assert max(map(len, lines)) < columns
    kinds = ("Week of ", "Mon ", "Tue ", "Wed ", "Thu ", "Fri ", "Sat ", "Sun ", "    +", "Best ")
    heads = [line for line in lines if line.startswith(kinds) or line.startswith("Note: ")]
    rest = [line for line in lines if line not in heads]
    assert rest and all(line.startswith("  ") and line.strip() for line in rest)
    best = lines.index(next(line for line in heads if line.startswith("Best day")))
    more = [line.strip() for line in lines[best + 1 : best + 3] if line in rest]
    assert " ".join([lines[best], *more]) == (
        "Best day for the long run: Sunday 2026-06-28 (elevated; among equal risks the least "
        "sitting, then the earliest)"
    )


def test_too_little_history_says_how_much_is_needed(tmp_path: Path) -> None:
    result = run_plan(tmp_path, "--week-of", "2026-03-09", "--long", "2h")
    assert result.exit_code == 1
    assert "too little history to plan the week" in result.output
    assert "at least 2 days of each weekday in the 8 weeks before 2026-03-09" in result.output
    assert "runs going back 28 days before 2026-03-09 (found 6 days)" in result.output


@pytest.mark.parametrize(
    ("run", "said"),
    [
        ("xyz 40min", '"xyz" is not a day of the week'),
        ("tue", "has no length"),
        ("tue 0min", "is not a run length"),
    ],
)
def test_a_bad_planned_run_is_a_usage_mistake(tmp_path: Path, run: str, said: str) -> None:
    result = run_plan(tmp_path, "--week-of", WEEK, "--long", "2h", "--run", run)
    assert result.exit_code == 2
    assert said in result.output


def test_weekdays_read_as_people_write_them() -> None:
    assert [parse_weekday(x) for x in ("mon", "Tue", "WEDNESDAY", "thurs", "su")] == [0, 1, 2, 3, 6]
    with pytest.raises(ValueError, match="not a day of the week"):
        parse_weekday("tues day")


def test_device_and_log_days_meet_on_the_majority_scale() -> None:
    """Two Mondays from a watch (11 h, 10 h) and one from the log (8 h): the device scale wins;
    the logged 8 h counts as 9 h on it (the 1 h device offset). Median: 10 h, device."""
    mondays = [dt.date(2026, 6, 1), dt.date(2026, 6, 8), dt.date(2026, 6, 15)]
    sitting = pl.DataFrame(
        {
            "date": mondays,
            "sitting_hours": [11.0, 10.0, 8.0],
            "source": ["w", "w", "log"],
            "source_kind": ["device", "device", "self_report"],
            "numbness": [None, None, None],
            "seat": [None, None, None],
        },
        schema_overrides={"numbness": pl.Int8, "seat": pl.String},
    )
    per, counts = expected_sitting(sitting, dt.date(2026, 6, 22), Settings())
    assert per.row(0, named=True) == {
        "weekday": 0, "n": 3, "sitting_hours": 10.0, "sitting_source": "device"
    }  # fmt: skip
    assert counts["mon"] == 3 and counts["tue"] == 0
