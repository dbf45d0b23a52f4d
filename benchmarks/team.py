"""Benchmark: a cohort through ``runload team``, and the method over many athletes at once.

Builds a cohort (default 200 athletes × 50 one-hour 1 Hz runs, each athlete with a sitting
log) once under ``benchmarks/_data/`` (git-ignored; the files are derived from fit-tool base
files by shifting timestamps and serial numbers, as ``benchmarks/ingest.py`` does, so every
file has bytes of its own), then prints side by side, from the same run, each with a cold
cache of its own:

* the plain baseline: a loop of single-athlete ``runload report ATHLETE --format json``
  calls, one process each (what a coach's script did before ``team``),
* ``runload team COHORT --format json --jobs N`` (one local process pool for everyone),
* ``runload team COHORT --format json --dask local --jobs N`` (a LocalCluster of N workers),
* ``runload team`` warm (everything cached),

as seconds, files per second and ratios to the loop; the two team runs must print the same
JSON. Then the method alone: ``analyse_many`` over A athletes × 3 years of days against a
loop of ``analyse`` per athlete, in one process.

Usage::

    python benchmarks/team.py                          # 200 athletes x 50 runs
    python benchmarks/team.py --athletes 40 --runs 50  # a quicker look
    python benchmarks/team.py --small                  # smoke test: 6 athletes x 5 runs
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # benchmarks/ingest.py: the base files and how to derive
sys.path.insert(0, str(HERE.parent))  # the repository root, for tools.fitgen (dev-only)

from ingest import BASE_FILES, DATA, _base_file, _derive, _patch_points  # noqa: E402

SEASON_START = dt.date(2025, 1, 6)  # the base files' first day


def build_cohort(athletes: int, runs: int) -> Path:
    """``athletes`` folders of ``runs`` distinct runs (every other day, each athlete from
    their own start day) and a sitting log each."""
    folder = DATA / f"cohort-{athletes}x{runs}"
    if folder.is_dir() and len(list(folder.glob("*/*.fit"))) == athletes * runs:
        return folder
    t = time.perf_counter()
    bases = []
    for i in range(BASE_FILES):
        data = _base_file(i).read_bytes()
        bases.append((data, _patch_points(data)))
    tmp = DATA / f".cohort-{athletes}x{runs}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    rng = random.Random(11)
    for a in range(athletes):
        mine = tmp / f"athlete-{a:04d}"
        mine.mkdir(parents=True)
        offset = a % 7
        for k in range(runs):
            data, points = bases[(a + k) % BASE_FILES]
            day = offset + 2 * k
            name = mine / f"run-{k:03d}.fit"
            name.write_bytes(_derive(data, points, day, 0x100000 + a * 1000 + k))
        lines = ["date,sitting_hours"]
        for d in range(offset, offset + 2 * runs):
            hours = round(rng.uniform(5.0, 11.5), 2)
            lines.append(f"{SEASON_START + dt.timedelta(days=d)},{hours}")
        (mine / "sitting.csv").write_text("\n".join(lines) + "\n")
        if a % 3 == 0:  # a third of the cohort with settings of their own
            (mine / "runload.toml").write_text(f"[athlete]\nhr_max = {180 + a % 15}\n")
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(tmp, folder)
    print(f"built {athletes} x {runs} files in {time.perf_counter() - t:.1f} s -> {folder}",
          file=sys.stderr)  # fmt: skip
    return folder


def runload(args: list[str]) -> tuple[float, bytes]:
    """``runload ARGS`` in a fresh process: (seconds, stdout). Exit 0/3/4 are answers."""
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "runload", *args], capture_output=True)
    seconds = time.perf_counter() - t
    if proc.returncode not in (0, 3, 4):
        raise SystemExit(f"runload {' '.join(args)} failed: {proc.stderr.decode()[-2000:]}")
    return seconds, proc.stdout


def loop_of_reports(cohort: Path, jobs: int, cache: str) -> float:
    """The baseline: one ``runload report`` process per athlete, one after the other."""
    t = time.perf_counter()
    for athlete in sorted(p for p in cohort.iterdir() if p.is_dir()):
        config = athlete / "runload.toml"
        extra = ["--config", str(config)] if config.is_file() else []
        sitting = ["--sitting", str(athlete / "sitting.csv")]
        common = ["--format", "json", "--jobs", str(jobs), "--cache-dir", cache]
        runload(["report", str(athlete), *sitting, *common, *extra])
    return time.perf_counter() - t


# ------------------------------------------------------------------------ the method alone


def method_frames(athletes: int, days: int, seed: int = 5):
    """Activities (a run every other day or so, avg HR, no samples) and daily sitting for
    ``athletes`` × ``days``, keyed by athlete."""
    import polars as pl

    from runload.schema import activity_schema, sitting_schema

    rng = random.Random(seed)
    start = dt.date(2023, 1, 2)
    acts, sits = [], []
    for a in range(athletes):
        name = f"athlete-{a:04d}"
        for d in range(days):
            day = start + dt.timedelta(days=d)
            sits.append({"date": day, "sitting_hours": rng.uniform(4, 12), "source": "s.csv",
                         "source_kind": "self_report", "athlete": name})  # fmt: skip
            if rng.random() < 0.5:
                continue
            minutes = rng.uniform(25, 130)
            begin = dt.datetime.combine(day, dt.time(rng.choice([6, 7, 18, 19])))
            acts.append({
                "file": f"{name}/{day}.fit", "session": 0, "sport": "running",
                "sub_sport": "generic", "is_run": True, "start_utc": begin.replace(tzinfo=dt.UTC),
                "start_local": begin, "date": day, "utc_offset_min": 0,
                "moving_minutes": minutes, "elapsed_minutes": minutes,
                "distance_km": minutes / 5.6, "avg_hr": rng.uniform(135, 165), "athlete": name,
            })  # fmt: skip
    a_schema = {**activity_schema(), "athlete": pl.String()}
    s_schema = {**sitting_schema(), "athlete": pl.String()}
    a_frame = pl.DataFrame(acts, schema={k: a_schema[k] for k in acts[0]})
    s_frame = pl.DataFrame(sits, schema={k: s_schema[k] for k in sits[0]})
    return a_frame, s_frame


def method_bench(athletes: int, days: int) -> tuple[float, float, int]:
    """(seconds of ``analyse_many`` over everyone, seconds of a loop of ``analyse``, day
    rows); the two must give the same risk on every day."""
    import polars as pl

    from runload.analysis import analyse, analyse_many
    from runload.config import Settings
    from runload.load import athlete_values

    acts, sits = method_frames(athletes, days)
    settings = Settings()
    names = acts.get_column("athlete").unique(maintain_order=True).to_list()
    t = time.perf_counter()
    alone = {}
    for name in names:
        one = analyse(
            acts.filter(pl.col("athlete") == name).drop("athlete"),
            sits.filter(pl.col("athlete") == name).drop("athlete"),
            settings,
        )
        alone[name] = one
    loop = time.perf_counter() - t
    values = pl.DataFrame([{"athlete": n, **athlete_values(alone[n].athlete)} for n in names])
    t = time.perf_counter()
    _acts, days_frame = analyse_many(acts, sits, values, settings)
    many = time.perf_counter() - t
    want = pl.concat([alone[n].days.select("date", "risk") for n in names])
    got = days_frame.sort("athlete", "date").select("date", "risk")
    if not got.equals(want):
        raise SystemExit("analyse_many and the loop of analyse disagree")
    return many, loop, days_frame.height


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--athletes", type=int, default=200)
    ap.add_argument("--runs", type=int, default=50, help="one-hour runs per athlete (50)")
    ap.add_argument("--method-athletes", type=int, default=200)
    ap.add_argument("--method-days", type=int, default=3 * 365)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--small", action="store_true", help="6 athletes x 5 runs: a smoke run")
    ap.add_argument("--skip-loop", action="store_true", help="skip the loop of reports")
    args = ap.parse_args()
    if args.small:
        args.athletes, args.runs, args.method_athletes, args.method_days = 6, 5, 6, 90
    cohort = build_cohort(args.athletes, args.runs)
    files = args.athletes * args.runs
    size = sum(f.stat().st_size for f in cohort.glob("*/*.fit")) / 1e6
    jobs = args.jobs
    print(f"cohort: {args.athletes} athletes x {args.runs} runs = {files} files, "
          f"{size:.0f} MB; --jobs {jobs} on {os.cpu_count()} cores\n")  # fmt: skip

    rows: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        loop = None if args.skip_loop else loop_of_reports(cohort, jobs, f"{tmp}/loop")
        if loop is not None:
            rows.append((f"loop of {args.athletes} `runload report` calls", loop))
        team = ["team", str(cohort), "--format", "json", "--jobs", str(jobs)]
        local, out_local = runload([*team, "--cache-dir", f"{tmp}/local"])
        rows.append((f"runload team --jobs {jobs}", local))
        dask, out_dask = runload([*team, "--dask", "local", "--cache-dir", f"{tmp}/dask"])
        rows.append((f"runload team --dask local ({jobs} workers)", dask))
        warm, out_warm = runload([*team, "--cache-dir", f"{tmp}/local"])
        rows.append(("runload team warm (cached)", warm))
    if not (out_local == out_dask == out_warm):
        raise SystemExit("the team JSON differs between local, Dask and warm runs")
    print(f"{'':44} {'seconds':>8} {'files/s':>8} {'vs loop':>8}")
    for name, secs in rows:
        ratio = f"{loop / secs:7.1f}x" if loop else "       -"
        print(f"{name:44} {secs:8.1f} {files / secs:8.0f} {ratio}")
    print("(the team JSON is byte-identical between the local, Dask and warm runs)\n")

    many, each, n_days = method_bench(args.method_athletes, args.method_days)
    print(f"method over {args.method_athletes} athletes x {args.method_days} days "
          f"({n_days:,} day rows):")  # fmt: skip
    print(f"  analyse_many, one polars pass  {many:7.2f} s")
    print(f"  loop of analyse per athlete    {each:7.2f} s  ({each / many:.1f}x slower)")


if __name__ == "__main__":
    main()
