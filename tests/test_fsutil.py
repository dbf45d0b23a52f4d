from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest

from runload.fsutil import atomic_write


def test_new_file_gets_umask_mode_not_0600(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        path = atomic_write(tmp_path / "a.txt", "hello")
    finally:
        os.umask(umask)
    assert path.read_text() == "hello"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_existing_mode_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text("old")
    path.chmod(0o600)
    atomic_write(path, b"new")
    assert path.read_text() == "new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_failed_write_keeps_the_old_file_and_leaves_no_temp(tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_text("what the user had")

    def broken(fh: object) -> None:
        raise RuntimeError("disk full halfway")

    with pytest.raises(RuntimeError):
        atomic_write(path, broken)
    assert path.read_text() == "what the user had"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_missing_folder_is_an_error_unless_asked(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        atomic_write(tmp_path / "nope" / "x.txt", "x", make_parents=False)
    assert atomic_write(tmp_path / "made" / "x.txt", "x").read_text() == "x"


def test_foreign_file_tells_an_earlier_report_from_a_users_file(tmp_path: Path) -> None:
    from runload.fsutil import HTML_STARTS, foreign_file

    cases = {
        "report.html": (b"\xef\xbb\xbf\n  <!DOCTYPE HTML>\n<html></html>", False),
        "bare.html": (b"<html><body></body></html>", False),
        "empty.html": (b"", False),
        "sitting.csv": (b"date,sitting_hours\n2026-03-01,9\n", True),
        "notes.html": (b"my notes", True),
    }
    for name, (data, foreign) in cases.items():
        (tmp_path / name).write_bytes(data)
        assert foreign_file(tmp_path / name, starts=HTML_STARTS) is foreign, name
    assert foreign_file(tmp_path / "missing.html", starts=HTML_STARTS) is False
    assert foreign_file(tmp_path, starts=HTML_STARTS) is False  # a folder: the write says so


posix_only = pytest.mark.skipif(os.name != "posix", reason="symlinks, FIFOs and modes are POSIX")


@posix_only
def test_a_symlink_is_written_through_to_its_target(tmp_path: Path) -> None:
    target = tmp_path / "synced" / "log.csv"
    target.parent.mkdir()
    target.write_text("old")
    target.chmod(0o640)
    link = tmp_path / "here" / "log.csv"
    link.parent.mkdir()
    link.symlink_to(Path("..") / "synced" / "log.csv")
    assert atomic_write(link, "new") == link  # the name given, for the messages
    assert link.is_symlink() and target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in target.parent.iterdir()] == ["log.csv"]  # no temp file left
    assert [p.name for p in link.parent.iterdir()] == ["log.csv"]


@posix_only
def test_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "log.csv"
    link.symlink_to(tmp_path / "elsewhere" / "log.csv")
    atomic_write(link, "first")
    assert link.is_symlink() and (tmp_path / "elsewhere" / "log.csv").read_text() == "first"


@posix_only
def test_read_only_and_non_regular_targets_are_refused(tmp_path: Path) -> None:
    from runload.fsutil import WriteRefusedError

    ro = tmp_path / "ro.csv"
    ro.write_text("keep")
    ro.chmod(0o444)
    fifo = tmp_path / "pipe.html"
    os.mkfifo(fifo)
    folder = tmp_path / "folder.html"
    folder.mkdir()
    cases = {ro: "it is read-only", fifo: "a named pipe (FIFO)", folder: "it is a folder"}
    for path, says in cases.items():
        with pytest.raises(WriteRefusedError, match=re.escape(says)) as info:
            atomic_write(path, "x")
        assert info.value.filename == str(path)
    assert ro.read_text() == "keep" and stat.S_ISFIFO(fifo.lstat().st_mode) and folder.is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.html", "pipe.html", "ro.csv"]
    ro.chmod(0o644)


@posix_only
def test_foreign_file_never_opens_a_fifo(tmp_path: Path) -> None:
    from runload.fsutil import HTML_STARTS, foreign_file

    fifo = tmp_path / "pipe.html"
    os.mkfifo(fifo)
    assert foreign_file(fifo, starts=HTML_STARTS) is False  # would block if it opened it


def test_the_lock_keeps_a_second_writer_out_until_released(tmp_path: Path) -> None:
    from runload.fsutil import WriteRefusedError, lock_path, locked

    log = tmp_path / "log.csv"
    with locked(log) as where:
        assert where == lock_path(log) == tmp_path / ".log.csv.lock"
        busy = pytest.raises(WriteRefusedError, match="another process is writing it")
        with busy, locked(log, timeout=0):
            pass
    with locked(log, timeout=0):
        pass
    assert not where.exists()  # the holder removes the sidecar
