"""What the flags say on real people: the alert burden and the injury starts that follow
flagged days, on the 8 PMData people in ``../shared/fixtures/pmdata`` (Thambawita et al.
2020: Fitbit exports and weekly PMSys injury reports), for the rules before this release
(``OLD_RULES``) and today's, side by side.

The people are laid out as a squad (``tools/pmdata_squad.py``) and read with the library call
behind ``runload team SQUAD --season OUT --from 2019-11-01 --to 2020-03-31``. Then:

* **burden**: per person and pooled, the share of days elevated, high, elevated-or-high;
* **evidence**: per factor (a day where it gives points) and for elevated-or-high and high,
  the days flagged, the share of flagged and of other days followed by an injury start
  within 7 and 14 days, and the relative risk with a 95 % confidence interval (log method;
  0.5 added to every cell when one is zero).

An injury start is a report naming a leg, foot, hip or back site (``left_leg``,
``groin_hip``, ``left_foot``...) that the person's previous report did not name; a person's
first report is never a start (nothing clean before it). Reports are weekly and
self-reported; a day counts when its whole window lies between the person's first and last
report; p08 has no injury reports and counts only for the burden. Days of one person are not
independent (one start follows up to 7 or 14 flagged days in a row), so the intervals are too
narrow if anything. Nothing in runload is tuned to these reports: they are far too few.

    python3 benchmarks/evidence.py [PMDATA] [--write-docs]

prints the Markdown tables and the run time; ``--write-docs`` also writes the burden and the
evidence tables into docs/method.md (``tests/test_pmdata.py`` fails when they drift).
"""

from __future__ import annotations

import ast
import csv
import datetime as dt
import itertools
import math
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
PMDATA = ROOT.parent / "shared" / "fixtures" / "pmdata"
PERIOD = (dt.date(2019, 11, 1), dt.date(2020, 3, 31))
ZONE = ZoneInfo("Europe/Oslo")
# The rules before this release, as settings: every ratio counts, high needs one factor.
OLD_RULES = "\n[risk]\nacwr_min_run_days = 0\nacwr_min_run_minutes = 0\nhigh_factors = 1\n"
SITES = ("leg", "foot", "hip", "back", "knee", "ankle")  # the lower body and the back
WINDOWS = (7, 14)


@dataclass(frozen=True)
class Cell:
    """Flagged days (``n1``) and other days (``n0``), and how many of each an injury start
    followed (``a``, ``c``)."""

    a: int
    n1: int
    c: int
    n0: int


def relative_risk(cell: Cell) -> tuple[float, float, float] | None:
    """(RR, low, high) of a start after flagged vs other days, 95 % CI by the log method;
    0.5 added to every cell when one of a, b, c, d is 0; None without days on a side."""
    if cell.n1 == 0 or cell.n0 == 0:
        return None
    a, b, c, d = cell.a, cell.n1 - cell.a, cell.c, cell.n0 - cell.c
    if 0 in (a, b, c, d):
        a, b, c, d = a + 0.5, b + 0.5, c + 0.5, d + 0.5
    rr = (a / (a + b)) / (c / (c + d))
    se = math.sqrt(1 / a - 1 / (a + b) + 1 / c - 1 / (c + d))
    return rr, math.exp(math.log(rr) - 1.96 * se), math.exp(math.log(rr) + 1.96 * se)


def injury_starts(path: Path) -> tuple[list[dt.date], dt.date, dt.date] | None:
    """The local dates of the injury starts in one person's ``injury.csv``, and the dates of
    their first and last report; None without reports."""
    if not path.is_file():
        return None
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    reports = []
    for row in rows:
        when = dt.datetime.fromisoformat(row["effective_time_frame"].replace("Z", "+00:00"))
        sites = ast.literal_eval(row["injuries"] or "{}")
        lower = {s for s in sites if any(k in s for k in SITES)}
        reports.append((when.astimezone(ZONE).date(), lower))
    if not reports:
        return None
    reports.sort(key=lambda r: r[0])
    starts = [day for (_, before), (day, now) in itertools.pairwise(reports) if now - before]
    return starts, reports[0][0], reports[-1][0]


