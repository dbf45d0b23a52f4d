"""``runload report`` end to end on a generated season with known answers.

The season (CET, UTC+1): from Tue 2026-01-06, four weeks of Tue/Thu/Sat 30-min runs
(6 km) and a 45-min Sunday run (12 km), HR 140 throughout (max 190, rest 50 in the
files), except a 30-min Thursday run on 2026-01-15 without HR; the last Sunday
(2026-02-01) is skipped. A 60-min road ride on Sat 2026-01-10. Then on Wed 2026-02-04
at 18:00 a 95-min, 13-km run after a 10.5 h desk day. Every other day: 6 h of sitting.

Known answers: 16 runs, 121 km, 1 long run (the 95-min one: not a distance spike, 13 km
is under 1.1 × 12 km), exactly one risk day, 2026-02-04, elevated with the reasons
``sitting`` (+2: 10 h or more, same day as an evening run) and ``long_run`` (+1) and the
advice ``hip_flexor_stretch`` and ``movement_breaks``.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from runload.cli import main
from runload.config import Settings
from runload.options import Options, resolve_options
from runload.report import ACTIVITY_REPORT_COLUMNS, report
from runload.schema import ACTIVITY_COLUMNS, DAY_COLUMNS
from tools.fitgen import ActivitySpec, SessionSpec, write_activity


def _options(season: dict[str, Path]) -> Options:
    """The example season's files, with its own cache and the default settings."""
    return resolve_options(
        [season["fit"]], [season["log"]], settings=Settings(), cache_dir=season["cache"], jobs=1
    )


CET = dt.timezone(dt.timedelta(hours=1))
FIRST_DAY = dt.date(2026, 1, 5)  # a Monday
LONG_DAY = dt.date(2026, 2, 4)
NO_HR_DAY = dt.date(2026, 1, 15)
HR, HR_MAX, HR_REST = 140, 190, 50


def _spec(day: dt.date, hour: int, minutes: int, km: float, *, hr=HR, sport="running"):
    start = dt.datetime.combine(day, dt.time(hour), tzinfo=CET).astimezone(dt.UTC)
    session = SessionSpec(
        start=start,
        minutes=minutes,
        sport=sport,
        sub_sport="road" if sport == "cycling" else "street",
        distance_km=km,
        hr=hr,
        record_every_s=30,  # the longest gap the load counts in full: same TRIMP, fewer bytes
    )
    return ActivitySpec(
        sessions=[session],
        local_offset_s=3600,
        user_gender="male",
        resting_hr=HR_REST,
        max_hr=HR_MAX,
    )


def build_season(folder: Path) -> tuple[Path, Path]:
    """Write the season's FIT files and its sitting log; return (fit folder, log)."""
    fit = folder / "fit"
    for week in range(4):
        monday = FIRST_DAY + dt.timedelta(weeks=week)
        for offset, hour, minutes, km in ((1, 18, 30, 6.0), (3, 18, 30, 6.0), (5, 9, 30, 6.0)):
            day = monday + dt.timedelta(days=offset)
            hr = None if day == NO_HR_DAY else HR
            write_activity(fit / f"{day}-run.fit", _spec(day, hour, minutes, km, hr=hr))
        sunday = monday + dt.timedelta(days=6)
        if week < 3:
            write_activity(fit / f"{sunday}-run.fit", _spec(sunday, 9, 45, 12.0))
    ride_day = dt.date(2026, 1, 10)
    write_activity(fit / f"{ride_day}-ride.fit", _spec(ride_day, 14, 60, 25.0, sport="cycling"))
    write_activity(fit / f"{LONG_DAY}-long.fit", _spec(LONG_DAY, 18, 95, 13.0))

    log = folder / "sitting.csv"
    with log.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["date", "sitting_hours", "numbness", "seat", "notes"])
        day = FIRST_DAY
        while day <= LONG_DAY:
            w.writerow([day, 10.5 if day == LONG_DAY else 6, "", "", ""])
            day += dt.timedelta(days=1)
    return fit, log


