"""One activity file's bytes → the reader of its kind (FIT, GPX, TCX, a Fitbit exercise
log): the function ingest's worker processes run. It imports neither polars nor a reader
the file does not need, and a reader's failure costs this file only."""

from __future__ import annotations

from typing import Any


def read_activity(source: Any) -> tuple[Any, str | None]:
    """Read one ``inputs.Source`` with the reader of ``source.kind``. Returns (the result,
    a ``runload.fit.FitResult``, None), or (None, why the file could not be read)."""
    from runload.inputs import SourceReadError

    try:
        data = source.read()
        if source.kind == "fit":
            from runload.fit import read_fit

            return read_fit(data, source.name), None
        from runload.track import read_track

        return read_track(source.kind, data, source.name), None
    except SourceReadError as exc:
        return None, str(exc)
    except MemoryError:
        return None, "not enough memory to read this file"
    except Exception as exc:  # a reader bug must cost one file, not the batch
        return None, f"parser failed ({type(exc).__name__}: {exc})"
