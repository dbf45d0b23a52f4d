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
cache folder. Writes are atomic (temp file + ``os.replace``); an entry that
cannot be read is treated as a miss and re-parsed, never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from runload.errors import CacheError, Problem
from runload.fsutil import atomic_write

if TYPE_CHECKING:
    import polars as pl

# Bump when the entry layout changes (the parser's own version is in runload.fit).
# 2: each stored problem carries its code (``runload.codes``).
CACHE_LAYOUT = "2"
_META_KEY = "runload"
SEASONS_KEPT = 8  # season snapshots kept (one per distinct set of inputs)
ENV_VAR = "RUNLOAD_CACHE_DIR"


def default_cache_dir() -> Path:
    """``RUNLOAD_CACHE_DIR`` when set, else the user cache folder for runload."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("runload", appauthor=False))


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def _reader(decoders: Sequence[str]) -> str:
    """The reader part of a key: a GPX/TCX reader's own tag (its version and library
    release), else the FIT parser version + fitparse + the decoders."""
    from runload.track import TRACK_DECODERS, reader_tag

    if len(decoders) == 1 and decoders[0] in TRACK_DECODERS:
        return reader_tag(decoders[0])
    from runload.fit import PARSER_VERSION, fitparse_tag

    return f"p{PARSER_VERSION}-{fitparse_tag()}-{'+'.join(decoders)}"


def cache_key(digest: str, decoder: str) -> str:
    """The entry key of a file's content hash as read by ``decoder``: hash + parser
    version + fitparse + decoder + layout version (GPX/TCX: hash + their reader tag
    + layout version)."""
    return f"{digest}-{_reader((decoder,))}.{CACHE_LAYOUT}"


def season_key(digest: str, decoders: Sequence[str]) -> str:
    """A file's place in a season snapshot written by a run that may use ``decoders``."""
    return f"{digest}-{_reader(decoders)}.{CACHE_LAYOUT}"


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

    def metadata(self) -> str:
        return json.dumps(
            {"problems": self.problems, "facts": [list(f) for f in self.facts], "kind": self.kind}
        )


class DigestIndex:
    """The content hash of each input file by (identity, stamp), so a warm run need not
    read and hash every file again. The stamp (size, mtime, ctime, inode, from
    ``Source.fingerprint``) changes with any rewrite, so a changed file is read and
    hashed as usual. A file changed in the last ``RACY_S`` seconds is never recorded:
    a rewrite within the file system's timestamp granularity (two seconds on FAT, a
    watch mounted over USB) could otherwise keep the old stamp with new bytes. Stored
    as JSON beside the entries; a damaged index is simply started afresh."""

    RACY_S = 3.0

    def __init__(self, path: Path) -> None:
        self.path = path
        self.changed = False
        self._known: dict[str, list[Any]] = {}
        try:
            known = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(known, dict):
                self._known = known
        except (OSError, ValueError):
            pass

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
            atomic_write(self.path, json.dumps(self._known).encode())
        except OSError as exc:
            raise CacheError(f"cannot write the cache in {self.path.parent}: {exc}") from exc
        self.changed = False


def _read_frame(
    source: str | list[str], skip: Sequence[str], path_column: str | None = None
) -> pl.DataFrame:
    """A Parquet file (or several, with each row's file in ``path_column``) without the
    ``skip`` columns (those are not even decoded)."""
    import polars as pl

    if not skip:
        return pl.read_parquet(source, include_file_paths=path_column)
    first = source[0] if isinstance(source, list) else source
    columns = [c for c in pl.read_parquet_schema(first) if c not in skip]
    if path_column is not None:
        columns.append(path_column)
    return pl.scan_parquet(source, include_file_paths=path_column).select(columns).collect()


