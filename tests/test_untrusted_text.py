"""Values and names from the user's files are data, never instructions: a number too long
for Python is one problem naming the file (issue 19, item 1), and a file name, zip member
or athlete folder neither drives the terminal nor runs as a spreadsheet formula (item 2)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from runload.cli import main
from runload.render.safe import csv_text_cells, terminal_text
from tools.fitgen import activity_bytes, run

START = dt.datetime(2026, 3, 2, 17, 0, tzinfo=dt.UTC)
HUGE = "9" * 5001  # the 5,001-digit totalSteps
INTERNAL = "internal error"


@cache
def a_run(day: int = 0) -> bytes:
    when = START + dt.timedelta(days=day)
    return activity_bytes(run(when, 40, 7.0, hr=150, record_every_s=60, local_offset_s=3600))


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner(env=env).invoke(main, list(args))


def _summary_with_huge_steps(shared_sitting_dir: Path) -> str:
    """The real Garmin daily summary with its first ``totalSteps`` made 5,001 digits long."""
    text = (shared_sitting_dir / "garmin_usersummary_daily_2days.json").read_text()
    return re.sub(r'"totalSteps": \d+', f'"totalSteps": {HUGE}', text, count=1)


def _line_of_huge(text: str) -> int:
    return text[: text.index(HUGE)].count("\n") + 1


# --- item 1: a number too long for Python --------------------------------------------------


@pytest.fixture
def huge_summary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared_sitting_dir: Path):
    """A season of runs and, beside it, the Garmin summary with the 5,001-digit totalSteps."""
    monkeypatch.chdir(tmp_path)
    season = tmp_path / "season"
    season.mkdir()
    for day in range(3):
        (season / f"run{day}.fit").write_bytes(a_run(day))
    text = _summary_with_huge_steps(shared_sitting_dir)
    (tmp_path / "UDSFile_2025-06-14.json").write_text(text)
    return tmp_path, _line_of_huge(text)


def test_a_5001_digit_total_steps_is_one_problem_in_sitting_show_report_check_and_sources(
    huge_summary: tuple[Path, int],
) -> None:
    """It ended each of them with "internal error: ValueError: Exceeds the limit (4300
    digits)"; now it is one problem naming the file and line, and the runs are reported."""
    _folder, line = huge_summary
    said = (
        f"UDSFile_2025-06-14.json:{line}: holds a number of 5,001 digits, more than runload"
        " reads (4,300): not read"
    )
    uds = "UDSFile_2025-06-14.json"
    res = invoke("sitting", "show", uds)
    assert INTERNAL not in res.output and said in res.stderr.splitlines()
    assert res.exit_code == 1  # a rejected source, as any unreadable log
    res = invoke("report", "season", "--sitting", uds, "--format", "json", "-j", "1")
    assert INTERNAL not in res.output, res.output
    doc = json.loads(res.stdout)
    assert len(doc["activities"]) == 3  # everything else goes on
    (problem,) = [p for p in doc["problems"] if p["code"] == "json.number"]
    assert (problem["path"], problem["line"], problem["severity"]) == (uds, line, "error")
    # and the report says what that costs: no sitting from it
    assert {p["code"] for p in doc["problems"]} == {"json.number", "sitting.none_read"}
    res = invoke("check", "season", "--sitting", uds, "--date", "2026-03-04", "-j", "1")
    assert res.exit_code in (0, 3, 4) and INTERNAL not in res.output, res.output
    assert said in res.stderr
    res = invoke("sources", "season", "--sitting", uds, "--format", "json", "-j", "1")
    assert res.exit_code == 0 and INTERNAL not in res.output, res.output
    assert [p["code"] for p in json.loads(res.stdout)["problems"]] == ["json.number"]


def test_a_5001_digit_number_in_one_athletes_file_does_not_stop_the_squad(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared_sitting_dir: Path
) -> None:
    """With ``runload team`` one athlete's file killed the whole squad: now that file is one
    problem and both athletes are reported."""
    monkeypatch.chdir(tmp_path)
    for name in ("ana", "ben"):
        folder = tmp_path / "squad" / name
        folder.mkdir(parents=True)
        (folder / "run.fit").write_bytes(a_run())
    text = _summary_with_huge_steps(shared_sitting_dir)
    (tmp_path / "squad" / "ana" / "UDSFile_2025-06-14.json").write_text(text)
    res = invoke("team", "squad", "--date", "2026-03-02", "--format", "json", "-j", "1")
    assert INTERNAL not in res.output, res.output
    assert res.exit_code in (0, 3, 4), res.output
    doc = json.loads(res.stdout)
    assert sorted(a["athlete"] for a in doc["athletes"]) == ["ana", "ben"]
    assert doc["left_out"] == []
    (problem,) = doc["problems"]
    assert problem["path"] == "squad/ana/UDSFile_2025-06-14.json"
    assert (problem["code"], problem["line"]) == ("json.number", _line_of_huge(text))


