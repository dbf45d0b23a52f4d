"""Benchmark: reading a season of FIT files.

Builds a synthetic season (N one-hour runs recorded at 1 Hz with position,
altitude, heart rate, cadence, speed, distance and temperature) and takes the example
season (``examples/season``: 70 small files, a record every 5 s), then prints side by
side, in one run:

* a plain single-process fitparse loop over the files
  (``for m in FitFile(path).get_messages(): m.get_values()``),
* ``runload ingest`` cold with ``--jobs 1`` and with all cores, and warm (everything
  cached), on both seasons,
* on the one-hour files, the same cold runs on the public-API decoder
  (``RUNLOAD_FIT_DECODER=public``: what a run costs when the fast decoder fails its
  canary check and runload falls back),
* a bare ``python -c "import polars"`` (the floor of a warm run), ``runload --help``, the
  decoder verdict of a process on the first run of an install (the canary check) and on
  a later one (the verdict kept),
* milliseconds per one-hour file, in one process, of runload's reader, plain fitparse,
  garmin-fit-sdk and fitdecode (``--fitdecode-python``: a Python that has it; else its
  row says absent), and a plain read of the bytes, with MB/s per core,
* ``runload ingest`` cold on the same files in one ``.zip`` (as a Garmin or Strava bulk
  export comes), against the folder (``--zip-only``),
* ``--crossover``: ``--jobs 1`` against a pool of 2 forced on the first k files of each
  season, where ``runload.workers.POOL_BYTES_PER_WORKER`` comes from,

as seconds and as ratios to the plain loop, plus peak memory of the runload process and
its worker processes.

fit-tool needs ~4 s to write a one-hour file, so a few base files are written with
it and the N distinct files are derived from them by shifting every timestamp by a
number of days and changing the device serial number (CRC recomputed). The files
are kept under ``benchmarks/_data/`` (git-ignored) for the next run.

Usage::

    python benchmarks/ingest.py              # 40 one-hour files (the targets are for this)
    python benchmarks/ingest.py --small      # smoke test: 8 files, no targets
    python benchmarks/ingest.py --crossover  # where a pool of workers starts to pay
    python benchmarks/ingest.py --files 1000 --zip-only   # the zip against the folder
    python benchmarks/ingest.py --fitdecode-python /tmp/fd/bin/python  # fitdecode's column
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


def compile_runload() -> None:
    """Write the bytecode of the runload that ``python -m runload`` imports, as ``pip
    install`` does (an editable install under ``PYTHONDONTWRITEBYTECODE`` has none, and
    would compile every module in every timed run)."""
    code = "import pathlib, runload; print(pathlib.Path(runload.__file__).parent)"
    where = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    subprocess.run([sys.executable, "-m", "compileall", "-q", where.stdout.strip()], check=True)


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


def canary_time() -> tuple[float, float]:
    """Seconds of ``decoder.verdict()`` in a fresh process (its imports done: a process that
    parses pays those anyway): (the first run of an install, which checks the canary, both
    decoders over runload/fit/canary.fit; a later run, which reads the verdict kept for
    this install), best of 3 each."""
    code = (
        "import time; from runload.fit import decoder, activity; t = time.perf_counter();"
        " assert decoder.verdict().decoder == 'fast'; print(time.perf_counter() - t)"
    )
    first, kept = [], []
    for _ in range(3):
        with tempfile.TemporaryDirectory() as home:
            env = {**os.environ, "RUNLOAD_CACHE_DIR": home}
            for out in (first, kept):
                run = subprocess.run([sys.executable, "-c", code], capture_output=True,
                                     text=True, check=True, env=env)  # fmt: skip
                out.append(float(run.stdout))
    return min(first), min(kept)


def help_time() -> float:
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "runload", "--help"], capture_output=True, check=True)
        best = min(best, time.perf_counter() - t)
    return best


def polars_time(runs: int = 7) -> float:
    """Median seconds of a bare ``python -c "import polars"``: the floor of a warm run."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import polars"], check=True)
        times.append(time.perf_counter() - t)
    return sorted(times)[len(times) // 2]


# One-hour files decoded in one process, per library: (import, loop over the files).
DECODERS = {
    "runload (read_fit)": (
        "from runload.fit import read_fit",
        "for p in files: read_fit(open(p, 'rb').read(), p)",
    ),
    "fitparse (plain loop)": (
        "from fitparse import FitFile",
        "for p in files:\n    for m in FitFile(p).get_messages(): m.get_values()",
    ),
    "garmin-fit-sdk": (
        "from garmin_fit_sdk import Decoder, Stream",
        "for p in files: Decoder(Stream.from_file(p)).read()",
    ),
    "fitdecode": (
        "import fitdecode",
        "for p in files:\n    with fitdecode.FitReader(p) as fit:\n        for frame in fit: pass",
    ),
    "plain read of the bytes": ("", "for p in files: open(p, 'rb').read()"),
}


def decoder_ms(files: list[Path], python: str) -> dict[str, float | None]:
    """Milliseconds per file of each of ``DECODERS`` in one process (``python``: one that has
    fitdecode, else its column says absent), the best of 3 passes after a warm-up."""
    out: dict[str, float | None] = {}
    names = [str(f) for f in files]
    for name, (imports, loop) in DECODERS.items():
        code = (
            f"import sys, time\nfiles = {names!r}\n{imports}\n"
            "best = 1e9\nfor _ in range(4):\n    t = time.perf_counter()\n"
            + "\n".join("    " + line for line in loop.splitlines())
            + "\n    best = min(best, time.perf_counter() - t)\nprint(best)\n"
        )
        exe = python if name == "fitdecode" else sys.executable
        run = subprocess.run([exe, "-c", code], capture_output=True, text=True)
        out[name] = float(run.stdout) * 1000 / len(files) if run.returncode == 0 else None
    return out


def crossover(folders: list[Path], reps: int = 3) -> None:
    """``runload ingest --no-cache`` on the first k files of each folder, in this process
    (``--jobs 1``) and in a pool of 2 workers forced below the crossover: medians of
    ``reps`` runs each, to set ``runload.workers.POOL_BYTES_PER_WORKER``."""
    pool = (
        "import sys, runload.workers as m; m.POOL_BYTES_PER_WORKER = 1;"
        " from runload.cli import main; main(sys.argv[1:])"
    )
    print(f"{'files':>12} {'MB':>6} {'--jobs 1':>9} {'pool of 2':>9} {'pool/1':>7}")
    for folder in folders:
        files = sorted(folder.glob("*.fit"))
        for k in (2, 8, 16, 32, 64, 128):
            if k > len(files):
                break
            with tempfile.TemporaryDirectory() as tmp:
                for f in files[:k]:
                    shutil.copy(f, tmp)
                size = sum(f.stat().st_size for f in files[:k]) / 1e6
                args = ["ingest", tmp, "--no-cache", "--format", "csv"]
                one, two = [], []
                for _ in range(reps):
                    for cmd, out in (
                        ([sys.executable, "-m", "runload", *args, "--jobs", "1"], one),
                        ([sys.executable, "-c", pool, *args, "--jobs", "2"], two),
                    ):
                        t = time.perf_counter()
                        subprocess.run(cmd, check=True, capture_output=True)
                        out.append(time.perf_counter() - t)
                a, b = sorted(one)[reps // 2], sorted(two)[reps // 2]
                print(f"{folder.name[:8]:>8} {k:3d} {size:6.2f} {a:9.2f} {b:9.2f} {b / a:7.2f}")


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


def _cold_rows(folder: Path, cores: int, tmp: str, plain: float | None) -> list[tuple]:
    common = ["ingest", str(folder), "--format", "csv"]
    one = run_cli([*common, "--jobs", "1", "--cache-dir", f"{tmp}/c1"])
    cold = run_cli([*common, "--jobs", str(cores), "--cache-dir", f"{tmp}/c2"])
    warm = run_cli([*common, "--jobs", str(cores), "--cache-dir", f"{tmp}/c2"])
    rows = [("plain fitparse loop (1 process)", plain, None)] if plain is not None else []
    rows += [
        ("runload cold --jobs 1", *one),
        (f"runload cold --jobs {cores}", *cold),
        ("runload warm (cached)", *warm),
    ]
    return rows


def _print_rows(title: str, rows: list[tuple], plain: float | None) -> None:
    print(title)
    print(f"{'':34} {'seconds':>9} {'vs plain':>9} {'peak MB':>8}")
    for name, secs, tree in rows:
        ratio = f"{plain / secs:8.1f}x" if plain else "        -"
        tree_txt = f"{tree:8.0f}" if tree is not None else "       -"
        print(f"{name:34} {secs:9.2f} {ratio} {tree_txt}")
    print()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", type=int, default=40, help="number of one-hour runs (40)")
    ap.add_argument("--small", action="store_true", help="8 files: a quick smoke run")
    ap.add_argument("--skip-plain", action="store_true", help="skip the plain fitparse loops")
    ap.add_argument("--skip-fallback", action="store_true", help="skip the public decoder rows")
    ap.add_argument("--zip-only", action="store_true", help="only the zip against the folder")
    ap.add_argument("--crossover", action="store_true", help="only the pool's crossover")
    ap.add_argument("--fitdecode-python", default=sys.executable,
                    help="a Python that has fitdecode (default: this one)")  # fmt: skip
    args = ap.parse_args()
    n = 8 if args.small else args.files
    cores = os.cpu_count() or 1
    small = HERE.parent / "examples" / "season"  # 70 files of about 18 kB

    season = build_season(n)
    compile_runload()
    if args.crossover:
        crossover([small, season])
        return
    files = sorted(season.glob("*.fit"))
    size_mb = sum(f.stat().st_size for f in files) / 1e6
    small_files = sorted(small.glob("*.fit"))
    small_mb = sum(f.stat().st_size for f in small_files) / 1e6
    print(f"season: {n} one-hour 1 Hz files, {size_mb:.1f} MB; small: {len(small_files)} files,"
          f" {small_mb:.1f} MB; {cores} cores\n")  # fmt: skip
    if args.zip_only:
        zip_vs_folder(season, cores)
        return

    plain_small = None if args.skip_plain else plain_loop(small_files)
    plain = None if args.skip_plain else plain_loop(files)
    with tempfile.TemporaryDirectory() as tmp:
        # the first run of this install pays for the canary: not any of the rows below
        run_cli(["ingest", str(small), "--format", "csv", "--no-cache", "--jobs", "1"])
        small_rows = _cold_rows(small, cores, f"{tmp}/s", plain_small)
        rows = _cold_rows(season, cores, f"{tmp}/h", plain)
        if not args.skip_fallback:
            public = {"RUNLOAD_FIT_DECODER": "public"}
            common = ["ingest", str(season), "--format", "csv"]
            fb_one = run_cli([*common, "--jobs", "1", "--cache-dir", f"{tmp}/c3"], **public)
            rows.append(("fallback (public) cold --jobs 1", *fb_one))
            fb = run_cli([*common, "--jobs", str(cores), "--cache-dir", f"{tmp}/c4"], **public)
            rows.append((f"fallback (public) cold --jobs {cores}", *fb))
    helptime = help_time()
    bare = polars_time()
    canary_first, canary_kept = canary_time()
    per_file = decoder_ms(files[: min(len(files), 10)], args.fitdecode_python)

    _print_rows(f"small files ({len(small_files)}, {small_mb:.1f} MB):", small_rows, plain_small)
    _print_rows(f"one-hour 1 Hz files ({n}, {size_mb:.1f} MB):", rows, plain)
    warm = rows[-1 if args.skip_fallback else -3][1]
    print(f"{'python -c import polars':34} {bare:9.3f}")
    print(f"{'runload warm / bare polars import':34} {warm / bare:8.2f}x")
    print(f"{'runload --help':34} {helptime:9.3f}")
    print(f"{'canary: first run of an install':34} {canary_first:9.3f}")
    print(f"{'canary: later runs (kept verdict)':34} {canary_kept:9.3f}")
    print()
    read_ms = per_file.pop("plain read of the bytes")
    hour_mb = size_mb / n
    print(f"one-hour 1 Hz file ({hour_mb * 1000:.0f} kB), one process:  ms/file    MB/s per core")
    for name, ms in [*per_file.items(), ("plain read of the bytes", read_ms)]:
        if ms is None:
            print(f"  {name:32} {'absent':>8}")
        else:
            print(f"  {name:32} {ms:8.2f} {hour_mb / ms * 1000:12.1f}")
    if args.small:
        return
    cold_small = small_rows[-2][1]
    cold_hour = rows[1 if plain is None else 2][1]
    checks = [
        (f"small files: cold on {cores} cores >= 12x the plain loop",
         plain_small is None or plain_small / cold_small >= 12),
        (f"one-hour files: cold on {cores} cores >= 30x the plain loop",
         plain is None or plain / cold_hour >= 30),
        ("warm <= 1.4x a bare polars import", warm / bare <= 1.4),
        ("runload --help < 0.10 s", helptime < 0.10),
    ]  # fmt: skip
    print()
    for text, ok in checks:
        print(f"  [{'ok' if ok else 'MISSED'}] {text}")


if __name__ == "__main__":
    main()
