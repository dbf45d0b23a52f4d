"""Season ingest: many FIT, GPX, TCX and Fitbit exercise log inputs → one activities table
(``schema.activity_schema()``).

Steps: find the sources (``inputs``), hash each one's bytes (identical copies are
kept once), take what the cache has (``cache``), parse the rest in worker processes
(``runload.readers.read_activity``, the reader of each file's kind; a worker that dies
costs only its own file), or on a Dask cluster (``runload.distributed``), and store
those results in the cache (keyed by the decoder that read each file), give files
without a sport the one Strava's ``activities.csv`` names (``runload.track.strava``),
then put local time on every session (an exercise log's wall times placed in the
athlete's zone: ``exercise_log``), drop second exports of the same session (a FIT copy is
kept over a GPX/TCX one, and either over an exercise log entry) and report which copies
were merged. Bad input never stops the batch: it becomes ``Problem`` entries. Nothing here
prints.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
import types
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import polars as pl

from runload.cache import (
    CacheError,
    DigestIndex,
    Entry,
    ParseCache,
    content_hash,
)
from runload.errors import InputError, Problem
from runload.exercise_log import (
    LOG_COLUMN,
    MERGED_REASON,
    merge_log_copies,
    place_wall_times,
    treadmill_notes,
)
from runload.fit import FitResult, SessionData
from runload.fit.decoder import Verdict, adopt, verdict
from runload.hrsummary import VALID_HR, hr_summary
from runload.inputs import Source, SourceReadError, close_archives, find_inputs
from runload.load import shown_hr
from runload.readers import Unread, cache_key, read_activity, reader_failed, season_key
from runload.schema import (
    ACTIVITY_COLUMNS,
    HR_SAMPLE_COLUMNS,
    HR_SUMMARY_COLUMNS,
    AthleteFact,
    activity_schema,
    hr_profile_type,
)
from runload.track import decoders_for

if TYPE_CHECKING:
    from runload.options import Options

Progress = Callable[[int, int], None]  # (files done, files in total)


def _file_schema() -> dict[str, pl.DataType]:
    """The per-file frame stored in the cache: the activity columns less those that need
    the file's name or its local time, plus the offset the file itself carries."""
    per_season = ("file", "is_run", "start_local", "date", "utc_offset_min")
    kept = {k: v for k, v in activity_schema().items() if k not in per_season}
    head = {k: kept[k] for k in ("session", "sport", "sub_sport", "start_utc")}
    # file_offset_min: from the file's activity message; null when not usable
    return {**head, "file_offset_min": pl.Int32(), **kept}


FILE_SCHEMA = _file_schema()


@dataclass(frozen=True)
class Duplicate:
    """A copy that was dropped, and the row it duplicates."""

    file: str
    session: int | None  # None: the whole file (identical bytes)
    kept_file: str
    kept_session: int | None
    reason: str  # "identical bytes" | "same start and sport" | exercise_log.MERGED_REASON

    @staticmethod
    def _name(file: str, session: int | None) -> str:
        return file if session is None else f"{file} (session {session})"

    @property
    def message(self) -> str:
        """What happened to the dropped copy, without its own name."""
        kept = self._name(self.kept_file, self.kept_session)
        return f"same activity as {kept} ({self.reason}); merged"

    def __str__(self) -> str:
        return f"{self._name(self.file, self.session)}: {self.message}"


MONITORING_WHY = "a monitoring file: sitting data (read by sitting show and report), no activity"


@dataclass(frozen=True)
class NoActivity:
    """A file that was read (or tried) and gave no activity, and why: ``kind`` is the
    reader's (``fit``, ``gpx``, ``tcx``), ``file_type`` the FIT ``file_id.type`` when known
    (``monitoring_b``, ``settings``...), ``code`` the problem that says why (None for a
    monitoring file, which is no problem), ``why`` that problem's message."""

    file: str
    kind: str
    file_type: str | None
    code: str | None
    why: str


@dataclass
class IngestResult:
    activities: pl.DataFrame
    problems: list[Problem] = field(default_factory=list)
    facts: list[AthleteFact] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    files_seen: int = 0
    from_cache: int = 0
    parsed: int = 0
    notes: list[str] = field(default_factory=list)  # about the run, not a file: say once
    monitoring: list[str] = field(default_factory=list)  # monitoring FIT files (sitting)
    kinds: dict[str, str] = field(default_factory=dict)  # file found → fit, gpx, tcx, fitbit
    # every file that gave no activity (not a copy merged whole), in input order: with
    # ``activities`` and ``duplicates`` it accounts for every file of ``kinds``
    no_activity: list[NoActivity] = field(default_factory=list)
    # the plain files (absolute paths) read as FIT files of a type that holds no sitting:
    # a search for sitting in the same paths need not open them again
    not_sitting: frozenset[str] = frozenset()

    @property
    def runs(self) -> int:
        return int(self.activities.get_column("is_run").sum()) if self.activities.height else 0


