"""Run a shell command on a pseudo-terminal, as a person at a terminal would: runload then
prints its tables and wraps to ``COLUMNS`` (piped, it prints CSV). Dev-only, for the tests
that run the README's commands (``tests/test_readme_commands.py``) and check the outputs the
docs show (``tests/test_docs_outputs.py``).
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def run_on_a_terminal(
    command: str, cwd: Path, env: dict[str, str], timeout: float = 1500
) -> tuple[int, str]:
    """Run ``command`` with ``bash -c``, stdout and stderr on one pseudo-terminal. Returns
    (exit status, the text a person would read: ANSI colours removed, line ends ``\\n``)."""
    import pty

    master, slave = pty.openpty()
    proc = subprocess.Popen(
        ["bash", "-c", command], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
        stdout=slave, stderr=slave,
    )  # fmt: skip
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 1 << 16)
        except OSError:  # EIO: the terminal's other side is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    code = proc.wait(timeout=timeout)
    text = b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")
    return code, ANSI.sub("", text)
