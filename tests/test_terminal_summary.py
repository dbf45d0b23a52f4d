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


def test_report_and_check_count_problems_per_kind(season_with_copies: Path) -> None:
    res = invoke("report", "season", "--jobs", "1", "--format", "table")
    assert res.exit_code == 0, res.output
    assert "Problems (202):" in res.stderr
    assert (
        "202 problems: 1 × empty file; 1 × not a FIT file (no .FIT signature); "
        "200 × copies merged (identical bytes)" in res.stderr
    )
    assert f"… and 195 {MORE}" in res.stderr
    assert res.stderr.count("counted once [warning]") == FIRST
    res = invoke("report", "season", "--jobs", "1", "--format", "table", "--verbose")
    assert res.stderr.count("counted once [warning]") == 200
    res = invoke("report", "season", "--jobs", "1", "--format", "json")
    assert len(json.loads(res.stdout)["problems"]) == 202
    res = invoke("check", "season", "--jobs", "1", "--date", "2026-03-11")
    assert res.exit_code == 0, res.output
    assert f"… and 195 {MORE}" in res.stderr
    assert res.stderr.count("counted once [warning]") == FIRST
    res = invoke("check", "season", "--jobs", "1", "--date", "2026-03-11", "--format", "json")
    assert len(json.loads(res.stdout)["problems"]) == 202


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


def test_rows_of_one_mistake_are_one_kind_whatever_their_numbers() -> None:
    rows = [
        Problem("log.csv", "error", f"{i} h is not a number of hours", line=i) for i in range(9)
    ]
    rows.insert(3, Problem("x.fit", "error", "empty file"))
    lines = summary_lines(rows)
    assert lines[0].text == ("10 problems: 9 × 0 h is not a number of hours; 1 × empty file")
    assert [line.text for line in lines[1:]] == [
        *(str(p) for p in rows[:3]),
        str(rows[4]),
        str(rows[5]),
        f"… and 4 {MORE}",
        "x.fit: empty file",
    ]
    assert len(summary_lines(rows, verbose=True)) == 10
