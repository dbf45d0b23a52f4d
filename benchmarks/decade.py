"""Benchmark: a decade of history costs what a command shows.

Builds ten years of a runner's Garmin files, four runs a week (2,088 runs), generated
like the example season (``examples/make_season.py``: easy runs, a tempo or interval
session and a long run each week, a record every 5 s with a plausible heart-rate trace,
GPS outdoors, the runner's profile and max heart rate in every file), then times, each a
fresh process and a fresh cache:

* ``runload ingest`` cold (all cores) and ``runload report --html`` cold,
* with everything cached: ``runload check --date LAST`` (one day's answer) and
  ``runload report --format json`` (the whole decade), medians of several runs,

with the peak memory of runload and its workers, against a bare ``python -c "import
polars"`` timed in the same run (the floor of any runload command that reads data).

fit-tool needs about half a second per file, so ``BASES`` distinct sessions are written
with ``tools.fitgen`` and each of the 2,088 files is one of them moved to its own day
(every timestamp shifted, the serial number changed, the CRC recomputed: distinct
bytes, as ``benchmarks/ingest.py`` derives its season). The files are kept under
``benchmarks/_data/decade/`` (git-ignored) for the next run.

Usage::

    python benchmarks/decade.py            # build (once) and measure
    python benchmarks/decade.py --runs 3   # fewer warm repetitions
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # the repository root: tools.fitgen, examples
sys.path.insert(0, str(HERE))  # benchmarks/ingest.py: deriving files, measuring
from ingest import _derive, _patch_points, compile_runload, run_cli  # noqa: E402

DATA = HERE / "_data" / "decade"
FIRST_MONDAY = dt.date(2016, 1, 4)
YEARS = 10
WEEKS = 522  # ten years of weeks
SEED = 2016
BASES = 24
# The week's four runs: (weekday, kind, minutes range, local hour)
WEEK = (
    (1, "easy", (50, 70), 18.5),
    (3, "quality", (55, 75), 18.5),
    (5, "easy", (45, 65), 10.0),
    (6, "long", (95, 150), 9.0),
)


def _base_specs() -> list[tuple[str, object]]:
    """``BASES`` distinct sessions (kind, spec), as the example season makes them."""
    sys.path.insert(0, str(HERE.parent / "examples"))
    import make_season as season

    from tools.fitgen import ActivitySpec, SessionSpec

    rng = random.Random(SEED)
    out = []
    for i in range(BASES):
        weekday, kind, (lo, hi), hour = WEEK[i % len(WEEK)]
        if kind == "quality":
            kind = "tempo" if (i // len(WEEK)) % 2 else "intervals"
        minutes = rng.randint(lo, hi)
        day = FIRST_MONDAY + dt.timedelta(days=weekday)
        start = season.local_start(day, hour) + dt.timedelta(minutes=rng.randint(-10, 10))
        pace = season.PACE[kind] * rng.uniform(0.97, 1.03)
        session = SessionSpec(
            start=start.astimezone(dt.UTC),
            minutes=minutes,
            sport="running",
            sub_sport="street",
            distance_km=round(minutes / pace, 2),
            hr=season.hr_series(kind, minutes, rng),
            with_gps=True,
            record_every_s=season.RECORD_EVERY_S,
            ascent_m=rng.randint(10, 25) * minutes // 30,
        )
        spec = ActivitySpec(
            sessions=[session],
            local_offset_s=int(start.utcoffset().total_seconds()),
            manufacturer="garmin",
            product=3113,
            serial_number=3912345678,
            user_gender="male",
            resting_hr=season.HR_REST,
            max_hr=season.HR_MAX,
        )
        out.append((kind, spec))
    return out


def build_decade() -> Path:
    """The decade's files (cached): week ``w``'s run ``k`` is base ``(4w + k) % BASES``
    moved ``w`` weeks (and a few minutes) on."""
    if DATA.is_dir() and len(list(DATA.glob("*.fit"))) == WEEKS * len(WEEK):
        return DATA
    from tools.fitgen import activity_bytes

    t = time.perf_counter()
    bases = []
    for kind, spec in _base_specs():
        data = activity_bytes(spec)
        bases.append((kind, spec, data, _patch_points(data)))
    rng = random.Random(SEED + 1)
    tmp = DATA.with_name(".decade.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for week in range(WEEKS):
        for k in range(len(WEEK)):
            kind, spec, data, points = bases[(len(WEEK) * week + k) % BASES]
            shift_s = week * 7 * 86400 + rng.randint(-20, 20) * 60
            start = spec.sessions[0].start + dt.timedelta(seconds=shift_s)  # type: ignore[attr-defined]
            serial = 0x20000 + len(WEEK) * week + k
            name = f"{start:%Y-%m-%d-%H%M}-{kind}.fit"
            (tmp / name).write_bytes(_derive_seconds(data, points, shift_s, serial))
    shutil.rmtree(DATA, ignore_errors=True)
    os.replace(tmp, DATA)
    took = time.perf_counter() - t
    print(f"built {WEEKS * len(WEEK)} files in {took:.0f} s -> {DATA}", file=sys.stderr)
    return DATA


def _derive_seconds(
    base: bytes, points: tuple[list[int], list[int]], shift: int, serial: int
) -> bytes:
    """``ingest._derive`` by any number of seconds (it shifts by whole days)."""
    days, rest = divmod(shift, 86400)
    moved = _derive(base, points, days, serial)
    if not rest:
        return moved
    import struct

    from runload.fit import fit_crc

    out = bytearray(moved[:-2])
    for p in points[0]:
        (v,) = struct.unpack_from("<I", out, p)
        if v != 0xFFFFFFFF:
            struct.pack_into("<I", out, p, v + rest)
    out += struct.pack("<H", fit_crc(out))
    return bytes(out)


def polars_import(runs: int) -> float:
    """Median seconds of a bare ``python -c "import polars"``."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import polars"], check=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _median_run(args: list[str], runs: int) -> tuple[float, float, float, float]:
    """(median s, min s, max s, median peak MB) of ``runs`` runs of ``runload ARGS``."""
    got = [run_cli(args) for _ in range(runs)]
    secs = [s for s, _ in got]
    return statistics.median(secs), min(secs), max(secs), statistics.median(p for _, p in got)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="runs of each warm command (5)")
    args = ap.parse_args()
    folder = build_decade()
    compile_runload()
    files = sorted(folder.glob("*.fit"))
    size_mb = sum(f.stat().st_size for f in files) / 1e6
    last = files[-1].name[:10]
    cores = os.cpu_count() or 1
    print(f"decade: {len(files)} files, {size_mb:.1f} MB, {files[0].name[:10]} to {last}\n")
    base = polars_import(max(args.runs, 5))
    rows: list[tuple[str, float, float, float, float, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        cold = run_cli(["ingest", str(folder), "--format", "csv", "--cache-dir", f"{tmp}/a"])
        rows.append(("cold ingest", *cold[:1], cold[0], cold[0], cold[1], ""))
        html = f"{tmp}/report.html"
        report_cold = run_cli(
            ["report", str(folder), "--format", "json", "--html", html, "--cache-dir", f"{tmp}/b"]
        )
        rows.append(
            ("cold report --html", report_cold[0], *report_cold[:1] * 2, report_cold[1], "")
        )
        warm = ["--cache-dir", f"{tmp}/b"]
        check = _median_run(
            ["check", str(folder), "--date", last, "--format", "json", *warm], args.runs
        )
        rows.append(("warm check (one day)", *check, f"{check[0] / base:.2f}x"))
        report = _median_run(["report", str(folder), "--format", "json", *warm], args.runs)
        rows.append(("warm report (JSON)", *report, f"{report[0] / base:.2f}x"))
    print(f"{'':26} {'median s':>9} {'min':>7} {'max':>7} {'peak MB':>8} {'vs import':>10}")
    print(f"{'python -c import polars':26} {base:9.3f}")
    for name, med, lo, hi, peak, ratio in rows:
        print(f"{name:26} {med:9.3f} {lo:7.3f} {hi:7.3f} {peak:8.0f} {ratio:>10}")
    print(f"({cores} cores)")
    checks = [
        ("warm check <= 2x a bare polars import", check[0] <= 2 * base),
        ("warm check <= 150 MB", check[3] <= 150),
        ("warm report <= 4x a bare polars import", report[0] <= 4 * base),
        ("warm report <= 250 MB", report[3] <= 250),
        ("cold peak <= 300 MB (ingest, report --html)", max(cold[1], report_cold[1]) <= 300),
    ]
    print()
    for text, ok in checks:
        print(f"  [{'ok' if ok else 'MISSED'}] {text}")


if __name__ == "__main__":
    main()