# ------------------------------------------------------------------- parsing one file


def _scaled(values: Iterable[float | None], factor: float) -> list[float | None]:
    return [None if v is None else v / factor for v in values]


def entry_from_result(result: FitResult) -> Entry:
    """One parsed file as a cache entry: its sessions as a frame (``FILE_SCHEMA``)."""
    s = result.sessions
    offset = None if result.utc_offset_s is None else result.utc_offset_s // 60
    # what the loads need of the samples (a worker summarised them: ``readers``)
    summaries = [x.summary or hr_summary(x.hr_t, x.hr_bpm) for x in s]
    frame = pl.DataFrame(
        {
            "session": [x.index for x in s],
            "sport": [x.sport for x in s],
            "sub_sport": [x.sub_sport for x in s],
            "start_utc": [None if x.start_unix is None else x.start_unix * 1_000_000 for x in s],
            "file_offset_min": [offset] * len(s),
            "moving_minutes": _scaled((x.moving_s for x in s), 60),
            "elapsed_minutes": _scaled((x.elapsed_s for x in s), 60),
            "distance_km": _scaled((x.distance_m for x in s), 1000),
            "avg_hr": [x.avg_hr for x in s],
            "max_hr": [x.max_hr for x in s],
            "ascent_m": [x.ascent_m for x in s],
            "has_gps": [x.has_gps for x in s],
            "device": [result.device] * len(s),
            "hr_t": [x.hr_t for x in s],
            "hr_bpm": [x.hr_bpm for x in s],
            "hr_peak": [peak for peak, _ in summaries],
            "hr_profile": [profile for _, profile in summaries],
        },
        schema_overrides={
            "start_utc": pl.Int64(),
            "hr_t": pl.List(pl.Float64()),
            "hr_bpm": pl.List(pl.Float64()),
            "hr_peak": pl.Float64(),
            "hr_profile": hr_profile_type(),
        },
    ).with_columns(pl.col("start_utc").cast(pl.Datetime("us", "UTC")))
    frame = frame.select(pl.col(c).cast(t) for c, t in FILE_SCHEMA.items())
    own = frame.select("avg_hr", "max_hr")
    frame = frame.with_columns(shown_hr("avg_hr"), shown_hr("max_hr"))
    problems = [
        {"severity": p.severity, "message": p.message, "line": p.line, "offset": p.offset,
         "code": p.code}
        for p in result.problems
    ]  # fmt: skip
    shown = frame.select("avg_hr", "max_hr").rows()
    for session, mine, theirs in zip(s, own.rows(), shown, strict=True):
        for code, message in _filled_messages(session, mine, theirs):
            problems.append({"severity": "warning", "message": message, "line": None,
                             "offset": None, "code": code})  # fmt: skip
    return Entry(frame, problems, list(result.facts), result.kind)


