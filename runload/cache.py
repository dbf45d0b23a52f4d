"""The parse cache: one Parquet file per activity file content (FIT, GPX, TCX).

An entry is keyed by the blake2b hash of the (decompressed) FIT bytes, the parser
version, the installed fitparse (version and a hash of its sources) and the decoder
that read the file (``fast`` or ``public``; a GPX or TCX file: its reader's tag,
``runload.track.reader_tag``), so a renamed or copied file is still a
hit, a parser or fitparse change invalidates everything, and a run that may not use
the fast decoder never reads what the fast one wrote. The entry holds the file's
session rows (with their HR samples) and, as Parquet key-value metadata, its
problems, athlete facts, kind and device, so a warm run reports exactly what a cold
one did.

Folder: ``--cache-dir``, else ``RUNLOAD_CACHE_DIR``, else the platformdirs user
cache folder. Writes are atomic (temp file + ``os.replace``), so a run killed while
writing leaves at most a temp file (swept once it is an hour old), never a half-written
entry. Every entry and season snapshot is sealed: its footer carries the blake2b of the
file's own bytes (``seal``), checked before polars sees a byte (``unsealed``), so a
truncated or corrupted file is a miss and re-parsed, never served and never handed to
the Parquet reader (whose damage is a Rust panic, not an exception). Two runs may share
a folder: each write replaces a whole file, the hash index's last writer wins (a lost
record costs a re-hash), and whatever one run removes the other takes as a miss.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from runload.cachedir import default_cache_dir
from runload.errors import CacheError, Problem
from runload.fsutil import atomic_write

if TYPE_CHECKING:
    import polars as pl

# Bump when the entry layout changes (the parser's own version is in runload.fit).
# 2: entries sealed with a checksum of their own bytes; 3: each stored problem carries
# its code (``runload.codes``); 4: each session carries the summary of its HR samples
# (``runload.hrsummary``).
CACHE_LAYOUT = "4"
_META_KEY = "runload"
_SUM_KEY = "runload_sum"  # the seal: blake2b of the file with this value as _UNSEALED
_UNSEALED = b"0" * 40
# The seal as the Parquet footer (Thrift compact) holds it: a key-value pair's key, its
# value's field header and length, and 40 hex digits. The metadata JSON beside it cannot
# hold the bytes 0x0b or 0x18 (json.dumps escapes control characters), so a problem's
# text can never pass for the seal.
_SEAL = re.compile(rb"\x18\x0b" + _SUM_KEY.encode() + rb"\x18\x28([0-9a-f]{40})")
STALE_TEMP_S = 3600  # a temp file this old is a killed run's, not a live one's
LOAD_BATCH = 500  # entries checked and read at a time
SEASONS_KEPT = 8  # season snapshots kept (one per distinct set of inputs)
SEASON_LAYOUT = 2  # the snapshot's metadata: the keys' digest, rows and distinct metas


def _keys_digest(keys: Sequence[str]) -> str:
    """The snapshot's own check of its list of keys (its file name is another hash of them)."""
    return hashlib.sha256("\n".join(keys).encode()).hexdigest()


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


@dataclass
class Entry:
    """One parsed file, as stored: its session rows and what else the reader found.

    ``problems`` carry no path (the same bytes may sit under several names);
    ``problems_for(name)`` puts one on.
    """

    sessions: pl.DataFrame
    # severity, message, line, offset, code
    problems: list[dict[str, Any]] = field(default_factory=list)
    facts: list[tuple[str, str | float]] = field(default_factory=list)
    kind: str | None = None

    def problems_for(self, name: str) -> list[Problem]:
        return [
            Problem(
                name,
                p["severity"],
                p["message"],
                line=p.get("line"),
                offset=p.get("offset"),
                code=p.get("code") or "",
            )
            for p in self.problems
        ]

    @property
    def rows(self) -> int:
        """The number of session rows (without slicing a snapshot's rows out)."""
        return self.sessions.height

    def described(self) -> dict[str, Any]:
        """What the entry holds besides its rows, as its Parquet metadata stores it."""
        facts = [list(f) for f in self.facts]
        return {"problems": self.problems, "facts": facts, "kind": self.kind}

    def metadata(self) -> str:
        return json.dumps({**self.described(), "rows": self.rows})


