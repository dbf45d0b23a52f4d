"""Finding the FIT inputs: files, folders (walked recursively), ``.zip`` archives
(also zips inside zips, as in Garmin Connect's bulk export) and gzip-compressed
``.fit.gz`` (Strava's bulk export).

Each input becomes a ``Source``: a display name and how to get its bytes. A
``Source`` is small and picklable, so worker processes read the bytes themselves.
Extensions are case-insensitive. In folders and archives other files are skipped
silently; a file named on the command line is always tried (so a file that is
not FIT gets a clear problem from the reader, not silence).
"""

from __future__ import annotations

import gzip
import io
import os
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from runload.errors import Problem

FIT_SUFFIXES = (".fit", ".fit.gz")
ZIP_SUFFIX = ".zip"


class SourceReadError(Exception):
    """The bytes of a source cannot be read (I/O error, broken zip or gzip)."""


def _lower(name: str) -> str:
    return name.lower()


def is_fit_name(name: str) -> bool:
    return _lower(name).endswith(FIT_SUFFIXES)


def is_zip_name(name: str) -> bool:
    return _lower(name).endswith(ZIP_SUFFIX)


@dataclass(frozen=True)
class Source:
    """One FIT file's bytes, wherever they live.

    ``path`` is the file on disk; ``members`` the chain of archive members inside it
    (empty for a plain file; ``("a.zip", "b.fit")`` for a zip inside a zip).
    ``name`` is what messages and the ``file`` column show.
    """

    name: str
    path: str
    members: tuple[str, ...] = ()

    @property
    def gzipped(self) -> bool:
        last = self.members[-1] if self.members else self.path
        return _lower(last).endswith(".gz")

    def fingerprint(self) -> tuple[str, tuple[int, ...]] | None:
        """(identity, stamp) of the file on disk for the cache's hash index; None when it
        cannot be stat'ed. The stamp is (size, mtime, ctime, inode): a rewrite changes
        the ctime even when the size stays and the mtime is set back (``cp -p``, unzip)."""
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        ident = "\0".join((os.path.abspath(self.path), *self.members))
        return ident, (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)

    def read(self) -> bytes:
        """The (decompressed) FIT bytes; ``SourceReadError`` with a plain message otherwise."""
        try:
            data = Path(self.path).read_bytes()
            for member in self.members:
                with zipfile.ZipFile(io.BytesIO(data)) as archive:
                    data = archive.read(member)
            if self.gzipped:
                data = gzip.decompress(data)
            return data
        except FileNotFoundError:
            raise SourceReadError("file not found") from None
        except PermissionError:
            raise SourceReadError("permission denied") from None
        except IsADirectoryError:
            raise SourceReadError("is a folder") from None
        except (gzip.BadGzipFile, zlib.error, EOFError) as exc:
            raise SourceReadError(f"not a readable gzip file ({exc})") from None
        except (zipfile.BadZipFile, KeyError) as exc:
            raise SourceReadError(f"broken zip archive ({exc})") from None
        except OSError as exc:
            raise SourceReadError(exc.strerror or str(exc)) from None


def _zip_sources(
    zip_bytes: bytes, name: str, path: str, chain: tuple[str, ...]
) -> tuple[list[Source], list[Problem]]:
    sources: list[Source] = []
    problems: list[Problem] = []
    try:
        with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
            members = sorted(i.filename for i in archive.infolist() if not i.is_dir())
            for member in members:
                member_name = f"{name}:{member}"
                if is_fit_name(member):
                    sources.append(Source(member_name, path, (*chain, member)))
                elif is_zip_name(member):
                    inner = archive.read(member)
                    more, bad = _zip_sources(inner, member_name, path, (*chain, member))
                    sources += more
                    problems += bad
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
        problems.append(Problem(name, "error", f"not a readable zip archive ({exc})"))
    return sources, problems


def _zip_file_sources(path: Path, name: str) -> tuple[list[Source], list[Problem]]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [], [Problem(name, "error", f"cannot read: {exc.strerror or exc}")]
    return _zip_sources(data, name, str(path), ())


def _walk(folder: Path, given: str) -> list[tuple[Path, str]]:
    """Files under ``folder``, sorted by relative path, with display names built on the
    name given."""
    found = []
    for root, _dirs, files in os.walk(folder):
        for f in files:
            full = Path(root) / f
            rel = os.path.relpath(full, folder)
            found.append((Path(rel).parts, full, os.path.join(given, rel)))
    return [(full, name) for _parts, full, name in sorted(found)]


def find_inputs(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[Source], list[Problem]]:
    """Every FIT source in ``paths`` (in the order given; folders and archives sorted),
    and a problem for each path that does not exist or cannot be opened."""
    sources: list[Source] = []
    problems: list[Problem] = []
    for raw in paths:
        given = os.fspath(raw)
        path = Path(given)
        if path.is_dir():
            for full, name in _walk(path, given):
                if is_fit_name(full.name):
                    sources.append(Source(name, str(full)))
                elif is_zip_name(full.name):
                    more, bad = _zip_file_sources(full, name)
                    sources += more
                    problems += bad
        elif path.is_file():
            if is_zip_name(path.name):
                more, bad = _zip_file_sources(path, given)
                sources += more
                problems += bad
            else:
                sources.append(Source(given, str(path)))
        elif path.exists():
            problems.append(Problem(given, "error", "not a regular file or folder"))
        else:
            problems.append(Problem(given, "error", "no such file or folder"))
    return sources, problems
