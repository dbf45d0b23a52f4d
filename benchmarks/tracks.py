"""GPX and TCX parse rate: runload's readers (``runload.track``) against a plain
``gpxpy.parse`` / ``tcxreader`` loop over the same bytes, in the same run, on generated
1 Hz one-hour runs with HR (``tools/trackgen.py``). Prints files/s, points/s and the
ratio (runload's time over the library's: what the conversion to sessions costs).

    python3 benchmarks/tracks.py [--files 20]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from runload.track.gpx import read_gpx
from runload.track.tcx import read_tcx
from tools.trackgen import gpx_text, tcx_text

POINTS = 3601  # one hour at 1 Hz


def _plain_gpx(data: bytes) -> None:
    import gpxpy

    gpxpy.parse(data)


def _plain_tcx(data: bytes) -> None:
    from tcxreader.tcxreader import TCXReader

    TCXReader().read(io.BytesIO(data), only_gps=False)


def _timed(fn, files: list[bytes]) -> float:
    t0 = time.perf_counter()
    for i, data in enumerate(files):
        fn(data, f"f{i}") if fn in (read_gpx, read_tcx) else fn(data)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=20)
    n = parser.parse_args().files
    start = dt.datetime(2026, 3, 1, 7, tzinfo=dt.UTC)
    day = dt.timedelta(days=1)
    gpx = [gpx_text(start + i * day, 60, 10).encode() for i in range(n)]
    tcx = [tcx_text(start + i * day, 60, 10).encode() for i in range(n)]
    assert len(read_gpx(gpx[0], "x").sessions[0].hr_t) == POINTS
    assert len(read_tcx(tcx[0], "x").sessions[0].hr_t) == POINTS
    print(
        f"{n} files per format, {POINTS} points each ({len(gpx[0]) >> 10} kB GPX,"
        f" {len(tcx[0]) >> 10} kB TCX)"
    )
    print(f"{'format':<6} {'reader':<22} {'files/s':>8} {'points/s':>10} {'ratio':>6}")
    for name, ours, plain, files, lib in (
        ("GPX", read_gpx, _plain_gpx, gpx, "gpxpy.parse"),
        ("TCX", read_tcx, _plain_tcx, tcx, "tcxreader"),
    ):
        _timed(plain, files[:2])  # imports and warm-up
        base = _timed(plain, files)
        mine = _timed(ours, files)
        for label, secs, ratio in (
            (lib, base, ""),
            (f"runload ({name.lower()})", mine, f"{mine / base:.2f}"),
        ):
            print(f"{name:<6} {label:<22} {n / secs:>8.1f} {n * POINTS / secs:>10.0f} {ratio:>6}")


if __name__ == "__main__":
    main()