class Rows(Entry):
    """An entry read with others from one Parquet file (a batch of entries, a season
    snapshot): rows ``offset`` to ``offset + rows`` of that ``frame``, sliced only when its
    ``sessions`` are asked for, so that the entries of a season can be put together again
    without a slice and a concatenation per file (``joined``)."""

    def __init__(
        self,
        frame: pl.DataFrame,
        offset: int,
        rows: int,
        problems: list[dict[str, Any]],
        facts: list[tuple[str, str | float]],
        kind: str | None,
    ) -> None:
        self.frame, self.offset, self._rows = frame, offset, rows
        self.problems, self.facts, self.kind = problems, facts, kind

    @property
    def sessions(self) -> pl.DataFrame:
        return self.frame.slice(self.offset, self._rows)

    @sessions.setter
    def sessions(self, frame: pl.DataFrame) -> None:
        self.frame, self.offset, self._rows = frame, 0, frame.height

    @property
    def rows(self) -> int:
        return self._rows


def joined(entries: Sequence[Entry], how: Literal["vertical", "diagonal"]) -> pl.DataFrame:
    """The session rows of ``entries``, one after the other (``pl.concat`` ``how``). Runs
    of ``Rows`` that follow each other in one frame are taken as one slice of it, and a
    whole frame as itself: a season read from its snapshot is not cut into files and
    glued back."""
    import polars as pl

    parts: list[pl.DataFrame] = []
    run: Rows | None = None  # the current run of adjacent rows: its first entry
    end = 0
    for entry in entries:
        if _follows(entry, run, end):
            end += entry.rows
            continue
        if run is not None:
            parts.append(_span(run.frame, run.offset, end))
            run = None
        if isinstance(entry, Rows):
            run, end = entry, entry.offset + entry.rows
        else:
            parts.append(entry.sessions)
    if run is not None:
        parts.append(_span(run.frame, run.offset, end))
    return pl.concat(parts, how=how)


def _follows(entry: Entry, run: Rows | None, end: int) -> bool:
    """Whether ``entry`` is the rows of ``run``'s frame that start at ``end``."""
    return (
        isinstance(entry, Rows)
        and run is not None
        and entry.frame is run.frame
        and (entry.offset == end)
    )


def _span(frame: pl.DataFrame, start: int, end: int) -> pl.DataFrame:
    return frame if start == 0 and end == frame.height else frame.slice(start, end - start)


class DigestIndex:
    """The content hash of each input file by (identity, stamp), so a warm run need not
    read and hash every file again. The stamp (size, mtime, ctime, inode, from
    ``Source.fingerprint``) changes with any rewrite, so a changed file is read and
    hashed as usual. A file changed in the last ``RACY_S`` seconds is never recorded:
    a rewrite within the file system's timestamp granularity (two seconds on FAT, a
    watch mounted over USB) could otherwise keep the old stamp with new bytes. Stored
    as JSON beside the entries with the blake2b of its records (a flipped digit must not
    send a file's entry to another's key); a damaged index is simply started afresh."""

    RACY_S = 3.0

    def __init__(self, path: Path) -> None:
        self.path = path
        self.changed = False
        self._known: dict[str, list[Any]] = {}
        with contextlib.suppress(OSError, ValueError):
            self._known = _unsealed_json(path.read_bytes())

    def get(self, ident: str, stamp: Sequence[int]) -> str | None:
        hit = self._known.get(ident)
        if isinstance(hit, list) and len(hit) == len(stamp) + 1 and hit[:-1] == list(stamp):
            return str(hit[-1])
        return None

    def put(self, ident: str, stamp: Sequence[int], digest: str) -> None:
        """Record the hash, unless the file changed too recently to trust its stamp
        (``stamp[1:3]`` are the mtime and ctime in ns)."""
        newest = max(stamp[1:3], default=0)
        if time.time_ns() - newest < self.RACY_S * 1e9:
            if self._known.pop(ident, None) is not None:
                self.changed = True
            return
        self._known[ident] = [*stamp, digest]
        self.changed = True

    def save(self) -> None:
        """Write the index atomically when it changed; ``CacheError`` when it cannot."""
        if not self.changed:
            return
        try:
            atomic_write(self.path, _sealed_json(self._known))
        except OSError as exc:
            raise CacheError(f"cannot write the cache in {self.path.parent}: {exc}") from exc
        self.changed = False


