"""The manual sitting log: reading it (CSV or JSON, every row checked, problems with
line numbers) and adding or replacing one day with an atomic write.

A log is a CSV with a header row (``date`` and ``sitting_hours`` or ``sitting_minutes``;
optional ``numbness`` 0–10, ``seat`` hard|soft, ``notes``; names case-insensitive, with
spaces read as ``_`` (``Sitting Hours``); other columns kept but ignored) or a JSON list of
objects with the same keys. Separators ``,``, ``;`` or tab; a byte-order mark and CRLF
line ends are fine; UTF-16 and Windows-1252 (Excel) files are read too (``text.read_text``).

One bad row never stops the rest of the file: it is an error naming its line and is not
used. A row with more values than the header has columns is bad even when the extra
values are empty (``2026-05-01,9,5,,,`` under five columns is ``9,5`` unquoted, not 9 h
and numbness 5); so is a row whose quote never closes, or closes on a later line in the
middle of a value: the lines after it are read as rows of their own
(``text.read_table``), never swallowed into one value.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from runload import jsontext
from runload.errors import Problem, SittingError, SittingLogDateExistsError
from runload.fsutil import atomic_write, lock_path, locked, write_target
from runload.jsontext import NumberTooLongError
from runload.schema import sitting_schema
from runload.sitting.text import (
    TOO_DEEP,
    Table,
    column_name,
    decode_text,
    json_items,
    looks_like_json,
    read_table,
    read_text,
)
from runload.units import outside, parse_duration_minutes, parse_hours

HOURS = "sitting_hours"
MINUTES = "sitting_minutes"
_ALIASES = {"note": "notes"}


@dataclass(frozen=True)
class LogRow:
    """One accepted row of the log."""

    date: dt.date
    sitting_hours: float
    numbness: int | None
    seat: str | None
    line: int


@dataclass
class LogRead:
    """What a log gave: the accepted rows (as a sitting frame) and what was wrong."""

    days: pl.DataFrame
    problems: list[Problem] = field(default_factory=list)


class RowError(ValueError):
    """A value in one row cannot be used; the text names the column and the value."""


# ---- values ---------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _number_text(value: float) -> str:
    """A number as the log writes it and messages quote it: ``9.5``, ``27``, ``1500``."""
    return f"{value:g}"


def parse_log_date(text: str) -> dt.date:
    """A YYYY-MM-DD date; the message says whether the form or the day is wrong."""
    s = text.strip()
    if not s:
        raise RowError("date is empty")
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        pass
    parts = s.split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts) and len(parts[0]) == 4:
        raise RowError(f'date "{s}" is not a valid date')
    raise RowError(f'date "{s}" is not a valid date (write it YYYY-MM-DD)')


def _hours_from(row: dict[str, str]) -> float:
    """Hours from ``sitting_hours`` (``9.5``, ``9,5``, ``9h30``...), else from
    ``sitting_minutes``."""
    columns = ((HOURS, parse_hours, 24.0, 1.0), (MINUTES, parse_duration_minutes, 1440.0, 60.0))
    for column, parse, most, per_hour in columns:
        text = row.get(column, "")
        if not text:
            continue
        try:
            value = parse(text)
        except ValueError as exc:
            raise RowError(f"{column} {exc}") from None
        if wrong := outside(column, value, 0, most):
            raise RowError(wrong)
        return value / per_hour
    raise RowError(f"no {HOURS} or {MINUTES} on this row")


def _numbness_from(text: str) -> int | None:
    if not text:
        return None
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise RowError(f'numbness "{text}" is not a whole number 0–10') from None
    if value != value or not value.is_integer():  # NaN or 2.5
        raise RowError(f'numbness "{text}" is not a whole number 0–10')
    if wrong := outside("numbness", value, 0, 10):
        raise RowError(wrong)
    return int(value)


def _seat_from(text: str) -> str | None:
    if not text:
        return None
    seat = text.lower()
    if seat not in ("hard", "soft"):
        raise RowError(f'seat "{text}" is not hard or soft')
    return seat


def parse_row(row: dict[str, str], line: int) -> LogRow:
    """One row (lower-case keys, stripped text values) as a ``LogRow``; ``RowError`` if bad."""
    return LogRow(
        date=parse_log_date(row.get("date", "")),
        sitting_hours=_hours_from(row),
        numbness=_numbness_from(row.get("numbness", "")),
        seat=_seat_from(row.get("seat", "")),
        line=line,
    )


# ---- table structure --------------------------------------------------------------------


def _normalise(name: str) -> str:
    """A column name as the log knows it: ``" Sitting Hours"`` → ``sitting_hours``,
    ``note`` → ``notes``."""
    key = column_name(name)
    return _ALIASES.get(key, key)


def _missing_columns(names: list[str]) -> str | None:
    have = set(names)
    if "date" in have and (HOURS in have or MINUTES in have):
        return None
    found = ", ".join(n for n in names if n) or "none"
    return f"needs columns date and {HOURS} (or {MINUTES}); found columns: {found}"


def has_log_columns(names: list[str]) -> bool:
    """Whether a header (``column_name``s) has what a log needs: date and hours or minutes."""
    return _missing_columns(names) is None


def split_csv(text: str) -> Table:
    """A CSV log as a ``Table`` whose names are the log's (``note`` read as ``notes``)."""
    table = read_table(text, has_log_columns)
    table.names = [_ALIASES.get(n, n) for n in table.names]
    return table


