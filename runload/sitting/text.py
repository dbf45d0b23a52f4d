"""Sitting files as text: bytes decoded (UTF-8, UTF-16 or Windows-1252: ``read_text``),
JSON told from a table, the items of a JSON list with the line each starts on, and tables
(CSV): the one guess of their separator and the one reader of their rows, for the manual
log and the Fitbit daily CSV alike.

Bytes are UTF-8 (a byte-order mark dropped); UTF-16 with a byte-order mark (little- or
big-endian, as Excel's "Unicode text" and some exports write) or without one (told by its
zero bytes); else, when every byte is a Windows-1252 character and none is a control
character, Windows-1252 (cp1252, what Excel saves a CSV as on Windows), with a warning:
dates and hours are ASCII, so only notes could read differently.

A table's separator is ``,``, ``;`` or tab: the first under which the header row holds
the columns its reader needs (``known``), else the one that splits the header row into
the most columns. Rows remember the physical lines they span (a quoted value may hold a
line break), so a rewrite can keep every other byte; line ends may be ``\\r\\n``,
``\\r`` or ``\\n``. Quotes are read strictly: a quote that never closes (it would take
every later line into one value) or that closes in the middle of a value makes its row
``broken`` (the line and why), and the lines after that row's first line are read again
as rows of their own, so one stray quote costs one row, not the rest of the file.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from runload import jsontext
from runload.errors import SittingError

DELIMITERS = (",", ";", "\t")
_SPACES = re.compile(r"[\s-]+")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


_BOMS = (
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 LE"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 BE"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
ENCODING = "text.encoding"  # the problem code of text that is not plain UTF-8


def utf16_of(head: bytes) -> tuple[str, str, bool] | None:
    """Whether bytes that start with ``head`` are UTF-16: (codec, name, has a BOM), or None.
    Without a byte-order mark, text whose first characters are ASCII has a zero byte in
    every other place: odd places (little-endian) or even ones (big-endian)."""
    for bom, codec, name in _BOMS:
        if head.startswith(bom):
            return codec, name, True
    sample = head[:512]
    sample = sample[: len(sample) - len(sample) % 2]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) == len(odd) and 0 not in even:
        return "utf-16-le", "UTF-16 LE", False
    if even.count(0) == len(even) and 0 not in odd:
        return "utf-16-be", "UTF-16 BE", False
    return None


def _cp1252(data: bytes) -> str | None:
    """``data`` as Windows-1252 text, or None when a byte is not one of its characters or
    decodes to a control character (then it is not text at all)."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    return None if _CONTROL.search(text) else text


@dataclass(frozen=True)
class Encoding:
    """How a file's text is stored, so a rewrite (``runload sitting add``) writes it back the
    same way: the codec, the byte-order mark it starts with (``b""``: none) and its name."""

    codec: str  # utf-8 | utf-16-le | utf-16-be | cp1252
    name: str  # UTF-8 | UTF-16 LE | UTF-16 BE | Windows-1252
    bom: bytes = b""

    def encode(self, text: str, path: str | os.PathLike[str]) -> bytes:
        """``text`` as bytes of this encoding, the byte-order mark first; ``SittingError``
        naming the first character it cannot hold (a note in Windows-1252)."""
        try:
            return self.bom + text.encode(self.codec)
        except UnicodeEncodeError as exc:
            bad = exc.object[exc.start : exc.end]
            msg = (
                f'"{bad}" cannot be written in {self.name}, the encoding of the log: '
                "save it as CSV UTF-8 to add it, or leave it out"
            )
            raise SittingError(msg, path=path) from None


UTF8 = Encoding("utf-8", "UTF-8")


def read_text_as(
    data: bytes, path: str | os.PathLike[str]
) -> tuple[str, Encoding, SittingError | None]:
    """Bytes of ``path`` as text (see the module docstring for the encodings), the
    ``Encoding`` they were in, and the warning to record when they were not UTF-8 or UTF-16
    with a byte-order mark (as a ``SittingError``: ``.problem("warning")``).
    ``SittingError`` when they are no text."""
    utf16 = utf16_of(data[:512])
    if utf16 is not None:
        codec, name, has_bom = utf16
        start = 2 if has_bom else 0
        try:
            text = data[start:].decode(codec)
        except UnicodeDecodeError as exc:
            msg = f"is not {name} text (byte {exc.start + start})"
            raise SittingError(msg, path=path, offset=exc.start + start, code=ENCODING) from None
        encoding = Encoding(codec, name, data[:start])
        if has_bom:
            return text, encoding, None
        msg = f"has no byte-order mark; read as {name} (every other byte is zero)"
        return text, encoding, SittingError(msg, path=path, code=ENCODING)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = exc.start
    else:
        bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
        return text, Encoding("utf-8", "UTF-8", bom), None
    text_1252 = _cp1252(data)
    if text_1252 is None:
        msg = f"is not UTF-8 text (byte {bad})"
        raise SittingError(msg, path=path, offset=bad, code=ENCODING) from None
    msg = (
        f"is not UTF-8 (byte {bad}); read as Windows-1252 (cp1252, as Excel saves CSV): "
        "check its notes, or save it as CSV UTF-8"
    )
    warning = SittingError(msg, path=path, offset=bad, code=ENCODING)
    return text_1252, Encoding("cp1252", "Windows-1252"), warning


