"""One activity file's bytes → the reader of its kind (FIT, GPX, TCX, a Fitbit exercise
log): the function ingest's worker processes run. It imports neither polars nor a reader
the file does not need, and a reader's failure costs this file only."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from runload.cache import CACHE_LAYOUT


@dataclass(frozen=True)
class Unread:
    """Why a file gave no result: its problem's ``code`` (``runload.codes``) and the text
    (``str()``)."""

    code: str
    text: str

    def __str__(self) -> str:
        return self.text


def read_activity(source: Any) -> tuple[Any, Unread | None]:
    """Read one ``inputs.Source`` with the reader of ``source.kind``. Returns (the result,
    a ``runload.fit.FitResult``, None), or (None, why the file could not be read)."""
    from runload.inputs import SourceReadError

    try:
        data = source.read()
        if source.kind == "fit":
            from runload.fit import read_fit

            return _summarised(read_fit(data, source.name)), None
        from runload.track import read_track

        return _summarised(read_track(source.kind, data, source.name)), None
    except SourceReadError as exc:
        return None, Unread(exc.code, str(exc))
    except MemoryError:
        return None, Unread("read.failed", "not enough memory to read this file")
    except Exception as exc:  # a reader bug must cost one file, not the batch
        return None, reader_failed(exc)


def _summarised(result: Any) -> Any:
    """``result`` with each session's HR summary (``hrsummary``), made here, in the worker,
    not in the process that collects the results."""
    from runload.hrsummary import hr_summary

    for session in result.sessions:
        session.summary = hr_summary(session.hr_t, session.hr_bpm)
    return result


def reader_failed(exc: BaseException) -> Unread:
    """A reader that raised, as the reason its file gave nothing."""
    return Unread("read.failed", f"parser failed ({type(exc).__name__}: {exc})")


# ---------------------------------------------------------------- the cache's keys


@functools.cache
def _reader(decoders: tuple[str, ...]) -> str:
    """The reader part of a key: a GPX/TCX reader's own tag (its version and library
    release), else the FIT parser version + fitparse + the decoders. (Once per process:
    a decade of files asks thousands of times.)"""
    from runload.track import TRACK_DECODERS, reader_tag

    if len(decoders) == 1 and decoders[0] in TRACK_DECODERS:
        return reader_tag(decoders[0])
    from runload.fit import PARSER_VERSION, fitparse_tag

    return f"p{PARSER_VERSION}-{fitparse_tag()}-{'+'.join(decoders)}"


def cache_key(digest: str, decoder: str) -> str:
    """The cache entry key of a file's content hash as read by ``decoder``: hash + parser
    version + fitparse + decoder + cache layout (GPX/TCX: hash + their reader tag + cache
    layout). Here, not in ``runload.cache``: the cache stores what it is given and knows
    no reader."""
    return f"{digest}-{_reader((decoder,))}.{CACHE_LAYOUT}"


def season_key(digest: str, decoders: Sequence[str]) -> str:
    """A file's place in a season snapshot written by a run that may use ``decoders``."""
    return f"{digest}-{_reader(tuple(decoders))}.{CACHE_LAYOUT}"