# A sealed index: ``{"known": <records>, "sum": "<blake2b of the records' text>"}`` — the
# records' text checked as read (not encoded again to be checked: 5 ms on a decade's index).
_INDEX_HEAD = b'{"known": '
_INDEX_SUM = re.compile(rb', "sum": "([0-9a-f]{40})"\}\Z')


def _sealed_json(known: dict[str, Any]) -> bytes:
    body = json.dumps(known, sort_keys=True).encode()
    digest = hashlib.blake2b(body, digest_size=20).hexdigest().encode()
    return _INDEX_HEAD + body + b', "sum": "' + digest + b'"}'


def _unsealed_json(data: bytes) -> dict[str, Any]:
    """The records of a sealed index; ``ValueError`` when it is not one, exactly."""
    tail = _INDEX_SUM.search(data)
    if not data.startswith(_INDEX_HEAD) or tail is None:
        raise ValueError("not a sealed index")
    body = data[len(_INDEX_HEAD) : tail.start()]
    if hashlib.blake2b(body, digest_size=20).hexdigest().encode() != tail[1]:
        raise ValueError("not a sealed index")
    known = json.loads(body)
    if not isinstance(known, dict):
        raise ValueError("not a sealed index")
    return known


def seal(data: bytes) -> bytes:
    """A Parquet file written with ``{_SUM_KEY: _UNSEALED}`` in its metadata, sealed: that
    value becomes the blake2b of the file as written (``unsealed`` checks it)."""
    found = [m for m in _SEAL.finditer(data, _footer_start(data)) if m[1] == _UNSEALED]
    if len(found) != 1:
        raise CacheError("cannot seal a cache entry (its footer has no single seal)")
    start, end = found[0].span(1)
    digest = hashlib.blake2b(data, digest_size=20).hexdigest().encode()
    return data[:start] + digest + data[end:]


def _footer_start(data: bytes) -> int:
    """Where a Parquet file's footer starts (``len(data)`` when it has none)."""
    if len(data) < 12 or data[:4] != b"PAR1" or data[-4:] != b"PAR1":
        return len(data)
    start = len(data) - 8 - int.from_bytes(data[-8:-4], "little")
    return start if start >= 4 else len(data)


def unsealed(data: bytes) -> bool:
    """Whether ``data`` is a sealed file exactly as it was written (``seal``)."""
    start = _footer_start(data)
    found = list(_SEAL.finditer(data, start, len(data) - 8))
    if len(found) != 1:
        return False
    begin, end = found[0].span(1)
    digest = hashlib.blake2b(data[:begin] + _UNSEALED + data[end:], digest_size=20)
    return digest.hexdigest().encode() == found[0][1]


def _read_frame(source: bytes | list[bytes], skip: Sequence[str]) -> pl.DataFrame:
    """The rows of sealed Parquet bytes (several: one after the other) without the
    ``skip`` columns (those are not even decoded)."""
    import polars as pl

    if not skip:
        return pl.read_parquet(source)
    first = source[0] if isinstance(source, list) else source
    columns = [c for c in pl.read_parquet_schema(io.BytesIO(first)) if c not in skip]
    return pl.scan_parquet(source).select(columns).collect()


def _metadata(data: bytes) -> dict[str, Any]:
    """The runload metadata of sealed Parquet bytes; any ``Exception`` when it is not ours."""
    import polars as pl

    meta = json.loads(pl.read_parquet_metadata(io.BytesIO(data))[_META_KEY])
    meta["facts"] = [(str(n), v) for n, v in meta.get("facts", [])]
    meta["problems"] = list(meta.get("problems", []))
    return meta


