"""``[display] units`` and ``--units``: a runner's own units. Every distance a runner reads
(the terminal report and check, Markdown, the HTML page's cards, hovers and axes, the plan,
the ingest table) in km or in miles; JSON and CSV keep their km columns, and say which units
the reasons' sentences use (``display_units``). Run on the committed example season through
the commands, as a runner runs them."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from runload.cli import main
from runload.config import read_settings
from runload.options import resolve_options
from runload.render.figure import build_figure
from runload.render.html import render_html
from runload.report import report

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SEASON, SITTING = EXAMPLES / "season", EXAMPLES / "sitting.csv"
SPIKE_DAY = "2026-04-29"  # a 17.5 km long run after a 15.3 km one: a spike

KM = re.compile(r"\d km\b|\bkm\b")
MI = re.compile(r"\d mi\b|\bmi\b")


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("units-cache")


def _run(cache: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    extra = ["--cache-dir", str(cache), "--jobs", "1"]
    out = CliRunner().invoke(main, [*args, *extra], env={"COLUMNS": "200", **(env or {})})
    return out.exit_code, out.stdout


def _report(cache: Path, *args: str) -> str:
    code, text = _run(cache, "report", str(SEASON), "--sitting", str(SITTING), *args)
    assert code == 0, text
    return text


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_report_reads_in_km_or_in_miles(cache: Path, fmt: str) -> None:
    metric = _report(cache, "--format", fmt)
    imperial = _report(cache, "--format", fmt, "--units", "imperial")
    assert "67 runs, 664.9 km, 62 h 10 min" in metric
    assert "67 runs, 413.2 mi, 62 h 10 min" in imperial  # 664.94 km / 1.609344
    spike = "run, longer than 1.1 × the longest run of the 30 days before"
    assert f"17.5 km {spike} (15.3 km)" in metric
    assert f"10.9 mi {spike} (9.5 mi)" in imperial
    assert not MI.search(metric)
    assert not KM.search(imperial), KM.findall(imperial)


def test_json_and_csv_keep_their_km_and_say_the_units_of_the_sentences(cache: Path) -> None:
    metric = json.loads(_report(cache, "--format", "json"))
    imperial = json.loads(_report(cache, "--format", "json", "--units", "imperial"))
    assert (metric["display_units"], imperial["display_units"]) == ("metric", "imperial")
    assert list(metric) == list(imperial)
    assert metric["activities"] == imperial["activities"]
    spikes = [r for d in imperial["days"] for r in d["reasons"] if r["factor"] == "long_run_spike"]
    assert spikes and {r["unit"] for r in spikes} == {"km"}
    details: list[tuple[str, str]] = []
    for a, b in zip(metric["days"], imperial["days"], strict=True):
        for ra, rb in zip(a.pop("reasons"), b.pop("reasons"), strict=True):
            if ra["detail"] != rb["detail"]:
                details.append((ra["detail"], rb["detail"]))
            ra.pop("detail"), rb.pop("detail")
            assert ra == rb  # value, threshold and unit: km
        assert a == b  # distance_km, run_minutes...: every other field unchanged
    assert details and all(" km run" in m and " mi run" in i for m, i in details)
    table = [_report(cache, "--format", "csv", *u) for u in ((), ("--units", "imperial"))]
    rows = [list(csv.DictReader(io.StringIO(t))) for t in table]
    assert list(rows[0][0]) == list(rows[1][0])
    assert [r["distance_km"] for r in rows[0]] == [r["distance_km"] for r in rows[1]]


def test_check_words_the_spike_in_miles(cache: Path) -> None:
    args = ("check", str(SEASON), "--sitting", str(SITTING), "--date", SPIKE_DAY)
    code, metric = _run(cache, *args)
    assert code == 4
    code, imperial = _run(cache, *args, "--units", "imperial")
    assert code == 4
    assert "+1 17.5 km run, longer than" in metric and "(15.3 km)" in metric
    assert "+1 10.9 mi run, longer than" in imperial and "(9.5 mi)" in imperial
    assert not KM.search(imperial)
    code, text = _run(cache, *args, "--units", "imperial", "--format", "json")
    doc = json.loads(text)
    assert doc["display_units"] == "imperial"
    spike = next(r for r in doc["reasons"] if r["factor"] == "long_run_spike")
    assert (spike["value"], spike["unit"]) == (pytest.approx(17.47, abs=0.01), "km")
    assert spike["detail"].startswith("10.9 mi run")
    assert doc["runs"][0]["distance_km"] == pytest.approx(17.47, abs=0.01)


def test_the_page_cards_hovers_and_axes_in_the_runners_units(cache: Path) -> None:
    for units, unit, total, run in (
        ("metric", "km", "665", "17.5 km"),
        ("imperial", "mi", "413", "10.9 mi"),
    ):
        rep = report(resolve_options([SEASON], [SITTING], cache_dir=cache, jobs=1, units=units))
        fig, page = build_figure(rep), render_html(rep)
        assert f'<div class="n">{total}</div><div class="l">{unit}</div>' in page
        load = next(t for t in fig.data if t.name == "daily load (TRIMP)")
        day = next(h for h in load.hovertext if h.startswith(SPIKE_DAY))
        assert day == f"{SPIKE_DAY}: 1 run(s), {run}, 1 h 45 min"
        high = next(t for t in fig.data if t.name == "high day")
        assert any(f"+1 {run} run, longer than" in h for h in high.hovertext)
        assert f"{run} run, longer than" in page  # the table of flagged days
        # every text of the figure (hovers, axis titles and ticks, legend, panel titles)
        # and of the page around it: not one distance in the other unit
        other = MI if unit == "km" else KM
        text = fig.to_json() + page.split("<script")[0]
        assert not other.search(text), other.findall(text)


def test_plan_says_its_units(cache: Path) -> None:
    args = ("plan", str(SEASON), "--sitting", str(SITTING), "--week-of", "2026-06-22")
    code, text = _run(cache, *args, "--long", "2h", "--units", "imperial", "--format", "json")
    assert code in (0, 3, 4), text
    assert json.loads(text)["display_units"] == "imperial"
    code, text = _run(cache, *args, "--long", "2h", "--units", "imperial")
    assert "Best day for the long run" in text and not KM.search(text)
    code, text = _run(cache, *args, "--long", "2h", "--format", "json")
    assert json.loads(text)["display_units"] == "metric"


def test_ingest_table_in_miles_with_the_pace(cache: Path) -> None:
    args = ("ingest", str(SEASON), "--format", "table")
    code, metric = _run(cache, *args)
    assert code == 0
    code, imperial = _run(cache, *args, "--units", "imperial")
    assert code == 0
    # 2026-03-05-1831-easy.fit: 45 min, 7.74 km (4.81 mi), 31 m (102 ft) up
    row = next(line for line in metric.splitlines() if "2026-03-05-1831-easy" in line)
    cells = [c.strip() for c in row.split("│") if c.strip()]
    assert cells[2:7] == ["45", "7.7", "5:49", "145", "31"], cells
    row = next(line for line in imperial.splitlines() if "2026-03-05-1831-easy" in line)
    cells = [c.strip() for c in row.split("│") if c.strip()]
    assert cells[2:7] == ["45", "4.8", "9:21", "145", "102"], cells
    head = next(line for line in imperial.splitlines() if "start (local)" in line)
    assert [c.strip() for c in head.split("┃") if c.strip()][3:7] == ["mi", "/mi", "HR", "up ft"]
    code, text = _run(cache, "ingest", str(SEASON), "--format", "csv", "--units", "imperial")
    assert "distance_km" in text.splitlines()[0]  # CSV keeps the data's own columns


def test_the_config_sets_the_units_and_the_flag_wins(cache: Path, tmp_path: Path) -> None:
    config = tmp_path / "runload.toml"
    config.write_text('[display]\nunits = "imperial"\n')
    assert read_settings(config).display.units == "imperial"
    base = ("report", str(SEASON), "--sitting", str(SITTING), "--format", "markdown")
    code, text = _run(cache, *base, "--config", str(config))
    assert code == 0 and "413.2 mi" in text
    code, text = _run(cache, *base, "--config", str(config), "--units", "metric")
    assert code == 0 and "664.9 km" in text
    config.write_text('[display]\nunits = "miles"\n')
    out = CliRunner().invoke(main, [*base, "--config", str(config)])
    assert out.exit_code == 2
    assert 'display.units = "miles" is not one of metric, imperial (line 2)' in out.stderr
    out = CliRunner().invoke(main, [*base, "--units", "miles"])
    assert out.exit_code == 2 and "--units" in out.stderr


def test_init_writes_the_display_key_with_its_comment(tmp_path: Path) -> None:
    out = CliRunner().invoke(main, ["init", str(tmp_path / "runload.toml")])
    assert out.exit_code == 0, out.output
    text = (tmp_path / "runload.toml").read_text()
    assert "[display]  # how numbers are shown" in text
    line = next(line for line in text.splitlines() if line.startswith("units = "))
    assert line.startswith('units = "metric"  # metric | imperial: distances and paces in km')
