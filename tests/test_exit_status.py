"""Exit statuses: the same meaning in every command (0 done / low, 3 elevated, 4 high,
1 a data problem, 2 a usage mistake or a broken config), said in each --help, the README
and docs/commands.md, so that a script acting on ``check``'s 3 and 4 never acts on an error."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from runload.cli import main
from runload.cli.report import CHECK_EXIT
from tools.fitgen import activity_bytes, run

ROOT = Path(__file__).resolve().parents[1]
BROKEN = "[risk]\nsitting_hours = 'eight'\n"


@pytest.fixture
def season(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "season"
    folder.mkdir()
    start = dt.datetime(2026, 3, 2, 17, 0, tzinfo=dt.UTC)
    spec = run(start, 30, 5.0, hr=150, record_every_s=60, local_offset_s=3600)
    (folder / "run.fit").write_bytes(activity_bytes(spec))
    return folder


@pytest.mark.parametrize(
    "command",
    [
        ["check", "season", "--date", "2026-03-02"],
        ["report", "season"],
        ["plot", "season", "-o", "out.html"],
        ["ingest", "season"],
        ["sources", "season"],
        ["sitting", "show", "season"],
        ["sitting", "add", "9"],
    ],
)
def test_a_broken_config_is_a_usage_mistake_exit_2_in_every_command(
    season: Path, command: list[str]
) -> None:
    (season.parent / "runload.toml").write_text(BROKEN)
    res = CliRunner().invoke(main, [*command, "--jobs", "1"] if command[0] in ("check",
                             "report", "plot", "ingest", "sources") else command)  # fmt: skip
    assert res.exit_code == 2, res.output
    (line,) = res.output.splitlines()
    assert line.startswith("Error: ") and line.endswith(
        "runload.toml: risk.sitting_hours must be a number, not text ('eight') (line 2)"
    )


def test_a_bad_waking_window_in_the_config_exits_2(season: Path) -> None:
    (season.parent / "runload.toml").write_text(
        "[sitting]\nwaking_start = '23:00'\nwaking_end = '07:00'\n"
    )
    res = CliRunner().invoke(main, ["check", "season", "--date", "2026-03-02", "--jobs", "1"])
    assert res.exit_code == 2, res.output


def test_no_runs_on_or_before_the_day_exits_1_never_a_risk_status(season: Path) -> None:
    res = CliRunner().invoke(main, ["check", "season", "--date", "2026-01-01", "--jobs", "1"])
    assert res.exit_code == 1, res.output
    assert res.exit_code not in CHECK_EXIT.values()
    assert "no runs on or before 2026-01-01" in res.output


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX shell")
def test_the_documented_script_idiom_fires_on_risk_only(season: Path) -> None:
    """The README's idiom against the two errors of the issue (a broken config, no run on or
    before the day) and a low day: "stretch first" never fires on them."""
    runload = f"{sys.executable} -m runload"
    idiom = 'case $? in 3|4) echo "stretch first";; esac'
    for args, config, status in (
        ("check season --date 2026-03-02 --jobs 1", BROKEN, 2),
        ("check season --date 2026-01-01 --jobs 1", "", 1),
        ("check season --date 2026-03-02 --jobs 1", "", 0),
    ):
        (season.parent / "runload.toml").write_text(config)
        script = f"{runload} {args} >/dev/null 2>&1; s=$?; echo $s; (exit $s); {idiom}"
        out = subprocess.run(
            ["sh", "-c", script],
            capture_output=True,
            text=True,
            cwd=season.parent,
            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(season.parent)},
        )
        assert out.stdout == f"{status}\n", (args, out)


def test_check_help_and_the_docs_document_every_exit_status() -> None:
    help_text = CliRunner().invoke(main, ["check", "--help"]).output
    for status, meaning in (("0", "low"), ("3", "elevated"), ("4", "high")):
        assert f"{status}  {meaning}" in help_text
    assert "1  nothing to check" in help_text and "2  a usage mistake" in help_text
    assert 'case $? in 3|4) echo "stretch first";; esac' in help_text
    readme = (ROOT / "README.md").read_text()
    commands = (ROOT / "docs" / "commands.md").read_text()
    for doc in (readme, commands):
        assert 'case $? in 3|4) echo "stretch first";; esac' in doc
        assert '--planned 1h30 || echo "stretch first"' not in doc
    for status in "01234":
        assert f"\n| {status} | " in commands
    for command in ("ingest", "report", "plot", "sources", "init"):
        text = " ".join(CliRunner().invoke(main, [command, "--help"]).output.split())
        assert "Exit status" in text and "2 a usage mistake" in text, command