def outcomes(pmdata: Path) -> pl.DataFrame:
    """One row per person-day whose windows are observed: ``athlete``, ``date``, and
    ``start_7`` / ``start_14`` (an injury start within that many days after it)."""
    rows = []
    for person in sorted(p for p in pmdata.iterdir() if (p / "fitbit").is_dir()):
        found = injury_starts(person / "pmsys" / "injury.csv")
        if found is None:
            continue
        starts, first, last = found
        day = first
        while day + dt.timedelta(days=max(WINDOWS)) <= last:
            row = {"athlete": person.name, "date": day}
            for n in WINDOWS:
                row[f"start_{n}"] = any(day < s <= day + dt.timedelta(days=n) for s in starts)
            rows.append(row)
            day += dt.timedelta(days=1)
    return pl.DataFrame(rows)


def season(pmdata: Path, work: Path, extra_toml: str = "") -> pl.DataFrame:
    """Every person's days in ``PERIOD`` as ``runload team --season`` computes them, with
    ``extra_toml`` added to each person's config."""
    sys.path.insert(0, str(ROOT))
    from runload.config import Settings
    from runload.options import Options
    from runload.team import team_season
    from tools.pmdata_squad import make_squad

    squad = work / "squad"
    for folder in make_squad(pmdata, squad):
        config = folder / "runload.toml"
        config.write_text(config.read_text(encoding="utf-8") + extra_toml, encoding="utf-8")
    run = Options(settings=Settings(), paths=(), cache_dir=work / "cache", jobs=1)
    team = team_season(squad, date_from=PERIOD[0], date_to=PERIOD[1], run=run)
    if team.failed:
        raise SystemExit("; ".join(str(p) for p in team.failed))
    return team.season


def flags(days: pl.DataFrame, factors: tuple[str, ...]) -> pl.DataFrame:
    """``athlete``, ``date`` and one boolean per factor (it gave points) and per level."""
    points = [
        pl.col("reasons")
        .list.eval(
            pl.element().filter(
                (pl.element().struct.field("factor") == f)
                & (pl.element().struct.field("points") > 0)
            )
        )
        .list.len()
        .gt(0)
        .alias(f)
        for f in factors
    ]
    return days.select(
        "athlete",
        "date",
        *points,
        (pl.col("risk") != "low").alias("elevated or high"),
        (pl.col("risk") == "high").alias("high"),
    )


def burden(days: pl.DataFrame) -> pl.DataFrame:
    per = days.group_by("athlete").agg(
        pl.len().alias("days"),
        (pl.col("risk") == "elevated").mean().alias("elevated"),
        (pl.col("risk") == "high").mean().alias("high"),
        (pl.col("risk") != "low").mean().alias("either"),
    )
    pooled = days.select(
        pl.lit("all").alias("athlete"),
        pl.len().alias("days"),
        (pl.col("risk") == "elevated").mean().alias("elevated"),
        (pl.col("risk") == "high").mean().alias("high"),
        (pl.col("risk") != "low").mean().alias("either"),
    )
    return pl.concat([per.sort("athlete"), pooled.cast(per.schema)])


def _pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def _rr(cell: Cell) -> str:
    found = relative_risk(cell)
    return "–" if found is None else f"{found[0]:.2f} ({found[1]:.2f}–{found[2]:.2f})"


def cells(flagged: pl.DataFrame, known: pl.DataFrame, what: str, n: int) -> Cell:
    """The 2 × 2 counts of the flag column ``what`` against a start within ``n`` days."""
    both = flagged.join(known, on=["athlete", "date"], how="inner")
    counts = both.select(
        (pl.col(what) & pl.col(f"start_{n}")).sum().alias("a"),
        pl.col(what).sum().alias("n1"),
        (~pl.col(what) & pl.col(f"start_{n}")).sum().alias("c"),
        (~pl.col(what)).sum().alias("n0"),
    ).row(0, named=True)
    return Cell(**{k: int(v) for k, v in counts.items()})


