from __future__ import annotations

import os
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
