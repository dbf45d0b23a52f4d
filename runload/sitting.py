"""Reading every sitting source the user gave into one daily table.

``read_sitting`` walks files and folders, reads each source (``sitting_sources``),
merges monitoring files on one timeline, and keeps one row per date by precedence:
manual log > Garmin daily summary > monitoring files > Fitbit. A day no source
covers is simply absent (unknown), never zero. Also returns the resting heart rates
from Garmin summaries and the facts they give about the athlete.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from runload.errors import (
    Problem,
    RunloadError,
    UnsupportedSittingSourceError,
    WakingWindowError,
)
from runload.schema import AthleteFact, sitting_schema
from runload.sitting_sources import (
    RESTING_SCHEMA,
    STATE_SCHEMA,
    ZIP_HINT,
    ReadContext,
    SourceRead,
    detect,
    monitoring_days,
    read_source,
)

# Lower wins when two sources give the same day.
PRECEDENCE: dict[str, int] = {
    "manual_csv": 0,
    "manual_json": 0,
    "garmin_summary": 1,
    "garmin_monitoring": 2,
    "fitbit_sedentary_json": 3,
    "fitbit_daily_csv": 3,
}


@dataclass
class SittingResult:
    days: pl.DataFrame  # sitting_schema(), one row per date, sorted
    problems: list[Problem] = field(default_factory=list)
    resting_hr: pl.DataFrame = field(
        default_factory=lambda: pl.DataFrame(schema=RESTING_SCHEMA)
    )  # date → resting HR (Garmin summaries)
    facts: list[AthleteFact] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)


def parse_clock(text: str | dt.time) -> dt.time:
    """``"07:00"`` → 07:00; ``WakingWindowError`` (a ``ValueError``) with a plain message
    otherwise."""
    if isinstance(text, dt.time):
        return text
    try:
        return dt.time.fromisoformat(text.strip())
    except ValueError:
        raise WakingWindowError(
            f'"{text}" is not a time of day (write it like 07:00; config sitting.waking_start '
            "and waking_end)"
        ) from None


def parse_waking(waking: tuple[str | dt.time, str | dt.time]) -> tuple[dt.time, dt.time]:
    """The waking window, start before end; ``WakingWindowError`` otherwise."""
    start, end = parse_clock(waking[0]), parse_clock(waking[1])
    if end <= start:
        raise WakingWindowError(
            f"the waking window {start:%H:%M}–{end:%H:%M} must end after it starts "
            "(config sitting.waking_start and waking_end)"
        )
    return start, end


def _expand(source: str | Path, problems: list[Problem]) -> list[tuple[Path, bool]]:
    """The files of ``source``: itself, or the recognised files under a folder.
    The flag says whether the user named the file (then an unsupported kind is an error)."""
    p = Path(source)
    if p.is_file():
        return [(p, True)]
    if p.is_dir():
        files = sorted(
            f
            for f in p.rglob("*")
            if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts)
        )
        found = []
        for f in files:
            try:
                if detect(f, strict=True) is not None:
                    found.append((f, False))
            except OSError:
                continue
        if not found:
            msg = "has no sitting sources (logs, Garmin or Fitbit exports, monitoring FIT files)"
            if any(f.suffix.lower() == ".zip" for f in files):
                msg += f"; it holds zip archives ({ZIP_HINT})"
            problems.append(Problem(str(p), "warning", msg))
        return found
    problems.append(Problem(str(p), "error", "no such file or folder"))
    return []


def _read_all(
    files: list[tuple[Path, bool]], ctx: ReadContext, problems: list[Problem]
) -> list[SourceRead]:
    """Read each file; a file that cannot be used becomes a problem (an error when the
    user named it, a warning when a folder walk found it)."""
    reads: list[SourceRead] = []
    for path, named in files:
        try:
            reads.append(read_source(path, ctx))
        except RunloadError as exc:
            text = str(exc).removeprefix(f"{path}: ")
            severity = (
                "error"
                if named or not isinstance(exc, UnsupportedSittingSourceError)
                else "warning"
            )
            problems.append(Problem(str(path), severity, text))
    return reads


def _merge(frames: list[tuple[int, pl.DataFrame]], problems: list[Problem]) -> pl.DataFrame:
    if not frames:
        return pl.DataFrame(schema=sitting_schema())
    tagged = pl.concat(
        [f.with_columns(rank=pl.lit(rank), order=pl.lit(i)) for i, (rank, f) in enumerate(frames)]
    ).sort("date", "rank", "order")
    # Two sources of the same rank disagreeing on a day: say so (the first named wins).
    clash = (
        tagged.group_by("date", "rank")
        .agg(
            pl.col("sitting_hours").round(2).n_unique().alias("n"),
            pl.col("source").unique(maintain_order=True),
            pl.col("sitting_hours").first().alias("kept"),
        )
        .filter(pl.col("n") > 1)
        .sort("date")
    )
    for row in clash.iter_rows(named=True):
        others = ", ".join(row["source"][1:])
        msg = f"{row['date']}: also in {others} with other hours; kept {row['kept']:.2f} h"
        problems.append(Problem(row["source"][0], "warning", msg))
    return tagged.unique("date", keep="first", maintain_order=True).select(list(sitting_schema()))


def read_sitting(
    sources: Iterable[str | Path],
    *,
    waking: tuple[str | dt.time, str | dt.time] = ("07:00", "23:00"),
    today: dt.date | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> SittingResult:
    """Read sitting sources (files or folders) into one table, one row per date.

    Every problem (bad row, unsupported file, dropped non-wear day) is in
    ``.problems``; the rest is still read. ``today`` bounds Fitbit exports (later
    dates are dropped); ``waking`` is the local window monitoring files count in;
    ``date_from``/``date_to`` (inclusive) keep only the days between them.
    """
    problems: list[Problem] = []
    ctx = ReadContext(today=today or dt.date.today(), waking=parse_waking(waking))
    files = [f for s in sources for f in _expand(s, problems)]
    reads = _read_all(files, ctx, problems)
    frames: list[tuple[int, pl.DataFrame]] = []
    states = [r.states for r in reads if r.states is not None and not r.states.is_empty()]
    for r in reads:
        problems.extend(r.problems)
        if r.kind != "garmin_monitoring" and not r.days.is_empty():
            frames.append((PRECEDENCE[r.kind], r.days))
    if states:
        merged = pl.concat(states).cast(STATE_SCHEMA)  # type: ignore[arg-type]
        mon_days, mon_problems = monitoring_days(merged, ctx.waking)
        problems.extend(mon_problems)
        if not mon_days.is_empty():
            frames.append((PRECEDENCE["garmin_monitoring"], mon_days))
    frames.sort(key=lambda x: x[0])
    days = _merge(frames, problems)
    if date_from is not None:
        days = days.filter(pl.col("date") >= date_from)
    if date_to is not None:
        days = days.filter(pl.col("date") <= date_to)
    resting = [r.resting_hr for r in reads if r.resting_hr is not None]
    resting_hr = (
        pl.concat(resting).sort("date").unique("date", keep="last", maintain_order=True)
        if resting
        else pl.DataFrame(schema=RESTING_SCHEMA)
    )
    facts = []
    if not resting_hr.is_empty():
        last = resting_hr.row(-1, named=True)
        facts.append(AthleteFact("hr_rest", last["resting_hr"], last["source"]))
    return SittingResult(days=days, problems=problems, resting_hr=resting_hr, facts=facts)
