"""The lean reader (fitparse driven through a subclass, see fit_reader's docstring) must read
the same session values as plain fitparse does, on every real activity file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from runload.fit_reader import read_fit


def _plain_sessions(path: Path) -> list[dict]:
    import fitparse

    try:
        fit = fitparse.FitFile(str(path), check_crc=False)
        return [m.get_values() for m in fit.get_messages("session")]
    except Exception:
        return []  # plain fitparse cannot read it at all: nothing to compare


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) < 1e-6


def test_sessions_match_plain_fitparse(shared_fit_dir: Path) -> None:
    compared = 0
    for path in sorted(shared_fit_dir.glob("*")):
        if path.suffix.lower() != ".fit" or path.stat().st_size > 160_000:
            continue  # plain fitparse is slow: the big files add time, not coverage
        plain = _plain_sessions(path)
        if not plain:
            continue
        ours = read_fit(path.read_bytes(), path.name).sessions
        assert len(ours) == len(plain), path.name
        for mine, theirs in zip(ours, plain, strict=True):
            assert mine.sport == (str(theirs.get("sport")) if theirs.get("sport") else None), path
            assert _close(mine.moving_s, theirs.get("total_timer_time")), path.name
            assert _close(mine.elapsed_s, theirs.get("total_elapsed_time")), path.name
            if theirs.get("total_distance") is not None:
                assert _close(mine.distance_m, theirs["total_distance"]), path.name
            if theirs.get("avg_heart_rate") is not None:
                assert _close(mine.avg_hr, theirs["avg_heart_rate"]), path.name
            start = theirs.get("start_time")
            if isinstance(start, dt.datetime) and start.year > 1995:
                expected = int(start.replace(tzinfo=dt.UTC).timestamp())
                assert mine.start_unix == expected, path.name
            compared += 1
    if compared < 30:
        pytest.fail(f"only {compared} sessions compared: the fixture set looks wrong")
