"""Problems and merged copies on a terminal, summarised: a folder of 5,000 junk files is
not 5,000 lines of stderr, a season's 210 merged copies not 210 lines.

Owns the one rule every command (``ingest``, ``report``, ``check``, ``plot``, ``team``,
``sources``, ``sitting show``) shows its items by: items of the same *kind* (``item_kind``:
a problem's severity and stable ``code``, a merged copy's reason) are counted; when a kind
has more than ``FIRST`` items, its first ``FIRST`` are shown, then "… and N more like this
(--verbose shows all)", under a line counting the items of each kind by code. A batch
where no kind has more than ``FIRST`` items reads as before, every item in order. Each
line is escaped (``runload.render.safe.terminal_text``: a file name's control characters
never reach the terminal) and, unless ``verbose``, kept within the terminal's width
(``terminal_width``: ``COLUMNS``, else the terminal's; stderr sent to a file or a pipe keeps
whole lines): a message quoting 19,000 bytes of a broken file is cut with "…", its file's
name kept. ``verbose`` shows every item whole, the ``info`` notes too (without it they are left out:
they change nothing the runner sees). JSON output never goes through here: it keeps every
item with its code. Formats only.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from runload.render.safe import terminal_text

FIRST = 5  # items shown per kind before "… and N more"
VERBOSE_HINT = "--verbose shows all"
MIN_WIDTH = 20


class Item(Protocol):
    """A ``Problem`` or an ingest ``Duplicate``: a one-line ``str()`` that starts with the
    file it is about (``path`` / ``file``), and its ``message``."""

    @property
    def message(self) -> str: ...


@dataclass(frozen=True)
class Line:
    """One line to print: ``severity`` is the item's (``error``, ``warning``; None for a
    merged copy) or ``"summary"`` for the counting and "… and N more" lines."""

    text: str
    severity: str | None = None


def item_kind(item: Item) -> str:
    """What groups items: a merged copy by its reason (identical bytes, same start...); a
    problem by its severity and code (``fit.truncated``, ``gzip.bad``: ``runload.codes``),
    whatever bytes, lines or values its message quotes."""
    if (reason := getattr(item, "reason", None)) is not None:
        return f"merged:{reason}"
    return f"{getattr(item, 'severity', '')}:{getattr(item, 'code', '')}"


def _label(item: Item) -> str:
    """A kind as the counting line names it: the code, or the reason copies were merged."""
    reason = getattr(item, "reason", None)
    return str(reason) if reason is not None else str(getattr(item, "code", "") or "?")


def _count(n: int) -> str:
    return f"{n:,}"


def terminal_width(stream: Any = None) -> int | None:
    """The width to keep lines on ``stream`` (default stderr) within: ``COLUMNS`` when set,
    else the terminal's; None when it is no terminal (a file, a pipe: lines stay whole)."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    stream = stream if stream is not None else sys.stderr
    try:
        if not stream.isatty():
            return None
        return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):
        return None


def fit_width(text: str, width: int | None, head: int = 0) -> str:
    """``text`` cut to ``width`` characters with "…" (None: as it is). Its first ``head``
    characters (the file's name) keep at least half the width; a longer name is shortened
    in its middle, so that its end (the file itself) stays, and the message after it is
    cut at its end."""
    if width is None or len(text) <= width:
        return text
    width = max(width, MIN_WIDTH)
    name, rest = text[:head], text[head:]
    room = max(width // 2, width - len(rest))
    if len(name) > room:
        keep = room - 1  # (the "…")
        name = name[: keep // 3] + "…" + name[len(name) - (keep - keep // 3) :]
    line = name + rest
    return line if len(line) <= width else line[: width - 1] + "…"


def _line(item: Item, width: int | None) -> Line:
    """One item as a line: escaped, within ``width``."""
    text = str(item)
    where = str(getattr(item, "path", None) or getattr(item, "file", None) or "")
    head = len(where) if where and text.startswith(where) else 0
    shown_head = terminal_text(text[:head])
    shown = fit_width(shown_head + terminal_text(text[head:]), width, len(shown_head))
    return Line(shown, getattr(item, "severity", None))


def summary_lines(
    items: Sequence[Item],
    *,
    verbose: bool = False,
    first: int = FIRST,
    noun: str = "problems",
    width: int | None = None,
) -> list[Line]:
    """The lines that show ``items`` on a terminal (see the module docstring): every item
    when ``verbose`` or when no kind has more than ``first``; else a line counting each
    kind when there are several (``noun`` names the items: "5,003 problems: 5,000 ×
    fit.not_fit; 3 × gzip.bad"), and per kind its first ``first`` items and "… and N more
    like this (--verbose shows all)". Every line within ``width`` characters (None: whole;
    ``verbose`` always shows them whole). ``info`` notes only when ``verbose``."""
    if not verbose:
        items = [item for item in items if getattr(item, "severity", None) != "info"]
    if not items:
        return []
    if verbose:
        width = None
    kinds: dict[str, list[Item]] = {}
    for item in items:
        kinds.setdefault(item_kind(item), []).append(item)
    if verbose or all(len(group) <= first for group in kinds.values()):
        return [_line(item, width) for item in items]
    lines: list[Line] = []
    if len(kinds) > 1:  # one kind: its "… and N more" line says it all
        counts = "; ".join(f"{_count(len(g))} × {_label(g[0])}" for g in kinds.values())
        text = terminal_text(f"{_count(len(items))} {noun}: {counts}")
        lines.append(Line(fit_width(text, width), "summary"))
    for group in kinds.values():
        lines += [_line(item, width) for item in group[:first]]
        if len(group) > first:
            more = _count(len(group) - first)
            lines.append(Line(f"… and {more} more like this ({VERBOSE_HINT})", "summary"))
    return lines
