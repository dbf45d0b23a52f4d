"""How the ``runload`` process runs and ends: the garbage collector's pace for a short
command, and an ending as soon as the output is written. Only the console script (and
``python -m runload``) does this; a program that imports runload keeps its own settings.

**The collector's pace.** Python looks for reference cycles each time 700 more container
objects were made than freed, and runload's imports and a warm run's bookkeeping (a few
objects per file of a decade) made it pass over the objects of polars' and runload's own
imports again and again: 30 ms of a 0.43 s warm ``check`` on a decade (docs/speed.md).
runload's data lives in polars frames, not in Python objects, and forms no cycles in
volume: with the collector's first pass every million objects instead, a cold ``report``
of a decade peaks at 240.6 MB (238.9 with Python's pace) and ``team`` on PMData at 149.3
(146.7). Cycles are still collected, a million objects apart.

**The ending.** Python's own shutdown takes apart every module and object before the
process ends. With polars loaded that costs 35-50 ms in every command, as much as a warm
``check`` spends reading its cache. Nothing runload keeps needs that teardown: its files
are written and closed (atomically) before a command returns. So once the command has
ended with its exit code, ``end_now`` runs what of Python's shutdown does matter — the
``atexit`` callbacks (multiprocessing's clean-up of its children and temporary folder,
``weakref.finalize`` objects, logging's flush) — flushes standard output and error, and
ends the process with ``os._exit`` (as mypy ends its own runs). Where the shortcut could
lose anything (another thread still running, output that cannot be flushed), it leaves the
ending to Python.
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
import threading
from typing import NoReturn

# The cyclic collector's first generation: collected after this many more container objects
# were made than freed (Python's default 700; the older generations keep their pace).
COLLECT_EVERY = 1_000_000


def pace_collector() -> None:
    """Collect reference cycles every ``COLLECT_EVERY`` new objects (see the docstring)."""
    gc.set_threshold(COLLECT_EVERY)


def exit_code(code: object) -> int:
    """The process exit status for ``SystemExit(code)``, as Python gives it: 0 for None,
    the number itself, else 1 after printing the value to standard error."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def end_now(code: object) -> NoReturn:
    """End the process with ``SystemExit(code)``'s status, skipping the teardown when it is
    safe (see the module docstring); otherwise by ``sys.exit``."""
    status = exit_code(code)
    if threading.active_count() > 1:  # Python's shutdown would wait for it
        sys.exit(status)
    atexit._run_exitfuncs()  # what Python's shutdown runs first (and clears them)
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:  # (None under pythonw: no console)
                stream.flush()
    except (OSError, ValueError):  # a closed pipe or stream: Python's shutdown reports it
        sys.exit(status)
    os._exit(status)