def test_a_5001_digit_number_in_a_json_log_is_refused_by_read_and_by_add(cwd: Path) -> None:
    log = cwd / "sitting.json"
    log.write_text(f'[{{"date": "2026-03-02", "sitting_hours": 9}},\n {{"date": {HUGE}}}]\n')
    res = invoke("sitting", "show", str(log))
    assert INTERNAL not in res.output
    assert f"{log}:2: holds a number of 5,001 digits" in res.stderr
    before = log.read_bytes()
    res = invoke("sitting", "add", "8", "--date", "2026-03-03", "--log", str(log))
    assert res.exit_code == 1 and INTERNAL not in res.output, res.output
    assert "holds a number of 5,001 digits" in res.stderr
    assert log.read_bytes() == before  # not rewritten


def test_a_5001_digit_number_in_runload_toml_is_a_config_error(cwd: Path) -> None:
    (cwd / "season").mkdir()
    (cwd / "season" / "run.fit").write_bytes(a_run())
    (cwd / "runload.toml").write_text(f"[athlete]\nhr_max = 180\nhr_rest = {HUGE}\n")
    res = invoke("report", "season", "-j", "1")
    assert res.exit_code == 2, res.output
    assert INTERNAL not in res.output
    assert "runload.toml:3: broken TOML at line 3: a number of 5,001 digits" in res.stderr


# --- item 2: names on the terminal and in CSV ------------------------------------------------

MEMBER = "run\x1b[31mRED\nline.fit"  # the zip member
SHOWN = "run\\x1b[31mRED\\nline.fit"


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


@pytest.fixture
def odd_zip(cwd: Path) -> Path:
    """A zip with the issue's member (a real run), a broken member of the same kind of name,
    and a member whose name is rich markup."""
    path = cwd / "export.zip"
    path.write_bytes(
        _zip(
            {
                MEMBER: a_run(0),
                "bad\x1b[2J\rname.fit": b"not fit",
                "[bold]x.fit": a_run(1),
            }
        )
    )
    return path


def test_a_zip_member_named_with_escape_codes_neither_colours_nor_splits_the_table(
    odd_zip: Path,
) -> None:
    wide = {"COLUMNS": "200"}
    res = invoke("ingest", "export.zip", "--format", "table", "-j", "1", env=wide)
    assert res.exit_code == 0, res.output
    assert "\x1b" not in res.output and "\r" not in res.output
    rows = [line for line in res.stdout.splitlines() if line.startswith("│ 2026")]
    assert len(rows) == 2  # one row per run: no row split by the name's \n
    assert any(f"export.zip:{SHOWN}" in row for row in rows)
    assert any("export.zip:[bold]x.fit" in row for row in rows)  # markup shown, not read
    assert "export.zip:bad\\x1b[2J\\rname.fit: not a FIT file" in res.stderr
    res = invoke("sources", "export.zip", "--format", "table", "-j", "1", env=wide)
    assert "\x1b" not in res.output and res.exit_code == 0


def test_json_keeps_the_exact_name(odd_zip: Path) -> None:
    res = invoke("ingest", "export.zip", "--format", "json", "-j", "1")
    doc = json.loads(res.stdout)
    assert f"export.zip:{MEMBER}" in {a["file"] for a in doc["activities"]}
    assert [p["path"] for p in doc["problems"]] == ["export.zip:bad\x1b[2J\rname.fit"]


def test_report_and_check_escape_names_in_problems_and_notes(odd_zip: Path) -> None:
    for args in (
        ("report", "export.zip", "--format", "table"),
        ("report", "export.zip", "--format", "markdown"),
        ("check", "export.zip", "--date", "2026-03-03"),
    ):
        res = invoke(*args, "-j", "1")
        assert res.exit_code in (0, 3, 4), res.output
        assert "\x1b" not in res.output and "\r" not in res.output, args
        assert "bad\\x1b[2J\\rname.fit" in res.output, args


def test_a_name_given_on_the_command_line_is_escaped_in_the_error(cwd: Path) -> None:
    res = invoke("report", "no\x1b[31msuch.fit", "-j", "1")
    assert "\x1b" not in res.output
    assert "no\\x1b[31msuch.fit" in res.output


