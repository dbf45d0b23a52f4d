"""Problems and merged copies on the terminal: counts per kind and the first few of each
(``runload.render.summary``), every item with ``--verbose`` and in ``--format json``, the
same in ingest, report, check and team."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner

from runload.cli import main
from runload.errors import Problem
from runload.render.summary import FIRST, summary_lines
from tools.fitgen import activity_bytes, run

START = dt.datetime(2026, 3, 2, 17, 0, tzinfo=dt.UTC)
MORE = "more like this (--verbose shows all)"


@cache
def a_run(day: int = 0) -> bytes:
    when = START + dt.timedelta(days=day)
    return activity_bytes(run(when, 30, 5.0, hr=150, record_every_s=60, local_offset_s=3600))


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def junk_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The issue's folder: 5,000 junk files named .fit, and one real run."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "junk"
    folder.mkdir()
    for i in range(5000):
        (folder / f"junk{i:04d}.fit").write_text(f"junk {i}")
    (folder / "run.fit").write_bytes(a_run())
    return folder


def test_folder_of_5000_junk_files_prints_a_summary_not_5000_lines(junk_folder: Path) -> None:
    res = invoke("ingest", "junk", "--jobs", "1", "--format", "csv")
    assert res.exit_code == 0, res.output
    lines = res.stderr.splitlines()
    assert len(lines) < 15, lines
    assert lines[0].startswith("5001 files seen, 1 activity (1 run)")
    assert lines[1:] == [
        *(f"junk/junk{i:04d}.fit: not a FIT file (no .FIT signature)" for i in range(FIRST)),
        f"… and 4,995 {MORE}",
    ]


def test_verbose_and_json_keep_every_one_of_5000_problems(junk_folder: Path) -> None:
    res = invoke("ingest", "junk", "--jobs", "1", "--format", "csv", "--verbose")
    assert res.exit_code == 0, res.output
    assert sum("not a FIT file" in line for line in res.stderr.splitlines()) == 5000
    res = invoke("ingest", "junk", "--jobs", "1", "--format", "json")
    out = json.loads(res.stdout)
    assert len(out["problems"]) == 5000
    assert len(res.stderr.splitlines()) < 15


@pytest.fixture
def season_with_copies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A season of 10 runs exported twice over 21 folders: 210 merged copies."""
    monkeypatch.chdir(tmp_path)
    season = tmp_path / "season"
    for copy in range(22):
        folder = season / f"export{copy:02d}"
        folder.mkdir(parents=True)
        for day in range(10 if copy < 21 else 0):
            (folder / f"run{day}.fit").write_bytes(a_run(day))
    (season / "notes.fit").write_bytes(b"not fit")
    (season / "empty.fit").write_bytes(b"")
    return season


def test_merged_duplicates_of_a_season_are_summarised(season_with_copies: Path) -> None:
    res = invoke("ingest", "season", "--jobs", "1", "--format", "csv")
    assert res.exit_code == 0, res.output
    lines = res.stderr.splitlines()
    assert "10 activities (10 runs)" in lines[0] and "200 duplicates merged" in lines[0]
    merged = [line for line in lines if "(identical bytes); merged" in line]
    assert len(merged) == FIRST
    assert f"… and 195 {MORE}" in lines
    # the problems of other kinds are still each shown
    assert "season/empty.fit: empty file" in lines
    assert "season/notes.fit: not a FIT file (no .FIT signature)" in lines
    res = invoke("ingest", "season", "--jobs", "1", "--format", "csv", "-v")
    assert sum("(identical bytes); merged" in line for line in res.stderr.splitlines()) == 200
    res = invoke("ingest", "season", "--jobs", "1", "--format", "json")
    assert len(json.loads(res.stdout)["duplicates"]) == 200


def test_report_and_check_show_merged_copies_as_merged_not_as_problems(
    season_with_copies: Path,
) -> None:
    """The season exported 21 times: 2 problems, and 200 copies merged, each counted once
    (the report called the de-duplication "202 problems")."""
    res = invoke("report", "season", "--jobs", "1", "--format", "table")
    assert res.exit_code == 0, res.output
    lines = res.stderr.splitlines()
    assert lines[:3] == [
        "Problems (2):",
        "  season/empty.fit: empty file",
        "  season/notes.fit: not a FIT file (no .FIT signature)",
    ]
    assert lines[3] == "Merged copies, each counted once (200):"
    assert sum("(identical bytes); merged" in line for line in lines) == FIRST
    assert f"  … and 195 {MORE}" in lines
    res = invoke("report", "season", "--jobs", "1", "--format", "table", "--verbose")
    assert res.stderr.count("(identical bytes); merged") == 200
    res = invoke("report", "season", "--jobs", "1", "--format", "json")
    doc = json.loads(res.stdout)
    assert [p["code"] for p in doc["problems"]] == ["fit.empty", "fit.not_fit"]
    assert len(doc["duplicates"]) == 200
    res = invoke("check", "season", "--jobs", "1", "--date", "2026-03-11")
    assert res.exit_code == 0, res.output
    assert "Problems (2):" in res.stderr
    assert "Merged copies, each counted once (200):" in res.stderr
    assert f"… and 195 {MORE}" in res.stderr
    res = invoke("check", "season", "--jobs", "1", "--date", "2026-03-11", "--format", "json")
    doc = json.loads(res.stdout)
    assert (len(doc["problems"]), len(doc["duplicates"])) == (2, 200)


