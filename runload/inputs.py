"""Finding the activity inputs: files, folders (walked recursively), ``.zip`` archives
(also zips inside zips, as in Garmin Connect's bulk export and Google Takeout) and
gzip-compressed ``.fit.gz`` (Strava's bulk export); FIT, GPX and TCX, each also gzipped
(``.gpx.gz``, ``.tcx.gz``); and Fitbit's exercise log (``exercise.json``, Takeout's
``exercise-N.json``).

Each input becomes a ``Source``: a display name, how to get its bytes and its ``kind``
(``fit``, ``gpx``, ``tcx`` or ``fitbit``, from the name; a ``.json`` named on the command
line is tried as a Fitbit exercise log, anything else as FIT). A ``Source`` is small and
picklable, so worker processes read the bytes themselves. Extensions are
case-insensitive. In folders and archives other files are skipped silently (of JSON
files, only those named like an exercise log are candidates; the reader confirms them by
content, and one that is not a log is a problem); a file named on the command line is
always tried (so a file that is not FIT gets a clear problem from the reader, not silence).
"""

from __future__ import annotations

import functools
import gzip
import io
import os
import re
import stat
import threading
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from runload.errors import Problem, path_text

FIT_SUFFIXES = (".fit", ".fit.gz")
TRACK_SUFFIXES = {".gpx": "gpx", ".gpx.gz": "gpx", ".tcx": "tcx", ".tcx.gz": "tcx"}
ACTIVITY_SUFFIXES = (*FIT_SUFFIXES, *TRACK_SUFFIXES)
ZIP_SUFFIX = ".zip"
# Fitbit's exercise log: exercise.json, and exercise-0.json, exercise-100.json... in Takeout
_FITBIT_LOG = re.compile(r"exercise(-\d+)?\.json", re.IGNORECASE)


class SourceReadError(Exception):
    """The bytes of a source cannot be read (I/O error, broken zip or gzip); ``code`` is the
    problem's (``runload.codes``)."""

    def __init__(self, message: str, code: str = "input.unreadable") -> None:
        super().__init__(message)
        self.code = code


def _lower(name: str) -> str:
    return name.lower()


def is_fit_name(name: str) -> bool:
    return _lower(name).endswith(FIT_SUFFIXES)


def is_fitbit_log_name(name: str) -> bool:
    """``exercise.json`` or ``exercise-N.json`` (the last part of a path or member name)."""
    return _FITBIT_LOG.fullmatch(name.replace("\\", "/").rsplit("/", 1)[-1]) is not None


def is_activity_name(name: str) -> bool:
    """A FIT, GPX or TCX file, gzipped or not, or a Fitbit exercise log (what folders and
    archives are searched for)."""
    return _lower(name).endswith(ACTIVITY_SUFFIXES) or is_fitbit_log_name(name)


def kind_of(name: str) -> str:
    """``gpx`` or ``tcx`` by the name's ending, ``fitbit`` for JSON, else ``fit``."""
    low = _lower(name)
    if low.endswith(FIT_SUFFIXES):  # (the common case first: thousands of files)
        return "fit"
    if low.endswith(".json"):
        return "fitbit"
    for suffix, kind in TRACK_SUFFIXES.items():
        if low.endswith(suffix):
            return kind
    return "fit"


def is_zip_name(name: str) -> bool:
    return _lower(name).endswith(ZIP_SUFFIX)


