"""How the ``runload`` process ends: at once, as soon as its output is written.

Python's own shutdown takes apart every module and object before the process ends. With
polars loaded that costs 35-50 ms in every command (docs/speed.md), as much as a warm
``check`` spends reading its cache. Nothing runload keeps needs that teardown: its files
are written and closed (atomically) before a command returns. So the console script, once
the command has ended with its exit code, runs what of Python's shutdown does matter — the
``atexit`` callbacks (multiprocessing's clean-up of its children and temporary folder,
``weakref.finalize`` objects, logging's flush) — flushes standard output and error, and
ends the process with ``os._exit``. Where the shortcut could lose anything (another
thread still running, output that cannot be flushed), it leaves the ending to Python.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
from typing import NoReturn


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
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe or stream: Python's shutdown reports it
        sys.exit(status)
    os._exit(status)
