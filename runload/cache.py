"""The parse cache: one Parquet file per FIT file content.

An entry is keyed by the blake2b hash of the (decompressed) FIT bytes plus the
parser version, so a renamed or copied file is still a hit and a parser change
invalidates everything. The entry holds the file's session rows (with their HR
samples) and, as Parquet key-value metadata, its problems, athlete facts, kind
and device, so a warm run reports exactly what a cold one did.

Folder: ``--cache-dir``, else ``RUNLOAD_CACHE_DIR``, else the platformdirs user
cache folder. Writes are atomic (temp file + ``os.replace``); an entry that
cannot be read is treated as a miss and re-parsed, never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from runload.errors import CacheError, Problem

if TYPE_CHECKING:
    import polars as pl

# Bump when the entry layout changes (the parser's own version is in fit_reader).
CACHE_LAYOUT = "1"
_META_KEY = "runload"
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


def cache_key(digest: str) -> str:
    """The entry key for a content hash: hash + parser version + layout version."""
    from runload.fit_reader import PARSER_VERSION

    return f"{digest}-p{PARSER_VERSION}.{CACHE_LAYOUT}"


@dataclass
class Entry:
    """One parsed file, as stored: its session rows and what else the reader found.

    ``problems`` carry no path (the same bytes may sit under several names);
    ``problems_for(name)`` puts one on.
    """

    sessions: pl.DataFrame
    problems: list[dict[str, Any]] = field(default_factory=list)  # severity, message, offset
    facts: list[tuple[str, str | float]] = field(default_factory=list)
    kind: str | None = None

    def problems_for(self, name: str) -> list[Problem]:
        return [
            Problem(name, p["severity"], p["message"], line=p.get("line"), offset=p.get("offset"))
            for p in self.problems
        ]

    def metadata(self) -> str:
        return json.dumps(
            {"problems": self.problems, "facts": [list(f) for f in self.facts], "kind": self.kind}
        )


class ParseCache:
    """The folder of entries. ``load`` never raises; ``store`` raises ``CacheError``."""

    def __init__(self, folder: str | os.PathLike[str] | None = None) -> None:
        self.folder = Path(folder) if folder is not None else default_cache_dir()

    def path_for(self, key: str) -> Path:
        return self.folder / "fit" / key[:2] / f"{key}.parquet"

    def load(self, key: str) -> Entry | None:
        """The entry for ``key``, or None when absent or damaged (then it is removed)."""
        path = self.path_for(key)
        if not path.is_file():
            return None
        import polars as pl

        try:
            meta = json.loads(pl.read_parquet_metadata(path)[_META_KEY])
            frame = pl.read_parquet(path)
            facts = [(str(n), v) for n, v in meta["facts"]]
            return Entry(frame, list(meta["problems"]), facts, meta.get("kind"))
        except Exception:  # any damage: unreadable Parquet, bad JSON, missing key
            with contextlib.suppress(OSError):
                path.unlink()
            return None

    def store(self, key: str, entry: Entry) -> None:
        """Write the entry atomically (temp file in the same folder + ``os.replace``)."""
        path = self.path_for(key)
        tmp_name = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".parquet")
            with os.fdopen(fd, "wb") as fh:
                entry.sessions.write_parquet(
                    fh, compression="zstd", statistics=False, metadata={_META_KEY: entry.metadata()}
                )
            os.replace(tmp_name, path)
            tmp_name = None
        except OSError as exc:
            raise CacheError(f"cannot write the cache in {self.folder}: {exc}") from exc
        finally:
            if tmp_name is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp_name)