@dataclass(frozen=True)
class Source:
    """One activity file's bytes, wherever they live.

    ``path`` is the file on disk; ``members`` the chain of archive members inside it
    (empty for a plain file; ``("a.zip", "b.fit")`` for a zip inside a zip).
    ``name`` is what messages and the ``file`` column show.
    """

    name: str
    path: str
    members: tuple[str, ...] = ()

    @functools.cached_property
    def kind(self) -> str:
        """``fit``, ``gpx``, ``tcx`` or ``fitbit``: which reader reads it."""
        return kind_of(self.members[-1] if self.members else self.path)

    @functools.cached_property
    def absolute(self) -> str:
        """``os.path.abspath(path)``, once (the hash index, the dedup of names and the
        sitting search each ask it of every file)."""
        return os.path.abspath(self.path)

    @functools.cached_property
    def stamp(self) -> tuple[int, ...] | None:
        """(size, mtime, ctime, inode) of the file on disk, once; None when it cannot be
        stat'ed. A rewrite changes the ctime even when the size stays and the mtime is set
        back (``cp -p``, unzip)."""
        st = _stat(self.path)
        return None if st is None else _stamp(st)

    @classmethod
    def walked(cls, name: str, path: str, absolute: str, st: os.stat_result | None) -> Source:
        """A plain file found by a walk, whose absolute path (and stat) the walk knows
        already; its kind is worked out now, once."""
        source = cls(name, path)
        known = source.__dict__  # (what ``cached_property`` keeps)
        known["absolute"], known["kind"] = absolute, kind_of(path)
        if st is not None:
            known["stamp"] = _stamp(st)
        return source

    @property
    def gzipped(self) -> bool:
        last = self.members[-1] if self.members else self.path
        return _lower(last).endswith(".gz")

    def fingerprint(self) -> tuple[str, tuple[int, ...]] | None:
        """(identity, ``stamp``) of the file on disk for the cache's hash index; None when
        it cannot be stat'ed."""
        if (stamp := self.stamp) is None:
            return None
        return "\0".join((self.absolute, *self.members)), stamp

    def read(self) -> bytes:
        """The (decompressed) bytes; ``SourceReadError`` with a plain message otherwise."""
        try:
            if self.members:
                data = _member_bytes(self.path, self.members)
            else:
                data = read_regular(self.path, MAX_FIT_BYTES)
            return _gunzip(data) if self.gzipped else data
        except FileNotFoundError:
            raise SourceReadError("file not found", "input.missing") from None
        except PermissionError:
            raise SourceReadError("permission denied") from None
        except IsADirectoryError:
            raise SourceReadError("is a folder", "input.not_regular") from None
        except (gzip.BadGzipFile, zlib.error, EOFError) as exc:
            raise SourceReadError(f"not a readable gzip file ({exc})", "gzip.bad") from None
        except (zipfile.BadZipFile, KeyError) as exc:
            raise SourceReadError(f"broken zip archive ({exc})", "zip.bad") from None
        except (RuntimeError, NotImplementedError) as exc:  # encrypted, unknown compression
            why = f"cannot unpack it from the zip archive ({exc})"
            raise SourceReadError(why, "zip.bad") from None
        except OSError as exc:
            raise SourceReadError(exc.strerror or str(exc)) from None


# No FIT activity comes near this (a 24-hour 1 Hz recording is ~20 MB): a bigger file,
# or a .gz / zip member that inflates past it, is refused before it can fill the memory.
MAX_FIT_BYTES = 128 * 2**20
MAX_ARCHIVE_BYTES = 2**31  # a zip inside a zip is held in memory to read its members
TOO_BIG = f"too big for an activity file (over {MAX_FIT_BYTES >> 20} MB once decompressed)"


NOT_REGULAR = "not a regular file (a pipe, a device or a socket): not read"


def _stamp(st: os.stat_result) -> tuple[int, ...]:
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


def _stat(path: str | os.PathLike[str]) -> os.stat_result | None:
    """The stat of ``path`` (through symlinks), or None when it cannot be stat'ed."""
    try:
        return os.stat(path)
    except (OSError, ValueError):
        return None


def is_regular(path: str | os.PathLike[str]) -> bool:
    """True for a regular file (through symlinks); False for a FIFO, a device, a socket, a
    folder, or a path that cannot be stat'ed. Only regular files are read: a FIFO named
    ``run.fit`` would block the read for ever, ``/dev/zero`` would fill the memory."""
    st = _stat(path)
    return st is not None and stat.S_ISREG(st.st_mode)


