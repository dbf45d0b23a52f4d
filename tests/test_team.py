"""runload team: a generated squad of five athletes with settings of their own (hr_max, sex,
time zone, a sitting threshold that puts one athlete in a method group of their own) and a
broken folder, through the table, JSON, CSV, the Parquet season dataset and the HTML page in
headless Chromium; each athlete's day equals the single-athlete ``check`` of their folder;
the same JSON with ``--dask local`` and with a Dask worker killed mid-run."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner
from polars.testing import assert_frame_equal

from runload.analysis import analyse, analyse_many
from runload.api import check, report, resolve_options
from runload.cli import main
from runload.config import Settings, load_settings
from runload.load import athlete_values
from runload.options import Options
from runload.schema import ATHLETE_KEY, DAY_COLUMNS
from runload.team import SEASON_MARK, team, team_season, write_season
from tools.fitgen import (
    activities_frame,
    run,
    run_record,
    sitting_frame,
    sitting_record,
    write_activity,
)

DAY = dt.date(2026, 4, 20)
START = dt.datetime(2026, 3, 9, 17, 30, tzinfo=dt.UTC)

# name: (runload.toml text or None, minutes of the last week's long run, sitting hours then)
ATHLETES = {
    "alex": (None, 130, 11.0),
    "bea": ('[athlete]\nhr_max = 176\nsex = "female"\ntimezone = "Europe/Berlin"\n', 100, 9.0),
    "chris": ("[risk]\nsitting_hours = 6.5\n", 60, 7.0),
    "dee": ("[athlete]\nhr_max = 199\nhr_rest = 45\n", 40, None),
    "eve": ('[athlete]\nsex = "male"\n', 95, 10.5),
}


def _write_athlete(folder: Path, config: str | None, long_minutes: int, sitting: float | None):
    folder.mkdir()
    if config:
        (folder / "runload.toml").write_text(config)
    day = 0
    for week in range(6):
        for k, minutes in enumerate((35, 40, 45 + 5 * week)):
            when = START + dt.timedelta(days=7 * week + 2 * k)
            spec = run(when, minutes, minutes / 5.5, hr=[138, 156], record_every_s=15,
                       local_offset_s=3600)  # fmt: skip
            write_activity(folder / f"{when:%Y-%m-%d}.fit", spec)
            day += 1
    last = dt.datetime.combine(DAY, dt.time(17, 0), tzinfo=dt.UTC)
    spec = run(last, long_minutes, long_minutes / 5.8, hr=[145, 168], record_every_s=15,
               local_offset_s=3600)  # fmt: skip
    write_activity(folder / f"{DAY}-long.fit", spec)
    if sitting is not None:
        lines = ["date,sitting_hours"]
        for i in range(10, -1, -1):
            lines.append(f"{DAY - dt.timedelta(days=i)},{sitting - (0.5 if i % 2 else 0)}")
        (folder / "sitting.csv").write_text("\n".join(lines) + "\n")


@pytest.fixture(scope="module")
def squad(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("squad")
    for name, (config, minutes, sitting) in ATHLETES.items():
        _write_athlete(root / name, config, minutes, sitting)
    broken = root / "zoe"
    broken.mkdir()
    (broken / "runload.toml").write_text("[athlete]\nhr_max = 'fast'\n")
    write_activity(broken / "run.fit", run(START, 30, 5.0))
    (root / "empty").mkdir()
    (root / ".hidden").mkdir()
    return root


def _run() -> Options:
    return Options(settings=Settings(), paths=(), use_cache=False, jobs=1)


@pytest.fixture(scope="module")
def result(squad: Path):
    return team(squad, day=DAY, run=_run())


def _cli(*args: str) -> tuple[int, str, str]:
    out = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return out.exit_code, out.stdout, out.stderr


def test_each_athletes_day_is_their_own_check(squad: Path, result) -> None:
    """The squad pass gives each athlete exactly what `runload check` gives on their folder
    with their own settings."""
    assert sorted(result.days.get_column(ATHLETE_KEY)) == sorted(ATHLETES)
    for row in result.days.iter_rows(named=True):
        folder = squad / row[ATHLETE_KEY]
        config = folder / "runload.toml"
        options = resolve_options(
            [folder], settings=load_settings(config if config.is_file() else None, cwd=folder),
            use_cache=False, jobs=1, cwd=folder,
        )  # fmt: skip
        if (folder / "sitting.csv").is_file():
            options = resolve_options([folder], [folder / "sitting.csv"], settings=options.settings,
                                      use_cache=False, jobs=1)  # fmt: skip
        one = check(options, day=DAY)
        assert (row["risk"], row["score"]) == (one.risk, one.score), row[ATHLETE_KEY]
        assert row["acwr"] == pytest.approx(one.acwr, rel=1e-12)
        assert row["reasons"] == one.reasons
        assert row["advice"] == one.advice


def test_the_day_rows_equal_each_athletes_report(squad: Path, result) -> None:
    for name in ("alex", "dee"):
        folder = squad / name
        sitting = [folder / "sitting.csv"] if (folder / "sitting.csv").exists() else []
        cfg = folder / "runload.toml"
        settings = load_settings(cfg if cfg.exists() else None, cwd=folder)
        rep = report(resolve_options([folder], sitting, settings=settings, use_cache=False, jobs=1))
        want = rep.days.filter(pl.col("date") == DAY).select(DAY_COLUMNS)
        got = result.days.filter(pl.col(ATHLETE_KEY) == name).select(DAY_COLUMNS)
        same(got, want)


def same(got: pl.DataFrame, want: pl.DataFrame) -> None:
    """Equal up to the last bits of a float sum (a squad sums HR samples in bigger chunks,
    so 100.25646636673817 may come out as ...822)."""
    assert_frame_equal(got, want, rel_tol=1e-12, abs_tol=1e-12)


def test_per_athlete_settings_change_the_numbers(result) -> None:
    """bea's hr_max 176 and sex raise her load for the same runs; chris's 6.5 h threshold
    counts his 7 h of sitting."""
    rows = {r[ATHLETE_KEY]: r for r in result.days.iter_rows(named=True)}
    assert rows["bea"]["load"] != pytest.approx(rows["alex"]["load"])
    chris = {r["factor"] for r in rows["chris"]["reasons"]}
    assert "sitting" in chris
    assert rows["dee"]["sitting_hours"] is None


def test_table_is_sorted_high_first_with_a_line_for_the_broken_folder(squad: Path) -> None:
    code, out, err = _cli("team", str(squad), "--date", str(DAY), "--format", "table",
                          "--no-cache", "-j", "1")  # fmt: skip
    levels = {"high": 0, "elevated": 1, "low": 2}
    cells = [line.split() for line in out.splitlines()]
    shown = [c[:2] for c in cells if len(c) > 2 and c[0] in ATHLETES and c[1] in levels]
    assert [n for n, _ in shown] and sorted(n for n, _ in shown) == sorted(ATHLETES)
    ranks = [levels[lv] for _, lv in shown]
    assert ranks == sorted(ranks)
    assert code == {0: 4, 1: 3, 2: 0}[ranks[0]]  # the worst level, as check
    assert "zoe left out" in err and "runload.toml" in err and "line 2" in err
    assert "empty left out: no activity files" in err
    assert ".hidden" not in err + out
    assert "not medical advice" in out


def test_json_has_every_athletes_full_day_record(squad: Path, result) -> None:
    code, out, _ = _cli("team", str(squad), "--date", str(DAY), "--format", "json",
                        "--no-cache", "-j", "1")  # fmt: skip
    doc = json.loads(out)
    assert [a["athlete"] for a in doc["athletes"]] == result.days.get_column(ATHLETE_KEY).to_list()
    for a in doc["athletes"]:
        assert set(DAY_COLUMNS) <= set(a)
        assert a["date"] == str(DAY)
        assert a["last_run"] == str(DAY) and a["days_since_run"] == 0
        assert {v["name"] for v in a["values"]} >= {"hr_max", "hr_rest", "sex"}
    bea = next(a for a in doc["athletes"] if a["athlete"] == "bea")
    assert next(v for v in bea["values"] if v["name"] == "hr_max")["value"] == 176
    assert {p["path"].rsplit("/", 1)[-1] for p in doc["left_out"]} == {"zoe", "empty"}
    assert code in (0, 3, 4)


def test_csv_is_one_row_per_athlete(squad: Path) -> None:
    _, out, _ = _cli("team", str(squad), "--date", str(DAY), "--format", "csv", "--no-cache")
    frame = pl.read_csv(out.encode())
    assert frame.height == len(ATHLETES)
    assert frame.columns[:2] == ["athlete", "date"]


def test_default_date_is_today_in_each_athletes_zone(squad: Path, tmp_path: Path) -> None:
    """Without --date each athlete is checked on their own today: after the data, so the
    row is a rest day with its days since the last run."""
    got = team(squad, run=_run())
    for row in got.days.iter_rows(named=True):
        assert row["date"] >= DAY
        assert row["days_since_run"] == (row["date"] - DAY).days


def test_season_dataset_is_partitioned_by_athlete(squad: Path, result, tmp_path: Path) -> None:
    out = tmp_path / "season"
    code, _, err = _cli("team", str(squad), "--season", str(out), "--no-cache")
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == [
        f"athlete={n}" for n in sorted(ATHLETES)
    ]
    back = pl.scan_parquet(out / "**" / "*.parquet", hive_partitioning=True).collect()
    assert back.height == result.season.filter(pl.col("date") <= DAY).height
    alex = back.filter(pl.col("athlete") == "alex").sort("date").select(DAY_COLUMNS)
    want = result.season.filter(pl.col(ATHLETE_KEY) == "alex").sort("date").select(DAY_COLUMNS)
    same(alex, want)
    # a re-run replaces the dataset it wrote; a folder it did not write is refused
    assert _cli("team", str(squad), "--season", str(out), "--no-cache")[0] == 0
    assert (out / SEASON_MARK).is_file()
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    code, _, err = _cli("team", str(squad), "--season", str(foreign), "--no-cache")
    assert code != 0 and "not replacing it" in err
    assert (foreign / "notes.txt").read_text() == "keep me"


def test_season_period(squad: Path) -> None:
    got = team_season(squad, date_from=DAY - dt.timedelta(days=6), date_to=DAY, run=_run())
    assert got.season.get_column("date").min() == DAY - dt.timedelta(days=6)
    assert got.season.group_by(ATHLETE_KEY).len().get_column("len").to_list() == [7] * 5


def test_write_season_refuses_a_file(tmp_path: Path, result) -> None:
    target = tmp_path / "season.parquet"
    target.write_text("not a dataset")
    with pytest.raises(Exception, match="not replacing it"):
        write_season(result.season, target)
    assert target.read_text() == "not a dataset"


def test_analyse_many_equals_analyse_per_athlete() -> None:
    """Two athletes with different hr_max in one polars pass: the same days as each alone,
    even where their calendars differ (one starts later and logs sitting before it)."""
    runs_a = [run_record(dt.date(2026, 3, 1) + dt.timedelta(days=2 * i), 40 + i, avg_hr=150)
              for i in range(30)]  # fmt: skip
    runs_b = [run_record(dt.date(2026, 3, 20) + dt.timedelta(days=i), 30 + 2 * i, avg_hr=160)
              for i in range(25)]  # fmt: skip
    sit_b = [sitting_record(dt.date(2026, 3, 10) + dt.timedelta(days=i), 9.5) for i in range(30)]
    a, b = activities_frame(runs_a), activities_frame(runs_b)
    sb = sitting_frame(sit_b)
    settings = Settings()
    one_a = analyse(a, None, settings)
    one_b = analyse(b, sb, settings)
    both = analyse_many(
        pl.concat([a.with_columns(athlete=pl.lit("a")), b.with_columns(athlete=pl.lit("b"))]),
        sb.with_columns(athlete=pl.lit("b")),
        pl.DataFrame([
            {ATHLETE_KEY: "a", **athlete_values(one_a.athlete)},
            {ATHLETE_KEY: "b", **athlete_values(one_b.athlete)},
        ]),
        settings,
    )[1]  # fmt: skip
    for name, one in (("a", one_a), ("b", one_b)):
        same(both.filter(pl.col(ATHLETE_KEY) == name).drop(ATHLETE_KEY), one.days)


def test_dask_local_gives_identical_json(squad: Path) -> None:
    pytest.importorskip("distributed", reason="the dask extra is not installed")
    args = ["team", str(squad), "--date", str(DAY), "--format", "json", "--no-cache", "-j", "2"]
    plain = _cli(*args)
    on_dask = _cli(*args, "--dask", "local")
    assert on_dask[0] == plain[0]
    assert on_dask[1] == plain[1]


def test_a_killed_dask_worker_loses_no_athletes_file(
    squad: Path, result, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("distributed", reason="the dask extra is not installed")
    import runload.distributed as rd
    from runload.render.team import team_json

    marker = str(tmp_path / "killed-once")
    batch = rd.parse_batch

    def kill_once(sources, *cache):  # pickled by value: runs on the worker
        import os
        import signal

        if not os.path.exists(marker):  # the first task kills its worker; its retry does not
            open(marker, "w").close()
            os.kill(os.getpid(), signal.SIGKILL)
        return batch(sources, *cache)

    monkeypatch.setattr(rd, "parse_batch", kill_once)
    got = team(squad, day=DAY, run=Options(Settings(), (), use_cache=False, jobs=2, dask="local"))
    assert os.path.exists(marker)
    assert team_json(got) == team_json(result)


def test_a_squad_folder_without_athletes_is_one_line(tmp_path: Path) -> None:
    code, _, err = _cli("team", str(tmp_path))
    assert code == 2 or code == 1
    assert "holds no athlete folder" in err
    assert "Traceback" not in err


TEAM_PAGE_FACTS = """JSON.stringify({
    title: document.title,
    rows: Array.from(document.querySelectorAll('table.team tbody tr.athlete')).map(
        r => [r.dataset.athlete, r.querySelector('td.risk').textContent]),
    charts: document.querySelectorAll('section.athlete-chart .js-plotly-plot').length,
    drawn: document.querySelectorAll('section.athlete-chart svg.main-svg').length,
    bars: document.querySelectorAll('.js-plotly-plot g.barlayer path').length,
    plotly_scripts: Array.from(document.scripts).filter(
        s => s.textContent.indexOf('plotly.js v') >= 0).length,
    left_out: Array.from(document.querySelectorAll('ul.left-out li')).map(e => e.textContent),
    disclaimer: (document.querySelector('.disclaimer') || {}).textContent || '',
    sitting_axes: Object.fromEntries(Array.from(document.querySelectorAll('section.athlete-chart'))
        .map(s => [s.querySelector('h3').firstChild.textContent.trim(), [
            Array.from(s.querySelectorAll('.y2tick text')).map(t => t.textContent),
            s.querySelectorAll('.shapelayer path').length,
            s.textContent.indexOf('no sitting data') >= 0]])),
    scroll_width: document.documentElement.scrollWidth,
    width: window.innerWidth,
})"""


def test_html_page_renders_offline_in_chromium(squad: Path, result, tmp_path: Path) -> None:
    """One page: the athletes' table (high first) and a chart each, drawn by one inlined
    plotly.js, nothing fetched from the network, no script error, no sideways scroll."""
    from test_html_browser import CHROMIUM, _errors, _requests, open_page

    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (apt-get install chromium; CI does)")
    page_path = tmp_path / "squad.html"
    _code, _, err = _cli("team", str(squad), "--date", str(DAY), "--html", str(page_path),
                        "--format", "json", "--no-cache")  # fmt: skip
    assert "HTML page written" in err
    page = open_page(page_path.as_uri(), facts=TEAM_PAGE_FACTS, width=1280)
    assert _errors(page["events"]) == []
    assert {u.split("#")[0] for u in _requests(page["events"])} <= {page_path.as_uri()}
    want = [(r[ATHLETE_KEY], r["risk"]) for r in result.days.iter_rows(named=True)]
    assert [tuple(r) for r in page["rows"]] == want
    assert page["charts"] == len(ATHLETES)
    assert page["drawn"] >= len(ATHLETES)
    assert page["bars"] >= len(ATHLETES)
    assert page["plotly_scripts"] == 1  # inlined once for the page, not once per athlete
    assert len(page["left_out"]) == 2 and any("zoe" in t for t in page["left_out"])
    assert "not medical advice" in page["disclaimer"]
    assert page["scroll_width"] <= page["width"]
    # sitting ticks in whole hours (they read 9.94 / 7.45), and no sitting axis nor 8 h
    # line for dee, who logs no sitting
    axes = page["sitting_axes"]
    assert axes["dee"] == [[], 0, True]
    for name in ("alex", "bea", "chris", "eve"):
        assert axes[name][0] == ["0", "4", "8", "12", "16"] and axes[name][1] >= 1, name
    assert page_path.stat().st_size < 6_000_000  # one plotly.js (about 4.5 MB), not five


def test_one_polars_pass_per_distinct_method_settings(
    squad: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """hr_max, sex and time zone are columns: alex, bea, dee and eve share one pass; chris's
    own sitting threshold gives him a second one. Not one analysis per athlete."""
    passes = _count_passes(monkeypatch)
    team(squad, day=DAY, run=_run())
    assert sorted(passes) == [["alex", "bea", "dee", "eve"], ["chris"]]


def test_a_chart_draws_no_sitting_axis_nor_line_for_an_athlete_without_sitting(result) -> None:
    """Team charts labelled sitting ticks 9.94 / 7.45 and drew an 8 h line for an athlete
    with no sitting (dee). Now: whole hours every 4 h, and no axis or line without data."""
    from runload.render.team import _chart_days, athlete_figure

    dee = athlete_figure(_chart_days(result, "dee", DAY), result)
    assert "yaxis2" not in dee.layout.to_plotly_json() and len(dee.layout.shapes) == 0
    assert [a.text for a in dee.layout.annotations] == ["no sitting data"]
    assert not [t for t in dee.data if t.name == "sitting h"]
    alex = athlete_figure(_chart_days(result, "alex", DAY), result)
    assert alex.layout.yaxis2.tickvals == (0, 4, 8, 12, 16)
    assert alex.layout.yaxis2.range == (0, 16)
    assert [s.y0 for s in alex.layout.shapes] == [8.0]


@pytest.fixture(scope="module")
def units_squad(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two athletes whose last long run is a spike: ann reads miles in her own config,
    ben has none (the squad's config, or none, applies to him)."""
    root = tmp_path_factory.mktemp("units-squad")
    _write_athlete(root / "ann", '[display]\nunits = "imperial"\n', 130, 11.0)
    _write_athlete(root / "ben", None, 130, 11.0)
    return root