class ParseCache:
    """The folder of entries. ``load`` never raises; ``store`` raises ``CacheError``."""

    def __init__(self, folder: str | os.PathLike[str] | None = None) -> None:
        self.folder = Path(folder) if folder is not None else default_cache_dir()
        self._swept: set[Path] = set()  # folders swept of stale temp files in this run

    def digest_index(self) -> DigestIndex:
        return DigestIndex(self.folder / f"digests-{CACHE_LAYOUT}.json")

    def path_for(self, key: str) -> Path:
        return Path(self._path_text(key))

    def _path_text(self, key: str) -> str:
        return os.path.join(self.folder, "fit", key[:2], f"{key}.parquet")

    def _sound(self, path: str) -> bytes | None:
        """The bytes of the sealed file at ``path``, or None when it is absent, cannot be
        read or is not exactly as written (then it is removed: a re-parse replaces it)."""
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError:
            return None
        if unsealed(data):
            return data
        self._drop(path)
        return None

    def _drop(self, path: str | Path) -> None:
        with contextlib.suppress(OSError):
            os.unlink(path)

    def _entry(self, key: str) -> tuple[bytes, dict[str, Any]] | None:
        """A sound entry's bytes and metadata, or None (a damaged one is removed)."""
        path = self._path_text(key)
        if (data := self._sound(path)) is None:
            return None
        try:
            return data, _metadata(data)
        except Exception:  # sealed by an older or other writer: not ours to read
            self._drop(path)
            return None

    def load(self, key: str, skip: Sequence[str] = ()) -> Entry | None:
        """The entry for ``key`` (without the ``skip`` columns), or None when absent or
        damaged (then it is removed)."""
        return self.load_many([key], skip).get(key)

    def load_many(self, keys: Sequence[str], skip: Sequence[str] = ()) -> dict[str, Entry]:
        """The sound entries among ``keys`` (without the ``skip`` columns), read
        ``LOAD_BATCH`` at a time (polars reads a batch in parallel; the checked bytes of
        one batch are in memory at once); damaged entries are removed and left out."""
        entries: dict[str, Entry] = {}
        for first in range(0, len(keys), LOAD_BATCH):
            batch = keys[first : first + LOAD_BATCH]
            found = {key: got for key in batch if (got := self._entry(key)) is not None}
            if not found:
                continue
            try:
                frames = _read_frame([data for data, _ in found.values()], skip)
                entries |= _split(frames, list(found), [meta for _, meta in found.values()])
            except Exception:  # sealed but unreadable (another polars wrote it?): misses
                for key in found:
                    self._drop(self._path_text(key))
        return entries

    # ------------------------------------------------------------- season snapshots

    def _season_path(self, keys: Sequence[str]) -> str:
        digest = hashlib.blake2b("\n".join(keys).encode(), digest_size=20).hexdigest()
        return os.path.join(self.folder, "season", f"{digest}.parquet")

    def load_season(self, keys: Sequence[str], skip: Sequence[str] = ()) -> dict[str, Entry] | None:
        """All entries of exactly this list of keys (without the ``skip`` columns) from one
        snapshot file (a re-run of the same inputs reads one file instead of one per
        input), or None."""
        path = self._season_path(keys)
        if len(keys) < 2 or (data := self._sound(path)) is None:
            return None
        try:
            meta = _metadata(data)
            if meta.get("season") != SEASON_LAYOUT or meta["keys"] != _keys_digest(keys):
                raise ValueError("another layout or list of keys")
            frame = _read_frame(data, skip)
            return _split(frame, list(keys), meta["metas"], meta["rows"], meta["meta"])
        except Exception:  # not a snapshot runload can read: the per-file entries still serve
            self._drop(path)
            return None

    def store_season(self, keys: Sequence[str], entries: Sequence[Entry]) -> None:
        """Write the snapshot of these entries (atomic); keeps the newest few snapshots."""
        if len(keys) < 2:
            return
        path = Path(self._season_path(keys))
        # each entry's problems, facts and kind once per distinct value: a season's files
        # mostly share them, and the list is read back whole by every warm run
        metas: list[dict[str, Any]] = []
        number: dict[str, int] = {}  # a meta's JSON text → its place in ``metas``
        which = []
        for entry in entries:
            described = entry.described()
            text = json.dumps(described, sort_keys=True)
            if text not in number:
                number[text] = len(metas)
                metas.append(described)
            which.append(number[text])
        meta = {
            "season": SEASON_LAYOUT,
            "keys": _keys_digest(keys),
            "rows": [e.rows for e in entries],
            "meta": which,
            "metas": metas,
        }
        frame = joined(entries, "vertical")
        self._write_frame(path, frame, json.dumps(meta))
        for old in _oldest_first(path.parent)[:-SEASONS_KEPT]:
            self._drop(old)

    def _write_frame(self, path: Path, frame: pl.DataFrame, meta: str) -> None:
        """Write ``frame`` with ``meta``, sealed, atomically; ``CacheError`` when it cannot
        (a full disk, a file size limit: the temp file is removed)."""
        buf = io.BytesIO()
        metadata = {_META_KEY: meta, _SUM_KEY: _UNSEALED.decode()}
        frame.write_parquet(buf, compression="zstd", statistics=False, metadata=metadata)
        data = seal(buf.getvalue())
        self._sweep(path.parent)
        try:
            atomic_write(path, data)
        except OSError as exc:
            raise CacheError(f"cannot write the cache in {self.folder}: {exc}") from exc

    def _sweep(self, folder: Path) -> None:
        """Once per folder and run: remove the temp files a killed run left there (an hour
        old: a younger one may be another run's write in progress)."""
        if folder in self._swept:
            return
        self._swept.add(folder)
        now = time.time()
        with contextlib.suppress(OSError), os.scandir(folder) as found:
            for item in found:
                if item.name.startswith(".") and item.name.endswith(".tmp"):
                    with contextlib.suppress(OSError):
                        if now - item.stat(follow_symlinks=False).st_mtime > STALE_TEMP_S:
                            os.unlink(item.path)

    def store(self, key: str, entry: Entry) -> None:
        """Write the entry atomically (temp file in the same folder + ``os.replace``)."""
        self._write_frame(self.path_for(key), entry.sessions, entry.metadata())


