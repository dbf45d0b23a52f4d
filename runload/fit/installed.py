"""The installed fitparse: its version (from its ``.dist-info``, without importing it)
and its tag, the version plus a hash of its source files (the newest source still calls
itself 1.2.0). The tag is part of every cache key and of the canary verdict's identity."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
from pathlib import Path


@functools.cache
def fitparse_version() -> str:
    """The installed fitparse's version, from its ``.dist-info`` beside the package (a
    look-up through ``importlib.metadata`` scans every installed package: 20 ms, in
    every process that reads a file)."""
    spec = importlib.util.find_spec("fitparse")
    if spec is not None and spec.origin:
        site = Path(spec.origin).parent.parent
        for info in site.glob("fitparse-*.dist-info"):
            with contextlib.suppress(OSError):
                for line in (info / "METADATA").read_text(errors="replace").splitlines():
                    if line.startswith("Version:"):
                        return line.split(":", 1)[1].strip()
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("fitparse")
    except PackageNotFoundError:
        return "unknown"


@functools.cache
def fitparse_tag() -> str:
    """``fitparse<version>-<hash of its .py files>``, without importing fitparse."""
    spec = importlib.util.find_spec("fitparse")
    digest = hashlib.blake2b(digest_size=4)
    if spec is not None and spec.submodule_search_locations:
        folder = Path(next(iter(spec.submodule_search_locations)))
        for path in sorted(folder.glob("*.py")):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return f"fitparse{fitparse_version()}-{digest.hexdigest()}"