def _spike_details(result) -> dict[str, str]:
    return {
        row[ATHLETE_KEY]: next(
            r["detail"] for r in row["reasons"] if r["factor"] == "long_run_spike"
        )
        for row in result.days.iter_rows(named=True)
    }


def _json_spikes(doc: dict) -> list[dict]:
    return [r for a in doc["athletes"] for r in a["reasons"] if r["factor"] == "long_run_spike"]


def test_display_units_never_split_a_squads_polars_pass(
    units_squad: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ann's [display] units is not part of the method: she and ben are one pass, and the
    squad reads in one unit system, the team's (--units, else the squad's config, else
    metric), whatever each athlete's own config says."""
    passes = _count_passes(monkeypatch)
    metric = team(units_squad, day=DAY, run=_run())
    assert passes == [["ann", "ben"]]
    details = _spike_details(metric)
    assert set(details) == {"ann", "ben"}
    assert all(" km run" in d and " mi" not in d for d in details.values()), details
    assert metric.settings.display.units == "metric"
    miles = team(units_squad, day=DAY, run=_run(), units="imperial")
    assert all(" mi run" in d for d in _spike_details(miles).values())
    # the squad's own config: its units for everyone (ann's own config says the same here)
    (units_squad / "runload.toml").write_text('[display]\nunits = "imperial"\n')
    try:
        code, out, _ = _cli("team", str(units_squad), "--date", str(DAY), "--format", "json",
                            "--no-cache", "-j", "1")  # fmt: skip
        doc = json.loads(out)
        assert code in (3, 4) and doc["display_units"] == "imperial"
        assert all(" mi run" in r["detail"] for r in _json_spikes(doc)), doc
        code, out, _ = _cli("team", str(units_squad), "--date", str(DAY), "--format", "json",
                            "--no-cache", "-j", "1", "--units", "metric")  # fmt: skip
    finally:
        (units_squad / "runload.toml").unlink()
    doc = json.loads(out)
    assert doc["display_units"] == "metric"
    spikes = [r for a in doc["athletes"] for r in a["reasons"] if r["factor"] == "long_run_spike"]
    assert len(spikes) == 2 and all(" km run" in r["detail"] and r["unit"] == "km" for r in spikes)


def _count_passes(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The athletes of each polars pass of the method, as ``team`` makes them."""
    import runload.analysis

    passes: list[list[str]] = []
    real = runload.analysis.analyse_many

    def counting(activities, sitting, athletes, settings, **kw):
        passes.append(sorted(athletes.get_column(ATHLETE_KEY).to_list()))
        return real(activities, sitting, athletes, settings, **kw)

    monkeypatch.setattr(runload.analysis, "analyse_many", counting)
    return passes
