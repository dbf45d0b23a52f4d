"""Parsing many files at once on this machine: worker processes (``spawn``), as many as
the bytes to parse are worth (``pool_workers``), at most two files per worker in flight,
each taking the parent's FIT decoder verdict; a worker that dies costs only the file it was
reading (the files in flight are read again, each in a worker of its own). Where worker
processes cannot exist, this process parses. Ingest (``runload.ingest``) decides what to
parse and what to do with each outcome (``Done``); the Dask engine
(``runload.distributed``) shares ``main_hidden``, ``usable_cores`` and ``WORKER_DIED``."""

from __future__ import annotations

import contextlib
import os
import sys
import types
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from runload.cache import Entry
from runload.errors import Problem
from runload.fit.decoder import Verdict, adopt, verdict
from runload.fit.result import FitResult
from runload.inputs import Source
from runload.readers import Unread, read_activity, reader_failed


@dataclass
class Item:
    source: Source
    digest: str | None = None
    size: int = 0  # bytes (as read, else as the file on disk), for the pool's worth
    entry: Entry | None = None
    problems: list[Problem] = field(default_factory=list)


Done = Callable[[Item, FitResult | None, Unread | None], None]  # (file, result, why not)

WORKER_DIED = "the parser's worker process died on this file (out of memory?)"

# A worker process is worth starting for this many bytes to parse: starting a pool costs
# about 0.15 s (a Python and the readers' imports per worker), what parsing 0.5 MB in
# this process does; measured on this project's 2-core machine, a pool of 2 broke even at
# 1 MB of small files and between 1.4 and 2.8 MB of one-hour files
# (``benchmarks/ingest.py --crossover``; docs/speed.md).
POOL_BYTES_PER_WORKER = 1024 * 1024


@contextlib.contextmanager
def main_hidden() -> Iterator[None]:
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


def _pool_round(queue: deque[Item], jobs: int, done: Done, chosen: Verdict | None) -> list[Item]:
    """Parse files from ``queue`` in a pool, with at most two per worker in flight. When a
    worker dies (killed for memory, a crash in C code), the pool is lost: return the
    files that were in flight (one of them did it); the rest stay queued."""
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool

    in_flight: dict[Any, Item] = {}
    suspects: list[Item] = []
    with _pool(min(jobs, len(queue)), chosen) as pool:
        while (queue or in_flight) and not suspects:
            while queue and len(in_flight) < 2 * jobs:
                item = queue.popleft()
                with main_hidden():
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


def _parse_alone(item: Item, done: Done, chosen: Verdict | None) -> None:
    """Parse one file in a worker of its own, so that a crash names this file only."""
    from concurrent.futures.process import BrokenProcessPool

    with _pool(1, chosen) as pool:
        with main_hidden():
            future = pool.submit(read_activity, item.source)
        try:
            outcome = _outcome(future)
        except BrokenProcessPool:
            outcome = None, Unread("read.worker_died", WORKER_DIED)
    done(item, *outcome)


def pool_workers(size: int, files: int) -> int:
    """How many worker processes ``files`` files of ``size`` bytes in all are worth: one
    per ``POOL_BYTES_PER_WORKER`` (a worker costs a Python start and the imports of the
    readers before it reads a byte); 1 (this process, no pool) below twice that."""
    return max(1, min(files, size // POOL_BYTES_PER_WORKER))


def usable_cores() -> int:
    """The cores this process may run on (a container or ``taskset`` may allow fewer
    than the machine has)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def parse_here(todo: list[Item], jobs: int, done: Done) -> None:
    """Read each of ``todo`` with the reader of its kind and hand ``done`` the outcome: in
    up to ``jobs`` worker processes when the bytes are worth them, else in this process."""
    jobs = min(jobs, pool_workers(sum(item.size for item in todo), len(todo)))
    if jobs > 1 and not _processes_work():
        jobs = 1
    if jobs <= 1:
        for item in todo:
            done(item, *read_activity(item.source))
        return
    # The workers take this process's decoder verdict (no canary check of their own).
    chosen = verdict() if any(item.source.kind == "fit" for item in todo) else None
    queue = deque(todo)
    while queue:
        for item in _pool_round(queue, jobs, done, chosen):
            _parse_alone(item, done, chosen)