_LINE_CHUNK = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_COMMA_DECIMAL = re.compile(r"^\s*\d+,\d+\s*$")
_DOT_DECIMAL = re.compile(r"^\s*\d+\.\d+\s*$")


# ---- reading ---------------------------------------------------------------------------


def _frame(rows: list[LogRow], source: str) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "date": [r.date for r in rows],
            "sitting_hours": [r.sitting_hours for r in rows],
            "source": [source] * len(rows),
            "source_kind": ["self_report"] * len(rows),
            "numbness": [r.numbness for r in rows],
            "seat": [r.seat for r in rows],
        },
        schema=sitting_schema(),
    )


def _dedupe(rows: list[LogRow], path: str, problems: list[Problem]) -> list[LogRow]:
    """One row per date: identical repeats are kept once (warning); different values on
    the same date reject every row of that date (error naming the lines)."""
    by_date: dict[dt.date, list[LogRow]] = {}
    for r in rows:
        by_date.setdefault(r.date, []).append(r)
    kept: list[LogRow] = []
    for day, group in by_date.items():
        lines = " and ".join(str(r.line) for r in group)
        values = {(r.sitting_hours, r.numbness, r.seat) for r in group}
        if len(group) == 1:
            kept.append(group[0])
        elif len(values) == 1:
            kept.append(group[0])
            msg = f"date {day} is on lines {lines} (same values)"
            problems.append(Problem(path, "warning", msg, group[-1].line, code="log.repeated_date"))
        else:
            problems.append(
                Problem(
                    path,
                    "error",
                    f"date {day} is on lines {lines} with different values; neither is used",
                    group[-1].line,
                    code="log.conflicting_date",
                )
            )
    return sorted(kept, key=lambda r: r.date)


def _by_line(p: Problem) -> int:
    return p.line or 0


def _check_rows(
    items: list[tuple[int, dict[str, str]]], path: str, problems: list[Problem]
) -> list[LogRow]:
    rows: list[LogRow] = []
    for line, row in items:
        if not any(row.values()):
            continue
        try:
            rows.append(parse_row(row, line))
        except RowError as exc:
            problems.append(Problem(path, "error", str(exc), line, code="log.bad_value"))
    return _dedupe(rows, path, problems)


