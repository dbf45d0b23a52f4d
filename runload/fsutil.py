"""Atomic file writes: everything runload writes for the user (the sitting log, the
config, the HTML report, cache entries) goes through a temp file in the same folder
and ``os.replace``, so an interrupted write never leaves a half-written file and
never loses what was there."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def _new_file_mode(target: Path) -> int:
    """Keep an existing file's mode; a new file gets the usual 0666 less the umask
    (``mkstemp`` alone would leave it 0600)."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def atomic_write(
    path: str | os.PathLike[str],
    data: bytes | str | Callable[[BinaryIO], object],
    *,
    fsync: bool = False,
    make_parents: bool = True,
) -> Path:
    """Write ``data`` (bytes, text as UTF-8, or a callable that writes to a binary file
    object) to ``path`` atomically, creating the parent folder when ``make_parents``.
    Raises ``OSError``; the temp file is removed on any failure."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if make_parents:
        folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            if callable(data):
                data(fh)
            else:
                fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            if fsync:
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(tmp, _new_file_mode(target))
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return target


# What an HTML page (an earlier report) starts with; any other file is never replaced by one.
HTML_STARTS = (b"<!doctype html", b"<html")


def foreign_file(path: str | os.PathLike[str], *, starts: tuple[bytes, ...]) -> bool:
    """True when ``path`` is an existing, non-empty file whose first bytes (after a BOM and
    white space, case-insensitive) begin with none of ``starts``: a file runload did not
    write, which an output must not replace (``--html sitting.csv`` would lose the log)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(512)
    except OSError:  # missing (the usual case), a folder, unreadable: the write says so
        return False
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    return bool(head) and not head.startswith(starts)
