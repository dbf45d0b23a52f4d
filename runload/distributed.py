"""Ingest's parse step on a Dask cluster (``runload ingest --dask``; the ``dask`` extra).

Owns the Dask engine and nothing else: ingest (``runload.ingest``) still finds, hashes
and looks up the cache in this process, and hands here only the files the cache did not
have. They are parsed in *batches* (``batch_size``: about four tasks per worker thread,
at most ``MAX_BATCH`` files each), each task running ``runload.readers.read_activity``
on its files and turning each result into the cache's ``Entry`` on the worker, so what
travels back is one small Arrow-backed polars frame per file (plus its decoder and
note), not Python lists of HR samples. The worker also writes each entry into the cache
folder (the cache is written where the files are read, atomically as always); the caller
stores only what a worker could not, and keeps the indexes.

A worker lost mid-run (killed, out of memory) costs nothing: the scheduler runs its
batch again elsewhere (``distributed.scheduler.allowed-failures``), and ``retries``
covers a task that raised. A batch that keeps killing workers is split and each of its
files tried alone, one at a time, so only the file that does it gets ``WORKER_DIED``, as
in the pool (a file whose worker dies while it is alone is tried once more: another task on
that worker may have done it).

``"local"`` starts a ``distributed.LocalCluster`` (one single-threaded worker process per
job) for the run and closes it after; any other value is a running scheduler's address
(``tcp://host:8786``), whose workers must have runload installed and see the same paths.
Importing this module imports no Dask: that happens in ``parse``.
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import math
import uuid
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from runload.errors import InputError

LOCAL = "local"
MAX_BATCH = 50  # files per task: bounds what a lost worker costs and one result message
TASKS_PER_THREAD = 4  # enough tasks per worker to even out files of different sizes
RETRIES = 2  # a task that raised is run again this often
# A file alone in its task is called the one that kills workers only when it has, alone,
# this often: a batch still running elsewhere (or its retry) may kill the worker it shared.
SOLO_DEATHS = 2
CONNECT_TIMEOUT_S = 5.0  # how long to try reaching a scheduler given by address
INSTALL_HINT = "pip install 'runload[dask]'"

# (entry, decoder, note, stored in the cache), or None and why the file could not be read
Parsed = tuple[Any, str | None, str | None, bool] | tuple[None, str]
# (index, entry, decoder, note/why, stored in the cache by the worker)
Done = Callable[[int, Any, str | None, str | None, bool], None]


def check_installed() -> None:
    """``InputError`` (one line) when ``distributed`` is not installed; imports nothing."""
    if importlib.util.find_spec("distributed") is None:
        raise InputError(f"--dask needs Dask, which is not installed: {INSTALL_HINT}")


def batch_size(files: int, threads: int) -> int:
    """Files per task: about ``TASKS_PER_THREAD`` tasks per worker thread, at most
    ``MAX_BATCH`` files each (and at least one)."""
    return max(1, min(MAX_BATCH, math.ceil(files / max(1, threads * TASKS_PER_THREAD))))


def parse_batch(
    sources: Sequence[Any], cache_dir: str | None = None, digests: Sequence[str | None] = ()
) -> list[tuple[Any, ...]]:
    """The task: read each source (``read_activity``) and give, per source,
    (``Entry``, decoder, note, stored) or (None, why). With ``cache_dir``, each entry whose
    content hash is in ``digests`` is also written to the cache there (``stored``; a cache
    that cannot be written leaves it to the caller). Runs on a worker."""
    from runload.cache import ParseCache
    from runload.entries import entry_from_result
    from runload.errors import CacheError
    from runload.readers import cache_key, read_activity, reader_failed

    cache = ParseCache(cache_dir) if cache_dir is not None else None
    out: list[tuple[Any, ...]] = []
    for i, source in enumerate(sources):
        result, why = read_activity(source)
        if result is None:
            out.append((None, why))
            continue
        try:
            entry = entry_from_result(result)
        except Exception as exc:  # as in the pool: a bug costs this file only
            out.append((None, reader_failed(exc)))
            continue
        digest = digests[i] if i < len(digests) else None
        stored = False
        if cache is not None and digest is not None and result.decoder is not None:
            with contextlib.suppress(CacheError):
                cache.store(cache_key(digest, result.decoder), entry)
                stored = True
        out.append((entry, result.decoder, result.note, stored))
    return out


@contextlib.contextmanager
def _client(scheduler: str, jobs: int | None) -> Iterator[Any]:
    from runload.workers import main_hidden, usable_cores

    try:
        import distributed
    except ImportError:
        raise InputError(f"--dask needs Dask, which is not installed: {INSTALL_HINT}") from None

    if scheduler == LOCAL:
        # spawned workers must not re-run the caller's script (see workers.main_hidden);
        # hidden for the whole run, since the nannies restart lost workers
        with main_hidden(), _quiet():
            workers = jobs if jobs is not None else usable_cores()
            cluster = distributed.LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                scheduler_kwargs={"dashboard": False},  # no web server, no port to take
                silence_logs=logging.ERROR,
            )
            try:
                with distributed.Client(cluster) as client:
                    yield client
            finally:
                cluster.close()
        return
    try:
        client = distributed.Client(scheduler, timeout=CONNECT_TIMEOUT_S)
    except (OSError, ValueError, TypeError) as exc:
        why = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise InputError(f"cannot reach the Dask scheduler at {scheduler}: {why}") from None
    with client:
        yield client


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Keep the local cluster's scheduler and nannies (this process) from logging each
    start, stop and restart on stderr: ingest's output is the problems, not Dask's."""
    logger = logging.getLogger("distributed")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _threads(client: Any, scheduler: str) -> int:
    threads = sum(client.nthreads().values())
    if threads == 0:
        raise InputError(f"the Dask scheduler at {scheduler} has no workers")
    return threads