def read_csv_text(text: str, path: str) -> LogRead:
    """A CSV log given as text; ``path`` names it in problems."""
    problems: list[Problem] = []
    table = split_csv(text)
    if not table.header:
        problems.append(Problem(path, "error", "is empty (no header row)", code="log.empty"))
        return LogRead(_frame([], path), problems)
    if missing := _missing_columns(table.names):
        problems.append(Problem(path, "error", missing, 1, code="log.missing_columns"))
        return LogRead(_frame([], path), problems)
    problems += [Problem(path, "error", why, line, code="csv.quote") for line, why in table.broken]
    width = len(table.names)
    items: list[tuple[int, dict[str, str]]] = []
    for start, _end, values in table.rows:
        if len(values) > width:
            problems.append(
                Problem(
                    path,
                    "error",
                    f"row has {len(values)} values but the header has {width} columns; "
                    'this row is not used (put a decimal comma in quotes, "9,5", or '
                    "separate columns with ;)",
                    start,
                    code="log.extra_values",
                )
            )
            continue
        row = {n: v.strip() for n, v in zip(table.names, values, strict=False) if n}
        items.append((start, row))
    rows = _check_rows(items, path, problems)
    return LogRead(_frame(rows, path), sorted(problems, key=_by_line))


def read_json_text(text: str, path: str) -> LogRead:
    """A JSON log (a list of day objects) given as text."""
    problems: list[Problem] = []
    try:
        items = json_items(text)
    except NumberTooLongError as exc:
        msg = f"holds {exc.msg}: not read"
        problems.append(Problem(path, "error", msg, exc.lineno, code="json.number"))
        return LogRead(_frame([], path), problems)
    except json.JSONDecodeError as exc:
        msg = f"is not valid JSON: {exc.msg}"
        problems.append(Problem(path, "error", msg, exc.lineno, code="json.bad"))
        return LogRead(_frame([], path), problems)
    except RecursionError:
        problems.append(Problem(path, "error", TOO_DEEP, code="json.too_deep"))
        return LogRead(_frame([], path), problems)
    rows: list[tuple[int, dict[str, str]]] = []
    for line, obj in items:
        if not isinstance(obj, dict):
            msg = "item is not an object with date and hours"
            problems.append(Problem(path, "error", msg, line, code="log.bad_item"))
            continue
        row = {_normalise(str(k)): _text(v) for k, v in obj.items()}
        if missing := _missing_columns(list(row)):
            msg = missing.replace("columns", "keys")
            problems.append(Problem(path, "error", msg, line, code="log.missing_columns"))
            continue
        rows.append((line, row))
    kept = _check_rows(rows, path, problems)
    return LogRead(_frame(kept, path), sorted(problems, key=_by_line))


def read_log(path: str | Path) -> LogRead:
    """Read a manual log (CSV or JSON, told apart by content)."""
    p = Path(path)
    name = str(path)
    try:
        text, warning = read_text(p.read_bytes(), p)
    except OSError as exc:
        return LogRead(
            _frame([], name),
            [Problem(name, "error", f"cannot be read: {exc.strerror}", code="input.unreadable")],
        )
    except SittingError as exc:
        return LogRead(_frame([], name), [exc.problem(path=name)])
    reader: Callable[[str, str], LogRead] = read_csv_text
    if looks_like_json(text):
        reader = read_json_text
    read = reader(text, name)
    if warning is not None:
        read.problems.insert(0, warning.problem("warning", path=name))
    return read


# ---- writing ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AddResult:
    path: Path
    date: dt.date
    sitting_hours: float
    replaced: bool
    created: bool


def _values(hours: float, numbness: int | None, seat: str | None, note: str | None) -> dict:
    return {
        HOURS: _number_text(round(hours, 4)),
        MINUTES: _number_text(round(hours * 60, 2)),
        "numbness": "" if numbness is None else str(numbness),
        "seat": seat or "",
        "notes": note or "",
    }


def _row_text(values: list[str], delimiter: str) -> str:
    """One CSV row without its line end. The writer's line end is ``\r\n`` and cut off
    after: csv quotes only the characters of its line terminator, so with an empty one a
    note holding a line break was written bare and split the row in two."""
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerow(values)
    return buf.getvalue().removesuffix("\r\n")


