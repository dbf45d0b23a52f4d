"""Reading every sitting source the user gave into one daily table.

``read_sitting`` walks files, folders and zip archives (``archive``), reads each source
with the reader of its kind (``READERS``, by what ``detect`` found in it;
``read_sitting_file``, ``read_probe``) and merges them
(``merge``): one row per date, the resting heart rates from Garmin summaries and the
facts they give about the athlete. A file that cannot be used becomes a ``Problem``;
the rest is still read.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import zipfile
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from runload import units
from runload.errors import (
    EmptySittingSourceError,
    Problem,
    RunloadError,
    Severity,
    SittingError,
    UnsupportedSittingSourceError,
    WakingWindowError,
    path_text,
)
from runload.inputs import is_junk_name, is_zip_name, unusable, unusable_code
from runload.schema import AthleteFact
from runload.sitting import apple, fitbit, garmin, monitoring
from runload.sitting.archive import archive_probes, is_zip_file
from runload.sitting.detect import (
    Probe,
    detect_kind,
    detect_probe,
    named_like_sitting,
    unsupported_message,
)
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
    files: list[SittingFile] = field(default_factory=list)  # the sources read

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
    "fitbit_resting_hr_json": fitbit.read_resting_json,
    "manual_json": _read_manual_json,
    "fitbit_daily_csv": fitbit.read_daily_csv,
    "manual_csv": _read_manual_csv,
    "apple_stand_hours": apple.read_file,
}


def read_probe(probe: Probe, ctx: ReadContext) -> SourceRead:
    """Read one probed source (a file, or a zip member's bytes) with the reader of its kind;
    ``UnsupportedSittingSourceError`` naming it when it is none runload reads."""
    if probe.text is not None and not probe.text.strip():
        raise EmptySittingSourceError(EMPTY, path=probe.name)
    kind = detect_kind(probe)
    reader = READERS.get(kind or "")
    if reader is None and probe.json_error is not None:
        raise probe.json_error  # JSON runload cannot read: an error, named or found
    if reader is None:
        bad_byte = probe.decode_error.offset if probe.decode_error else None
        raise UnsupportedSittingSourceError(
            unsupported_message(probe), path=probe.name, offset=bad_byte
        )
    read = reader(probe, ctx)
    if probe.decode_warning is not None:  # read as UTF-16 or Windows-1252: say so first
        read.problems.insert(0, probe.decode_warning.problem("warning", path=probe.name))
    return read


def read_sitting_file(path: str | Path, ctx: ReadContext, *, name: str | None = None) -> SourceRead:
    """Read one file of any supported kind (shown as ``name``, default the path);
    ``UnsupportedSittingSourceError`` otherwise (an unreadable file is an ``SittingError``
    naming it)."""
    p = Path(path)
    try:
        probe = Probe(p, name=name)
    except OSError as exc:
        why = f"cannot be read: {exc.strerror}"
        raise SittingError(why, path=name or p, code="input.unreadable") from None
    return read_probe(probe, ctx)


# ---- files, folders and archives -------------------------------------------------------

NO_SOURCES = "has no sitting sources (logs, Garmin or Fitbit exports, monitoring FIT files)"
EMPTY = "is empty: no sitting days in it"


@dataclass(frozen=True)
class _Found:
    """One source to read: a file on disk or a probed zip member, whether the user named
    it (then an unsupported kind is an error), and the source given that holds it."""

    item: Path | Probe
    name: str
    named: bool
    given: str


def _archive(path: Path, given: str, name: str, problems: list[Problem]) -> list[_Found]:
    probes, bad = archive_probes(path, name)
    problems += bad
    return [_Found(p, p.name, False, given) for p in probes]


def _is_apple(path: Path) -> bool:
    """An Apple Health export (read whole by ``apple``, never walked as an archive)."""
    try:
        return apple.is_apple_export(path)
    except (OSError, zipfile.BadZipFile):
        return False


def _looks_like_sitting(path: Path) -> bool:
    """A file a walk reads: a recognised kind, a name only sitting exports use, or JSON
    that cannot be read to tell (nested too deeply, a number too long: read, it is one
    problem naming it)."""
    try:
        probe = Probe(path)
        return (
            detect_probe(probe, strict=True) is not None
            or named_like_sitting(path.name)
            or probe.unreadable_json
        )
    except OSError:
        return False


def _files_under(folder: Path, skip: Collection[str]) -> list[Path]:
    """The files under ``folder``, sorted, but for hidden ones (any part of the path below
    ``folder`` starting with a dot) and those of ``skip`` (absolute paths)."""
    top = os.fspath(folder)
    found = []
    for root, dirs, files in os.walk(top):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        rel_root = os.path.relpath(root, top)
        parts = () if rel_root == os.curdir else tuple(rel_root.split(os.sep))
        # each folder's paths joined with "" once: a file's is then that + its name (a decade
        # of activity files is thousands of names, all of them in ``skip``)
        here, absolute = os.path.join(root, ""), os.path.join(os.path.abspath(root), "")
        for f in files:
            if f.startswith(".") or absolute + f in skip or not os.path.isfile(here + f):
                continue
            found.append(((*parts, f), here + f))
    return [Path(full) for _parts, full in sorted(found)]


def _expand(
    source: str | Path,
    problems: list[Problem],
    *,
    search: bool,
    not_sitting: Collection[str] = frozenset(),
) -> list[_Found]:
    """The sources in ``source``: itself, the members of a zip, or the recognised files and
    zip members under a folder. Names are built on the text given, as ``runload.inputs``
    builds them. ``search``: ``source`` is an activity path, where sitting is looked for
    quietly (nothing said about what is not sitting, or missing); files of ``not_sitting``
    (absolute paths) are passed over unread."""
    p = Path(os.fsdecode(source))
    # the name shown (a file name that is not UTF-8 reads with \x.. escapes); ``p`` keeps
    # the bytes, so the file is still opened
    given = path_text(p) or ""
    if p.is_file():
        if _is_apple(p):  # one source, streamed: not a folder of sources
            return [_Found(p, given, not search, given)]
        if is_zip_file(p):
            before = len(problems)
            found = _archive(p, given, given, problems)
            if not found and not search and len(problems) == before:
                problems.append(Problem(given, "warning", NO_SOURCES, code="sitting.none_found"))
            return found
        if search and (os.path.abspath(p) in not_sitting or not _looks_like_sitting(p)):
            return []  # an activity file
        return [_Found(p, given, not search, given)]
    if p.is_dir():
        found = []
        for f in _files_under(p, not_sitting if search else frozenset()):
            name = path_text(os.path.join(given, os.path.relpath(f, p))) or ""
            if is_junk_name(name):
                continue
            if is_zip_name(f.name) and not _is_apple(f):
                found += _archive(f, given, name, problems)
                continue
            if _looks_like_sitting(f):
                found.append(_Found(f, name, False, given))
        if not found and not search:
            problems.append(Problem(given, "warning", NO_SOURCES, code="sitting.none_found"))
        return found
    if not search:  # an activity path that does not exist: ingest says so
        why = unusable(p) or "no such file or folder"
        problems.append(Problem(given, "error", why, code=unusable_code(why)))
    return []


def _once(found: list[_Found]) -> list[_Found]:
    """Each source once, when it is given twice (a folder and a file or archive in it; the
    config's log inside the activity folder searched for sitting): the first kept, so a
    source named is read as named. A file on disk is known by its real path, a zip member
    by its name."""
    seen: set[str] = set()

    def key(f: _Found) -> str:
        return os.path.realpath(f.item) if isinstance(f.item, Path) else f.name

    kept = []
    for f in found:
        if (k := key(f)) not in seen:
            seen.add(k)
            kept.append(f)
    return kept


def _read_all(
    found: list[_Found], ctx: ReadContext, problems: list[Problem]
) -> list[tuple[_Found, SourceRead]]:
    """Read each source; one that cannot be used becomes a problem (an error when the
    user named it, a warning when a folder or archive walk found it)."""
    reads: list[tuple[_Found, SourceRead]] = []
    for f in found:
        try:
            if isinstance(f.item, Probe):
                read = read_probe(f.item, ctx)
            else:
                read = read_sitting_file(f.item, ctx, name=f.name)
            reads.append((f, read))
        except RunloadError as exc:
            # nothing in it is a warning, named or not (as a zip without sitting is);
            # what is not sitting is one when a walk found it, an error when named
            quiet = isinstance(exc, EmptySittingSourceError) or (
                not f.named and isinstance(exc, UnsupportedSittingSourceError)
            )
            severity: Severity = "warning" if quiet else "error"
            problems.append(exc.problem(severity, path=f.name))
    return reads


@dataclass(frozen=True)
class SittingFile:
    """A source that was read: its display name, its kind (``READERS``) and the source
    given that holds it (a file, folder or archive)."""

    name: str
    kind: str
    given: str


# How each kind reads in a sentence ("sitting from export.zip (Garmin daily summaries...").
KIND_LABELS: dict[str, str] = {
    "garmin_summary": "Garmin daily summaries",
    "garmin_monitoring": "Garmin monitoring files",
    "fitbit_sedentary_json": "Fitbit sedentary minutes",
    "fitbit_resting_hr_json": "Fitbit resting heart rate",
    "fitbit_daily_csv": "Fitbit daily activity",
    "manual_csv": "sitting log",
    "manual_json": "sitting log",
    "apple_stand_hours": "Apple Watch stand hours",
}

# Kinds read for what else they hold (resting heart rates), not for sitting.
NO_SITTING_KINDS = frozenset({"fitbit_resting_hr_json"})


def read_sitting(
    sources: Iterable[str | Path],
    *,
    waking: tuple[str | dt.time, str | dt.time] = (dt.time(7), dt.time(23)),
    today: dt.date | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    search: bool = False,
    search_in: Iterable[str | Path] = (),
    not_sitting: Collection[str] = frozenset(),
) -> SittingResult:
    """Read sitting sources (files, folders or zip archives, also zips in zips) into one
    table, one row per date.

    Every problem (bad row, unsupported file, dropped non-wear day) is in
    ``.problems``; the rest is still read. ``today`` bounds Fitbit exports (later
    dates are dropped); ``waking`` is the local window monitoring files count in
    (``datetime.time`` values, or text written HH:MM such as ``"07:00"``);
    ``date_from``/``date_to`` (inclusive) keep only the days between them.
    ``search=True``: the sources are activity paths, read for the sitting sources they
    hold; what is not one (an activity file, a path that does not exist) is not a
    problem here. ``search_in``: activity paths searched so, besides ``sources`` (the
    config's log and the sitting in an export: merged, the log winning its days);
    ``not_sitting``: files of those paths (absolute paths) already known to hold no
    sitting (the FIT files ingest has read as activities): not opened again.
    ``.files`` lists what was read.
    """
    problems: list[Problem] = []
    ctx = ReadContext(today=today or dt.date.today(), waking=parse_waking(waking))
    found = [f for s in sources for f in _expand(s, problems, search=search)]
    found += [
        f for s in search_in for f in _expand(s, problems, search=True, not_sitting=not_sitting)
    ]
    found = _once(found)
    pairs = _read_all(found, ctx, problems)
    reads = [read for _f, read in pairs]
    days = days_between(merge_days(reads, ctx.waking, problems), date_from, date_to)
    resting_hr, facts = merge_resting_hr(reads)
    files = [SittingFile(f.name, read.kind, f.given) for f, read in pairs]
    return SittingResult(
        days=days, problems=problems, resting_hr=resting_hr, facts=facts, files=files
    )


def days_between(
    days: pl.DataFrame, date_from: dt.date | None, date_to: dt.date | None
) -> pl.DataFrame:
    """The rows of ``days`` from ``date_from`` to ``date_to`` (inclusive; None: open)."""
    if date_from is not None:
        days = days.filter(pl.col("date") >= date_from)
    if date_to is not None:
        days = days.filter(pl.col("date") <= date_to)
    return days


def days_by_given(result: SittingResult) -> dict[str, int]:
    """How many of the merged days each source given (a file, folder or archive) gave: a
    day two sources have counts for the one that won it (``merge.PRECEDENCE``). A day's
    ``source`` names its file, a member of it (an Apple ``export.zip``'s ``export.xml``) or
    the first of several monitoring files (``first (+N more)``)."""
    givens = {f.name: f.given for f in result.files}
    counts = dict.fromkeys(givens.values(), 0)
    names = sorted(givens, key=len, reverse=True)
    for source in result.days.get_column("source").to_list():
        source = re.sub(r" \(\+\d+ more\)$", "", source or "")
        name = next((n for n in names if source == n or source.startswith(n + ":")), None)
        if name is not None:
            counts[givens[name]] += 1
    return counts


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def sitting_note(result: SittingResult) -> str | None:
    """Which sitting a run used, in one sentence, when some was found in the activity paths:
    ``sitting from export.zip (Garmin daily summaries, 2 files; 14 days)``; with more than
    one source, the days each gave and the total: ``sitting from sitting.csv (sitting log,
    1 file; 20 days) and export.zip (Garmin daily summaries, 1 file; 86 days); 106 days in
    all, the log winning the days it has``. None when nothing was read. Files that give no
    sitting (Fitbit resting heart rates) are left out: the athlete's values say where their
    resting heart rate came from."""
    files = [f for f in result.files if f.kind not in NO_SITTING_KINDS]
    if not files:
        return None
    per_given: dict[str, dict[str, int]] = {}
    for f in files:
        label = KIND_LABELS.get(f.kind, f.kind)
        kinds = per_given.setdefault(f.given, {})
        kinds[label] = kinds.get(label, 0) + 1
    what = {
        given: ", ".join(f"{label}, {_plural(n, 'file')}" for label, n in kinds.items())
        for given, kinds in per_given.items()
    }
    total = _plural(result.days.height, "day")
    if len(what) == 1:
        given, said = next(iter(what.items()))
        return f"sitting from {given} ({said}; {total})"
    days = days_by_given(result)
    parts = [f"{given} ({kinds}; {_plural(days[given], 'day')})" for given, kinds in what.items()]
    listed = ", ".join(parts[:-1]) + f" and {parts[-1]}"
    logs = any(f.kind in ("manual_csv", "manual_json") for f in result.files)
    return f"sitting from {listed}; {total} in all" + (
        ", the log winning the days it has" if logs else ""
    )
