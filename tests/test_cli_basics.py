from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from runload import __version__
from runload.cli import main


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_help_lists_commands_with_examples() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for name, command in main.commands.items():
        sub = CliRunner().invoke(main, [name, "--help"])
        assert sub.exit_code == 0, name
        if hasattr(command, "commands"):
            continue
        assert "Example" in sub.output, f"runload {name} --help has no example"


def test_help_does_not_import_heavy_modules() -> None:
    code = (
        "import sys; from runload.cli import main\n"
        "heavy = [m for m in ('polars', 'fitparse', 'plotly', 'rich', 'dask', 'distributed')"
        " if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


@pytest.mark.parametrize(
    "args",
    [
        ["nope"],
        ["--bogus"],
        ["report", "--from", "2026-13-01", "x"],
        ["check", "--planned", "soon", "x"],
        ["report", "--format", "xml", "x"],
        ["sitting", "add", "lots"],
    ],
)
def test_usage_mistakes_are_one_line_and_exit_2(args: list[str]) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ") and "--help" in lines[0]
    assert "Traceback" not in result.output


def _run_on_a_terminal(args: list[str]) -> str:
    """Run ``python -m runload ARGS`` with stdout/stderr on a pseudo-terminal."""
    import os
    import pty

    pid, fd = pty.fork()
    if pid == 0:  # the child: becomes runload
        os.execvp(sys.executable, [sys.executable, "-m", "runload", *args])
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.waitpid(pid, 0)
    return b"".join(chunks).decode("utf-8", "replace")


def test_progress_bar_on_a_terminal_only(tmp_path) -> None:
    import datetime as dt

    from tools.fitgen import run, write_activity

    fit = write_activity(
        tmp_path / "run.fit",
        run(dt.datetime(2026, 3, 1, 8, tzinfo=dt.UTC), 20, 4.0, record_every_s=30),
    )
    args = ["ingest", str(fit), "--no-cache", "--jobs", "1"]
    assert "reading activity files" in _run_on_a_terminal(args)
    piped = subprocess.run(
        [sys.executable, "-m", "runload", *args], capture_output=True, text=True, check=True
    )
    assert "reading activity files" not in piped.stderr + piped.stdout
    assert "1 files seen" in piped.stderr or "1 file" in piped.stderr