def shared_season(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The season, written once per test session and shared by the test modules that use it
    (test_check, test_html_browser); each gets its own copy of nothing but the paths."""
    root = tmp_path_factory.getbasetemp() / "generated-season"
    done = root / ".complete"
    if not done.exists():
        build_season(root)
        done.touch()
    fit, log = root / "fit", root / "sitting.csv"
    return {"fit": fit, "log": log, "cache": root / "cache", "root": root}


@pytest.fixture(scope="session")
def season(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return shared_season(tmp_path_factory)


def cached(season: dict[str, Path], *args: str) -> list[str]:
    """``args`` plus the season's shared cache and one worker (fast, quiet)."""
    return [*args, "--cache-dir", str(season["cache"]), "--jobs", "1"]


def invoke(season: dict[str, Path], *args: str) -> object:
    base = ["report", str(season["fit"]), "--sitting", str(season["log"])]
    return CliRunner().invoke(main, cached(season, *base, *args))


def trimp(hr: float, minutes: float) -> float:
    """Banister TRIMP of a constant heart rate (male weighting), the method's formula."""
    x = (hr - HR_REST) / (HR_MAX - HR_REST)
    return minutes * x * 0.64 * math.exp(1.92 * x)


def expected_day_loads() -> dict[dt.date, float]:
    """The load of every day of the season, by hand from the schedule above (not from
    runload): TRIMP of the constant HR, the no-HR run at the assumed 0.6 of HR reserve."""
    loads = {FIRST_DAY + dt.timedelta(days=i): 0.0 for i in range((LONG_DAY - FIRST_DAY).days + 1)}
    for week in range(4):
        monday = FIRST_DAY + dt.timedelta(weeks=week)
        for offset in (1, 3, 5):
            day = monday + dt.timedelta(days=offset)
            loads[day] = (
                30 * 0.6 * 0.64 * math.exp(1.92 * 0.6) if day == NO_HR_DAY else trimp(HR, 30)
            )
        if week < 3:
            loads[monday + dt.timedelta(days=6)] = trimp(HR, 45)
    loads[LONG_DAY] = trimp(HR, 95)
    return loads


def expected_metrics(day: dt.date) -> dict[str, float]:
    """acute, chronic, acwr, monotony, strain, ctl, atl and tsb of ``day`` as docs/method.md
    defines them, in plain Python over the hand-made loads."""
    loads = expected_day_loads()
    series = [loads[d] for d in sorted(loads) if d <= day]
    week, month = series[-7:], series[-28:]
    mean = sum(week) / 7
    sd = math.sqrt(sum((x - mean) ** 2 for x in week) / 7)
    ctl = atl = 0.0
    before = (0.0, 0.0)
    for x in series:
        before = (ctl, atl)
        ctl += (1 - math.exp(-1 / 42)) * (x - ctl)
        atl += (1 - math.exp(-1 / 7)) * (x - atl)
    acute, chronic = sum(week) / 7, sum(month) / 28
    return {
        "acute": acute,
        "chronic": chronic,
        "acwr": acute / chronic,
        "monotony": mean / sd,
        "strain": sum(week) * mean / sd,
        "ctl": ctl,
        "atl": atl,
        "tsb": before[0] - before[1],
    }


# --- the library ---------------------------------------------------------------------------


def test_report_summary_and_the_known_risk_day(season) -> None:
    rep = report(_options(season))
    assert rep.problems == []
    s = rep.summary
    assert (s.runs, s.long_runs, s.elevated_days, s.high_days) == (16, 1, 1, 0)
    assert s.km == pytest.approx(121.0)
    assert s.other_activities == 1
    assert (rep.period_from, rep.period_to) == (FIRST_DAY, LONG_DAY)
    flagged = rep.flagged_days()
    assert flagged.get_column("date").to_list() == [LONG_DAY]
    assert {a["name"]: a["value"] for a in rep.athlete}["hr_max"] == HR_MAX


def test_period_is_cut_but_metrics_keep_their_history(season) -> None:
    full = report(_options(season))
    cut = report(_options(season), date_from=dt.date(2026, 2, 2))
    assert cut.days.height == 3
    assert cut.summary.runs == 1
    last = full.days.filter(full.days["date"] == LONG_DAY).row(0, named=True)
    assert cut.days.row(-1, named=True)["acwr"] == pytest.approx(last["acwr"])


# --- the command, every format -------------------------------------------------------------


def test_json_field_by_field(season) -> None:
    result = invoke(season, "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert list(doc) == [
        "runload_version",
        "display_units",
        "athlete",
        "period",
        "days",
        "activities",
        "duplicates",
        "no_activity",
        "problems",
    ]
    assert doc["period"]["from"] == str(FIRST_DAY)
    assert doc["period"]["to"] == str(LONG_DAY)
    assert doc["problems"] == []
    days = doc["days"]
    assert len(days) == (LONG_DAY - FIRST_DAY).days + 1
    assert all(list(d) == list(DAY_COLUMNS) for d in days)
    loads = expected_day_loads()
    for d in days:
        assert d["load"] == pytest.approx(loads[dt.date.fromisoformat(d["date"])], rel=1e-3), d
    assert sum(d["runs"] for d in days) == 16
    assert sum(d["distance_km"] for d in days) == pytest.approx(121.0)

    day = next(d for d in days if d["date"] == str(LONG_DAY))
    assert day["runs"] == 1
    assert day["run_minutes"] == pytest.approx(95)
    assert day["distance_km"] == pytest.approx(13.0)
    assert day["load"] == pytest.approx(trimp(HR, 95), rel=1e-3)
    assert day["load_estimated"] is False
    assert day["long_run"] is True
    assert day["long_run_spike"] is False
    assert day["sitting_hours"] == 10.5
    assert day["sitting_source"] is not None
    assert day["numbness"] is None
    for name, value in expected_metrics(LONG_DAY).items():
        assert day[name] == pytest.approx(value, rel=2e-3), name
    assert 0.8 < day["acwr"] < 1.3 and day["monotony"] < 2.0  # hence no load factor
    assert day["risk"] == "elevated"
    assert day["score"] == 3
    assert [(r["factor"], r["points"]) for r in day["reasons"]] == [
        ("sitting", 2),
        ("long_run", 1),
    ]
    assert "10.5 h" in day["reasons"][0]["detail"]
    keys = ["factor", "points", "value", "threshold", "unit", "detail"]
    assert [list(r) for r in day["reasons"]] == [keys, keys]  # exactly these, in this order
    assert [(r["value"], r["threshold"], r["unit"]) for r in day["reasons"]] == [
        (10.5, 10.0, "h"),
        (pytest.approx(95), 90.0, "min"),
    ]
    assert {a["code"] for a in day["advice"]} == {"hip_flexor_stretch", "movement_breaks"}
    hip = next(a for a in day["advice"] if a["code"] == "hip_flexor_stretch")
    assert set(hip) == {"code", "title", "text", "steps"}
    assert any("hip flexor" in s.lower() for s in hip["steps"])
    assert [d["date"] for d in days if d["risk"] != "low"] == [str(LONG_DAY)]

    # the day before the first run of the season has no load and no ACWR yet
    first = days[0]
    assert (first["runs"], first["load"], first["acwr"]) == (0, 0.0, None)
    assert first["sitting_hours"] == 6

    acts = doc["activities"]
    assert len(acts) == 17
    assert all(list(a) == list(ACTIVITY_REPORT_COLUMNS) for a in acts)
    assert not {"hr_t", "hr_bpm"} & set(acts[0])
    assert set(ACTIVITY_COLUMNS) < set(acts[0])
    long = next(a for a in acts if a["date"] == str(LONG_DAY))
    assert long["start_utc"] in ("2026-02-04T17:00:00Z", "2026-02-04T17:00:00+00:00")
    assert long["start_local"].startswith("2026-02-04T18:00")
    assert (long["long_run"], long["long_run_spike"], long["load_method"]) == (
        True,
        False,
        "hr_samples",
    )
    assert (long["sport"], long["is_run"], long["utc_offset_min"]) == ("running", True, 60)
    assert long["moving_minutes"] == pytest.approx(95, abs=0.5)
    assert long["distance_km"] == pytest.approx(13.0)
    assert (long["avg_hr"], long["max_hr"]) == (HR, HR)
    for a in acts:  # every activity's load, by hand
        if a["is_run"]:
            assert a["load"] == pytest.approx(loads[dt.date.fromisoformat(a["date"])], rel=1e-3)
    no_hr = next(a for a in acts if a["date"] == str(NO_HR_DAY))
    assert no_hr["load_method"] == "estimated" and no_hr["avg_hr"] is None
    ride = next(a for a in acts if a["sport"] == "cycling")
    assert ride["is_run"] is False and not ride["load"]
    assert next(d for d in days if d["date"] == str(NO_HR_DAY))["load_estimated"] is True


def test_csv_is_the_day_table(season) -> None:
    result = invoke(season, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(result.stdout.splitlines()))
    assert list(rows[0]) == list(DAY_COLUMNS)
    assert len(rows) == (LONG_DAY - FIRST_DAY).days + 1
    day = next(r for r in rows if r["date"] == str(LONG_DAY))
    assert day["risk"] == "elevated"
    assert "10.5 h" in day["reasons"]
    assert "hip_flexor_stretch" in day["advice"]


def test_markdown_is_the_table_view(season) -> None:
    result = invoke(season, "--format", "markdown")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("| date |"))
    assert lines[header + 1].startswith("|---")
    body = [line for line in lines[header + 2 :] if line.startswith("| ")]
    assert len(body) == 1 and body[0].startswith(f"| {LONG_DAY} | 1 |")
    assert "| elevated |" in body[0]
    assert "not medical advice" in result.stdout

    every = invoke(season, "--format", "markdown", "--all")
    rows = [line for line in every.stdout.splitlines() if line.startswith("| 2026-")]
    assert len(rows) == (LONG_DAY - FIRST_DAY).days + 1


