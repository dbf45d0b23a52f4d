"""Benchmark: reading a season of FIT files.

Builds a synthetic season (N one-hour runs recorded at 1 Hz with position,
altitude, heart rate, cadence, speed, distance and temperature), then prints side
by side, in one run:

* a plain single-process fitparse loop over the files
  (``for m in FitFile(path).get_messages(): m.get_values()``),
* ``runload ingest`` cold with ``--jobs 1``,
* ``runload ingest`` cold with all cores,
* the same two on the public-API decoder (``RUNLOAD_FIT_DECODER=public``: what a run
  costs when the fast decoder fails its canary check and runload falls back),
* ``runload ingest`` warm (everything cached),
* ``runload ingest`` cold on the same files in one ``.zip`` (as a Garmin or Strava bulk
  export comes), against the folder: the zip/folder ratio (``--zip-only``: only these two),

as seconds and as ratios to the plain loop, plus peak memory of the runload
process and its worker processes, the time of ``runload --help`` and the time of the
canary check each process makes before it reads fast.

fit-tool needs ~4 s to write a one-hour file, so a few base files are written with
it and the N distinct files are derived from them by shifting every timestamp by a
number of days and changing the device serial number (CRC recomputed). The files
are kept under ``benchmarks/_data/`` (git-ignored) for the next run.

Usage::

    python benchmarks/ingest.py              # 300 files (the targets are for this)
    python benchmarks/ingest.py --files 40   # a quicker look
    python benchmarks/ingest.py --small      # smoke test: 8 files, no targets
    python benchmarks/ingest.py --files 1000 --zip-only   # the zip against the folder
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # the repository root, for tools.fitgen (dev-only)
DATA = HERE / "_data"
BASE_FILES = 4

# FIT date_time fields to shift, per global message number: (message, field numbers).
TIME_FIELDS: dict[int, tuple[int, ...]] = {
    0: (4,),  # file_id.time_created
    18: (2,),  # session.start_time
    19: (2,),  # lap.start_time
    34: (5,),  # activity.local_timestamp
}
TIMESTAMP = 253
FILE_ID = 0
SERIAL = 3


# --------------------------------------------------------------------- the season


def _base_file(i: int) -> Path:
    """One-hour 1 Hz run number ``i``, written with fit-tool (cached)."""
    from tools.fitgen import run, write_activity

    path = DATA / "base" / f"base-{i}.fit"
    if not path.exists():
        start = dt.datetime(2025, 1, 6, 6, 30, tzinfo=dt.UTC) + dt.timedelta(hours=i)
        hr = [int(135 + 20 * ((k // 300 + i) % 3) + (k % 7)) for k in range(3601)]
        spec = run(start, 60, 10.0 + i, hr=hr, record_every_s=1, local_offset_s=3600)
        tmp = path.with_suffix(".tmp")
        write_activity(tmp, spec)
        os.replace(tmp, path)
    return path


def _patch_points(data: bytes) -> tuple[list[int], list[int]]:
    """Byte offsets of every date_time value to shift, and of file_id.serial_number.
    Walks the FIT messages as written by fit-tool (no compressed timestamps)."""
    header_size = data[0]
    (data_size,) = struct.unpack_from("<I", data, 4)
    end = header_size + data_size
    pos = header_size
    layouts: dict[int, tuple[str, int, list[tuple[int, int]]]] = {}
    times: list[int] = []
    serials: list[int] = []
    while pos < end:
        head = data[pos]
        pos += 1
        local = head & 0x0F
        if head & 0x40:  # definition
            arch = data[pos + 1]
            endian = ">" if arch else "<"
            (mesg,) = struct.unpack_from(endian + "H", data, pos + 2)
            n = data[pos + 4]
            pos += 5
            fields = [(data[pos + 3 * k], data[pos + 3 * k + 1]) for k in range(n)]
            pos += 3 * n
            if head & 0x20:  # developer fields
                nd = data[pos]
                pos += 1 + 3 * nd
                fields += [(-1, data[pos - 3 * nd + 3 * k + 1]) for k in range(nd)]
            layouts[local] = (endian, mesg, fields)
        else:
            endian, mesg, fields = layouts[local]
            wanted = TIME_FIELDS.get(mesg, ())
            for num, size in fields:
                if size == 4 and (num == TIMESTAMP or num in wanted):
                    times.append(pos)
                if mesg == FILE_ID and num == SERIAL and size == 4:
                    serials.append(pos)
                pos += size
    return times, serials


def _derive(base: bytes, points: tuple[list[int], list[int]], days: int, serial: int) -> bytes:
    from runload.fit import fit_crc

    out = bytearray(base[:-2])
    shift = days * 86400
    times, serials = points
    for p in times:
        (v,) = struct.unpack_from("<I", out, p)
        if v not in (0xFFFFFFFF,):
            struct.pack_into("<I", out, p, v + shift)
    for p in serials:
        struct.pack_into("<I", out, p, serial)
    out += struct.pack("<H", fit_crc(out))
    return bytes(out)


def build_season(n: int) -> Path:
    folder = DATA / f"season-{n}"
    if folder.is_dir() and len(list(folder.glob("*.fit"))) == n:
        return folder
    t = time.perf_counter()
    bases = []
    for i in range(BASE_FILES):
        path = _base_file(i)
        data = path.read_bytes()
        bases.append((data, _patch_points(data)))
    tmp = DATA / f".season-{n}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for k in range(n):
        data, points = bases[k % BASE_FILES]
        day = k  # one run a day, a different base file each day
        (tmp / f"run-{k:04d}.fit").write_bytes(_derive(data, points, day, 0x10000 + k))
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(tmp, folder)
    print(f"built {n} files in {time.perf_counter() - t:.1f} s -> {folder}", file=sys.stderr)
    return folder


def build_zip(folder: Path) -> Path:
    """The season's files in one deflated zip beside the folder (cached), as an export."""
    import zipfile

    out = folder.with_suffix(".zip")
    if out.is_file() and out.stat().st_mtime >= folder.stat().st_mtime:
        return out
    tmp = out.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.glob("*.fit")):
            archive.write(path, f"activities/{path.name}")
    os.replace(tmp, out)
    return out