def unusable(path: str | os.PathLike[str]) -> str | None:
    """Why a path the user named cannot be read as a file or a folder, in a few words
    (``no such file or folder``, ``is a named pipe (FIFO), not a file or folder``,
    ``cannot be read: permission denied``), or None when it can: the file is opened (not
    blocking, never read) and closed, the folder listed. Only regular files and folders are
    inputs: a FIFO would block the read, a device could fill the memory."""
    from runload.fsutil import special_kind

    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return "no such file or folder"
    except (OSError, ValueError) as exc:
        return f"cannot be read: {_reason(exc)}"
    try:
        if stat.S_ISDIR(st.st_mode):
            with os.scandir(path):
                return None
        if not stat.S_ISREG(st.st_mode):
            return f"is {special_kind(st.st_mode)}, not a file or folder"
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        os.close(os.open(path, flags))
    except OSError as exc:
        return f"cannot be read: {_reason(exc)}"
    return None


def unusable_code(why: str) -> str:
    """The problem code of an ``unusable`` reason."""
    if why == "no such file or folder":
        return "input.missing"
    return "input.unreadable" if why.startswith("cannot be read") else "input.not_regular"


def _reason(exc: Exception) -> str:
    text = getattr(exc, "strerror", None) or str(exc)
    return text[:1].lower() + text[1:]


def read_regular(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them: a FIFO or a
    device is refused (``SourceReadError``) without blocking on it (the file is opened
    non-blocking and checked on the open descriptor, so it cannot be swapped for one after
    the check), and a file past ``limit`` is refused (``TOO_BIG``), also when it grows
    while it is read."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb", buffering=0) as fh:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(21, "is a folder", os.fspath(path))
        if not stat.S_ISREG(st.st_mode):
            raise SourceReadError(NOT_REGULAR, "input.not_regular")
        if st.st_size > limit:
            raise SourceReadError(_too_big(limit), "input.too_big")
        chunks: list[bytes] = []
        size = 0
        while chunk := fh.read(min(1 << 20, limit + 1 - size) or 1):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise SourceReadError(_too_big(limit), "input.too_big")
    return b"".join(chunks)


def _too_big(limit: int, what: str = "zip archive too big") -> str:
    return TOO_BIG if limit == MAX_FIT_BYTES else what


def _bounded_member(archive: zipfile.ZipFile, member: str, limit: int) -> bytes:
    if archive.getinfo(member).file_size > limit:
        raise SourceReadError(_too_big(limit, "zip inside a zip too big"), "input.too_big")
    with archive.open(member) as fh:
        return fh.read(limit + 1)[:limit]


class _OpenArchive:
    """The zip archive members were last read from, kept open (with the zip inside it
    that holds them, for a member of a zip inside a zip), so that the members of one
    export, which come one after the other (sorted by name, in the hashing loop and in
    each worker's batch), cost one read of the archive's list, not one per member: the
    list of a 5,000-file export parsed for each of its files made the zip 9x slower than
    the same files in a folder. Kept per process; ``close_archives`` lets it go."""

    def __init__(self) -> None:
        self.key: tuple[Any, ...] | None = None
        self.archive: zipfile.ZipFile | None = None
        self.lock = threading.Lock()

    def _open(self, path: str, chain: tuple[str, ...]) -> zipfile.ZipFile:
        st = os.stat(path)
        key = (os.path.abspath(path), st.st_size, st.st_mtime_ns, st.st_ino, chain)
        if self.key == key and self.archive is not None:
            return self.archive
        self.close()
        archive = zipfile.ZipFile(path)
        try:
            for inner in chain:  # a zip inside a zip is held in memory (bounded) to read it
                data = _bounded_member(archive, inner, MAX_ARCHIVE_BYTES)
                archive.close()
                archive = zipfile.ZipFile(io.BytesIO(data))
        except BaseException:
            archive.close()
            raise
        self.key, self.archive = key, archive
        return archive

    def member(self, path: str, members: tuple[str, ...]) -> bytes:
        *chain, last = members
        with self.lock:  # one ZipFile, one reader at a time (Dask runs threads)
            try:
                return _bounded_member(self._open(path, tuple(chain)), last, MAX_FIT_BYTES)
            except BaseException:
                self.close()  # a broken archive is not kept
                raise

    def close(self) -> None:
        if self.archive is not None:
            self.archive.close()
        self.key, self.archive = None, None


