"""The canary's verdict, kept once per install.

The canary check (``decoder.compare_on_canary``: both decoders over the bundled
``canary.fit``, about a quarter of a second) can only change when the decoders change:
the installed fitparse (its version and the hash of its files, ``fitparse_tag``), the
fast decoder's own source, the canary file or the Python that runs them. ``identity()``
is a hash of exactly those, and the verdict is kept in a small file named after it,
``decoder/<identity>.json`` in the user cache folder (``RUNLOAD_CACHE_DIR``, else the
platformdirs one; never the parse results under ``--cache-dir``, and ``--no-cache``
does not skip it): the first run after an install or upgrade pays for the check, the
next ones read the verdict. The file holds its identity again and a checksum of its
text; anything else there (damaged, another identity, not ours) is no verdict, and the
check runs again. A verdict that came from an accident of this run (out of memory, a
file that could not be read) is not kept.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import sys
from importlib import resources
from pathlib import Path
from typing import Any

from runload import jsontext
from runload.cachedir import default_cache_dir
from runload.fit.installed import fitparse_tag

FOLDER = "decoder"
# The sources whose behaviour the canary checks (with canary.fit itself).
_OWN_SOURCES = ("fast.py", "public.py", "messages.py", "decoder.py", "canary.fit")


@functools.cache
def identity() -> str:
    """A hash of what the canary's verdict depends on: fitparse (``fitparse_tag``), the
    decoders' sources and the canary here, and the Python version."""
    digest = hashlib.blake2b(digest_size=12)
    digest.update(fitparse_tag().encode())
    digest.update(f"{sys.implementation.name}{sys.version_info[:2]}".encode())
    package = resources.files("runload.fit")
    for name in _OWN_SOURCES:
        digest.update(name.encode())
        digest.update(package.joinpath(name).read_bytes())
    return digest.hexdigest()


def path() -> Path:
    return default_cache_dir() / FOLDER / f"{identity()}.json"


def _checksum(body: dict[str, Any]) -> str:
    text = json.dumps(body, sort_keys=True)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def load() -> dict[str, Any] | None:
    """The kept verdict of this install (``decoder``, ``note``, ``reason``), or None."""
    try:
        where = path()
        doc = jsontext.loads(where.read_bytes().decode("utf-8"))
    except (OSError, ValueError, RecursionError):  # damaged, or not ours: no verdict
        return None
    body = doc.get("verdict") if isinstance(doc, dict) else None
    if (
        not isinstance(body, dict)
        or doc.get("sum") != _checksum(body)
        or body.get("identity") != identity()
        or body.get("decoder") not in ("fast", "public")
    ):
        return None
    return body


def save(decoder: str, note: str | None, reason: str | None) -> None:
    """Keep this install's verdict (atomically); a folder that cannot be written costs
    only the check on the next run."""
    from runload.fsutil import atomic_write

    with contextlib.suppress(OSError):
        where = path()
        body = {"identity": identity(), "decoder": decoder, "note": note, "reason": reason}
        where.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(where, json.dumps({"verdict": body, "sum": _checksum(body)}))
