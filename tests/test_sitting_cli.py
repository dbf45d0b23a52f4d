"""``runload sitting add`` / ``runload sitting show`` through click's CliRunner."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from runload.cli import main
from runload.schema import SITTING_COLUMNS


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_add_defaults_to_today_and_sitting_csv(cwd: Path) -> None:
    res = run("sitting", "add", "9h30")
    assert res.exit_code == 0, res.output
    today = dt.date.today().isoformat()
    assert res.stdout == f"added {today}: 9.50 h in sitting.csv (new log)\n"
    assert (cwd / "sitting.csv").read_text() == (
        f"date,sitting_hours,numbness,seat,notes\n{today},9.5,,,\n"
    )


def test_add_uses_the_log_from_the_config(cwd: Path) -> None:
    (cwd / "runload.toml").write_text('[sitting]\nlog = "logs/desk.csv"\n')
    res = run("sitting", "add", "570m", "--date", "2026-03-01", "--seat", "Soft")
    assert res.exit_code == 0, res.output
    assert (cwd / "logs" / "desk.csv").read_text() == (
        "date,sitting_hours,numbness,seat,notes\n2026-03-01,9.5,,soft,\n"
    )


def test_add_refuses_an_existing_date_then_replaces(cwd: Path) -> None:
    log = cwd / "my.csv"
    original = "date,sitting_hours,mood\n2026-03-01,8,fine\n2026-03-02,7,ok\n"
    log.write_text(original)
    res = run("sitting", "add", "9", "--date", "2026-03-01", "--log", "my.csv")
    assert res.exit_code == 1
    assert res.stderr == (
        "Error: my.csv:2: 2026-03-01 is already in the log; use --replace to change it\n"
    )
    assert log.read_text() == original
    res = run(
        "sitting", "add", "9,5", "--date", "2026-03-01", "--log", "my.csv", "--replace",
        "--numbness", "4", "--note", "train, then desk",
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    assert res.stdout == "replaced 2026-03-01: 9.50 h in my.csv (was 8 h)\n"
    assert log.read_text() == (
        "date,sitting_hours,mood,numbness,notes\n"
        '2026-03-01,9.5,fine,4,"train, then desk"\n'
        "2026-03-02,7,ok\n"
    )


def test_add_a_future_date_warns(cwd: Path) -> None:
    later = (dt.date.today() + dt.timedelta(days=400)).isoformat()
    res = run("sitting", "add", "8", "--date", later)
    assert res.exit_code == 0
    assert res.stdout == f"added {later}: 8.00 h in sitting.csv (new log)\n"
    assert res.stderr == (
        f"sitting.csv: {later} is in the future; added anyway (edit the log if it is a typo) "
        "[warning]\n"
    )
    assert res.stderr.count("\n") == 1


def test_add_to_an_excel_saved_log(cwd: Path) -> None:
    """Excel (comma-decimal locale) saves with a BOM, ; separators, CRLF and 9,5."""
    log = cwd / "excel.csv"
    original = "\ufeffdate;sitting_hours;numbness\r\n2026-03-01;9,5;2\r\n".encode()
    log.write_bytes(original)
    res = run("sitting", "add", "9h45", "--date", "2026-03-02", "--log", "excel.csv")
    assert res.exit_code == 0, res.output
    assert log.read_bytes() == original + b"2026-03-02;9,75;\r\n"
    res = run("sitting", "show", "excel.csv", "--format", "json")
    assert [d["sitting_hours"] for d in json.loads(res.stdout)] == [9.5, 9.75]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["lots"], 'Invalid value for HOURS: "lots" is not a duration'),
        (["25"], "Invalid value for HOURS: 25 hours is outside 0–24 (minutes? write 25m)"),
        (["570"], "Invalid value for HOURS: 570 hours is outside 0–24 (minutes? write 570m)"),
        (["2000"], "Invalid value for HOURS: 2000 hours is outside 0–24 (see"),
        (["8", "--date", "2026-02-30"], "Invalid value for '--date': \"2026-02-30\" is not a"),
        (["8", "--numbness", "11"], "Invalid value for '--numbness'"),
        (["8", "--seat", "sofa"], "Invalid value for '--seat'"),
    ],
)
def test_add_usage_mistakes_exit_2(cwd: Path, args: list[str], message: str) -> None:
    res = run("sitting", "add", *args)
    assert res.exit_code == 2
    assert message in res.stderr
    assert not (cwd / "sitting.csv").exists()


def _log(cwd: Path) -> Path:
    log = cwd / "sitting.csv"
    log.write_text(
        "date,sitting_hours,numbness,seat\n2026-03-01,8,2,hard\n2026-03-02,9h30,,\n2026-03-03,7,,\n"
    )
    return log


def test_show_json_has_exactly_the_day_keys(cwd: Path, shared_sitting_dir: Path) -> None:
    _log(cwd)
    summary = shared_sitting_dir / "garmin_usersummary_daily_2days.json"
    res = run("sitting", "show", "sitting.csv", str(summary), "--format", "json")
    assert res.exit_code == 0, res.output
    assert res.stderr == ""
    days = json.loads(res.stdout)
    assert [set(d) for d in days] == [set(SITTING_COLUMNS)] * 5
    assert days[0] == {
        **dict.fromkeys(SITTING_COLUMNS),
        "date": "2025-06-13",
        "sitting_hours": 48657 / 3600,
        "source": str(summary),
        "source_kind": "device",
    }
    assert days[2] == {
        **dict.fromkeys(SITTING_COLUMNS),
        "date": "2026-03-01",
        "sitting_hours": 8.0,
        "source": "sitting.csv",
        "source_kind": "self_report",
        "numbness": 2,
        "seat": "hard",
    }


def test_show_csv_when_piped_and_date_range(cwd: Path) -> None:
    _log(cwd)
    res = run("sitting", "show", "sitting.csv", "--from", "2026-03-02", "--to", "2026-03-02")
    assert res.exit_code == 0
    assert res.stdout == (
        "date,sitting_hours,source,source_kind,numbness,seat,longest_sit_minutes,sit_breaks,"
        "trendelenburg,thomas,pain\n"
        "2026-03-02,9.500,sitting.csv,self_report,,,,,,,\n"
    )


def test_show_table(cwd: Path) -> None:
    _log(cwd)
    res = run("sitting", "show", "sitting.csv", "--format", "table")
    assert res.exit_code == 0
    assert "Daily sitting" in res.stdout and "self_report" in res.stdout


def test_show_exits_1_on_a_rejected_row_after_printing_the_rest(cwd: Path) -> None:
    log = _log(cwd)
    log.write_text(log.read_text() + "2026-03-04,27,,\n2026-03-05,6,,\n")
    res = run("sitting", "show", "sitting.csv", "--format", "json")
    assert res.exit_code == 1
    assert [d["date"] for d in json.loads(res.stdout)] == [
        "2026-03-01",
        "2026-03-02",
        "2026-03-03",
        "2026-03-05",
    ]
    assert res.stderr == "sitting.csv:5: sitting_hours 27 is outside 0–24\n"


def test_show_warnings_alone_exit_0(cwd: Path, shared_sitting_dir: Path) -> None:
    fitabase = shared_sitting_dir / "fitabase_dailyActivity_merged_head.csv"
    res = run("sitting", "show", str(fitabase), "--format", "csv")
    assert res.exit_code == 0
    assert res.stdout.count("\n") == 5  # header + 4 days
    assert "(not worn); dropped [warning]" in res.stderr


def test_show_unsupported_and_missing_sources(cwd: Path, shared_sitting_dir: Path) -> None:
    gfit = shared_sitting_dir / "googlefit_Daily_activity_metrics_head.csv"
    res = run("sitting", "show", str(gfit), "nope.csv")
    assert res.exit_code == 2  # a SOURCE named that is not there: a usage mistake, nothing read
    assert res.stderr == (
        "Error: nope.csv: no such file or folder (a sitting source you named; nothing was read)\n"
    )
    res = run("sitting", "show", str(gfit))
    assert res.exit_code == 1
    lines = res.stderr.splitlines()
    assert lines[0].startswith(f"{gfit}: unsupported sitting source: a Google Fit")
    assert lines[1] == "no sitting days found"
    assert "Traceback" not in res.output


def test_show_usage_mistakes(cwd: Path) -> None:
    _log(cwd)
    res = run("sitting", "show", "sitting.csv", "--from", "2026-03-05", "--to", "2026-03-01")
    assert res.exit_code == 2 and "--to is before --from" in res.stderr
    res = run("sitting", "show", "sitting.csv", "--from", "March")
    assert res.exit_code == 2 and '"March" is not a valid date' in res.stderr
    res = run("sitting", "show")  # no SOURCE: ./sitting.csv, the default [sitting] log
    assert res.exit_code == 0 and "2026-03-01" in res.stdout


def test_show_uses_the_waking_window_from_the_config(cwd: Path, tmp_path: Path) -> None:
    from tools.fitgen import MonitoringState, monitoring_bytes

    midnight = dt.datetime(2026, 3, 1, 23, 0, tzinfo=dt.UTC)  # local UTC+1
    states = [
        MonitoringState(midnight + dt.timedelta(hours=h), kind)
        for h, kind in [(0, 8), (12, 6), (23, 0)]
    ]
    (cwd / "w.fit").write_bytes(monitoring_bytes(midnight, 3600, states))
    (cwd / "runload.toml").write_text('[sitting]\nwaking_start = "06:00"\nwaking_end = "22:00"\n')
    res = run("sitting", "show", "w.fit", "--format", "json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)[0]["sitting_hours"] == pytest.approx(6.0)  # 06:00–12:00


def test_show_a_folder_with_activity_fit_files(cwd: Path) -> None:
    examples = Path(__file__).resolve().parents[1] / "examples"
    res = run("sitting", "show", str(examples), "--from", "2026-03-02", "--to", "2026-03-03")
    assert res.exit_code == 0, res.output
    assert res.stderr == ""
    assert [ln.split(",")[0] for ln in res.stdout.splitlines()] == [
        "date",
        "2026-03-02",
        "2026-03-03",
    ]


def test_show_a_waking_window_that_ends_before_it_starts(cwd: Path) -> None:
    _log(cwd)
    (cwd / "runload.toml").write_text('[sitting]\nwaking_start = "23:00"\nwaking_end = "07:00"\n')
    res = run("sitting", "show", "sitting.csv")
    assert res.exit_code == 2  # a broken config: a usage mistake
    # caught when the config is read, naming the file and the line
    assert res.stderr == (
        f"Error: {cwd / 'runload.toml'}: sitting.waking_end (07:00) must be after "
        "sitting.waking_start (23:00) (line 3)\n"
    )


def test_render_sitting_formats() -> None:
    import polars as pl
    from rich.console import Console

    from runload.render.sitting import render_sitting
    from runload.schema import sitting_schema

    days = pl.DataFrame(
        {
            "date": [dt.date(2026, 3, 1), dt.date(2026, 3, 2)],
            "sitting_hours": [9.95, 53385 / 3600],
            "source": ["sitting.csv", "summary.json"],
            "source_kind": ["self_report", "device"],
            "numbness": [3, None],
            "seat": ["hard", None],
        },
        schema={c: sitting_schema()[c] for c in SITTING_COLUMNS[:6]},
    )
    assert json.loads(render_sitting(days, "json"))[1] == {
        **dict.fromkeys(SITTING_COLUMNS),
        "date": "2026-03-02",
        "sitting_hours": 53385 / 3600,
        "source": "summary.json",
        "source_kind": "device",
        "numbness": None,
        "seat": None,
    }
    assert (
        render_sitting(days, "csv").splitlines()[1]
        == "2026-03-01,9.950,sitting.csv,self_report,3,hard,,,,,"
    )
    console = Console(record=True, width=100)
    assert render_sitting(days, "table", console) == ""
    text = console.export_text()
    assert "Daily sitting" in text and "9.95" in text and "14.83" in text


def _once(line: str, path: Path) -> bool:
    """``path`` is named exactly once in ``line`` (its file name too, so a path cut at a
    ': ' inside it and named again would be caught)."""
    return line.count(str(path)) == 1 and line.count(path.name) == 1


def test_each_problem_line_names_its_path_once(cwd: Path) -> None:
    from runload.sitting import read_log

    folder = cwd / "my: logs"  # ': ' in a path must not be taken for the end of the path
    folder.mkdir()
    not_utf8 = folder / "latin1.csv"
    not_utf8.write_bytes(b"date,sitting_hours\n2026-03-01,8 \x81\n")  # not cp1252 either
    broken = folder / "broken.json"
    broken.write_text('[\n{"date": "2026-03-01"\n "sitting_hours": 8}]')
    unsupported = folder / "weights.csv"
    unsupported.write_text("when,kg\n2026-03-01,70\n")
    unreadable = folder / "desk.csv"
    unreadable.mkdir()  # the config's log is a folder: it cannot be read
    (cwd / "runload.toml").write_text(f'[sitting]\nlog = "{unreadable}"\n')

    printed: list[tuple[str, Path]] = []
    for path in (not_utf8, broken, unsupported):
        res = run("sitting", "show", str(path))
        assert res.exit_code == 1
        printed += [(ln, path) for ln in res.stderr.splitlines() if ln != "no sitting days found"]
    for log in (not_utf8, broken):
        res = run("sitting", "add", "8", "--date", "2026-03-02", "--log", str(log))
        assert res.exit_code == 1
        printed += [(ln, log) for ln in res.stderr.splitlines()]
    res = run("sitting", "add", "8", "--date", "2026-03-02")
    assert res.exit_code == 1
    printed += [(ln, unreadable) for ln in res.stderr.splitlines()]
    for log in (not_utf8, broken):
        printed += [(str(p), log) for p in read_log(log).problems]

    assert len(printed) == 8
    assert [line for line, path in printed if not _once(line, path)] == []
    assert printed[0][0].startswith(f"{not_utf8}: unsupported sitting source: is not UTF-8 text")
    assert printed[-1][0] == f"{broken}:3: is not valid JSON: Expecting ',' delimiter"