def test_table_header_days_problems_disclaimer_in_order(season, tmp_path: Path) -> None:
    bad = tmp_path / "broken.fit"
    bad.write_bytes(b"this is not a FIT file")
    args = ["report", str(season["fit"]), str(bad), "--sitting", str(season["log"])]
    result = CliRunner().invoke(main, cached(season, *args, "--format", "table"))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "16 runs, 121.0 km" in out
    assert "1 elevated, 0 high" in out
    assert "hr_max 190" in out
    table = out.index("Elevated and high days")
    positions = [
        table,
        out.index(str(LONG_DAY), table),
        out.index("What to do"),
        out.index("broken.fit"),
        out.index("not medical advice"),
    ]
    assert positions == sorted(positions)
    assert "Traceback" not in out


def test_html_next_to_the_printed_format(season, tmp_path: Path) -> None:
    page = tmp_path / "out" / "season.html"
    page.parent.mkdir()
    result = invoke(season, "--format", "json", "--html", str(page))
    assert result.exit_code == 0, result.output
    json.loads(result.stdout)  # stdout is still pure JSON
    text = page.read_text()
    assert text.startswith("<!DOCTYPE html>")
    assert f"{FIRST_DAY} to {LONG_DAY}" in text
    assert "plotly" in text.lower()
    assert list(page.parent.iterdir()) == [page]  # no temp file left behind