def _check_new(hours: float, numbness: int | None, seat: str | None) -> None:
    wrong = outside(HOURS, hours, 0, 24)
    if wrong is None and numbness is not None:
        wrong = outside("numbness", numbness, 0, 10)
    if wrong:
        raise SittingError(wrong)
    if seat is not None and seat not in ("hard", "soft"):
        raise SittingError(f'seat "{seat}" is not hard or soft')


def _uses_decimal_comma(table: Table, names: list[str]) -> bool:
    """Whether hours are written ``9,5`` in this log: some value already is, or the log is
    separated by ``;`` (as Excel writes where the comma is the decimal mark) and no value
    is written ``9.5``."""
    if table.delimiter == ",":
        return False
    cols = [names.index(k) for k in (HOURS, MINUTES) if k in names]
    values = [row[i] for _s, _e, row in table.rows for i in cols if i < len(row)]
    if any(_COMMA_DECIMAL.match(v) for v in values):
        return True
    return table.delimiter == ";" and not any(_DOT_DECIMAL.match(v) for v in values)


def _add_csv(
    path: Path, text: str, day: dt.date, new: dict[str, str], replace: bool
) -> tuple[str, bool]:
    table = split_csv(text)
    if not table.header:
        raise SittingError("is empty (no header row); remove it or add a header", path=path)
    if missing := _missing_columns(table.names):
        raise SittingError(missing, path=path)
    if table.broken:  # a new row after a quote that never closes would never be read
        line, why = table.broken[0]
        raise SittingError(f"{why.split(';')[0]}; fix it before adding", path=path, line=line)
    header, names = list(table.header), list(table.names)
    wanted = ["date", HOURS if HOURS in names or MINUTES not in names else MINUTES]
    wanted += [k for k in ("numbness", "seat", "notes") if new[k]]
    added = [k for k in wanted if k not in names]
    header += added
    names += added
    idx = names.index("date")
    hits = []
    for start, end, values in table.rows:
        try:
            if idx < len(values) and parse_log_date(values[idx]) == day:
                hits.append((start, end, values))
        except RowError:
            continue
    if hits and not replace:
        first = hits[0]
        raise SittingLogDateExistsError(
            f"{day} is already in the log; use --replace to change it", path=path, line=first[0]
        )
    if _uses_decimal_comma(table, names):
        new = {k: v.replace(".", ",") if k in (HOURS, MINUTES) else v for k, v in new.items()}
    # Physical lines with their own line ends, so a note holding a newline inside quotes
    # keeps its exact bytes; only the rows written here use the log's usual line end.
    chunks = _LINE_CHUNK.findall(text)
    nl = table.newline

    def line(values: list[str]) -> str:
        return _row_text(values, table.delimiter) + nl

    if added:
        at = next(i for i, ln in enumerate(chunks) if ln.strip())
        chunks[at] = _row_text(header, table.delimiter) + _ending(chunks[at], nl)

    def render(old: list[str]) -> str:
        values = list(old) + [""] * (len(names) - len(old))
        values[idx] = day.isoformat()
        for k in wanted[1:]:
            values[names.index(k)] = new[k]
        return line(values)

    if hits:
        for start, end, _values in reversed(hits[1:]):
            del chunks[start - 1 : end]
        start, end, values = hits[0]
        chunks[start - 1 : end] = [render(values)]
    else:
        while chunks and not chunks[-1].strip():
            chunks.pop()
        if chunks and not chunks[-1].endswith(("\n", "\r")):
            chunks[-1] += nl
        chunks.append(render([]))
    return "".join(chunks), bool(hits)


def _ending(chunk: str, default: str) -> str:
    """The line end of one physical line (``default`` for a last line without one)."""
    body = chunk.rstrip("\r\n")
    return chunk[len(body) :] or default