# -------------------------------------------------------------------- measuring


def plain_loop(files: list[Path]) -> float:
    from fitparse import FitFile

    t = time.perf_counter()
    for path in files:
        for m in FitFile(str(path)).get_messages():
            m.get_values()
    return time.perf_counter() - t


def _tree_rss_kb(root: int) -> int:
    """Resident memory of ``root`` and all its descendants (Linux /proc), in KiB."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                stat = fh.read()
            with open(f"/proc/{entry}/statm") as fh:
                pages = int(fh.read().split()[1])
        except OSError:
            continue
        pid = int(entry)
        parents[pid] = int(stat.rsplit(")", 1)[1].split()[1])
        rss[pid] = pages * (os.sysconf("SC_PAGE_SIZE") // 1024)
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += [c for c, p in parents.items() if p == pid]
    return total


def run_cli(args: list[str], **env: str) -> tuple[float, float]:
    """Run ``runload ARGS`` as a subprocess: (seconds, peak MB of the process tree, i.e.
    runload plus its worker processes, sampled every 50 ms from /proc)."""
    cmd = [sys.executable, "-m", "runload", *args]
    t = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, **env}
    )
    peak = [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], _tree_rss_kb(proc.pid))
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    if Path("/proc").is_dir():
        sampler.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - t
    stop.set()
    if proc.returncode != 0:
        raise SystemExit(f"runload failed ({proc.returncode}): {err.decode()[-2000:]}")
    if not peak[0]:  # no /proc: the largest single process seen so far
        peak[0] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, peak[0] / 1024


def canary_time() -> float:
    """Seconds of the canary check (both decoders over runload/fit/canary.fit), best of 3."""
    code = (
        "import time; from runload.fit import decoder; t = time.perf_counter();"
        " assert decoder.compare_on_canary() is None; print(time.perf_counter() - t)"
    )
    runs = [
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True).stdout)
        for _ in range(3)
    ]  # fmt: skip
    return min(runs)


def help_time() -> float:
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "runload", "--help"], capture_output=True, check=True)
        best = min(best, time.perf_counter() - t)
    return best


def zip_vs_folder(season: Path, cores: int) -> float:
    """``runload ingest`` cold on the folder and on the same files in one zip (all cores);
    prints both and returns the zip/folder ratio."""
    archive = build_zip(season)

    def cold(path: Path, cache: str) -> tuple[float, float, float]:
        """(seconds, CPU seconds of runload and its workers, peak MB): the CPU time is
        the fair comparison on a busy machine, where the wall time swings."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        args = ["ingest", str(path), "--format", "csv", "--jobs", str(cores)]
        seconds, peak = run_cli([*args, "--cache-dir", cache])
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        return seconds, cpu, peak

    with tempfile.TemporaryDirectory() as tmp:
        folder = cold(season, f"{tmp}/f")
        zipped = cold(archive, f"{tmp}/z")
    ratio, cpu_ratio = zipped[0] / folder[0], zipped[1] / folder[1]
    print(f"{'':34} {'seconds':>9} {'CPU s':>9} {'peak MB':>8}")
    rows = ((f"folder cold --jobs {cores}", folder), (f"zip cold --jobs {cores}", zipped))
    for name, (secs, cpu, peak) in rows:
        print(f"{name:34} {secs:9.2f} {cpu:9.2f} {peak:8.0f}")
    print(f"zip / folder: {ratio:.2f}x wall, {cpu_ratio:.2f}x CPU\n")
    return cpu_ratio


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", type=int, default=300, help="number of one-hour runs (300)")
    ap.add_argument("--small", action="store_true", help="8 files: a quick smoke run")
    ap.add_argument("--skip-plain", action="store_true", help="skip the plain fitparse loop")
    ap.add_argument("--zip-only", action="store_true", help="only the zip against the folder")
    args = ap.parse_args()
    n = 8 if args.small else args.files
    cores = os.cpu_count() or 1

    season = build_season(n)
    files = sorted(season.glob("*.fit"))
    size_mb = sum(f.stat().st_size for f in files) / 1e6
    print(f"season: {n} files, {size_mb:.1f} MB, {cores} cores\n")
    zip_ratio = zip_vs_folder(season, cores)
    if args.zip_only:
        return

    rows: list[tuple[str, float, float | None]] = []
    plain = None if args.skip_plain else plain_loop(files)
    if plain is not None:
        rows.append(("plain fitparse loop (1 process)", plain, None))
    with tempfile.TemporaryDirectory() as tmp:
        common = ["ingest", str(season), "--format", "csv"]
        one = run_cli([*common, "--jobs", "1", "--cache-dir", f"{tmp}/c1"])
        rows.append(("runload cold --jobs 1", *one))
        cold = run_cli([*common, "--jobs", str(cores), "--cache-dir", f"{tmp}/c2"])
        rows.append((f"runload cold --jobs {cores}", *cold))
        warm = run_cli([*common, "--jobs", str(cores), "--cache-dir", f"{tmp}/c2"])
        rows.append(("runload warm (cached)", *warm))
        public = {"RUNLOAD_FIT_DECODER": "public"}
        fb_one = run_cli([*common, "--jobs", "1", "--cache-dir", f"{tmp}/c3"], **public)
        rows.append(("fallback (public) cold --jobs 1", *fb_one))
        fb = run_cli([*common, "--jobs", str(cores), "--cache-dir", f"{tmp}/c4"], **public)
        rows.append((f"fallback (public) cold --jobs {cores}", *fb))
    helptime = help_time()
    canary = canary_time()

    print(f"{'':34} {'seconds':>9} {'vs plain':>9} {'peak MB':>8}")
    for name, secs, tree in rows:
        ratio = f"{plain / secs:8.1f}x" if plain else "        -"
        tree_txt = f"{tree:8.0f}" if tree is not None else "       -"
        print(f"{name:34} {secs:9.2f} {ratio} {tree_txt}")
    print(f"{'runload --help':34} {helptime:9.3f}")
    print(f"{'canary check (once per process)':34} {canary:9.3f}")
    print()
    print(f"warm vs cold ({cores} cores): {cold[0] / warm[0]:.1f}x faster")
    print(f"fast vs fallback decoder, --jobs 1: {fb_one[0] / one[0]:.1f}x faster")
    peak = max(one[1], cold[1], warm[1])
    print(f"peak memory (runload + workers, sampled): {peak:.0f} MB")
    if args.small:
        return
    checks = [
        (f"cold on {cores} cores >= 1.8x the plain loop", plain is None or plain / cold[0] >= 1.8),
        ("warm >= 30x faster than cold", cold[0] / warm[0] >= 30),
        ("peak memory < 300 MB", peak < 300),
        ("runload --help < 0.3 s", helptime < 0.3),
        ("a zip costs about what the folder costs (< 1.3x CPU)", zip_ratio < 1.3),
    ]
    print()
    for text, ok in checks:
        print(f"  [{'ok' if ok else 'MISSED'}] {text}")


if __name__ == "__main__":
    main()