def _split(
    frame: pl.DataFrame,
    keys: list[str],
    metas: list[dict[str, Any]],
    rows: Sequence[int] | None = None,
    which: Sequence[int] | None = None,
) -> dict[str, Entry]:
    """The entries of ``keys`` from their rows one after the other in ``frame``: entry k
    has ``rows[k]`` rows and the problems, facts and kind of ``metas[which[k]]`` (a season
    snapshot keeps each distinct meta once: each is converted once); by default, each
    entry its own meta and that meta's ``rows``. ``ValueError`` when the counts do not
    add up."""
    if which is None:
        which = range(len(metas))
    if rows is None:
        rows = [int(meta["rows"]) for meta in metas]
    shared = [
        (list(m["problems"]), [(str(n), v) for n, v in m["facts"]], m.get("kind")) for m in metas
    ]
    entries: dict[str, Entry] = {}
    offset = 0
    for key, n, i in zip(keys, rows, which, strict=True):
        problems, facts, kind = shared[i]
        entries[key] = Rows(frame, offset, int(n), list(problems), list(facts), kind)
        offset += int(n)
    if offset != frame.height:
        raise ValueError("row count mismatch")
    return entries


def _oldest_first(folder: Path) -> list[Path]:
    """The snapshots in ``folder``, oldest first; one that another run removes meanwhile is
    left out (it raised ``FileNotFoundError`` for the whole run)."""
    dated = []
    for path in folder.glob("*.parquet"):
        with contextlib.suppress(OSError):
            dated.append((path.stat().st_mtime, path))
    return [path for _, path in sorted(dated)]
