"""The committed example season is what the README runs: small, 16 weeks long, with the
awkward cases (treadmill without GPS, a run without HR, a ride, a walk), and a report
that has something to say. It is also exactly what ``examples/make_season.py`` makes."""

from __future__ import annotations

import csv
import importlib.util
import random
import sys
from pathlib import Path

import polars as pl
import pytest

from runload.config import Settings
from runload.options import resolve_options
from runload.report import Report, report
from tools.fitgen import activity_bytes

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SEASON = EXAMPLES / "season"
SITTING = EXAMPLES / "sitting.csv"


@pytest.fixture(scope="module")
def season_report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    cache = tmp_path_factory.mktemp("examples-cache")
    return report(resolve_options([SEASON], [SITTING], settings=Settings(), cache_dir=cache))


def _make_season():
    spec = importlib.util.spec_from_file_location("make_season", EXAMPLES / "make_season.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_season"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_examples_folder_is_under_5_mb() -> None:
    size = sum(p.stat().st_size for p in EXAMPLES.rglob("*") if p.is_file())
    assert size < 5_000_000, f"examples/ is {size / 1e6:.1f} MB"


def test_sixteen_weeks_of_four_to_five_runs(season_report: Report) -> None:
    acts = season_report.activities
    runs = acts.filter(pl.col("is_run"))
    first, last = runs.get_column("date").min(), runs.get_column("date").max()
    assert 15 * 7 <= (last - first).days < 16 * 7
    per_week = runs.group_by(pl.col("date").dt.week()).len().get_column("len")
    assert per_week.len() == 16
    assert per_week.min() >= 3 and per_week.max() <= 5
    assert per_week.is_between(4, 5).sum() >= 14  # one easy recovery week may have 3
    assert season_report.problems == []


def test_the_awkward_cases_are_there(season_report: Report) -> None:
    acts = season_report.activities
    treadmill = acts.filter(pl.col("sub_sport") == "treadmill")
    assert treadmill.height >= 3
    assert not treadmill.get_column("has_gps").any()
    assert treadmill.get_column("is_run").all()
    no_hr = acts.filter(pl.col("is_run") & pl.col("avg_hr").is_null())
    assert no_hr.height == 1
    assert no_hr.get_column("load_method").to_list() == ["estimated"]
    sports = set(acts.filter(~pl.col("is_run")).get_column("sport").to_list())
    assert sports == {"cycling", "walking"}


def test_sitting_log_is_an_office_workers(season_report: Report) -> None:
    rows = list(csv.DictReader(SITTING.open()))
    hours = [float(r["sitting_hours"]) for r in rows]
    assert 100 <= len(rows) <= 112  # a few days not logged
    assert max(hours) >= 10 and min(hours) < 5
    assert sum(1 for r in rows if r["numbness"]) >= 2
    assert any(r["seat"] == "hard" for r in rows)


def test_report_has_elevated_and_high_days(season_report: Report) -> None:
    s = season_report.summary
    assert s.elevated_days >= 1
    assert s.high_days >= 1
    high = season_report.days.filter(pl.col("risk") == "high")
    # the overreaching block: high days have a load factor, not sitting alone
    factors = {r["factor"] for reasons in high.get_column("reasons").to_list() for r in reasons}
    assert factors & {"long_run", "load_spike", "long_run_spike", "symptoms"}


def test_generator_is_deterministic() -> None:
    """Re-running the generator gives the committed bytes (checked on the first file and the
    sitting log, so the test stays fast)."""
    ms = _make_season()
    rng = random.Random(ms.SEED)
    specs = ms.build_activities(rng)
    name, spec = specs[0]
    assert activity_bytes(spec) == (SEASON / name).read_bytes()
    assert sorted(p.name for p in SEASON.glob("*.fit")) == sorted(n for n, _ in specs)
    rows = ms.build_sitting(rng)
    committed = list(csv.DictReader(SITTING.open()))
    assert [{k: str(v) for k, v in r.items()} for r in rows] == committed
    assert ms.sitting_csv(rows) == SITTING.read_text(encoding="utf-8")  # byte for byte


def test_table_numbers_read_as_the_reasons_do(season_report: Report) -> None:
    """The ACWR and sitting cells beside a reason show the number the reason names (the
    example season has ACWRs like 1.4195, which rounding would show as 1.42 next to 1.41)."""
    from runload.render.formats import day_view

    checked = 0
    for row in season_report.flagged_days().iter_rows(named=True):
        cells = day_view(row)
        for reason in row["reasons"]:
            if reason["factor"] == "load_spike":
                assert f"acute:chronic load {cells[5]} " in reason["detail"], (cells, reason)
                checked += 1
            if reason["factor"] == "sitting" and "the same day" in reason["detail"]:
                assert f"sat {cells[4]} h" in reason["detail"], (cells, reason)
                checked += 1
    assert checked >= 5