def _add_json(
    path: Path, text: str, day: dt.date, new: dict[str, str], replace: bool, hours: float
) -> tuple[str, bool]:
    try:
        data = jsontext.loads(text)
    except NumberTooLongError as exc:
        msg = f"holds {exc.msg}: not changed"
        raise SittingError(msg, path=path, line=exc.lineno, code="json.number") from None
    except json.JSONDecodeError as exc:
        raise SittingError(f"is not valid JSON: {exc.msg}", path=path, line=exc.lineno) from None
    except RecursionError:
        raise SittingError(TOO_DEEP, path=path) from None
    if not isinstance(data, list):
        raise SittingError("is not a JSON list of day objects", path=path)
    item: dict[str, Any] = {"date": day.isoformat(), HOURS: round(hours, 4)}
    for k in ("numbness", "seat", "notes"):
        if new[k]:
            item[k] = int(new[k]) if k == "numbness" else new[k]
    hits = [
        i
        for i, obj in enumerate(data)
        if isinstance(obj, dict) and _text(obj.get("date")) == day.isoformat()
    ]
    if hits and not replace:
        raise SittingLogDateExistsError(
            f"{day} is already in the log; use --replace to change it", path=path
        )
    if hits:
        old = data[hits[0]]
        old.pop(MINUTES, None)
        old.update(item)
        data = [obj for i, obj in enumerate(data) if i not in hits[1:]]
    else:
        data.append(item)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n", bool(hits)


def _added_text(
    p: Path, day: dt.date, new: dict[str, str], replace: bool, hours: float
) -> tuple[str, bool, bool]:
    """The whole new text of the log at ``p`` with ``day`` added (byte-order mark kept),
    whether a row was replaced, and whether the log is new. Raises ``SittingError``."""
    bom = ""
    if p.exists():
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise SittingError(f"cannot be read: {exc.strerror}", path=p) from None
        bom = "\ufeff" if data.startswith(codecs.BOM_UTF8) else ""
        text = decode_text(data, p)
        created = False
    else:
        text = ""
        created = True
    if created or not text.strip():
        if p.suffix.lower() == ".json":
            out, replaced = _add_json(p, "[]", day, new, replace, hours)
        else:
            cols = ["date", HOURS, "numbness", "seat", "notes"]
            row = [day.isoformat(), new[HOURS], new["numbness"], new["seat"], new["notes"]]
            out, replaced = _row_text(cols, ",") + "\n" + _row_text(row, ",") + "\n", False
    elif looks_like_json(text):
        out, replaced = _add_json(p, text, day, new, replace, hours)
    else:
        out, replaced = _add_csv(p, text, day, new, replace)
    return bom + out, replaced, created


def add_day(
    path: str | Path,
    day: dt.date,
    hours: float,
    *,
    numbness: int | None = None,
    seat: str | None = None,
    note: str | None = None,
    replace: bool = False,
) -> AddResult:
    """Add one day to the log at ``path`` (created with a header if missing).

    A date already in the log raises ``SittingLogDateExistsError`` unless ``replace``;
    then that row is rewritten in place (its other columns kept). In a CSV log every
    other row, column and byte is kept, and the new row is written the file's way: its
    separator, line endings, byte-order mark and decimal mark (``9,5`` in a ``;`` log).
    A JSON log is written back as a list (keys kept, indented). The write is atomic and
    holds the log's lock (``runload.fsutil.locked``) from reading to replacing, so adds
    from several processes all land; a symlinked log is written through to its target. A
    file that cannot be read or written (read-only, not a regular file, locked too long)
    raises ``SittingError`` naming it.
    """
    p = Path(path)
    _check_new(hours, numbness, seat)
    new = _values(hours, numbness, seat, note)
    try:
        write_target(p)  # before reading: a FIFO would block, a read-only log is refused
        lock_path(p).parent.mkdir(parents=True, exist_ok=True)
        with locked(p):
            # Read, change and write under the lock, so a concurrent add (another
            # process) never writes back a log read before this one landed.
            out, replaced, created = _added_text(p, day, new, replace, hours)
            atomic_write(p, out, fsync=True, make_parents=False)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        msg = f"cannot be written: {reason}; the log is unchanged"
        raise SittingError(msg, path=p) from None
    return AddResult(p, day, hours, replaced, created)
