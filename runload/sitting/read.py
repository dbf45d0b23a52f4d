"""Reading every sitting source the user gave into one daily table.

``read_sitting`` walks files and folders, reads each file with the reader of its kind
(``READERS``, by what ``detect`` found in it; ``read_sitting_file``) and merges them
(``merge``): one row per date, the resting heart rates from Garmin summaries and the
facts they give about the athlete. A file that cannot be used becomes a ``Problem``;
the rest is still read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from runload import units
from runload.errors import (
    Problem,
    RunloadError,
    SittingError,
    UnsupportedSittingSourceError,
    WakingWindowError,
)
from runload.schema import AthleteFact
from runload.sitting import apple, fitbit, garmin, monitoring
from runload.sitting.detect import ZIP_HINT, Probe, detect, detect_kind, unsupported_message
from runload.sitting.log import read_csv_text, read_json_text
from runload.sitting.merge import merge_days, merge_resting_hr
from runload.sitting.source import RESTING_SCHEMA, ReadContext, SourceRead


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


def parse_clock(value: str | dt.time) -> dt.time:
    """A clock time of the waking window: a ``datetime.time`` as it is, text written HH:MM
    (``"07:00"``, ``units.parse_clock``); ``WakingWindowError`` (a ``ValueError``) with a
    plain message otherwise."""
    if isinstance(value, dt.time):
        return value
    try:
        return units.parse_clock(value)
    except ValueError:
        raise WakingWindowError(
            f'"{value}" is not a time of day (write it like 07:00; config sitting.waking_start '
            "and waking_end)"
        ) from None


def parse_waking(waking: tuple[str | dt.time, str | dt.time]) -> tuple[dt.time, dt.time]:
    """The waking window (``datetime.time`` or HH:MM text), start before end;
    ``WakingWindowError`` otherwise."""
    start, end = parse_clock(waking[0]), parse_clock(waking[1])
    if end <= start:
        raise WakingWindowError(
            f"the waking window {start:%H:%M}–{end:%H:%M} must end after it starts "
            "(config sitting.waking_start and waking_end)"
        )
    return start, end


# ---- one file --------------------------------------------------------------------------


def _read_manual_csv(probe: Probe, ctx: ReadContext) -> SourceRead:
    log = read_csv_text(probe.text or "", probe.name)
    return SourceRead("manual_csv", log.days, log.problems)


def _read_manual_json(probe: Probe, ctx: ReadContext) -> SourceRead:
    log = read_json_text(probe.text or "", probe.name)
    return SourceRead("manual_json", log.days, log.problems)


# Kind (as ``detect`` names it) → its reader.
READERS: dict[str, Callable[[Probe, ReadContext], SourceRead]] = {
    "garmin_monitoring": monitoring.read_file,
    "garmin_summary": garmin.read_summary,
    "fitbit_sedentary_json": fitbit.read_sedentary_json,
    "manual_json": _read_manual_json,
    "fitbit_daily_csv": fitbit.read_daily_csv,
    "manual_csv": _read_manual_csv,
    "apple_stand_hours": apple.read_file,
}


def read_sitting_file(path: str | Path, ctx: ReadContext) -> SourceRead:
    """Read one file of any supported kind; ``UnsupportedSittingSourceError`` otherwise
    (an unreadable file is an ``SittingError`` naming it)."""
    p = Path(path)
    try:
        probe = Probe(p)
    except OSError as exc:
        raise SittingError(f"cannot be read: {exc.strerror}", path=p) from None
    kind = detect_kind(probe)
    reader = READERS.get(kind or "")
    if reader is None:
        bad_byte = probe.decode_error.offset if probe.decode_error else None
        raise UnsupportedSittingSourceError(unsupported_message(probe), path=p, offset=bad_byte)
    return reader(probe, ctx)


# ---- files and folders -----------------------------------------------------------------


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
            reads.append(read_sitting_file(path, ctx))
        except RunloadError as exc:
            severity = (
                "error"
                if named or not isinstance(exc, UnsupportedSittingSourceError)
                else "warning"
            )
            problems.append(exc.problem(severity, path=str(path)))
    return reads


def read_sitting(
    sources: Iterable[str | Path],
    *,
    waking: tuple[str | dt.time, str | dt.time] = (dt.time(7), dt.time(23)),
    today: dt.date | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> SittingResult:
    """Read sitting sources (files or folders) into one table, one row per date.

    Every problem (bad row, unsupported file, dropped non-wear day) is in
    ``.problems``; the rest is still read. ``today`` bounds Fitbit exports (later
    dates are dropped); ``waking`` is the local window monitoring files count in
    (``datetime.time`` values, or text written HH:MM such as ``"07:00"``);
    ``date_from``/``date_to`` (inclusive) keep only the days between them.
    """
    problems: list[Problem] = []
    ctx = ReadContext(today=today or dt.date.today(), waking=parse_waking(waking))
    files = [f for s in sources for f in _expand(s, problems)]
    reads = _read_all(files, ctx, problems)
    days = merge_days(reads, ctx.waking, problems)
    if date_from is not None:
        days = days.filter(pl.col("date") >= date_from)
    if date_to is not None:
        days = days.filter(pl.col("date") <= date_to)
    resting_hr, facts = merge_resting_hr(reads)
    return SittingResult(days=days, problems=problems, resting_hr=resting_hr, facts=facts)
