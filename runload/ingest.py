"""Season ingest: many FIT, GPX, TCX and Fitbit exercise log inputs → one activities table
(``schema.activity_schema()``).

Steps: find the sources (``inputs``), hash each one's bytes (identical copies are
kept once), take what the cache has (``cache``), parse the rest in worker processes
(``runload.workers``: ``runload.readers.read_activity``, the reader of each file's kind; a
worker that dies costs only its own file), or on a Dask cluster (``runload.distributed``),
and store those results in the cache (``runload.entries``; keyed by the decoder that read
each file), give files
without a sport the one Strava's ``activities.csv`` names (``runload.track.strava``),
then put local time on every session (an exercise log's wall times placed in the
athlete's zone: ``exercise_log``), drop second exports of the same session
(``runload.copies``: a FIT copy is kept over a GPX/TCX one, and either over an exercise log
entry) and report which copies were merged. Bad input never stops the batch: it becomes
``Problem`` entries. Nothing here prints.
"""

from __future__ import annotations

import datetime as dt
import os
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
    joined,
)
from runload.copies import COPY_RANK, Duplicate, drop_same_start
from runload.entries import FILE_SCHEMA, entries_from_results
from runload.errors import InputError, Problem
from runload.exercise_log import (
    LOG_COLUMN,
    MERGED_REASON,
    merge_log_copies,
    place_wall_times,
    treadmill_notes,
)
from runload.fit.result import FitResult
from runload.inputs import SourceReadError, close_archives, find_inputs
from runload.readers import Unread, cache_key, season_key
from runload.schema import (
    ACTIVITY_COLUMNS,
    HR_SAMPLE_COLUMNS,
    HR_SUMMARY_COLUMNS,
    AthleteFact,
    activity_schema,
)
from runload.track import decoders_for
from runload.workers import Item, parse_here, usable_cores

if TYPE_CHECKING:
    from runload.options import Options

Progress = Callable[[int, int], None]  # (files done, files in total)


# Results whose entries are made as one frame (``entries.entries_from_results``): a frame
# per small file cost as much as decoding it; more at once would hold more samples as
# Python lists.
ENTRY_BATCH = 64

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


# --------------------------------------------------------------------------- ingest


def empty_activities() -> pl.DataFrame:
    return pl.DataFrame(schema=activity_schema())


def _parse_all(
    todo: list[Item],
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
        item: Item,
        entry: Entry | None,
        decoder: str | None,
        text: str | Unread | None,
        stored: bool = False,
        ticked: bool = False,
    ) -> None:
        """One file's outcome: its entry (stored in the cache under ``decoder``, unless a
        Dask worker ``stored`` it already) and the decoder's note in ``text``; or no entry,
        and why in ``text``. Counted as done unless it was ``ticked`` when it was read."""
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
        if not ticked:
            tick()

    pending: list[tuple[Item, FitResult]] = []  # read, their entries not made yet

    def made() -> None:
        """The entries of the pending results, made as one frame (``entries_from_results``)."""
        entries = entries_from_results([result for _, result in pending])
        for (item, result), entry in zip(pending, entries, strict=True):
            accept(item, entry, result.decoder, result.note, ticked=True)
        pending.clear()

    def done(item: Item, result: FitResult | None, why: Unread | None) -> None:
        if result is None:
            accept(item, None, None, why)
            return
        pending.append((item, result))
        tick()  # (read: the progress need not wait for the batch's entries)
        if len(pending) >= ENTRY_BATCH:
            made()

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

    parse_here(todo, jobs, done)
    made()
    return failed


def _digest(item: Item, index: DigestIndex | None) -> str | None:
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


def _from_cache(cache: ParseCache, unique: Sequence[Item], hr_samples: bool) -> list[str] | None:
    """Give each of ``unique`` its cached entry: all from the season snapshot of exactly these
    inputs (then None), else each file's own, read whole so that the snapshot can be
    written after the parse (then its keys)."""
    decoders = {kind: decoders_for(kind) for kind in {item.source.kind for item in unique}}
    season_keys = [season_key(i.digest, decoders[i.source.kind]) for i in unique if i.digest]
    season = cache.load_season(season_keys, () if hr_samples else HR_SAMPLE_COLUMNS)
    if season is not None:
        for item, key in zip(unique, season_keys, strict=True):
            item.entry = season[key]
        return None
    for decoder in {d: None for i in unique for d in decoders_for(i.source.kind)}:
        # (in order: the fast decoder's entries first)
        wanted = {
            cache_key(i.digest, decoder): i
            for i in unique
            if i.entry is None and i.digest and decoder in decoders_for(i.source.kind)
        }
        for key, entry in cache.load_many(list(wanted)).items():
            wanted[key].entry = entry
    return season_keys


