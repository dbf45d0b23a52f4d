"""The ``runload`` process (``runload.cli.process``), run as a person runs it (``python -m
runload``, the console script's ``run``): it collects garbage at a short command's pace, and
ends as soon as its output is written — the output whole, the exit status the command's,
what Python's shutdown would have run still run, nothing left behind — or leaves the ending
to Python."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from runload.cli import main
from runload.cli.process import COLLECT_EVERY, exit_code

ROOT = Path(__file__).resolve().parents[1]
SEASON = ROOT / "examples" / "season"


def _runload(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "runload", *args], capture_output=True, text=True, timeout=300,
        env=(env or os.environ) | {"PYTHONPATH": str(ROOT)}, cwd=ROOT,
    )  # fmt: skip


def _with_run(
    code: str,
    tmp_path: Path,
    args: tuple[str, ...] = ("--version",),
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """A Python that sets something up with ``code``, then runs ``runload ARGS`` as the
    console script does."""
    run = f"sys.argv = ['runload', *{args!r}]\nfrom runload.cli import run\nrun()\n"
    script = f"import sys\n{code}\n{run}"
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
        env=(env or os.environ) | {"PYTHONPATH": str(ROOT)}, cwd=tmp_path,
    )  # fmt: skip


@pytest.mark.parametrize(("code", "status"), [(None, 0), (0, 0), (3, 3), (4, 4), (2, 2)])
def test_the_exit_status_is_the_one_python_gives(code: object, status: int) -> None:
    assert exit_code(code) == status


def test_a_message_as_exit_code_is_printed_and_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert exit_code("stopped") == 1
    assert capsys.readouterr().err == "stopped\n"


def test_the_whole_output_is_written_and_equals_the_runners(tmp_path: Path) -> None:
    """A report of 150 kB through a pipe: every byte, the same as in-process."""
    cache = ["--cache-dir", str(tmp_path / "cache")]
    out = _runload("report", str(SEASON), "--format", "json", *cache)
    assert out.returncode == 0, out.stderr
    inside = CliRunner().invoke(main, ["report", str(SEASON), "--format", "json", *cache])
    assert len(out.stdout) > 100_000
    assert json.loads(out.stdout) == json.loads(inside.output)


@pytest.mark.parametrize(
    ("args", "status"),
    [
        (["check", str(SEASON), "--sitting", "examples/sitting.csv", "--date", "2026-05-08"], 4),
        (["check", "nosuch"], 2),
        (["--version"], 0),
        (["report", "--format", "nosuch", str(SEASON)], 2),
    ],
)
def test_the_exit_status_is_the_commands(args: list[str], status: int, tmp_path: Path) -> None:
    out = (
        _runload(*args, "--cache-dir", str(tmp_path)) if args[0] != "--version" else _runload(*args)
    )
    assert out.returncode == status, out.stderr


def test_atexit_callbacks_still_run(tmp_path: Path) -> None:
    code = "import atexit, pathlib\natexit.register(pathlib.Path('ran').write_text, 'yes')"
    out = _with_run(code, tmp_path)
    assert (out.returncode, out.stdout.startswith("runload, version")) == (0, True), out.stderr
    assert (tmp_path / "ran").read_text() == "yes"


def test_a_running_thread_is_waited_for(tmp_path: Path) -> None:
    """Another thread still working: Python's own ending, which waits for it."""
    code = (
        "import threading, time, pathlib\n"
        "def late():\n    time.sleep(0.5)\n    pathlib.Path('late').write_text('done')\n"
        "threading.Thread(target=late).start()"
    )
    out = _with_run(code, tmp_path)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "late").read_text() == "done"


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs Linux's /proc")
def test_a_pool_run_leaves_no_temporary_folder_nor_process(tmp_path: Path) -> None:
    """Cold, on a pool of two workers (started even for small files here): multiprocessing's
    clean-up runs, its temporary folders are gone and no worker outlives the command."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = os.environ | {"TMPDIR": str(temp)}
    pool = (
        "import concurrent.futures, pathlib, runload.workers\n"
        "runload.workers.POOL_BYTES_PER_WORKER = 1\n"
        "class Pool(concurrent.futures.ProcessPoolExecutor):\n"
        "    def __init__(self, workers, *args, **kwargs):\n"
        "        pathlib.Path('pools').open('a').write(f'{workers}\\n')\n"
        "        super().__init__(workers, *args, **kwargs)\n"
        "concurrent.futures.ProcessPoolExecutor = Pool"
    )
    args = ("ingest", str(SEASON), "--jobs", "2", "--no-cache", "--format", "json")
    out = _with_run(pool, tmp_path, args, env)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["activities"]
    assert "2" in (tmp_path / "pools").read_text().split()  # a pool of two did the work
    assert list(temp.iterdir()) == []
    assert _processes_with(f"TMPDIR={temp}".encode()) == []  # (the workers inherit it)


def _processes_with(setting: bytes) -> list[int]:
    """The live processes whose environment holds ``setting`` (Linux's /proc)."""
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            if setting in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
        except OSError:  # gone meanwhile, or not ours to read
            continue
    return found


def test_the_collector_runs_at_a_short_commands_pace(tmp_path: Path) -> None:
    code = (
        "import atexit, gc, pathlib\n"
        "atexit.register(lambda: pathlib.Path('pace').write_text(str(gc.get_threshold())))"
    )
    out = _with_run(code, tmp_path)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "pace").read_text() == str((COLLECT_EVERY, 10, 10))
