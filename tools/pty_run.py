"""Run a shell command on a pseudo-terminal, as a person at a terminal would: runload then
prints its tables and wraps to ``COLUMNS`` (piped, it prints CSV). Dev-only, for the tests
that run the README's commands (``tests/test_readme_commands.py``) and check the outputs the
docs show (``tests/test_docs_outputs.py``).

``run_on_a_terminal`` gives the text with the colours taken out; ``screen`` gives what the
person reads once the command is done: a progress bar that erased itself is gone, and a line
longer than the terminal is wrapped as the terminal wraps it.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_TOKEN = re.compile(r"\x1b\[([0-9;?]*)([A-Za-z])|([\r\n\t\b])|([^\x1b\r\n\t\b]+)|(\x1b)")


def _run(command: str, cwd: Path, env: dict[str, str], timeout: float) -> tuple[int, str]:
    """(exit status, everything written to the terminal, escapes included)."""
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
    return code, b"".join(chunks).decode("utf-8", "replace")


def run_on_a_terminal(
    command: str, cwd: Path, env: dict[str, str], timeout: float = 1500
) -> tuple[int, str]:
    """Run ``command`` with ``bash -c``, stdout and stderr on one pseudo-terminal. Returns
    (exit status, the text written: ANSI colours removed, line ends ``\\n``)."""
    code, raw = _run(command, cwd, env, timeout)
    return code, ANSI.sub("", raw.replace("\r\n", "\n"))


def read_on_a_terminal(
    command: str, cwd: Path, env: dict[str, str], timeout: float = 1500
) -> tuple[int, list[str]]:
    """Run ``command`` as ``run_on_a_terminal`` does. Returns (exit status, the lines on the
    screen of a terminal ``$COLUMNS`` wide once it is done, see ``screen``)."""
    code, raw = _run(command, cwd, env, timeout)
    return code, screen(raw, int(env.get("COLUMNS", "80")))


def screen(raw: str, columns: int) -> list[str]:
    """The lines a terminal ``columns`` wide shows for ``raw``: text, ``\\r``, ``\\n``, tabs,
    backspace, cursor up/down (``ESC[nA``/``ESC[nB``), erase line (``ESC[2K``, ``ESC[K``);
    other escapes (colours, cursor hiding) change no text. A character written past the last
    column goes to the next line, as xterm wraps; trailing spaces and the blank lines after
    the last text are dropped."""
    lines: list[list[str]] = [[]]
    row = col = 0

    def put(ch: str) -> None:
        nonlocal row, col
        if col >= columns:  # the pending wrap: only a printed character moves on
            row, col = row + 1, 0
        while len(lines) <= row:
            lines.append([])
        line = lines[row]
        line.extend(" " * (col + 1 - len(line)))
        line[col] = ch
        col += 1

    for m in _TOKEN.finditer(raw):
        params, final, control, text = m.group(1), m.group(2), m.group(3), m.group(4)
        if text is not None:
            for ch in text:
                put(ch)
        elif control == "\n":
            row, col = row + 1, 0  # a pty turns \n into \r\n
            while len(lines) <= row:
                lines.append([])
        elif control == "\r":
            col = 0
        elif control == "\t":
            for _ in range(8 - col % 8):
                put(" ")
        elif control == "\b":
            col = max(0, min(col, columns) - 1)
        elif final in ("A", "B"):
            step = int(params or 1)
            row = max(0, row - step) if final == "A" else row + step
            col = min(col, columns - 1)
            while len(lines) <= row:
                lines.append([])
        elif final == "K":
            line = lines[row]
            if params == "2":
                line.clear()
            elif params in ("", "0"):
                del line[col:]
            elif params == "1":
                line[: col + 1] = " " * min(len(line), col + 1)
    out = ["".join(line).rstrip() for line in lines]
    while out and not out[-1]:
        out.pop()
    return out