def _save_cache_indexes(
    cache: ParseCache, index: DigestIndex, unique: Sequence[Item], snapshot: Sequence[str] | None
) -> list[str]:
    """Save the hash index and, when every input is parsed, the season snapshot under the
    keys ``snapshot`` (None: it was read from one), so a re-run of the same inputs reads
    one file. Returns cache problems."""
    try:
        index.save()
        entries = [item.entry for item in unique if item.entry is not None]
        if snapshot is not None and len(entries) == len(unique):
            cache.store_season(snapshot, entries)
    except CacheError as exc:
        return [str(exc)]
    return []


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

    items: list[Item]
    problems: list[Problem]
    timezone: str | None
    duplicates: list[Duplicate] = field(default_factory=list)
    twins: list[tuple[Item, Item]] = field(default_factory=list)  # (item, the one parsed)


def _find_groups(groups: Sequence[Group]) -> list[_Group]:
    out = []
    for paths, timezone in groups:
        if timezone:
            _check_timezone(timezone)
        sources, problems = find_inputs(paths)
        out.append(_Group([Item(s) for s in sources], problems, timezone))
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

    parsed_by_digest: dict[str, Item] = {}
    unique: list[Item] = []  # one item per distinct content, in input order
    index = cache.digest_index() if cache is not None else None
    for group in found:
        seen: dict[str, Item] = {}
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

    snapshot: list[str] | None = None  # the keys of the season snapshot still to write
    if cache is not None:
        snapshot = _from_cache(cache, unique, hr_samples)
        for _ in range(sum(item.entry is not None for item in unique)):
            tick()
    cached = {id(item) for item in unique if item.entry is not None}
    todo = [item for item in unique if item.entry is None]

    workers = jobs if jobs is not None else usable_cores()
    notes: dict[str, None] = {}
    failed = _parse_all(todo, workers, cache, tick, notes, dask)
    if cache is not None and index is not None and not failed:
        failed = _save_cache_indexes(cache, index, unique, snapshot)
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
    frames: list[Entry] = []  # the entries with session rows, in order
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
        if not item.entry.rows:
            no_activity.append(_no_activity(item, [*item.problems, *mine]))
        if (item.entry.kind or "").startswith("monitoring"):
            monitoring.append(name)
        facts += [AthleteFact(n, v, name) for n, v in item.entry.facts]
        if rows := item.entry.rows:
            frames.append(item.entry)  # (without the samples if read without)
            names += [name] * rows
            ranks += [COPY_RANK.get(item.source.kind, 1)] * rows

    if frames:
        from runload.track.strava import fill_sports

        frame = (
            # a season from its snapshot: that one frame; else one chunk all the same, so
            # that no path (a snapshot, batches of entries, a Dask worker's) can change
            # what a polars operation does with ties
            joined(frames, "diagonal")
            .rechunk()
            .with_columns(
                pl.Series("file", names, dtype=pl.String),
                pl.Series("_rank", ranks, dtype=pl.Int8),
            )
            .with_columns((pl.col("_rank") == COPY_RANK["fitbit"]).alias(LOG_COLUMN))
        )
        frame, note = fill_sports(frame, [item.source for item in items])
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
        frame, merged = drop_same_start(frame)
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


def _not_sitting(items: Iterable[Item]) -> Iterator[str]:
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
            yield source.absolute


def _no_activity(item: Item, problems: Sequence[Problem]) -> NoActivity:
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


def no_activity_rows(files: Sequence[NoActivity]) -> list[dict[str, Any]]:
    """The files that gave no activity as JSON objects: ``file``, ``kind``, ``file_type``,
    ``code``, ``why``."""
    return [dict(f.__dict__) for f in files]