_open_archive = _OpenArchive()


def close_archives() -> None:
    """Close the zip archive kept open for the next member (see ``_OpenArchive``)."""
    with _open_archive.lock:
        _open_archive.close()


def _member_bytes(path: str, members: tuple[str, ...]) -> bytes:
    """A member's bytes, read from the archive kept open (``_OpenArchive``); the outer
    zip is read from disk where needed (never whole)."""
    return _open_archive.member(path, members)


def _gunzip(data: bytes) -> bytes:
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
        out = fh.read(MAX_FIT_BYTES + 1)
    if len(out) > MAX_FIT_BYTES:
        raise SourceReadError(TOO_BIG, "input.too_big")
    return out


def is_junk_name(name: str) -> bool:
    """macOS metadata that rides along in zips and on USB drives (``__MACOSX/``,
    ``._run.fit``): skipped silently, like any other non-FIT file in a folder."""
    parts = name.replace("\\", "/").split("/")
    return parts[-1].startswith("._") or "__MACOSX" in parts[:-1]


def _zip_sources(
    zip_data: bytes | str, name: str, path: str, chain: tuple[str, ...]
) -> tuple[list[Source], list[Problem]]:
    sources: list[Source] = []
    problems: list[Problem] = []
    opened = io.BytesIO(zip_data) if isinstance(zip_data, bytes) else zip_data
    try:
        with zipfile.ZipFile(opened) as archive:
            members = sorted(i.filename for i in archive.infolist() if not i.is_dir())
            for member in members:
                member_name = f"{name}:{member}"
                if is_junk_name(member):
                    continue
                if is_activity_name(member):
                    sources.append(Source(member_name, path, (*chain, member)))
                elif is_zip_name(member):
                    try:  # one bad zip inside the archive costs only its own files
                        inner = _bounded_member(archive, member, MAX_ARCHIVE_BYTES)
                    except _UNPACK_ERRORS as exc:
                        why = f"cannot unpack it from the zip archive ({exc})"
                        problems.append(Problem(member_name, "error", why, code=_code(exc)))
                        continue
                    more, bad = _zip_sources(inner, member_name, path, (*chain, member))
                    sources += more
                    problems += bad
    except _UNPACK_ERRORS as exc:
        why = f"not a readable zip archive ({exc})"
        problems.append(Problem(name, "error", why, code=_code(exc)))
    return sources, problems


def _code(exc: BaseException) -> str:
    """The problem code of an archive that cannot be read (``_UNPACK_ERRORS``)."""
    if isinstance(exc, SourceReadError):
        return exc.code
    return "input.unreadable" if isinstance(exc, OSError) else "zip.bad"


# What zipfile raises on a damaged, encrypted or oddly compressed archive.
_UNPACK_ERRORS = (
    zipfile.BadZipFile,
    OSError,
    EOFError,
    zlib.error,
    SourceReadError,
    RuntimeError,
    NotImplementedError,
)


def _zip_file_sources(path: Path, name: str) -> tuple[list[Source], list[Problem]]:
    try:
        if not is_regular(path):
            return [], [Problem(name, "error", NOT_REGULAR, code="input.not_regular")]
        if path.stat().st_size > MAX_ARCHIVE_BYTES:  # read from disk; only the list is needed
            return _zip_sources(str(path), name, str(path), ())
        data = read_regular(path, MAX_ARCHIVE_BYTES)
    except OSError as exc:
        why = f"cannot read: {exc.strerror or exc}"
        return [], [Problem(name, "error", why, code="input.unreadable")]
    except SourceReadError as exc:
        return [], [Problem(name, "error", f"cannot read: {exc}", code=exc.code)]
    return _zip_sources(data, name, str(path), ())