def _filled_messages(
    session: SessionData,
    own: tuple[float | None, float | None],
    shown: tuple[float | None, float | None],
) -> list[tuple[str, str]]:
    """What of a session's row is not its session message's own: values filled in from
    its records, and heart rates that are dropouts (``load.valid_hr``: those the loads
    ignore), said so that no number is shown without its source, with how many samples
    the dropout rule left out; a session whose heart rate is 0 throughout had no sensor.
    (code, message) pairs."""
    names = ("average heart rate", "max heart rate")
    lo, hi = VALID_HR
    samples = len(session.hr_bpm) + session.hr_zeros
    kept = sum(lo <= v <= hi for v in session.hr_bpm)
    counted = (
        f"from {kept:,} of its {samples:,} samples ({samples - kept:,} dropouts outside"
        f" {lo:g}-{hi:g} bpm left out)"
        if kept < samples
        else f"from all {samples:,} of its samples"
    )
    if not session.hr_bpm and 0 in own and all(v in (0, None) for v in own):
        zeros = f", and so are its {samples:,} samples" if samples else ", with no samples"
        said = f"session {session.index}: no heart rate sensor (its heart rate is 0{zeros})"
        return [("activity.no_hr_sensor", f"{said}: no heart rate shown")]
    out = []
    hr_filled = [n for n, a, b in zip(names, own, shown, strict=True) if a is None and b]
    if session.from_records:  # (a session built from records says so once)
        if hr_filled and kept < samples:
            out.append(("activity.filled", f"session {session.index}: heart rate {counted}"))
    elif filled := [*session.filled, *hr_filled]:
        also = f"; heart rate {counted}" if hr_filled else ""
        message = (
            f"session {session.index}: {_and(filled)} filled in from its records (the session"
            f" message has none){also}"
        )
        out.append(("activity.filled", message))
    dropouts = [(n, a, b) for n, a, b in zip(names, own, shown, strict=True)
                if a is not None and a != b]  # fmt: skip
    if dropouts:
        said = _and([f"{n} {a:g}" for n, a, _ in dropouts])
        valid = [f"{n} {b:.0f}" for n, _, b in dropouts if b is not None]
        instead = f"shown as {_and(valid)}, {counted}" if valid else "not shown"
        verb = "is a dropout" if len(dropouts) == 1 else "are dropouts"
        why = f"{said} {verb} (outside {lo:g}-{hi:g} bpm): {instead}"
        out.append(("activity.hr_dropout", f"session {session.index}: {why}"))
    return out


