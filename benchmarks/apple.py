"""Benchmark: reading a large Apple Health export in bounded memory.

Writes a synthetic ``export.xml`` of about 200 MB into a temp folder (mostly step counts and
heart rates, as real exports are, plus a year of stand hours; ``tools.applegen``), and its
``export.zip``, then reads each in a fresh subprocess and prints the peak RSS of that
subprocess (``getrusage(RUSAGE_CHILDREN).ru_maxrss``, measured by a wrapper process per run
so one run's peak never shows in another's) and its wall time, side by side with:

* ``imports``: the same subprocess importing ``runload.sitting`` and reading nothing (the
  fixed cost of Python, polars and runload);
* ``iterparse``: the plain baseline, no runload: ``xml.etree.ElementTree.iterparse`` over
  the file, counting the stand hours, every element and the root's children cleared.

The ratios to the baseline show runload's own overhead. Not a test: nothing is asserted.

Usage::

    python benchmarks/apple.py               # ~200 MB
    python benchmarks/apple.py --mb 20       # a quicker look
    python benchmarks/apple.py --no-zip      # the XML only
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # the repository root, for tools.applegen (dev-only)

STAND = "HKCategoryTypeIdentifierAppleStandHour"

CHILD = {
    "imports": "import runload.sitting\nprint(0)",
    "runload": (
        "import sys\n"
        "from runload.sitting import read_sitting\n"
        "r = read_sitting([sys.argv[1]])\n"
        "assert not r.problems, r.problems\n"
        "print(r.days.height)"
    ),
    "iterparse": (
        "import sys\n"
        "import xml.etree.ElementTree as ET\n"
        "root, depth, n = None, 0, 0\n"
        "for event, el in ET.iterparse(sys.argv[1], events=('start', 'end')):\n"
        "    if event == 'start':\n"
        "        root = el if root is None else root\n"
        "        depth += 1\n"
        "        continue\n"
        "    depth -= 1\n"
        f"    if el.tag == 'Record' and el.get('type') == {STAND!r}:\n"
        "        n += 1\n"
        "    if depth == 1:\n"
        "        el.clear()\n"
        "        root.clear()\n"
        "print(n)"
    ),
}


def measure(mode: str, path: Path) -> None:
    """(wrapper process) Run one child, print its peak RSS, time and output as JSON."""
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", CHILD[mode], str(path)], capture_output=True, text=True, check=True
    )
    seconds = time.perf_counter() - t0
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    print(json.dumps({"rss_mb": peak_kb / 1024, "s": seconds, "out": out.stdout.strip()}))


def run(mode: str, path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--measure", mode, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def generate(folder: Path, mb: int, with_zip: bool) -> tuple[Path, Path | None]:
    from tools.applegen import write_big_export, year_of_stand_hours

    xml = folder / "export.xml"
    tz = dt.timezone(dt.timedelta(hours=1))
    t0 = time.perf_counter()
    with xml.open("wb") as fh:
        write_big_export(fh, mb * 1_000_000, year_of_stand_hours(dt.date(2025, 1, 1), 365, tz))
    print(f"wrote {xml.stat().st_size / 1e6:.0f} MB export.xml in {time.perf_counter() - t0:.1f} s")
    if not with_zip:
        return xml, None
    archive = folder / "export.zip"
    t0 = time.perf_counter()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.write(xml, "apple_health_export/export.xml")
    size = archive.stat().st_size / 1e6
    print(f"wrote {size:.0f} MB export.zip in {time.perf_counter() - t0:.1f} s")
    return xml, archive


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=int, default=200, help="size of export.xml (default 200)")
    ap.add_argument("--no-zip", action="store_true", help="do not measure export.zip")
    ap.add_argument("--measure", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure:
        measure(args.measure[0], Path(args.measure[1]))
        return
    folder = Path(tempfile.mkdtemp(prefix="runload-apple-"))
    try:
        xml, archive = generate(folder, args.mb, not args.no_zip)
        runs = [("imports", xml), ("iterparse", xml), ("runload", xml)]
        if archive is not None:
            runs.append(("runload", archive))
        results = []
        for mode, path in runs:
            r = run(mode, path)
            results.append((f"{mode} {path.name}", r))
        base = results[1][1]
        print(f"\n{'run':<22} {'peak RSS':>10} {'time':>8} {'RSS/base':>9} {'time/base':>9}  out")
        for label, r in results:
            print(
                f"{label:<22} {r['rss_mb']:>7.0f} MB {r['s']:>6.2f} s "
                f"{r['rss_mb'] / base['rss_mb']:>9.2f} {r['s'] / base['s']:>9.2f}  {r['out']}"
            )
        print(f"\nexport.xml is {xml.stat().st_size / 1e6:.0f} MB")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