def _walk(folder: Path, given: str) -> tuple[list[tuple[str, str, str, str]], list[Problem]]:
    """Files under ``folder`` (as text, and absolute), sorted by relative path, with display
    names built on the name given, and their own names; and a problem for each folder that
    cannot be listed (never skipped silently). Plain strings, no ``Path`` per file, each
    folder made absolute once: a decade of runs is thousands of files."""
    found = []
    problems: list[Problem] = []
    top = os.fspath(folder)

    def unreadable(exc: OSError) -> None:
        where = os.path.join(given, os.path.relpath(exc.filename or folder, folder))
        why = "permission denied" if isinstance(exc, PermissionError) else exc.strerror
        shown = path_text(os.path.normpath(where)) or ""
        problems.append(
            Problem(shown, "error", f"cannot read folder: {why}", code="input.unreadable")
        )

    for root, _dirs, files in os.walk(top, onerror=unreadable):
        rel_root = os.path.relpath(root, top)
        parts = () if rel_root == os.curdir else tuple(rel_root.split(os.sep))
        # each folder's paths joined with "" once: a file's is then that + its name
        # (``os.path.join`` of the folder and a plain name, at a string's cost)
        here, absolute = os.path.join(root, ""), os.path.join(os.path.abspath(root), "")
        shown = os.path.join(given, *parts, "")
        for f in files:
            # the name shown: a file name that is not UTF-8 keeps its bytes as \x.. escapes
            # (the path itself keeps them as surrogates, so the file is still opened)
            name = path_text(shown + f) or ""
            found.append(((*parts, f), here + f, name, absolute + f, f))
    return [(full, name, absolute, f) for _p, full, name, absolute, f in sorted(found)], problems


def find_inputs(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[Source], list[Problem]]:
    """Every activity source in ``paths`` (in the order given; folders and archives sorted),
    and a problem for each path that does not exist or cannot be opened."""
    sources: list[Source] = []
    problems: list[Problem] = []
    for raw in paths:
        given = os.fsdecode(raw)
        shown = path_text(given) or ""
        path = Path(given)
        if path.is_dir():
            found, unreadable = _walk(path, given)
            problems += unreadable
            for full, name, absolute, base in found:
                if is_junk_name(base):
                    continue
                activity = is_activity_name(base)
                if not (activity or is_zip_name(base)):
                    continue
                st = _stat(full)  # (one stat per file: the hash index's stamp too)
                if st is not None and not stat.S_ISREG(st.st_mode):
                    problems.append(Problem(name, "error", NOT_REGULAR, code="input.not_regular"))
                elif activity:
                    sources.append(Source.walked(name, full, absolute, st))
                else:
                    more, bad = _zip_file_sources(Path(full), name)
                    sources += more
                    problems += bad
        elif path.is_file():
            if is_zip_name(path.name):
                more, bad = _zip_file_sources(path, shown)
                sources += more
                problems += bad
            else:
                sources.append(Source(shown, str(path)))
        elif path.exists():
            why = "not a regular file or folder"
            problems.append(Problem(shown, "error", why, code="input.not_regular"))
        else:
            why = "no such file or folder"
            problems.append(Problem(shown, "error", why, code="input.missing"))
    return _once(sources), problems


def _once(sources: list[Source]) -> list[Source]:
    """Each file once, when it is named twice (a folder and a file in it, or twice over;
    a second name through a symlink is left to ingest's identical-bytes check)."""
    seen: set[tuple[str, ...]] = set()
    out = []
    for s in sources:
        key = (s.absolute, *s.members)
        if key not in seen:
            seen.add(key)
            out.append(s)
    return out


# Public names for the sitting reader (``runload.sitting.archive``), which walks the same
# archives for its own files: the same limits, the same bounded member reads, the same errors.
UNPACK_ERRORS = _UNPACK_ERRORS


def read_member(archive: zipfile.ZipFile, member: str, limit: int) -> bytes:
    """The bytes of ``member``, refused (``SourceReadError``) past ``limit`` once inflated:
    ``MAX_FIT_BYTES`` for a file, ``MAX_ARCHIVE_BYTES`` for a zip inside a zip."""
    return _bounded_member(archive, member, limit)