def test_team_summarises_each_athletes_problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    athlete = tmp_path / "squad" / "ann"
    athlete.mkdir(parents=True)
    (athlete / "run.fit").write_bytes(a_run())
    for i in range(40):
        (athlete / f"junk{i:02d}.fit").write_text(f"junk {i}")
    res = invoke("team", "squad", "--date", "2026-03-02", "--jobs", "1", "--format", "table")
    assert res.exit_code == 0, res.output
    assert res.stderr.count("not a FIT file") == FIRST and f"… and 35 {MORE}" in res.stderr
    res = invoke("team", "squad", "--date", "2026-03-02", "--jobs", "1", "--format", "csv", "-v")
    assert res.stderr.count("not a FIT file") == 40


def test_a_few_problems_read_as_before_in_their_order() -> None:
    problems = [
        Problem("b.fit", "error", "empty file"),
        Problem("a.csv", "warning", "odd row", line=3),
        Problem("c.fit", "error", "empty file"),
    ]
    assert [line.text for line in summary_lines(problems)] == [str(p) for p in problems]


def test_problems_of_one_code_are_one_kind_whatever_their_message() -> None:
    rows = [
        Problem("log.csv", "error", f"{i} h is not a number of hours", line=i, code="log.bad_value")
        for i in range(9)
    ]
    rows[4] = Problem("log.csv", "error", "numbness 11 is outside 0–10", 4, code="log.bad_value")
    rows.insert(3, Problem("x.fit", "error", "empty file", code="fit.empty"))
    lines = summary_lines(rows)
    assert lines[0].text == "10 problems: 9 × log.bad_value; 1 × fit.empty"
    assert [line.text for line in lines[1:]] == [
        *(str(p) for p in rows[:3]),
        str(rows[4]),
        str(rows[5]),
        f"… and 4 {MORE}",
        "x.fit: empty file",
    ]
    assert len(summary_lines(rows, verbose=True)) == 10


def _junk(folder: Path, n: int = 2000) -> None:
    """The issue's 2,000 junk files: broken gzip, GPX and TCX files whose errors each quote
    different bytes, and files named .fit that are not FIT (fixed seed: the same each run)."""
    import random

    rnd = random.Random(19)
    for i in range(n):
        data = rnd.randbytes(rnd.randint(10, 4000))
        kind = i % 5
        if kind == 0:
            (folder / f"j{i:04d}.fit.gz").write_bytes(data)
        elif kind == 1:
            (folder / f"j{i:04d}.gpx").write_bytes(data)
        elif kind == 2:
            (folder / f"j{i:04d}.tcx").write_bytes(data)
        elif kind == 3:
            bad = "<gpx>" + "x" * rnd.randint(10, 20000) + f"{i}\x01</gpx>"
            (folder / f"j{i:04d}.gpx").write_text(bad)
        else:
            (folder / f"j{i:04d}.fit").write_bytes(data)


def test_2000_junk_files_are_a_few_lines_grouped_by_code_each_within_the_width(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`runload report` on 2,000 junk files printed 412 lines, one of them 19,206 characters:
    problems were grouped by their message, and each gzip or GPX error quotes other bytes.
    Now they are grouped by code, and every line fits the terminal."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "junk"
    folder.mkdir()
    _junk(folder)
    (folder / "run.fit").write_bytes(a_run())
    env = {"COLUMNS": "100"}
    res = CliRunner(env=env).invoke(main, ["report", "junk", "-j", "1", "--format", "csv"])
    assert res.exit_code == 0, res.output
    lines = res.stderr.splitlines()
    assert len(lines) <= 25, lines
    assert max(len(line) for line in lines) <= 100
    counts = "400 × gzip.bad; 800 × gpx.xml; 400 × tcx.xml; 400 × fit.not_fit"
    assert lines[0] == f"2,000 problems: {counts}"
    assert lines.count(f"… and 395 {MORE}") == 3 and f"… and 795 {MORE}" in lines
    res = CliRunner(env=env).invoke(main, ["report", "junk", "-j", "1", "--format", "json"])
    problems = json.loads(res.stdout)["problems"]
    assert len(problems) == 2000  # JSON keeps every item, each with its code
    assert {p["code"] for p in problems} == {"gzip.bad", "gpx.xml", "tcx.xml", "fit.not_fit"}


def test_a_line_longer_than_the_terminal_is_cut_but_whole_with_verbose_and_in_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A log row whose numbness is 5,001 digits: its message quotes them all."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "log.csv").write_text(f"date,sitting_hours,numbness\n2026-03-02,9,{'9' * 5001}\n")
    args = ["sitting", "show", "log.csv", "--format", "csv"]
    res = CliRunner(env={"COLUMNS": "80"}).invoke(main, args)
    (line,) = [x for x in res.stderr.splitlines() if x.startswith("log.csv:2:")]
    assert len(line) == 80 and line.endswith("…") and line.startswith('log.csv:2: numbness "999')
    res = CliRunner(env={"COLUMNS": "80"}).invoke(main, [*args, "--verbose"])
    assert any(len(x) > 5001 for x in res.stderr.splitlines())
    # without a terminal (stderr to a file or a pipe) and no COLUMNS, lines stay whole
    res = CliRunner().invoke(main, args)
    assert any(len(x) > 5001 for x in res.stderr.splitlines())


def test_a_long_file_name_keeps_its_end_when_the_line_is_cut() -> None:
    name = "/home/runner/exports/" + "deep/" * 20 + "2026-03-02-run.fit"
    problem = Problem(name, "error", "not a FIT file (no .FIT signature)", code="fit.not_fit")
    (line,) = summary_lines([problem], width=60)
    assert len(line.text) == 60
    assert "…" in line.text and "2026-03-02-run.fit: not a FIT" in line.text
    assert line.text.startswith("/home/")
