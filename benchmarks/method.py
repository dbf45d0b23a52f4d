"""Benchmark the method on a 10-year season: 3,650 days, 2,000 runs (with 10 s HR samples),
daily sitting. Prints the seconds for ``analyse`` (whole method) and for the daily metrics
alone, and compares the rolling means with a plain-Python loop computing the same values in
the same run.

    python3 benchmarks/method.py
"""

from __future__ import annotations

import datetime as dt
import random
import time

import polars as pl

from runload.advice import advise_days
from runload.analysis import analyse
from runload.config import Settings
from runload.metrics import daily_table
from runload.risk import score_days
from runload.schema import activity_schema, sitting_schema

START = dt.date(2016, 1, 1)
DAYS = 3650
RUNS = 2000


def season(seed: int = 7) -> tuple[pl.DataFrame, pl.DataFrame]:
    rng = random.Random(seed)
    run_days = sorted(rng.sample(range(DAYS), RUNS))
    rows = []
    for i, d in enumerate(run_days):
        day = START + dt.timedelta(days=d)
        minutes = rng.uniform(25, 130)
        start = dt.datetime.combine(day, dt.time(rng.choice([6, 7, 12, 18, 19]), 0))
        n = int(minutes * 6)
        hr_t = [k * 10.0 for k in range(n)] if i % 4 else None  # a quarter without samples
        hr_bpm = [130 + 30 * ((k % 60) / 60) for k in range(n)] if i % 4 else None
        rows.append(
            {
                "file": f"{day}.fit",
                "session": 0,
                "sport": "running",
                "sub_sport": "generic",
                "is_run": True,
                "start_utc": start.replace(tzinfo=dt.UTC),
                "start_local": start,
                "date": day,
                "utc_offset_min": 0,
                "moving_minutes": minutes,
                "elapsed_minutes": minutes,
                "distance_km": minutes / 5.5 if i % 7 else None,
                "avg_hr": 148.0 if i % 8 else None,
                "max_hr": 175.0,
                "ascent_m": None,
                "has_gps": True,
                "device": "bench",
                "hr_t": hr_t,
                "hr_bpm": hr_bpm,
            }
        )
    acts = pl.DataFrame(rows, schema=activity_schema())
    sit = pl.DataFrame(
        [
            {
                "date": START + dt.timedelta(days=d),
                "sitting_hours": round(rng.uniform(3, 12), 1),
                "source": "sitting.csv",
                "source_kind": "device" if d % 5 == 0 else "self_report",
                "numbness": rng.choice([None, None, None, 0, 1, 3]),
                "seat": rng.choice([None, "hard", "soft"]),
            }
            for d in range(DAYS)
        ],
        schema=sitting_schema(),
    )
    return acts, sit


def loop_rolling_means(loads: list[float], acute: int = 7, chronic: int = 28) -> list[float]:
    """acute/chronic with plain Python: the baseline the expressions replace."""
    out = []
    for i in range(len(loads)):
        a = sum(loads[max(0, i - acute + 1) : i + 1]) / acute
        c = sum(loads[max(0, i - chronic + 1) : i + 1]) / chronic
        out.append(a / c if c > 0 else float("nan"))
    return out


def best_of(fn, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    acts, sit = season()
    settings = Settings()
    result = analyse(acts, sit, settings)  # warm-up, and the table the loop checks against
    days = result.days
    assert days.height == DAYS, days.height
    t_all = best_of(lambda: analyse(acts, sit, settings), repeat=3)
    loaded = result.activities
    t_days = best_of(
        lambda: advise_days(
            score_days(daily_table(loaded, sit, settings), loaded, settings), settings
        ),
        repeat=3,
    )

    loads_frame = days.select("load")
    expr = (pl.col("load").rolling_sum(7, min_samples=1) / 7) / (
        pl.col("load").rolling_sum(28, min_samples=1) / 28
    )
    t_expr = best_of(lambda: loads_frame.select(expr))
    loads = days["load"].to_list()
    t_loop = best_of(lambda: loop_rolling_means(loads))
    got = loads_frame.select(expr).to_series().to_list()
    ref = loop_rolling_means(loads)
    assert all(
        abs(x - y) < 1e-9 * max(1.0, abs(y)) for x, y in zip(got, ref, strict=True) if y == y
    )

    print(f"season: {DAYS} days, {RUNS} runs, {acts['hr_t'].list.len().sum():,} HR samples")
    print(f"analyse (whole method):          {t_all:.3f} s")
    print(f"daily table + risk + advice:     {t_days:.3f} s")
    print(f"acute:chronic, polars rolling:   {t_expr * 1000:.2f} ms")
    print(f"acute:chronic, plain-Python loop: {t_loop * 1000:.2f} ms")
    print(f"ratio loop / polars:             {t_loop / t_expr:.0f}x")
    counts = days.group_by("risk").len().sort("risk")
    print("risk days:", dict(zip(counts["risk"], counts["len"], strict=True)))


if __name__ == "__main__":
    main()