class ParseCache:
    """The folder of entries. ``load`` never raises; ``store`` raises ``CacheError``."""

    def __init__(self, folder: str | os.PathLike[str] | None = None) -> None:
        self.folder = Path(folder) if folder is not None else default_cache_dir()

    def digest_index(self) -> DigestIndex:
        return DigestIndex(self.folder / f"digests-{CACHE_LAYOUT}.json")

    def path_for(self, key: str) -> Path:
        return Path(self._path_text(key))

    def _path_text(self, key: str) -> str:
        return os.path.join(self.folder, "fit", key[:2], f"{key}.parquet")

    def _meta(self, key: str) -> dict[str, Any] | None:
        """The entry's metadata, or None when absent or damaged (then it is removed)."""
        path = self._path_text(key)
        if not os.path.isfile(path):
            return None
        import polars as pl

        try:
            meta = json.loads(pl.read_parquet_metadata(path)[_META_KEY])
            meta["facts"] = [(str(n), v) for n, v in meta["facts"]]
            meta["problems"] = list(meta["problems"])
            return meta
        except Exception:  # any damage: no footer, bad JSON, missing key
            self._drop(path)
            return None

    def _drop(self, path: str | Path) -> None:
        with contextlib.suppress(OSError):
            os.unlink(path)

    def load(self, key: str, skip: Sequence[str] = ()) -> Entry | None:
        """The entry for ``key`` (without the ``skip`` columns), or None when absent or
        damaged (then it is removed)."""
        meta = self._meta(key)
        if meta is None:
            return None

        path = self.path_for(key)
        try:
            frame = _read_frame(path, skip)
        except Exception:  # damaged data pages
            self._drop(path)
            return None
        return Entry(frame, meta["problems"], meta["facts"], meta.get("kind"))

    def load_many(self, keys: Sequence[str], skip: Sequence[str] = ()) -> dict[str, Entry]:
        """The sound entries among ``keys`` (without the ``skip`` columns), read in one go
        (polars reads the files in parallel); damaged entries are removed and left out."""
        metas = {key: meta for key in keys if (meta := self._meta(key)) is not None}
        if not metas:
            return {}

        paths = {key: self._path_text(key) for key in metas}
        try:
            frames = _read_frame(list(paths.values()), skip, "_entry")
        except Exception:  # one of them is damaged: take them one by one
            return {key: entry for key in metas if (entry := self.load(key, skip)) is not None}
        parts = frames.partition_by("_entry", as_dict=True, include_key=False)
        empty = frames.clear().drop("_entry")
        return {
            key: Entry(
                parts.get((paths[key],), empty), meta["problems"], meta["facts"], meta.get("kind")
            )
            for key, meta in metas.items()
        }

    # ------------------------------------------------------------- season snapshots

    def _season_path(self, keys: Sequence[str]) -> str:
        digest = hashlib.blake2b("\n".join(keys).encode(), digest_size=20).hexdigest()
        return os.path.join(self.folder, "season", f"{digest}.parquet")

    def load_season(self, keys: Sequence[str], skip: Sequence[str] = ()) -> dict[str, Entry] | None:
        """All entries of exactly this list of keys (without the ``skip`` columns) from one
        snapshot file (a re-run of the same inputs reads one file instead of one per
        input), or None."""
        path = self._season_path(keys)
        if len(keys) < 2 or not os.path.isfile(path):
            return None
        import polars as pl

        try:
            meta = json.loads(pl.read_parquet_metadata(path)[_META_KEY])
            if meta["keys"] != list(keys):
                return None
            frame = _read_frame(path, skip)
            entries: dict[str, Entry] = {}
            offset = 0
            for key, m in zip(keys, meta["entries"], strict=True):
                rows = int(m["rows"])
                facts = [(str(n), v) for n, v in m["facts"]]
                part = frame.slice(offset, rows)
                entries[key] = Entry(part, list(m["problems"]), facts, m.get("kind"))
                offset += rows
            if offset != frame.height:
                raise ValueError("row count mismatch")
            return entries
        except Exception:  # damaged snapshot: the per-file entries still serve
            self._drop(path)
            return None

    def store_season(self, keys: Sequence[str], entries: Sequence[Entry]) -> None:
        """Write the snapshot of these entries (atomic); keeps the newest few snapshots."""
        if len(keys) < 2:
            return
        import polars as pl

        path = Path(self._season_path(keys))
        meta = {
            "keys": list(keys),
            "entries": [
                {
                    "rows": e.sessions.height,
                    "problems": e.problems,
                    "kind": e.kind,
                    "facts": [list(f) for f in e.facts],
                }
                for e in entries
            ],
        }
        frame = pl.concat([e.sessions for e in entries], how="vertical")
        self._write_frame(path, frame, json.dumps(meta))
        olds = sorted(path.parent.glob("*.parquet"), key=lambda p: p.stat().st_mtime)
        for old in olds[:-SEASONS_KEPT]:
            self._drop(old)

    def _write_frame(self, path: Path, frame: pl.DataFrame, meta: str) -> None:
        try:
            atomic_write(
                path,
                lambda fh: frame.write_parquet(
                    fh, compression="zstd", statistics=False, metadata={_META_KEY: meta}
                ),
            )
        except OSError as exc:
            raise CacheError(f"cannot write the cache in {self.folder}: {exc}") from exc

    def store(self, key: str, entry: Entry) -> None:
        """Write the entry atomically (temp file in the same folder + ``os.replace``)."""
        self._write_frame(self.path_for(key), entry.sessions, entry.metadata())