def evidence_table(days: pl.DataFrame, known: pl.DataFrame, factors: tuple[str, ...]) -> str:
    """One Markdown row per factor and level: the days flagged (with an observed outcome),
    then per window the starts after flagged and after other days and the relative risk."""
    flagged = flags(days, factors)
    head, rule = "| flag | days flagged |", "|---|---:|"
    for n in WINDOWS:
        head += f" start within {n} d: after flagged / other days | relative risk (95 % CI) |"
        rule += "---:|---:|"
    lines = [head, rule]
    for what in (*factors, "elevated or high", "high"):
        row = f"| `{what}` |" if what in factors else f"| {what} |"
        for i, n in enumerate(WINDOWS):
            cell = cells(flagged, known, what, n)
            if i == 0:
                row += f" {cell.n1} |"
            rate1 = cell.a / cell.n1 if cell.n1 else 0.0
            rate0 = cell.c / cell.n0 if cell.n0 else 0.0
            row += f" {cell.a} ({_pct(rate1)}) / {cell.c} ({_pct(rate0)}) | {_rr(cell)} |"
        lines.append(row)
    return "\n".join(lines) + "\n"


def burden_table(old: pl.DataFrame, new: pl.DataFrame) -> str:
    """Per person and pooled: days, and elevated / high / either, old → new."""
    lines = [
        "| person | days | elevated | high | elevated or high |",
        "|---|---:|---:|---:|---:|",
    ]
    pairs = zip(burden(old).iter_rows(named=True), burden(new).iter_rows(named=True), strict=True)
    for o, n in pairs:
        cols = [f"{_pct(o[k])} → {_pct(n[k])}" for k in ("elevated", "high", "either")]
        name = f"**{o['athlete']}**" if o["athlete"] == "all" else o["athlete"]
        lines.append(f"| {name} | {o['days']} | " + " | ".join(cols) + " |")
    return "\n".join(lines) + "\n"


def count_starts(pmdata: Path) -> int:
    found = [injury_starts(p / "pmsys" / "injury.csv") for p in sorted(pmdata.iterdir())]
    return sum(len(f[0]) for f in found if f)


def tables(pmdata: Path) -> tuple[dict[str, str], str, str]:
    """The docs' tables (``burden-table``, ``evidence-table``), the old rules' evidence table,
    and the summary line."""
    from runload.risk import FACTORS

    known = outcomes(pmdata)
    with tempfile.TemporaryDirectory() as tmp:
        old = season(pmdata, Path(tmp) / "old", OLD_RULES)
        new = season(pmdata, Path(tmp) / "new")
    docs = {
        "burden-table": burden_table(old, new),
        "evidence-table": evidence_table(new, known, FACTORS),
    }
    people = known.get_column("athlete").n_unique()
    summary = (
        f"PMData, {PERIOD[0]} to {PERIOD[1]}: {old.height} athlete-days of "
        f"{old.get_column('athlete').n_unique()} people; {count_starts(pmdata)} injury starts "
        f"(lower body or back) in the weekly reports of {people} people"
    )
    return docs, evidence_table(old, known, FACTORS), summary


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    pmdata = Path(args[0]) if args else PMDATA
    if not (pmdata / "participants.csv").is_file():
        print(f"{pmdata}: no PMData folder (participants.csv)", file=sys.stderr)
        return 1
    t0 = time.perf_counter()
    docs, old_evidence, summary = tables(pmdata)
    print(summary + "\n")
    print("Alert burden (share of days), old rules → new\n")
    print(docs["burden-table"])
    print("Injury starts after flagged days, old rules\n")
    print(old_evidence)
    print("Injury starts after flagged days, new rules\n")
    print(docs["evidence-table"])
    if "--write-docs" in argv:
        from tools.settings_docs import METHOD, current

        text = METHOD.read_text(encoding="utf-8")
        for name, table in docs.items():
            text = current(text, table, name)
        METHOD.write_text(text, encoding="utf-8")
        print(f"{METHOD.relative_to(ROOT)}: burden and evidence tables written")
    print(f"run time {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
