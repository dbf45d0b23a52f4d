"""Problems and merged copies on a terminal, summarised: a folder of 5,000 junk files is
not 5,000 lines of stderr, a season's 210 merged copies not 210 lines.

Owns the one rule every command (``ingest``, ``report``, ``check``, ``plot``, ``team``)
shows its items by: items of the same *kind* (``item_kind``: the message with its numbers
and the file it names taken out) are counted; when a kind has more than ``FIRST`` items,
its first ``FIRST`` are shown, then "… and N more like this (--verbose shows all)", under
a line counting the items of each kind. A batch where no kind has more than ``FIRST``
items reads as before, every item in order. ``verbose`` shows every item, the ``info``
notes too (without it they are left out: they change nothing the runner sees). JSON output
never goes through here: it keeps every item. Formats only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

FIRST = 5  # items shown per kind before "… and N more"
LABEL_CHARS = 60  # a kind's label in the counting line is cut past this
VERBOSE_HINT = "--verbose shows all"


class Item(Protocol):
    """A ``Problem`` or an ingest ``Duplicate``: a one-line ``str()`` and its ``message``
    (the line without the file's name)."""

    @property
    def message(self) -> str: ...


@dataclass(frozen=True)
class Line:
    """One line to print: ``severity`` is the item's (``error``, ``warning``; None for a
    merged copy) or ``"summary"`` for the counting and "… and N more" lines."""

    text: str
    severity: str | None = None


_MERGED = re.compile(r"^same activity as .* \((?P<why>[^()]*)\); merged")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def item_kind(item: Item) -> str:
    """What groups items: a merged copy by its reason (identical bytes, same start...);
    a problem by its severity and its message with the numbers taken out (so "line 14"
    and "line 15" of the same mistake, or the byte offsets of one broken encoding, are
    one kind)."""
    message = item.message
    if merged := _MERGED.match(message):
        return f"merged:{merged['why']}"
    return f"{getattr(item, 'severity', '')}:{_NUMBER.sub('#', message)}"


def _label(item: Item) -> str:
    message = item.message
    if merged := _MERGED.match(message):
        return f"copies merged ({merged['why']})"
    return message if len(message) <= LABEL_CHARS else message[: LABEL_CHARS - 1] + "…"


def _count(n: int) -> str:
    return f"{n:,}"


def summary_lines(
    items: Sequence[Item], *, verbose: bool = False, first: int = FIRST, noun: str = "problems"
) -> list[Line]:
    """The lines that show ``items`` on a terminal (see the module docstring): every item
    when ``verbose`` or when no kind has more than ``first``; else a line counting each
    kind when there are several (``noun`` names the items: "5,003 problems: 5,000 × not a
    FIT file..."), and per kind its first ``first`` items and "… and N more like this
    (--verbose shows all)". ``info`` notes only when ``verbose``."""
    if not verbose:
        items = [item for item in items if getattr(item, "severity", None) != "info"]
    if not items:
        return []
    kinds: dict[str, list[Item]] = {}
    for item in items:
        kinds.setdefault(item_kind(item), []).append(item)
    if verbose or all(len(group) <= first for group in kinds.values()):
        return [Line(str(item), getattr(item, "severity", None)) for item in items]
    lines: list[Line] = []
    if len(kinds) > 1:  # one kind: its "… and N more" line says it all
        counts = "; ".join(f"{_count(len(g))} × {_label(g[0])}" for g in kinds.values())
        lines.append(Line(f"{_count(len(items))} {noun}: {counts}", "summary"))
    for group in kinds.values():
        lines += [Line(str(item), getattr(item, "severity", None)) for item in group[:first]]
        if len(group) > first:
            more = _count(len(group) - first)
            lines.append(Line(f"… and {more} more like this ({VERBOSE_HINT})", "summary"))
    return lines