def read_text(data: bytes, path: str | os.PathLike[str]) -> tuple[str, SittingError | None]:
    """``read_text_as`` without the encoding: the text and the warning, if any."""
    text, _encoding, warning = read_text_as(data, path)
    return text, warning


# A JSON document nested deeper than Python's recursion limit (about 1000 levels; no
# sitting export nests more than a few) raises RecursionError: this is what is said.
TOO_DEEP = "is JSON nested too deeply to be read (no sitting export nests that deep)"


def looks_like_json(text: str) -> bool:
    return text.lstrip("\ufeff \t\r\n")[:1] in ("[", "{")


def json_items(text: str) -> list[tuple[int, Any]]:
    """The elements of a top-level JSON list with the line each starts on (read by
    ``runload.jsontext``: an integer too long to convert is a ``NumberTooLongError``)."""
    decoder = jsontext.decoder()
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
    broken: list[tuple[int, str]] = field(default_factory=list)  # (line, why) rows not split

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


# The lines after a row with a broken quote are read again; past this many lines read
# again in all (times the lines of the file), the rest of the file is one problem: a
# quote that never closes runs to the end, so each re-read may cost the whole file.
REREAD_BUDGET = 8


def _broken_quote(exc: csv.Error, stop: int) -> str:
    """Why a row could not be split; the csv reader stopped on line ``stop``."""
    if "end of data" in str(exc):
        return (
            'a quote (") opened on this row never closes; this row is not used and the '
            'lines after it are read as rows (close the quote: "9,5")'
        )
    return (
        f'a quote (") opened on this row closes on line {stop} in the middle of a value; '
        "this row is not used and the lines after it are read as rows (quote whole "
        'values: "9,5")'
    )


def read_table(text: str, known: Callable[[list[str]], bool]) -> Table:
    """``text`` as a ``Table``: the header is the first row with a value (none: an empty
    header and no rows); the separator is ``guess_delimiter``'s.

    A quote that never closes, or that closes in the middle of a value on a later line,
    makes its row ``broken``, and the lines after its first are read again (within
    ``REREAD_BUDGET``). On one line a value that goes on after its closing
    quote (``"Müller" meeting``) cannot take other rows with it: it is read as csv
    reads it (``Müller meeting``)."""
    delimiter = guess_delimiter(_header_line(text), known)
    lines = io.StringIO(text, newline="").readlines()  # physical lines, as csv counts them
    header: list[str] = []
    rows: list[tuple[int, int, list[str]]] = []
    broken: list[tuple[int, str]] = []

    def add(values: list[str], start: int, end: int) -> None:
        nonlocal header
        if header:
            rows.append((start, end, values))
        elif any(v.strip() for v in values):
            header = values

    done = 0  # the physical lines read into rows so far
    reread = 0
    while True:
        base = done
        reader = csv.reader(iter(lines[base:]), delimiter=delimiter, strict=True)
        try:
            for values in reader:
                start, done = done + 1, base + reader.line_num
                add(values, start, done)
        except csv.Error as exc:
            start, stop = done + 1, base + reader.line_num
            done = start
            if stop == start and "end of data" not in str(exc):
                add(next(csv.reader([lines[start - 1]], delimiter=delimiter)), start, start)
                continue
            reread += stop - start
            if reread > REREAD_BUDGET * len(lines) + 1000:
                why = f"too many broken quotes; lines {start}–{len(lines)} are not read"
                broken.append((start, why))
                break
            broken.append((start, _broken_quote(exc, stop)))
            continue
        break
    return Table(
        delimiter,
        header,
        [column_name(h) for h in header],
        rows,
        _newline_of(text),
        broken,
    )