def test_plot_is_report_html(season, tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    result = CliRunner().invoke(
        main,
        cached(
            season, "plot", str(season["fit"]), "--sitting", str(season["log"]), "-o", str(page)
        ),
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "Elevated and high days" in page.read_text()


# --- bad input and usage mistakes ----------------------------------------------------------


@pytest.mark.parametrize("fmt", ["table", "csv", "markdown"])
def test_period_outside_the_data_is_one_line_exit_1(season, tmp_path: Path, fmt: str) -> None:
    page = tmp_path / "r.html"
    result = invoke(season, "--from", "2027-01-01", "--format", fmt, "--html", str(page))
    assert result.exit_code == 1
    assert result.stdout == ""  # no empty table, no header of zeros
    assert result.stderr.splitlines() == [
        "--from/--to: the period 2027-01-01 to … is outside the data (2026-01-05 to 2026-02-04)",
        f"{page}: not written, there is no day to show",
    ]
    assert not page.exists()


def test_period_outside_the_data_in_json(season) -> None:
    result = invoke(season, "--to", "2025-12-31", "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["days"] == [] and doc["activities"] == []
    assert doc["period"] == {
        "from": None,
        "to": None,
        "data_from": str(FIRST_DAY),
        "data_to": str(LONG_DAY),
    }
    assert [p["message"] for p in doc["problems"]] == [
        "the period … to 2025-12-31 is outside the data (2026-01-05 to 2026-02-04)"
    ]


def test_period_partly_outside_is_cut_to_the_data(season) -> None:
    result = invoke(season, "--from", "2026-02-01", "--to", "2026-12-31", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [d["date"] for d in doc["days"]] == [
        "2026-02-01",
        "2026-02-02",
        "2026-02-03",
        str(LONG_DAY),
    ]


@pytest.mark.parametrize("args", [["report", "--format", "table"], ["plot"]])
def test_empty_folder_is_one_line_exit_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    empty = tmp_path / "garmin"
    empty.mkdir()
    result = CliRunner().invoke(main, [args[0], str(empty), *args[1:]])
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == f"{empty}: no activities were read: nothing to report"
    if args[0] == "plot":
        assert lines[1:] == ["report.html: not written, there is no day to show"]
    else:
        assert len(lines) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["garmin"]


def test_sitting_log_without_overlap_says_so(season, tmp_path: Path) -> None:
    log = tmp_path / "old.csv"
    log.write_text("date,sitting_hours\n2025-06-01,9\n2025-06-02,11\n")
    args = ["report", str(season["fit"]), "--sitting", str(log)]
    result = CliRunner().invoke(main, cached(season, *args, "--format", "json"))
    assert result.exit_code == 0, result.output
    problems = json.loads(result.stdout)["problems"]
    assert [(p["path"], p["severity"], p["message"]) for p in problems] == [
        (
            str(log),
            "warning",
            "the sitting log (2025-06-01 to 2025-06-02) has no overlap with the runs "
            "(2026-01-06 to 2026-02-04): the risk uses the runs only",
        )
    ]
    # the table still shows the season, and says so once, after it, on stderr
    table = CliRunner().invoke(main, cached(season, *args, "--format", "table"))
    assert table.exit_code == 0, table.output
    assert "16 runs" in table.stdout and "no overlap" not in table.stdout
    assert sum("no overlap with the runs" in line for line in table.stderr.splitlines()) == 1


def test_sitting_days_after_today_are_left_out_with_a_warning(season, tmp_path: Path) -> None:
    """A year typed wrong (2062 for 2026) must not stretch the season by 36 years."""
    log = tmp_path / "typo.csv"
    log.write_text(season["log"].read_text() + "2062-01-20,9\n")
    args = ["report", str(season["fit"]), "--sitting", str(log), "--all", "--format", "json"]
    result = CliRunner().invoke(main, cached(season, *args))
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["days"][-1]["date"] < "2027-01-01"
    typos = [p for p in doc["problems"] if "2062-01-20" in p["message"]]
    assert len(typos) == 1 and typos[0]["path"] == str(log), doc["problems"]
    assert "1 day(s) dated after today" in typos[0]["message"]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--from", "2026-02-30"], "there is no day 30: February 2026 has 28 days"),
        (["--to", "yesterday"], "not a valid date"),
        (["--format", "xml"], "xml"),
        (["--from", "2026-02-04", "--to", "2026-01-01"], "after"),
    ],
)
def test_usage_mistakes_exit_2_in_one_line(season, args: list[str], needle: str) -> None:
    result = invoke(season, *args)
    assert result.exit_code == 2
    assert needle in result.output
    assert "Traceback" not in result.output


def test_no_paths_is_a_usage_mistake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["report"])
    assert result.exit_code == 2
    assert "give the FIT files" in result.output


def test_nothing_readable_is_one_line_per_file(tmp_path: Path) -> None:
    (tmp_path / "a.fit").write_bytes(b"")
    (tmp_path / "b.fit").write_bytes(b"garbage" * 10)
    result = CliRunner().invoke(
        main, ["report", str(tmp_path / "a.fit"), str(tmp_path / "b.fit"), "--format", "table"]
    )
    assert result.exit_code == 1
    assert "a.fit" in result.output and "b.fit" in result.output
    assert "no activities were read" in result.output
    assert "Traceback" not in result.output


def test_html_never_overwrites_the_sitting_log_or_another_file(season, tmp_path: Path) -> None:
    # "--html sitting.csv" (a slip of the keyboard) must not replace months of logging
    log = tmp_path / "sitting.csv"
    log.write_bytes(season["log"].read_bytes())
    before = log.read_bytes()
    result = CliRunner().invoke(
        main,
        cached(season, "report", str(season["fit"]), "--sitting", str(log), "--html", str(log)),
    )
    assert result.exit_code == 2
    assert f"{log} exists and is not an HTML page" in result.stderr
    assert log.read_bytes() == before
    # an earlier report (or an empty file) is replaced as before
    page = tmp_path / "r.html"
    for old in ("<!DOCTYPE html>\n<html>an-earlier-report</html>", ""):
        page.write_text(old)
        result = invoke(season, "--format", "csv", "--html", str(page))
        assert result.exit_code == 0, result.output
        assert page.read_text().startswith("<!DOCTYPE html>")
        assert "an-earlier-report" not in page.read_text()


def test_write_html_refuses_a_file_it_did_not_write(season, tmp_path: Path) -> None:
    from runload.api import report
    from runload.errors import InputError
    from runload.render.html import write_html

    rep = report(_options(season))
    log = tmp_path / "sitting.csv"
    log.write_text("date,sitting_hours\n2026-03-01,9\n")
    with pytest.raises(InputError, match="exists and is not an HTML page"):
        write_html(rep, log)
    assert log.read_text() == "date,sitting_hours\n2026-03-01,9\n"


def test_only_other_sports_says_there_is_no_running_load(season) -> None:
    ride = next(season["fit"].glob("*-ride.fit"))
    result = CliRunner().invoke(main, cached(season, "report", str(ride), "--format", "json"))
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["days"] == [] and len(doc["activities"]) == 1
    assert "no runs among the 1 activities read" in doc["problems"][0]["message"]


def test_config_names_the_activities_and_the_sitting_log(season, tmp_path: Path) -> None:
    config = tmp_path / "runload.toml"
    config.write_text(
        f'[paths]\nactivities = "{season["fit"]}"\ncache_dir = "{season["cache"]}"\n'
        f'[sitting]\nlog = "{season["log"]}"\n'
    )
    result = CliRunner().invoke(main, ["report", "--config", str(config), "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    day = next(d for d in doc["days"] if d["date"] == str(LONG_DAY))
    assert (day["sitting_hours"], day["risk"]) == (10.5, "elevated")
    assert len(doc["activities"]) == 17


# --- many bad inputs: one clear line each, the right exit status, never a traceback ---------


def _bad_inputs(tmp: Path) -> dict[str, Path]:
    (tmp / "folder.csv").mkdir()  # a folder named like a file
    (tmp / "notes.txt").write_text("not a FIT file")
    (tmp / "broken.toml").write_text("[risk\nfoo=")
    # a log saved by Excel in a German locale: BOM, ';' and decimal commas
    (tmp / "excel.csv").write_bytes(
        "\ufeffdate;sitting_hours;numbness\n2026-02-03;9,5;3\n04.02.2026;10,5;\n".encode()
    )
    return {n: tmp / n for n in ("folder.csv", "notes.txt", "broken.toml", "excel.csv")}


BAD = [
    # (command line after the season's FIT folder, exit status, text in the output)
    (["report", "--from", "2026/03/01"], 2, "not a valid date"),
    (["report", "--to", ""], 2, "not a valid date"),
    (["report", "--jobs", "abc"], 2, "not a valid integer"),
    (["report", "--jobs", "0"], 2, "--jobs"),
    (["report", "--html", ""], 2, "give a file name"),
    (["report", "--html", "{tmp}"], 2, "is a directory"),
    (["report", "--cache-dir", "{tmp}/notes.txt"], 2, "is a file"),
    (["report", "--format"], 2, "requires an argument"),
    (["plot", "-o", " "], 2, "give a file name"),
    (["check", "--planned", "-5m"], 2, "not a duration"),
    (["check", "--planned", "25h"], 2, "not a run length"),
    (["check", "--planned", "1:75"], 2, "not a duration"),
    (["check", "--date", "0000-01-01"], 2, "not a valid date"),
    (["check", "--all"], 2, "No such option"),
    # a config that cannot be used is a usage mistake, as a bad option is (never 1, 3 or 4)
    (["report", "--config", "{tmp}/missing.toml"], 2, "config file not found"),
    (["report", "--config", "{tmp}/broken.toml"], 2, "broken.toml:1"),
    (["check", "--config", "{tmp}/broken.toml"], 2, "broken.toml:1"),
    (["report", "--html", "{tmp}/notes.txt/r.html", "--format", "csv"], 1, "cannot write"),
    (["plot", "-o", "{tmp}/notes.txt/r.html"], 1, "cannot write"),
    (["report", "--html", "{tmp}/notes.txt", "--format", "csv"], 2, "not an HTML page"),
    (["plot", "-o", "{tmp}/excel.csv"], 2, "not an HTML page"),
    (["report", "--sitting", "{tmp}/folder.csv", "--format", "csv"], 0, "no sitting days"),
    (["report", "--sitting", "{tmp}/nowhere.csv", "--format", "csv"], 2, "no such file"),
    (["report", "--sitting", "{tmp}/excel.csv", "--format", "csv"], 0, "04.02.2026"),
    (["check", "--date", "2027-06-01"], 0, "may be out of date"),
    (["check", "--date", "2030-01-01"], 2, "more than a year after today"),
]


@pytest.mark.parametrize(("args", "code", "needle"), BAD, ids=[" ".join(a) for a, _, _ in BAD])
def test_bad_input_is_one_clear_line(
    season, tmp_path: Path, args: list[str], code: int, needle: str
) -> None:
    _bad_inputs(tmp_path)
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    base = cached(season, args[0], str(season["fit"]))
    result = CliRunner().invoke(main, [*base, *args[1:]])  # the last --jobs/--cache-dir wins
    assert result.exit_code == code, result.output
    assert needle in result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    if code == 2:  # click's usage lines, then the mistake in one line
        assert len(errors) == 1 and needle in errors[0], result.stderr
    elif code == 1:
        assert len(errors) <= 1 and needle in result.stderr, result.stderr


def test_check_lists_the_unreadable_files_before_its_error(tmp_path: Path) -> None:
    (tmp_path / "a.fit").write_bytes(b"garbage" * 10)
    result = CliRunner().invoke(main, ["check", str(tmp_path / "a.fit"), "--date", "2026-02-04"])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{tmp_path / 'a.fit'}: not a FIT file")
    assert lines[1:] == [
        f"Error: no runs on or before 2026-02-04 in {tmp_path / 'a.fit'}: nothing to check"
    ]