def parse(
    sources: Sequence[Any],
    scheduler: str,
    jobs: int | None,
    done: Done,
    *,
    cache_dir: str | None = None,
    digests: Sequence[str | None] = (),
) -> None:
    """Parse ``sources`` on ``scheduler`` (``"local"`` or an address), calling
    ``done(index in sources, entry, decoder, note, stored)`` or
    ``done(index, None, None, why, False)`` for each as its batch finishes (in the order
    batches finish). With ``cache_dir`` the workers write the entries of the sources whose
    content hash is in ``digests`` there (``stored``)."""
    if not sources:
        return
    with _client(scheduler, jobs) as client:
        from distributed import as_completed

        size = batch_size(len(sources), _threads(client, scheduler))
        run_id = uuid.uuid4().hex[:8]
        batches: dict[Any, list[int]] = {}

        def submit(indexes: list[int]) -> Any:
            future = client.submit(
                parse_batch,
                [sources[i] for i in indexes],
                cache_dir,
                [digests[i] for i in indexes] if digests else [],
                key=f"runload-parse-{run_id}-{indexes[0]}-{len(indexes)}",
                retries=RETRIES,
                pure=False,
            )
            batches[future] = indexes
            return future

        pending = as_completed(
            [
                submit(list(range(i, min(i + size, len(sources)))))
                for i in range(0, len(sources), size)
            ]
        )
        # The files of a batch that failed are tried alone, one at a time (as the process
        # pool does): a file that kills its worker then takes no other file down with it.
        alone: deque[int] = deque()
        deaths: Counter[int] = Counter()  # per file: its worker died while it was alone
        solo: set[Any] = set()

        def next_alone() -> None:
            if alone and not solo:
                future = submit([alone.popleft()])
                solo.add(future)
                pending.add(future)

        for future in pending:
            indexes = batches.pop(future)
            was_solo = future in solo
            solo.discard(future)
            try:
                results = future.result()
            except Exception as exc:
                # A batch that failed, even of one file (it may have shared a worker with
                # the file that killed it): each of its files alone, to find the one.
                if not was_solo:
                    alone.extend(indexes)
                    next_alone()
                    continue
                why = _why(exc)
                if why.code == "read.worker_died":
                    deaths[indexes[0]] += 1
                    if deaths[indexes[0]] < SOLO_DEATHS:
                        alone.append(indexes[0])
                        next_alone()
                        continue
                results = [(None, why)]
            for i, result in zip(indexes, results, strict=True):
                if result[0] is None:
                    done(i, None, None, result[1], False)
                else:
                    done(i, *result)
            next_alone()


def _why(exc: BaseException) -> Any:
    """Why a file alone in its batch gave nothing: a ``runload.readers.Unread``."""
    from runload.readers import Unread, reader_failed
    from runload.workers import WORKER_DIED

    if type(exc).__name__ == "KilledWorker":
        return Unread("read.worker_died", WORKER_DIED)
    return reader_failed(exc)
