"""Sitting files as text: bytes decoded (UTF-8, a byte-order mark dropped), JSON told
from a table, the items of a JSON list with the line each starts on, and tables (CSV):
the one guess of their separator and the one reader of their rows, for the manual log
and the Fitbit daily CSV alike.

A table's separator is ``,``, ``;`` or tab: the first under which the header row holds
the columns its reader needs (``known``), else the one that splits the header row into
the most columns. Rows remember the physical lines they span (a quoted value may hold a
line break), so a rewrite can keep every other byte; line ends may be ``\\r\\n``,
``\\r`` or ``\\n``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from runload.errors import SittingError

DELIMITERS = (",", ";", "\t")
_SPACES = re.compile(r"[\s-]+")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def decode_text(data: bytes, path: str | os.PathLike[str]) -> str:
    """Bytes as text (UTF-8, a BOM dropped); ``SittingError`` at the first bad byte of
    ``path`` otherwise."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        msg = f"is not UTF-8 text (byte {exc.start})"
        raise SittingError(msg, path=path, offset=exc.start) from None


def looks_like_json(text: str) -> bool:
    return text.lstrip("\ufeff \t\r\n")[:1] in ("[", "{")


def json_items(text: str) -> list[tuple[int, Any]]:
    """The elements of a top-level JSON list with the line each starts on."""
    decoder = json.JSONDecoder()
    n = len(text)

    def skip(i: int) -> int:
        while i < n and text[i] in " \t\r\n":
            i += 1
        return i

    i = skip(0)
    if i < n and text[i] == "{":
        obj, _ = decoder.raw_decode(text, i)
        return [(text.count("\n", 0, i) + 1, obj)]
    if i >= n or text[i] != "[":
        raise json.JSONDecodeError("Expecting a list of day objects", text, i)
    i = skip(i + 1)
    items: list[tuple[int, Any]] = []
    if i < n and text[i] == "]":
        return items
    while True:
        obj, j = decoder.raw_decode(text, i)
        items.append((text.count("\n", 0, i) + 1, obj))
        i = skip(j)
        if i < n and text[i] == ",":
            i = skip(i + 1)
            continue
        if i < n and text[i] == "]":
            return items
        raise json.JSONDecodeError("Expecting ',' delimiter", text, i)


# ---- tables ----------------------------------------------------------------------------


def column_name(name: str) -> str:
    """A column name or key as runload compares it: trimmed, no byte-order mark, lower
    case, spaces and hyphens as ``_`` (``" Sitting Hours"`` → ``sitting_hours``)."""
    return _SPACES.sub("_", name.strip().lstrip("\ufeff").strip().lower())


def physical_lines(text: str) -> list[str]:
    """The lines of ``text`` as the csv module counts them (``\\r\\n``, ``\\r`` or ``\\n``)."""
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _header_line(text: str) -> str:
    return next((ln for ln in physical_lines(text) if ln.strip()), "")


def guess_delimiter(header_line: str, known: Callable[[list[str]], bool]) -> str:
    """The separator of a table whose header row is ``header_line``: the first that splits
    it into columns ``known`` accepts (given as ``column_name``s), else the one that
    splits it into the most columns."""

    def names(d: str) -> list[str]:
        return [column_name(n) for n in next(csv.reader([header_line], delimiter=d), [])]

    for d in DELIMITERS:
        if known(names(d)):
            return d
    return max(DELIMITERS, key=lambda d: len(names(d)))


def table_header(text: str, known: Callable[[list[str]], bool]) -> list[str]:
    """The header row of a table (its first line with text) as written, split by
    ``guess_delimiter``; the rest of the text is not parsed."""
    line = _header_line(text)
    return next(csv.reader([line], delimiter=guess_delimiter(line, known)), [])


@dataclass
class Table:
    """A table split into rows, remembering physical line ranges for rewrites."""

    delimiter: str
    header: list[str]  # as written
    names: list[str]  # column_name() of each
    rows: list[tuple[int, int, list[str]]]  # (first line, last line, values)
    newline: str

    def records(self) -> list[tuple[int, dict[str, str]]]:
        """The rows with any value, as column name → trimmed value, with the line each
        starts on."""
        return [
            (start, {n: v.strip() for n, v in zip(self.names, values, strict=False) if n})
            for start, _end, values in self.rows
            if any(v.strip() for v in values)
        ]


def _newline_of(text: str) -> str:
    if "\r\n" in text:
        return "\r\n"
    return "\r" if "\r" in text and "\n" not in text else "\n"


def read_table(text: str, known: Callable[[list[str]], bool]) -> Table:
    """``text`` as a ``Table``: the header is the first row with a value (none: an empty
    header and no rows); the separator is ``guess_delimiter``'s."""
    delimiter = guess_delimiter(_header_line(text), known)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] = []
    rows: list[tuple[int, int, list[str]]] = []
    prev = 0
    for values in reader:
        start, prev = prev + 1, reader.line_num
        if not header:
            if not any(v.strip() for v in values):
                continue
            header = values
            continue
        rows.append((start, prev, values))
    return Table(delimiter, header, [column_name(h) for h in header], rows, _newline_of(text))