def _and(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + f" and {parts[-1]}"


# ----------------------------------------------------------------------- local time


def _check_timezone(name: str) -> None:
    from runload.units import parse_zone

    try:
        parse_zone(name)
    except ValueError as exc:
        raise InputError(f"timezone {exc}") from None


def _machine_offsets(starts: Sequence[dt.datetime | None]) -> list[int | None]:
    """UTC offset in minutes of the machine's zone at each instant (DST-aware)."""
    out: list[int | None] = []
    for start in starts:
        off = start.astimezone().utcoffset() if start is not None else None
        out.append(None if off is None else int(off.total_seconds() // 60))
    return out


def with_local_time(frame: pl.DataFrame, timezone: str | None) -> pl.DataFrame:
    """Add ``utc_offset_min``, ``start_local``, ``date`` and ``is_run``.

    The offset is the file's own (activity.local_timestamp − timestamp, checked
    by the reader), else the ``timezone``'s offset at the start, else the machine's.
    """
    start = pl.col("start_utc")
    if timezone:
        _check_timezone(timezone)
        fallback = (
            (
                start.dt.convert_time_zone(timezone).dt.replace_time_zone(None)
                - start.dt.replace_time_zone(None)
            )
            .dt.total_minutes()
            .cast(pl.Int32)
        )
    else:  # only where the file has no offset of its own
        starts = (
            frame.select(pl.when(pl.col("file_offset_min").is_null()).then(start))
            .to_series()
            .to_list()
        )
        frame = frame.with_columns(pl.Series("_machine", _machine_offsets(starts), dtype=pl.Int32))
        fallback = pl.col("_machine")
    offset = pl.coalesce(pl.col("file_offset_min"), fallback).cast(pl.Int32)
    return (
        frame.with_columns(offset.alias("utc_offset_min"))
        .with_columns(
            (
                start.dt.replace_time_zone(None)
                + pl.duration(minutes=pl.col("utc_offset_min").fill_null(0))
            ).alias("start_local")
        )
        .with_columns(
            pl.col("start_local").dt.date().alias("date"),
            (pl.col("sport") == "running").fill_null(False).alias("is_run"),
        )
        .drop("_machine", strict=False)
    )


# ----------------------------------------------------------------------- duplicates

# Which copy of one session is kept: lower first (FIT, then GPX/TCX, then a log entry).
COPY_RANK = {"fit": 0, "gpx": 1, "tcx": 1, "fitbit": 2}


def _drop_same_start(frame: pl.DataFrame) -> tuple[pl.DataFrame, list[Duplicate]]:
    """Keep one row of each (UTC start to the second, sport): the first FIT row, else the
    first GPX/TCX row, else the first row (a GPX/TCX export of a FIT recording has less in
    it, an exercise log entry less still); report the rest. ``_rank`` (optional, dropped):
    ``COPY_RANK`` of the reader of each row."""
    keys = ["start_utc", "sport"]
    rows = frame.with_row_index("_row")
    if "_rank" not in rows.columns:
        rows = rows.with_columns(pl.lit(0).alias("_rank"))
    first = (
        rows.filter(pl.col("start_utc").is_not_null() & pl.col("sport").is_not_null())
        .group_by(keys)
        .agg(pl.col("_row").sort_by(pl.col("_rank").fill_null(0), "_row").first().alias("_keep"))
    )
    rows = rows.join(first, on=keys, how="left")
    dup_rows = rows.filter(pl.col("_keep").is_not_null() & (pl.col("_row") != pl.col("_keep")))
    if dup_rows.height == 0:
        return frame.drop("_rank", strict=False), []
    kept = rows.select(
        pl.col("_row").alias("_keep"),
        pl.col("file").alias("kept_file"),
        pl.col("session").alias("kept_session"),
    )
    report = dup_rows.join(kept, on="_keep", how="left").sort("_row")
    duplicates = [
        Duplicate(
            r["file"], r["session"], r["kept_file"], r["kept_session"], "same start and sport"
        )
        for r in report.select("file", "session", "kept_file", "kept_session").iter_rows(named=True)
    ]
    keep = rows.filter(pl.col("_keep").is_null() | (pl.col("_row") == pl.col("_keep")))
    return keep.sort("_row").drop("_row", "_keep", "_rank"), duplicates


# --------------------------------------------------------------------------- ingest


def empty_activities() -> pl.DataFrame:
    return pl.DataFrame(schema=activity_schema())


@dataclass
class _Item:
    source: Source
    digest: str | None = None
    size: int = 0  # bytes (as read, else as the file on disk), for the pool's worth
    entry: Entry | None = None
    problems: list[Problem] = field(default_factory=list)


Done = Callable[[_Item, FitResult | None, str | None], None]
WORKER_DIED = "the parser's worker process died on this file (out of memory?)"
# A worker process is worth starting for this many bytes to parse: starting a pool costs
# about 0.15 s (a Python and the readers' imports per worker), what parsing 0.5 MB in
# this process does; measured on this project's 2-core machine, a pool of 2 broke even at
# 1 MB of small files and between 1.4 and 2.8 MB of one-hour files
# (``benchmarks/ingest.py --crossover``; README, Speed).
POOL_BYTES_PER_WORKER = 1024 * 1024


@contextlib.contextmanager
def _main_hidden() -> Iterator[None]:
    """Hide the caller's ``__main__`` while a worker process starts. A spawned worker
    re-runs the main script unless told otherwise, and a script without an
    ``if __name__ == "__main__":`` guard would then call ingest again in every worker
    (which fails). The workers run only ``runload.readers.read_activity``: they need
    nothing from ``__main__``."""
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main


def _pool(workers: int, chosen: Verdict | None = None) -> Any:
    """A pool of ``workers`` processes that take ``chosen``, this process's FIT decoder
    verdict (``decoder.adopt``), instead of deciding their own."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn: fork is unsafe once polars' thread pool runs; workers import only runload.fit
    context = multiprocessing.get_context("spawn")
    if chosen is None:
        return ProcessPoolExecutor(workers, mp_context=context)
    return ProcessPoolExecutor(workers, context, initializer=adopt, initargs=(chosen,))


def _processes_work() -> bool:
    """False where worker processes cannot exist (no working ``sem_open``: some
    containers and serverless sandboxes); ingest then parses in this process."""
    try:
        _pool(1).shutdown(wait=False)  # creates the locks and queues, starts no process
    except (ImportError, NotImplementedError, OSError):
        return False
    return True


def _outcome(future: Any) -> tuple[FitResult | None, Unread | None]:
    """A finished future's (result, why); ``BrokenProcessPool`` is left to the caller."""
    from concurrent.futures.process import BrokenProcessPool

    try:
        return future.result()
    except BrokenProcessPool:
        raise
    except Exception as exc:  # an error the worker could not turn into a Problem
        return None, reader_failed(exc)


def _pool_round(queue: deque[_Item], jobs: int, done: Done, chosen: Verdict | None) -> list[_Item]:
    """Parse files from ``queue`` in a pool, with at most two per worker in flight. When a
    worker dies (killed for memory, a crash in C code), the pool is lost: return the
    files that were in flight (one of them did it); the rest stay queued."""
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool

    in_flight: dict[Any, _Item] = {}
    suspects: list[_Item] = []
    with _pool(min(jobs, len(queue)), chosen) as pool:
        while (queue or in_flight) and not suspects:
            while queue and len(in_flight) < 2 * jobs:
                item = queue.popleft()
                with _main_hidden():
                    in_flight[pool.submit(read_activity, item.source)] = item
            finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in finished:
                item = in_flight.pop(future)
                try:
                    done(item, *_outcome(future))
                except BrokenProcessPool:
                    suspects.append(item)
        suspects += in_flight.values()
    return suspects


def _parse_alone(item: _Item, done: Done, chosen: Verdict | None) -> None:
    """Parse one file in a worker of its own, so that a crash names this file only."""
    from concurrent.futures.process import BrokenProcessPool

    with _pool(1, chosen) as pool:
        with _main_hidden():
            future = pool.submit(read_activity, item.source)
        try:
            outcome = _outcome(future)
        except BrokenProcessPool:
            outcome = None, Unread("read.worker_died", WORKER_DIED)
    done(item, *outcome)


def _parse_all(
    todo: list[_Item],
    jobs: int,
    cache: ParseCache | None,
    tick: Callable[[], None],
    notes: dict[str, None],
    dask: str | None = None,
) -> list[str]:
    """Parse the items without an entry (in worker processes when there are several, on
    the Dask ``dask`` scheduler when given: ``runload.distributed``), and store each
    result in the cache under the decoder that read it. A worker that dies costs only its
    own file a problem entry. The decoders' notes are added to ``notes``. Returns cache
    problems (text)."""
    failed: list[str] = []

    def accept(
        item: _Item,
        entry: Entry | None,
        decoder: str | None,
        text: str | Unread | None,
        stored: bool = False,
    ) -> None:
        """One file's outcome: its entry (stored in the cache under ``decoder``, unless a
        Dask worker ``stored`` it already) and the decoder's note in ``text``; or no entry,
        and why in ``text``."""
        if entry is None or decoder is None:
            code = text.code if isinstance(text, Unread) else "read.failed"
            why = f"cannot read: {text}"
            item.problems.append(Problem(item.source.name, "error", why, code=code))
        else:
            item.entry = entry
            if text:
                notes[str(text)] = None
            if cache is not None and item.digest is not None and not failed and not stored:
                try:
                    cache.store(cache_key(item.digest, decoder), entry)
                except CacheError as exc:
                    failed.append(str(exc))
        tick()

    def done(item: _Item, result: FitResult | None, why: Unread | None) -> None:
        if result is None:
            accept(item, None, None, why)
        else:
            accept(item, entry_from_result(result), result.decoder, result.note)

    if dask is not None and todo:
        from runload import distributed

        distributed.parse(
            [item.source for item in todo],
            dask,
            jobs,
            lambda i, *outcome: accept(todo[i], *outcome),
            cache_dir=str(cache.folder) if cache is not None else None,
            digests=[item.digest for item in todo],
        )
        return failed

    jobs = min(jobs, pool_workers(sum(item.size for item in todo), len(todo)))
    if jobs > 1 and not _processes_work():
        jobs = 1
    if jobs <= 1:
        for item in todo:
            done(item, *read_activity(item.source))
        return failed

    # The workers take this process's decoder verdict (no canary check of their own).
    chosen = verdict() if any(item.source.kind == "fit" for item in todo) else None
    queue = deque(todo)
    while queue:
        for item in _pool_round(queue, jobs, done, chosen):
            _parse_alone(item, done, chosen)
    return failed


def pool_workers(size: int, files: int) -> int:
    """How many worker processes ``files`` files of ``size`` bytes in all are worth: one
    per ``POOL_BYTES_PER_WORKER`` (a worker costs a Python start and the imports of the
    readers before it reads a byte); 1 (this process, no pool) below twice that."""
    return max(1, min(files, size // POOL_BYTES_PER_WORKER))


def _digest(item: _Item, index: DigestIndex | None) -> str | None:
    """The content hash of the item's bytes (from the index when the file is unchanged);
    None, with a problem on the item, when the bytes cannot be read."""
    mark = item.source.fingerprint() if index is not None else None
    if index is not None and mark is not None and (known := index.get(*mark)) is not None:
        item.size = mark[1][0]
        return known
    try:
        data = item.source.read()
    except SourceReadError as exc:
        why = f"cannot read: {exc}"
        item.problems.append(Problem(item.source.name, "error", why, code=exc.code))
        return None
    digest = content_hash(data)
    item.size = len(data)
    if index is not None and mark is not None:
        index.put(*mark, digest)
    return digest


def _season_keys(unique: Sequence[_Item]) -> list[str]:
    decoders = {kind: decoders_for(kind) for kind in {item.source.kind for item in unique}}
    return [
        season_key(item.digest, decoders[item.source.kind])
        for item in unique
        if item.digest is not None
    ]


def _save_cache_indexes(
    cache: ParseCache, index: DigestIndex, unique: Sequence[_Item], *, snapshot: bool
) -> list[str]:
    """Save the hash index and, with ``snapshot`` when every input is parsed, the season
    snapshot (so a re-run of the same inputs reads one file). Returns cache problems."""
    try:
        index.save()
        entries = [item.entry for item in unique if item.entry is not None]
        if snapshot and len(entries) == len(unique):
            cache.store_season(_season_keys(unique), entries)
    except CacheError as exc:
        return [str(exc)]
    return []


def usable_cores() -> int:
    """The cores this process may run on (a container or ``taskset`` may allow fewer
    than the machine has)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def ingest(
    options: Options, *, progress: Progress | None = None, hr_samples: bool = True
) -> IngestResult:
    """``runload ingest``: the activities of ``options.paths`` with its cache, workers and
    time zone (see ``read_activities``)."""
    return read_activities(
        options.paths,
        jobs=options.jobs,
        cache_dir=options.cache_dir,
        use_cache=options.use_cache,
        timezone=options.timezone,
        progress=progress,
        hr_samples=hr_samples,
        dask=options.dask,
    )


def read_activities(
    paths: Iterable[str | os.PathLike[str]],
    *,
    jobs: int | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    use_cache: bool = True,
    timezone: str | None = None,
    progress: Progress | None = None,
    hr_samples: bool = True,
    dask: str | None = None,
) -> IngestResult:
    """Read every FIT input under ``paths`` into one activities table.

    ``jobs``: worker processes (default: all cores; 1 parses in this process).
    ``cache_dir``: cache folder (default: ``RUNLOAD_CACHE_DIR`` or the user cache
    folder); ``use_cache=False`` neither reads nor writes it. ``timezone``: IANA
    zone used when a file has no usable local time (else the machine's zone).
    ``progress(done, total)`` is called as files finish. ``hr_samples=False`` leaves
    the HR sample columns null and does not even read them from the cache (for
    callers that only list the activities: a warm run is then faster). ``dask``: parse
    on a Dask cluster instead of local processes, ``"local"`` (a ``LocalCluster`` of
    ``jobs`` workers for this run) or a scheduler's address (``tcp://host:8786``); see
    ``runload.distributed``. Only the parse moves there: finding, hashing, the cache and
    the table stay here, and the result is the same.
    """
    return read_groups(
        [(paths, timezone)],
        jobs=jobs,
        cache_dir=cache_dir,
        use_cache=use_cache,
        progress=progress,
        hr_samples=hr_samples,
        dask=dask,
    )[0]


# One athlete's inputs for ``read_groups``: their paths and their time zone.
Group = tuple[Iterable[str | os.PathLike[str]], str | None]


@dataclass
class _Group:
    """The inputs of one athlete (one ``read_groups`` group) while they are read."""

    items: list[_Item]
    problems: list[Problem]
    timezone: str | None
    duplicates: list[Duplicate] = field(default_factory=list)
    twins: list[tuple[_Item, _Item]] = field(default_factory=list)  # (item, the one parsed)


def _find_groups(groups: Sequence[Group]) -> list[_Group]:
    out = []
    for paths, timezone in groups:
        if timezone:
            _check_timezone(timezone)
        sources, problems = find_inputs(paths)
        out.append(_Group([_Item(s) for s in sources], problems, timezone))
    return out


def read_groups(
    groups: Sequence[Group],
    *,
    jobs: int | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    use_cache: bool = True,
    progress: Progress | None = None,
    hr_samples: bool = True,
    dask: str | None = None,
) -> list[IngestResult]:
    """``read_activities`` for several athletes at once: one ``IngestResult`` per group of
    ``(paths, timezone)``, in order. The files of every group are hashed, looked up in the
    cache and parsed together (one pool or one set of Dask batches for the whole squad, so
    200 athletes of 50 files cost one ingest of 10,000 files, not 200 small ones); the
    same bytes in two athletes' folders are parsed once but stay each athlete's own (a
    copy is merged as a duplicate only within one group)."""
    if dask is not None:
        from runload.distributed import check_installed

        check_installed()
    found = _find_groups(groups)
    cache = ParseCache(cache_dir) if use_cache else None
    total = sum(len(g.items) for g in found)
    state = {"done": 0}

    def tick() -> None:
        state["done"] += 1
        if progress is not None:
            progress(state["done"], total)

    parsed_by_digest: dict[str, _Item] = {}
    unique: list[_Item] = []  # one item per distinct content, in input order
    index = cache.digest_index() if cache is not None else None
    for group in found:
        seen: dict[str, _Item] = {}
        for item in group.items:
            digest = _digest(item, index)
            if digest is None or digest in seen:
                if digest is not None:
                    first = seen[digest].source.name
                    group.duplicates.append(
                        Duplicate(item.source.name, None, first, None, "identical bytes")
                    )
                tick()
                continue
            seen[digest] = item
            item.digest = digest
            if digest in parsed_by_digest:  # another athlete's copy: parsed once
                group.twins.append((item, parsed_by_digest[digest]))
                tick()
                continue
            parsed_by_digest[digest] = item
            unique.append(item)

    season = None
    if cache is not None:
        season_keys = _season_keys(unique)
        season = cache.load_season(season_keys, () if hr_samples else HR_SAMPLE_COLUMNS)
        if season is not None:
            for item, key in zip(unique, season_keys, strict=True):
                item.entry = season[key]
        else:
            # Per-file entries are read whole, so that the season snapshot can be written.
            decoders = {d: None for i in unique for d in decoders_for(i.source.kind)}
            for decoder in decoders:  # the fast decoder's entries first
                wanted = {
                    cache_key(i.digest, decoder): i
                    for i in unique
                    if i.entry is None and i.digest and decoder in decoders_for(i.source.kind)
                }
                for key, entry in cache.load_many(list(wanted)).items():
                    wanted[key].entry = entry
        from_cache = sum(item.entry is not None for item in unique)
        for _ in range(from_cache):
            tick()
    cached = {id(item) for item in unique if item.entry is not None}
    todo = [item for item in unique if item.entry is None]

    workers = jobs if jobs is not None else usable_cores()
    notes: dict[str, None] = {}
    failed = _parse_all(todo, workers, cache, tick, notes, dask)
    if cache is not None and index is not None and not failed:
        failed = _save_cache_indexes(cache, index, unique, snapshot=season is None)
    if failed and cache is not None:
        for group in found:
            group.problems.append(
                Problem(str(cache.folder), "warning", failed[0], code="cache.failed")
            )
    for group in found:
        for item, parsed in group.twins:
            item.entry, item.problems = parsed.entry, [*item.problems, *parsed.problems]
    parsed_now = {id(item) for item in todo}
    results = []
    for group in found:
        result = _assemble(group, hr_samples, list(notes))
        result.parsed = sum(id(i) in parsed_now for i in group.items)
        result.from_cache = sum(id(i) in cached for i in group.items)
        results.append(result)
    close_archives()  # the zip kept open for its next member (``inputs._OpenArchive``)
    return results


def _assemble(group: _Group, hr_samples: bool, run_notes: list[str]) -> IngestResult:
    """One group's activities table from its parsed items: the file names, the sports from
    a Strava export, local time in the group's zone, and same-start copies merged."""
    notes = dict.fromkeys(run_notes)
    problems = list(group.problems)
    duplicates = list(group.duplicates)
    items = group.items
    frames: list[pl.DataFrame] = []
    names: list[str] = []  # the file of each session row, in order
    ranks: list[int] = []  # the ``COPY_RANK`` of each session row's reader
    facts: list[AthleteFact] = []
    monitoring: list[str] = []
    whole = {d.file for d in duplicates if d.session is None}  # identical bytes: merged
    no_activity: list[NoActivity] = []
    for item in items:
        problems += item.problems
        if item.entry is None:
            if item.source.name not in whole:
                no_activity.append(_no_activity(item, item.problems))
            continue
        name = item.source.name
        mine = item.entry.problems_for(name)
        problems += mine
        if not item.entry.sessions.height:
            no_activity.append(_no_activity(item, [*item.problems, *mine]))
        if (item.entry.kind or "").startswith("monitoring"):
            monitoring.append(name)
        facts += [AthleteFact(n, v, name) for n, v in item.entry.facts]
        if rows := item.entry.sessions.height:
            frames.append(item.entry.sessions)  # (without the samples if read without)
            names += [name] * rows
            ranks += [COPY_RANK.get(item.source.kind, 1)] * rows

    if frames:
        frame = (
            pl.concat(frames, how="diagonal")
            .with_columns(
                pl.Series("file", names, dtype=pl.String),
                pl.Series("_rank", ranks, dtype=pl.Int8),
            )
            .with_columns((pl.col("_rank") == COPY_RANK["fitbit"]).alias(LOG_COLUMN))
        )
        frame, note = _sports_from_export(frame, items)
        if note:
            notes[note] = None
        if not hr_samples:
            frame = frame.with_columns(
                pl.lit(None, FILE_SCHEMA[c]).alias(c) for c in HR_SAMPLE_COLUMNS
            )
        frame, placed = place_wall_times(frame, group.timezone)
        problems += placed
        frame = with_local_time(frame, group.timezone)
        notes.update(dict.fromkeys(treadmill_notes(frame)))
        frame, copies, took = merge_log_copies(frame)
        duplicates += [Duplicate(*copy, MERGED_REASON) for copy in copies]
        notes.update(dict.fromkeys(took))
        frame, merged = _drop_same_start(frame)
        duplicates += merged
        columns = (*ACTIVITY_COLUMNS, *HR_SAMPLE_COLUMNS, *HR_SUMMARY_COLUMNS)
        activities = frame.select(pl.col(c).cast(t) for c, t in activity_schema().items())
        activities = activities.select(columns)
    else:
        activities = empty_activities()

    return IngestResult(
        activities=activities,
        problems=problems,
        facts=facts,
        duplicates=duplicates,
        files_seen=len(items),
        notes=list(notes),
        monitoring=monitoring,
        kinds={i.source.name: i.source.kind for i in items},
        no_activity=no_activity,
        not_sitting=frozenset(_not_sitting(items)),
    )


def _not_sitting(items: Iterable[_Item]) -> Iterator[str]:
    """The absolute paths of the plain FIT files whose ``file_id.type`` was read and is not
    a monitoring one (``sitting.detect`` looks for nothing else in a FIT file)."""
    for item in items:
        source, kind = item.source, item.entry.kind if item.entry is not None else None
        if (
            source.kind == "fit"
            and not source.members
            and kind
            and not kind.startswith("monitoring")
        ):
            yield os.path.abspath(source.path)


def _no_activity(item: _Item, problems: Sequence[Problem]) -> NoActivity:
    """Why ``item`` gave no activity: a monitoring file is sitting data; else its first
    error, else its last warning (the reader's verdict comes after the damage it met)."""
    file_type = item.entry.kind if item.entry is not None else None
    source = item.source
    if (file_type or "").startswith("monitoring"):
        return NoActivity(source.name, source.kind, file_type, None, MONITORING_WHY)
    errors = [p for p in problems if p.severity == "error"]
    said = errors[0] if errors else (problems[-1] if problems else None)
    if said is None:
        return NoActivity(source.name, source.kind, file_type, None, "no session in this file")
    return NoActivity(source.name, source.kind, file_type, said.code, said.message)


def _sports_from_export(frame: pl.DataFrame, items: Sequence[_Item]) -> tuple[pl.DataFrame, str]:
    """Fill the sport of sessions that have none from a Strava ``activities.csv`` beside
    their files; and the note saying how many took it (or "")."""
    from runload.track.strava import export_sports

    nameless = set(frame.filter(pl.col("sport").is_null()).get_column("file").to_list())
    if not nameless:
        return frame, ""
    sports = export_sports([i.source for i in items if i.source.name in nameless])
    sports = {name: sport for name, sport in sports.items() if sport is not None}
    if not sports:
        return frame, ""
    filled = pl.col("file").replace_strict(sports, default=None, return_dtype=pl.String)
    frame = frame.with_columns(pl.coalesce(pl.col("sport"), filled).alias("sport"))
    note = (
        f"{len(sports)} file(s) without a sport of their own took it from Strava's"
        " activities.csv (Activity Type)"
    )
    return frame, note


def no_activity_rows(files: Sequence[NoActivity]) -> list[dict[str, Any]]:
    """The files that gave no activity as JSON objects: ``file``, ``kind``, ``file_type``,
    ``code``, ``why``."""
    return [dict(f.__dict__) for f in files]


def duplicates_frame(duplicates: Sequence[Duplicate]) -> pl.DataFrame:
    """The merged copies as a table (for JSON output and reports)."""
    rows: list[dict[str, Any]] = [d.__dict__ for d in duplicates]
    return pl.DataFrame(
        rows,
        schema={
            "file": pl.String(),
            "session": pl.Int32(),
            "kept_file": pl.String(),
            "kept_session": pl.Int32(),
            "reason": pl.String(),
        },
    )
