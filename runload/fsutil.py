"""Safe file writes: everything runload writes for the user (the sitting log, the
config, the HTML report, cache entries) goes through a temp file in the same folder
and ``os.replace``, so an interrupted write never leaves a half-written file and
never loses what was there.

What is at the path is respected: a symlink is written through (the link stays, its
target gets the new content, replaced in the target's folder); anything that is not a
regular file (a folder, FIFO, device, socket) and a read-only file are refused with
``WriteRefusedError``. ``locked`` holds an advisory lock for a read-modify-write (the
sitting log), so concurrent writers never lose each other's changes, on every platform
(filelock's lock: ``flock`` on POSIX, ``LockFileEx`` on Windows)."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

# Windows cannot remove a file that is open: there the lock file stays beside the log.
_REMOVE_LOCK_FILE = os.name != "nt"


class WriteRefusedError(OSError):
    """runload will not write to this path (not a regular file, read-only, or locked by
    another writer for too long). An ``OSError``, so every caller that already turns a
    failed write into a message naming the file says this one too; ``strerror`` is the
    sentence (``it is read-only``)."""

    def __init__(self, code: int, reason: str, path: str | os.PathLike[str]) -> None:
        super().__init__(code, reason, os.fspath(path))


_KINDS = (
    (stat.S_ISDIR, "a folder", errno.EISDIR),
    (stat.S_ISFIFO, "a named pipe (FIFO)", errno.EINVAL),
    (stat.S_ISCHR, "a character device", errno.EINVAL),
    (stat.S_ISBLK, "a block device", errno.EINVAL),
    (stat.S_ISSOCK, "a socket", errno.EINVAL),
)


def special_kind(mode: int) -> str | None:
    """What a file of ``st_mode`` ``mode`` is when it is not a regular file (``"a named pipe
    (FIFO)"``, ``"a folder"``...); None for a regular file."""
    return next((kind for test, kind, _code in _KINDS if test(mode)), None)


def write_target(path: str | os.PathLike[str]) -> Path:
    """The file a write to ``path`` replaces: ``path`` with its symlinks resolved (a
    dangling link names the file it will create). Raises ``WriteRefusedError`` when what
    is there is not a regular file, or is read-only: no write bit for anyone (root could
    write it, and ``os.replace`` would replace it regardless) or not writable by this user.
    A missing file is fine. Other ``OSError`` (a symlink loop) propagate."""
    real = Path(os.path.realpath(path))
    try:
        st = os.stat(real)
    except FileNotFoundError:
        return real
    for test, kind, code in _KINDS:
        if test(st.st_mode):
            raise WriteRefusedError(code, f"it is {kind}, not a regular file", path)
    if not st.st_mode & 0o222 or not os.access(real, os.W_OK):
        raise WriteRefusedError(errno.EACCES, "it is read-only", path)
    return real


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
    A symlink at ``path`` is written through (see ``write_target``: not a regular file
    or read-only raises ``WriteRefusedError``). Returns ``path`` as given. Raises
    ``OSError``; the temp file is removed on any failure."""
    given = Path(path)
    target = write_target(given)
    folder = target.parent
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
    return given


# ---- locking -----------------------------------------------------------------------------

LOCK_TIMEOUT = 30.0  # seconds a writer waits for another one before giving up


def lock_path(path: str | os.PathLike[str]) -> Path:
    """The lock file of ``path``: ``.NAME.lock`` next to the file a write replaces (so two
    links to one log share it; hidden, so folder readers skip it)."""
    real = Path(os.path.realpath(path))
    return real.parent / f".{real.name}.lock"


def _try_lock(fd: int) -> bool:
    """Take the exclusive lock on ``fd`` without waiting; False if another process has it.
    filelock's primitive, the one its ``FileLock`` uses: ``flock`` on POSIX, ``LockFileEx``
    on Windows (where ``fcntl`` does not exist). Imported here: 35 ms that only a write
    under the lock pays."""
    from filelock import lock_descriptor

    try:
        return lock_descriptor(fd, blocking=False)
    except OSError as exc:
        if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EDEADLK):
            return False
        raise


def _unlock(fd: int) -> None:
    from filelock import unlock_descriptor

    with contextlib.suppress(OSError):
        unlock_descriptor(fd)


def _open_lock(where: Path, path: str | os.PathLike[str]) -> int:
    try:
        return os.open(where, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        reason = f"cannot create its lock file {where.name}: {exc.strerror or exc}"
        raise WriteRefusedError(exc.errno or errno.EACCES, reason, path) from None


def _still_there(fd: int, where: Path) -> bool:
    """Whether the locked file ``fd`` is still the one at ``where`` (the last holder may
    have removed it while this process waited: then its lock keeps nobody out)."""
    try:
        here, held = os.stat(where), os.fstat(fd)
    except OSError:
        return False
    return (here.st_dev, here.st_ino) == (held.st_dev, held.st_ino)


@contextlib.contextmanager
def locked(path: str | os.PathLike[str], *, timeout: float | None = None) -> Iterator[Path]:
    """Hold the exclusive advisory lock of ``path`` (``lock_path``) for a read-modify-write;
    yields the lock file. Waits up to ``timeout`` seconds (default ``LOCK_TIMEOUT``) for
    another writer, then raises ``WriteRefusedError`` (nothing was read or written). The
    folder must exist.

    The lock is on a sidecar file, not on ``path`` itself: ``atomic_write`` replaces
    ``path`` with a new inode, so a lock on the old one would let a second writer lock the
    new file while the first still works. The holder removes the sidecar before unlocking,
    so nothing is left beside the log; a waiter that then gets the lock on the removed
    file sees it is no longer at its path and starts again on the new one (the usual
    lock-then-check-the-inode pattern). The lock itself is filelock's (``flock`` on POSIX,
    ``LockFileEx`` on Windows, where the sidecar stays: an open file cannot be removed
    there); filelock's own ``FileLock`` is not used because it leaves the sidecar beside
    the log for good. Only writers that take this lock are kept out (an editor saving the
    log is not)."""
    where = lock_path(path)
    timeout = LOCK_TIMEOUT if timeout is None else timeout
    deadline = time.monotonic() + timeout
    pause = 0.005
    while True:
        fd = _open_lock(where, path)
        try:
            if _try_lock(fd):
                if _still_there(fd, where):
                    break
                _unlock(fd)
                os.close(fd)
                continue
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)
        if time.monotonic() >= deadline:
            reason = (
                f"another process is writing it (waited {timeout:g} s for {where.name}); try again"
            )
            raise WriteRefusedError(errno.EAGAIN, reason, path)
        time.sleep(pause)
        pause = min(pause * 2, 0.1)
    try:
        yield where
    finally:
        if _REMOVE_LOCK_FILE:
            with contextlib.suppress(OSError):
                os.unlink(where)
        _unlock(fd)
        os.close(fd)


# What an HTML page (an earlier report) starts with; any other file is never replaced by one.
HTML_STARTS = (b"<!doctype html", b"<html")


def foreign_file(path: str | os.PathLike[str], *, starts: tuple[bytes, ...]) -> bool:
    """True when ``path`` is an existing, non-empty regular file whose first bytes (after a
    BOM and white space, case-insensitive) begin with none of ``starts``: a file runload did
    not write, which an output must not replace (``--html sitting.csv`` would lose the log).
    Anything else is False without opening it (a FIFO would block): missing (the usual
    case), a folder, a device, unreadable; ``write_target`` / the write then say so."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return False
        with open(path, "rb") as fh:
            head = fh.read(512)
    except OSError:
        return False
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    return bool(head) and not head.startswith(starts)