def test_csv_text_cells_that_start_a_formula_are_quoted(cwd: Path) -> None:
    """OWASP's CSV injection advice: =, +, -, @ (and tab, carriage return) at the start of a
    text cell; the file names here are the cells."""
    names = ["=HYPERLINK(1).fit", "+1.fit", "-2.fit", "@SUM(1).fit"]
    for day, name in enumerate(names):
        (cwd / name).write_bytes(a_run(day))
    res = invoke("ingest", "--format", "csv", "-j", "1", "--", *names)
    assert res.exit_code == 0, res.output
    files = [row["file"] for row in csv.DictReader(io.StringIO(res.stdout))]
    assert sorted(files) == sorted("'" + n for n in names)


def test_csv_numbers_are_never_quoted_a_negative_tsb_stays_a_number(cwd: Path) -> None:
    (cwd / "season").mkdir()
    for day in range(6):
        (cwd / "season" / f"run{day}.fit").write_bytes(a_run(day))
    res = invoke("report", "season", "--format", "csv", "-j", "1")
    assert res.exit_code == 0, res.output
    tsb = [row["tsb"] for row in csv.DictReader(io.StringIO(res.stdout)) if row["tsb"]]
    assert any(t.startswith("-") for t in tsb)  # the season has negative form...
    assert all(float(t) == float(t) for t in tsb)  # ...written as numbers, no quote mark
    assert not any(t.startswith("'") for t in tsb)


def test_a_team_athlete_named_like_a_formula_is_quoted_in_csv(cwd: Path) -> None:
    folder = cwd / "squad" / "=cmd|' -C calc'!A0"
    folder.mkdir(parents=True)
    (folder / "run.fit").write_bytes(a_run())
    res = invoke("team", "squad", "--date", "2026-03-02", "--format", "csv", "-j", "1")
    assert res.exit_code in (0, 3, 4), res.output
    (row,) = list(csv.DictReader(io.StringIO(res.stdout)))
    assert row["athlete"] == "'=cmd|' -C calc'!A0"


def test_the_one_terminal_escape_and_the_one_csv_rule() -> None:
    import polars as pl

    assert terminal_text("a\x1b[31mb\nc\td\r\x00\x7f\x9b\u202ee") == (
        "a\\x1b[31mb\\nc\\td\\r\\x00\\x7f\\x9b\\u202ee"
    )
    assert terminal_text("café ünïcode — fine") == "café ünïcode — fine"
    frame = pl.DataFrame({"t": ["=1", "+1", "-1", "@1", "\t1", "a=1", None], "n": [-1] * 7})
    got: dict[str, Any] = csv_text_cells(frame).to_dict(as_series=False)
    assert got["t"] == ["'=1", "'+1", "'-1", "'@1", "'\t1", "a=1", None]
    assert got["n"] == [-1] * 7


def test_user_json_is_parsed_in_one_place() -> None:
    """Every JSON runload reads from a user's file goes through ``runload.jsontext`` (a new
    reader calling ``json.loads`` itself would bring the 4,300-digit crash back). Only the
    cache reads its own JSON directly."""
    import ast

    root = Path(__file__).resolve().parents[1] / "runload"
    allowed = {"jsontext.py", "cache.py"}
    direct = []
    for path in sorted(root.rglob("*.py")):
        if path.name in allowed:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            func = node.func if isinstance(node, ast.Call) else None
            if (
                isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Name)
                and func.value.id == "json"
                and func.attr in ("loads", "load", "JSONDecoder")
            ):
                direct.append(f"{path.relative_to(root.parent)}:{node.lineno}")
    assert not direct, f"JSON parsed outside runload.jsontext: {direct}"


def test_a_5001_digit_number_in_a_fitbit_exercise_log_is_one_problem(cwd: Path) -> None:
    """The exercise log (a reader merged from another branch) parsed its JSON itself: the
    same number was "parser failed (ValueError: Exceeds the limit ...)"."""
    from tools.fitbitgen import exercise

    (cwd / "fitbit").mkdir()
    entries = [
        exercise(1, "Run", dt.datetime(2026, 3, 2, 18, 0), 40, 7.0),
        exercise(2, "Run", dt.datetime(2026, 3, 4, 18, 0), 40, 7.0),
    ]
    text = json.dumps(entries, indent=1).replace('"steps": 4000', f'"steps": {HUGE}', 1)
    (cwd / "fitbit" / "exercise.json").write_text(text)
    res = invoke("ingest", "fitbit", "--format", "json", "-j", "1")
    assert INTERNAL not in res.output and "parser failed" not in res.output, res.output
    (problem,) = json.loads(res.stdout)["problems"]
    assert problem["path"] == "fitbit/exercise.json"
    assert (problem["code"], problem["line"]) == ("json.number", _line_of_huge(text))
    assert problem["message"].startswith("holds a number of 5,001 digits")
