"""Writes that must never lose data (issue 12): concurrent ``sitting add``, the atomic
replace (symlinks, read-only files, FIFOs and devices), HTML into a missing folder, and
``init`` of a name that is not TOML."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_report import cached, shared_season

import runload.fsutil
from runload.cli import main
from runload.config import init_config
from runload.errors import ConfigError
from runload.fsutil import WriteRefusedError, locked, write_target
from runload.sitting.log import read_log

ROOT = Path(__file__).resolve().parents[1]
HEADER = "date,sitting_hours,numbness,seat,notes\n"
posix_only = pytest.mark.skipif(os.name != "posix", reason="FIFOs, symlinks and modes are POSIX")


@pytest.fixture(scope="module")
def season(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return shared_season(tmp_path_factory)


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def add(log: Path, day: str, hours: str = "9") -> object:
    return run("sitting", "add", hours, "--date", day, "--log", str(log))


@contextlib.contextmanager
def unblocked_after(fifo: Path, seconds: float = 20.0) -> Iterator[list[bool]]:
    """A guard so a regression fails instead of hanging the suite: if anything still waits
    on ``fifo`` after ``seconds``, open it read-write (which never blocks on Linux and lets
    any reader or writer go on) and record that it had to. Not a timing assertion: the
    test only checks the returned flag stayed False."""
    fired: list[bool] = []
    done = threading.Event()

    def guard() -> None:
        if not done.wait(seconds):
            fired.append(True)
            fd = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)
            done.wait()
            os.close(fd)

    thread = threading.Thread(target=guard, daemon=True)
    thread.start()
    try:
        yield fired
    finally:
        done.set()
        thread.join()


# ---- 1. concurrent sitting add ------------------------------------------------------------


def test_twenty_concurrent_sitting_adds_all_land_in_the_log(tmp_path: Path) -> None:
    log = tmp_path / "sitting.csv"
    log.write_text(HEADER + "2026-02-28,8,,,\n")
    days = [(dt.date(2026, 3, 1) + dt.timedelta(days=i)).isoformat() for i in range(20)]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    args = [sys.executable, "-m", "runload", "sitting", "add", "9.5", "--log", str(log)]
    procs = [
        subprocess.Popen(
            [*args, "--date", day],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for day in days
    ]
    results = [(p.wait(), *p.communicate()) for p in procs]
    for day, (rc, out, err) in zip(days, results, strict=True):
        assert rc == 0, (day, out, err)
        assert out.startswith(f"added {day}: 9.50 h"), (day, out, err)
    read = read_log(log)
    assert read.problems == []
    assert sorted(d.isoformat() for d in read.days["date"]) == ["2026-02-28", *days]
    assert [p.name for p in tmp_path.iterdir()] == ["sitting.csv"]  # no temp or lock file left


def test_sitting_add_fails_loudly_when_another_writer_holds_the_lock(
    cwd: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = cwd / "sitting.csv"
    log.write_text(HEADER + "2026-03-01,8,,,\n")
    before = log.read_bytes()
    monkeypatch.setattr(runload.fsutil, "LOCK_TIMEOUT", 0.2)
    with locked(log):  # another writer (a lock of its own open file: flock excludes it)
        res = add(log, "2026-03-02")
    assert res.exit_code == 1, res.output
    assert "sitting.csv: cannot be written: another process is writing it" in res.output
    assert "the log is unchanged" in res.output
    assert "added" not in res.output
    assert log.read_bytes() == before
    assert add(log, "2026-03-02").exit_code == 0  # the lock is free again


# ---- 2. the atomic replace ------------------------------------------------------------------


@posix_only
def test_sitting_add_writes_through_a_symlinked_log(cwd: Path) -> None:
    synced = cwd / "Dropbox" / "sitting.csv"
    synced.parent.mkdir()
    synced.write_text(HEADER + "2026-03-01,8,,,\n")
    link = cwd / "sitting.csv"
    link.symlink_to(os.path.join("Dropbox", "sitting.csv"))  # relative, as ln -s makes it
    res = add(link, "2026-03-02", "9h30")
    assert res.exit_code == 0, res.output
    assert link.is_symlink()
    assert os.readlink(link) == os.path.join("Dropbox", "sitting.csv")
    assert synced.read_text() == HEADER + "2026-03-01,8,,,\n2026-03-02,9.5,,,\n"
    # the temp file and the lock were in the target's folder, and are gone
    assert sorted(p.name for p in cwd.iterdir()) == ["Dropbox", "sitting.csv"]
    assert [p.name for p in synced.parent.iterdir()] == ["sitting.csv"]


@posix_only
def test_a_read_only_log_is_refused_and_unchanged(cwd: Path) -> None:
    log = cwd / "sitting.csv"
    log.write_text(HEADER + "2026-03-01,8,,,\n")
    before = log.read_bytes()
    log.chmod(0o444)  # refused even as root, who could write it
    try:
        res = add(log, "2026-03-02")
        assert res.exit_code == 1, res.output
        assert "sitting.csv: cannot be written: it is read-only; the log is unchanged" in res.output
        assert log.read_bytes() == before
        assert stat.S_IMODE(log.stat().st_mode) == 0o444
    finally:
        log.chmod(0o644)


@posix_only
def test_sitting_add_to_a_fifo_is_refused_without_reading_it(cwd: Path) -> None:
    fifo = cwd / "sitting.csv"
    os.mkfifo(fifo)
    with unblocked_after(fifo) as fired:
        res = add(fifo, "2026-03-02")
    assert not fired, "sitting add blocked on the FIFO"
    assert res.exit_code == 1, res.output
    assert "sitting.csv: cannot be written: it is a named pipe (FIFO), not a regular file" in (
        res.output
    )
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


@posix_only
@pytest.mark.parametrize("command", ["report", "plot"])
def test_html_to_a_fifo_is_refused_without_hanging(
    season: dict[str, Path], tmp_path: Path, command: str
) -> None:
    fifo = tmp_path / "report.html"
    os.mkfifo(fifo)
    flag = "--html" if command == "report" else "-o"
    args = [command, str(season["fit"]), "--sitting", str(season["log"]), flag, str(fifo)]
    with unblocked_after(fifo) as fired:
        res = CliRunner().invoke(main, cached(season, *args))
    assert not fired, f"{command} blocked on the FIFO"
    assert res.exit_code == 2, res.output
    assert f"{fifo}: it is a named pipe (FIFO), not a regular file" in res.output
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


@posix_only
def test_dev_null_is_refused_as_a_write_target() -> None:
    # only the check: as root a broken check would replace /dev/null, so nothing is written
    with pytest.raises(WriteRefusedError, match="it is a character device, not a regular file"):
        write_target("/dev/null")
    res = CliRunner().invoke(main, ["plot", "-o", "/dev/null", "nothing-here"])
    assert res.exit_code == 2  # refused while parsing the options, before any write
    assert "/dev/null: it is a character device, not a regular file" in res.output


@posix_only
def test_a_folder_or_a_fifo_is_never_replaced_by_a_config(tmp_path: Path) -> None:
    fifo = tmp_path / "runload.toml"
    os.mkfifo(fifo)
    with pytest.raises(ConfigError, match="it is a named pipe"):
        init_config(fifo, force=True)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    res = run("init", str(fifo), "--force")
    assert res.exit_code == 1
    assert "cannot write config: it is a named pipe (FIFO), not a regular file" in res.output


# ---- 3. HTML into a missing folder ----------------------------------------------------------


@pytest.mark.parametrize("command", ["report", "plot"])
def test_html_into_a_missing_folder_creates_the_folder(
    season: dict[str, Path], tmp_path: Path, command: str
) -> None:
    page = tmp_path / "no" / "such" / "r.html"
    flag = "--html" if command == "report" else "-o"
    args = [command, str(season["fit"]), "--sitting", str(season["log"]), flag, str(page)]
    if command == "report":
        args += ["--format", "csv"]
    res = CliRunner().invoke(main, cached(season, *args))
    assert res.exit_code == 0, res.output
    assert f"HTML report written to {page}" in res.output
    assert page.read_text().startswith("<!DOCTYPE html>")
    assert [p.name for p in page.parent.iterdir()] == ["r.html"]


# ---- 4. init of a name that is not TOML -----------------------------------------------------


@pytest.mark.parametrize("name", ["x.json", "runload.yaml", "runload"])
def test_init_refuses_a_name_that_is_not_toml(cwd: Path, name: str) -> None:
    res = run("init", name)
    assert res.exit_code == 2, res.output
    assert f"{name}: the config is TOML: give a name ending .toml" in res.output
    assert not (cwd / name).exists()
    with pytest.raises(ConfigError, match="the config is TOML"):
        init_config(cwd / name)
    assert not (cwd / name).exists()
    assert run("init", "x.TOML").exit_code == 0  # the suffix in any case
