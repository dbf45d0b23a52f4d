"""Generate the example season: 16 weeks of a desk-working runner, as real FIT files
plus a hand-kept sitting log.

Run it from the repository root (needs the ``test`` extra, which brings fit-tool)::

    python3 examples/make_season.py

It rewrites ``examples/season/*.fit`` and ``examples/sitting.csv``. The output is
deterministic (seeded), so re-running it gives the same bytes.

What is in the season (Europe/Berlin local time, March to June 2026):

* 4–5 runs a week: easy runs, a tempo or interval session, a long run on Sunday;
* a build-up, then a two-week overreaching block (weeks 9–10) with mid-week long
  runs in the evening after long desk days, then a recovery week, a second build
  and a taper to a half marathon;
* treadmill runs without GPS (``sub_sport`` treadmill) in the first, wintry weeks;
* one run without heart rate (strap forgotten), so its load is estimated;
* a road ride and a walk, which are listed but carry no running load;
* a sitting log with 7.5–10.5 h desk days, short weekends, a few days not logged,
  hard conference chairs on two days and two days of buttock numbness.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import random
import sys
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))  # the repository root: runload and tools.fitgen

from runload.fsutil import atomic_write  # noqa: E402
from tools.fitgen import ActivitySpec, SessionSpec, activity_bytes  # noqa: E402

SEED = 20260302
FIRST_MONDAY = dt.date(2026, 3, 2)
WEEKS = 16
TZ = ZoneInfo("Europe/Berlin")
RECORD_EVERY_S = 5
HR_MAX = 190
HR_REST = 52

# minutes per km and heart-rate profile for each kind of session
PACE = {
    "easy": 5.8,
    "treadmill": 5.9,
    "tempo": 4.9,
    "intervals": 5.0,
    "long": 5.9,
    "race": 4.75,
    "ride": 2.0,
    "walk": 10.5,
}
SPORT = {
    "ride": ("cycling", "road"),
    "walk": ("walking", "generic"),
    "treadmill": ("running", "treadmill"),
    "race": ("running", "road"),
}


@dataclass(frozen=True)
class Session:
    weekday: int  # 0 = Monday
    kind: str
    minutes: int
    hour: float = 18.5  # local start time
    hr: bool = True


E, T, INT, L = "easy", "tempo", "intervals", "long"

# The season, week by week (weeks counted from 0). Evening runs at 18:30 after
# work, weekend runs in the morning.
PLAN: list[list[Session]] = [
    # base: two treadmill weeks in March
    [Session(1, "treadmill", 40), Session(3, E, 45), Session(5, E, 30, 10), Session(6, L, 65, 9)],
    [Session(1, "treadmill", 45), Session(3, INT, 45), Session(5, E, 35, 10), Session(6, L, 70, 9)],
    [
        Session(1, "treadmill", 45),
        Session(3, T, 50),
        Session(4, E, 35, hr=False),  # forgot the strap
        Session(6, L, 75, 9),
    ],
    # easier week, a walk with the family on Saturday
    [
        Session(1, E, 40),
        Session(3, E, 40),
        Session(5, "walk", 70, 14),
        Session(5, E, 30, 9),
        Session(6, L, 60, 9),
    ],
    [
        Session(1, E, 50),
        Session(2, "treadmill", 40, 7),
        Session(3, T, 50),
        Session(5, "ride", 95, 10),
        Session(6, L, 80, 9),
    ],
    [Session(1, E, 50), Session(3, INT, 55), Session(5, E, 40, 10), Session(6, L, 85, 9)],
    [
        Session(1, E, 50),
        Session(2, E, 40),
        Session(3, T, 55),
        Session(5, E, 40, 10),
        Session(6, L, 90, 9),
    ],
    [Session(1, E, 45), Session(3, E, 45), Session(5, E, 35, 10), Session(6, L, 70, 9)],
    # overreaching block: a training-camp mindset squeezed around the desk job
    [
        Session(1, INT, 60),
        Session(2, L, 105, 18.5),  # long run after a long desk day
        Session(3, T, 60),
        Session(5, E, 70, 9),
        Session(6, L, 125, 8.5),
    ],
    [
        Session(1, T, 60),
        Session(2, INT, 60),
        Session(4, L, 100, 18.5),  # again after the desk
        Session(5, E, 60, 10),
        Session(6, L, 115, 8.5),
    ],
    # recovery week
    [Session(1, E, 35), Session(3, E, 40), Session(6, E, 60, 9.5)],
    # second build
    [Session(1, E, 45), Session(3, INT, 50), Session(5, E, 40, 10), Session(6, L, 80, 9)],
    [
        Session(1, E, 50),
        Session(2, E, 40),
        Session(3, T, 55),
        Session(5, "walk", 60, 15),
        Session(6, L, 90, 9),
    ],
    [
        Session(1, E, 50),
        Session(3, INT, 55),
        Session(4, E, 40),
        Session(5, E, 40, 10),
        Session(6, L, 100, 8.5),
    ],
    # taper
    [Session(1, E, 45), Session(3, T, 40), Session(5, E, 30, 10), Session(6, L, 70, 9)],
    # race week: a half marathon on Sunday
    [Session(1, E, 40), Session(3, E, 30), Session(5, E, 20, 10), Session(6, "race", 100, 9)],
]


def hr_series(kind: str, minutes: int, rng: random.Random) -> list[int]:
    """A plausible per-record heart-rate trace for one session."""
    n = int(minutes * 60 / RECORD_EVERY_S) + 1
    base = {
        "easy": 143,
        "treadmill": 146,
        "tempo": 166,
        "long": 147,
        "race": 172,
        "ride": 128,
        "walk": 98,
    }.get(kind, 150)
    base += rng.randint(-3, 3)
    out = []
    for i in range(n):
        t = i * RECORD_EVERY_S / 60  # minutes
        warmup = -18 * math.exp(-t / 4)  # heart rate climbs over the first minutes
        drift = 0.06 * t if kind in ("long", "race") else 0.02 * t  # cardiac drift
        if kind == "intervals":
            # 10 min warm-up, then 3 min hard / 2 min easy, 10 min cool-down
            hard = 10 <= t < minutes - 10 and (t - 10) % 5 < 3
            level = 174 if hard else 138
        else:
            level = base
        hr = level + warmup + drift + rng.gauss(0, 2.0)
        out.append(int(max(70, min(HR_MAX - 2, round(hr)))))
    return out


def local_start(day: dt.date, hour: float) -> dt.datetime:
    h, m = int(hour), round((hour % 1) * 60)
    return dt.datetime.combine(day, dt.time(h, m), tzinfo=TZ)


def build_activities(rng: random.Random) -> list[tuple[str, ActivitySpec]]:
    specs = []
    for week, sessions in enumerate(PLAN):
        for s in sessions:
            day = FIRST_MONDAY + dt.timedelta(weeks=week, days=s.weekday)
            start = local_start(day, s.hour) + dt.timedelta(minutes=rng.randint(-10, 10))
            offset_s = int(start.utcoffset().total_seconds())
            pace = PACE[s.kind] * rng.uniform(0.97, 1.03)
            sport, sub_sport = SPORT.get(s.kind, ("running", "street"))
            indoor = s.kind == "treadmill"
            session = SessionSpec(
                start=start.astimezone(dt.UTC),
                minutes=s.minutes,
                sport=sport,
                sub_sport=sub_sport,
                distance_km=round(s.minutes / pace, 2),
                hr=hr_series(s.kind, s.minutes, rng) if s.hr else None,
                with_gps=not indoor,
                record_every_s=RECORD_EVERY_S,
                ascent_m=None if indoor else rng.randint(10, 25) * s.minutes // 30,
            )
            spec = ActivitySpec(
                sessions=[session],
                local_offset_s=offset_s,
                manufacturer="garmin",
                product=3113,  # a Forerunner
                serial_number=3912345678,
                user_gender="male",
                resting_hr=HR_REST,
                max_hr=HR_MAX,
            )
            name = f"{start:%Y-%m-%d-%H%M}-{s.kind}.fit"
            specs.append((name, spec))
    return specs


# Desk days with a deadline (10 h or more), keyed by (week, weekday).
LONG_DESK_DAYS = {(2, 3): 10.2, (5, 2): 10.0, (8, 2): 10.6, (8, 3): 9.8, (9, 4): 10.4,
                  (9, 3): 10.1, (12, 1): 10.3, (13, 3): 10.0}  # fmt: skip
NOT_LOGGED = {(10, 2), (10, 3), (10, 4)}  # a short holiday, nothing written down
HARD_SEAT = {(6, 1): "conference, hard chairs", (6, 2): "conference, hard chairs"}
NUMBNESS = {(8, 4): (3, "left buttock numb in the afternoon"),
            (9, 5): (5, "numb and sore, hip tight on the easy run")}  # fmt: skip


def build_sitting(rng: random.Random) -> list[dict[str, object]]:
    rows = []
    for week in range(WEEKS):
        for weekday in range(7):
            key = (week, weekday)
            if key in NOT_LOGGED:
                continue
            day = FIRST_MONDAY + dt.timedelta(weeks=week, days=weekday)
            if key in LONG_DESK_DAYS:
                hours = LONG_DESK_DAYS[key]
            elif weekday < 5:
                hours = round(rng.uniform(7.4, 9.6) * 4) / 4
            else:
                hours = round(rng.uniform(2.5, 5.0) * 4) / 4
            numbness, note = NUMBNESS.get(key, (None, ""))
            note = HARD_SEAT.get(key, note)
            rows.append(
                {
                    "date": day.isoformat(),
                    "sitting_hours": f"{hours:g}",
                    "numbness": "" if numbness is None else numbness,
                    "seat": "hard" if key in HARD_SEAT else "",
                    "notes": note,
                }
            )
    return rows


def sitting_csv(rows: list[dict[str, object]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def main() -> None:
    """Encode everything first, then write each file atomically and drop the stale ones:
    a failure half-way leaves the committed season as it was."""
    rng = random.Random(SEED)
    season = ROOT / "season"
    specs = build_activities(rng)
    encoded = {}
    for i, (name, spec) in enumerate(specs, 1):
        encoded[name] = activity_bytes(spec)
        print(f"\r{i}/{len(specs)} {name}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    rows = build_sitting(rng)
    for name, data in encoded.items():
        atomic_write(season / name, data)
    for old in season.glob("*.fit"):
        if old.name not in encoded:
            old.unlink()
    atomic_write(ROOT / "sitting.csv", sitting_csv(rows))
    size = sum(p.stat().st_size for p in ROOT.rglob("*") if p.is_file())
    print(f"{len(specs)} activity files, {len(rows)} sitting days, {size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
