"""The manual sitting log: what it is and how it reads (CSV or JSON, every row checked,
problems with line numbers), and what of a row ``sitting add`` owns (``DayFields``,
``ADD_FIELDS``; the adding itself is ``add``).

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
(``text.read_table``), never swallowed into one value. A row shorter than the header whose
hours and next value may be one decimal-comma number (``2026-05-01,9,5`` under five
columns: 9 h and numbness 5, or 9.5 h?) is read as written, with a warning giving both
readings and how to write each (``_comma_doubt``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import polars as pl

from runload.body import SELFCHECK_FIELDS, pain_cell, parse_pain, parse_side
from runload.errors import Problem, SittingError
from runload.jsontext import NumberTooLongError
from runload.schema import sitting_frame
from runload.sitting.text import (
    TOO_DEEP,
    Table,
    column_name,
    json_items,
    looks_like_json,
    read_table,
    read_text,
)
from runload.units import no_such_day, outside, parse_duration_minutes, parse_hours

HOURS = "sitting_hours"
MINUTES = "sitting_minutes"
LONGEST, LONGEST_MINUTES = "longest_sit", "longest_sit_minutes"
_ALIASES = {"note": "notes"}
# What else a row may log of its day without its sitting hours.
OTHER_FIELDS = ("numbness", "seat", LONGEST, LONGEST_MINUTES, *SELFCHECK_FIELDS)


@dataclass(frozen=True)
class LogRow:
    """One accepted row of the log. ``sitting_hours`` is None on a row that logs something
    else of the day (a self-check, numbness) but not its sitting: unknown, not an error."""

    date: dt.date
    sitting_hours: float | None
    numbness: int | None
    seat: str | None
    line: int
    longest_sit_minutes: float | None = None
    trendelenburg: str | None = None
    thomas: str | None = None
    pain: str | None = None

    def values(self) -> tuple[object, ...]:
        """What the row says of its day (two rows of one date agree when these do)."""
        return (
            self.sitting_hours,
            self.numbness,
            self.seat,
            self.longest_sit_minutes,
            self.trendelenburg,
            self.thomas,
            self.pain,
        )


@dataclass
class LogRead:
    """What a log gave: the accepted rows (as a sitting frame) and what was wrong."""

    days: pl.DataFrame
    problems: list[Problem] = field(default_factory=list)


class RowError(ValueError):
    """A value in one row cannot be used; the text names the column and the value."""


# ---- values ---------------------------------------------------------------------------


def value_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def number_text(value: float) -> str:
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
    if why := no_such_day(s):
        raise RowError(f'date "{s}" is not a day of the calendar ({why})')
    parts = s.split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts) and len(parts[0]) == 4:
        raise RowError(f'date "{s}" is not a valid date')
    raise RowError(f'date "{s}" is not a valid date (write it YYYY-MM-DD)')


def _hours_from(row: dict[str, str]) -> float | None:
    """Hours from ``sitting_hours`` (``9.5``, ``9,5``, ``9h30``...), else from
    ``sitting_minutes``; None on a row that logs something else of the day (a self-check,
    numbness, the seat) but not its sitting."""
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
    if any(row.get(k) for k in OTHER_FIELDS):
        return None
    raise RowError(f"no {HOURS} or {MINUTES} on this row")


def _longest_sit_from(row: dict[str, str]) -> float | None:
    """Minutes of the day's longest unbroken sitting: ``longest_sit`` (``2h40``, ``160m``;
    a bare number is hours, as ``sitting_hours``), else ``longest_sit_minutes``."""
    for column, unit in ((LONGEST, "hours"), (LONGEST_MINUTES, "minutes")):
        text = row.get(column, "")
        if not text:
            continue
        try:
            minutes = parse_duration_minutes(text, bare_unit=unit)
        except ValueError as exc:
            raise RowError(f"{column} {exc}") from None
        if wrong := outside(LONGEST_MINUTES, minutes, 0, 24 * 60):
            raise RowError(wrong)
        return minutes
    return None


def _side_from(row: dict[str, str], test: str) -> str | None:
    text = row.get(test, "")
    if not text:
        return None
    try:
        return parse_side(text, test)
    except ValueError as exc:
        raise RowError(str(exc)) from None


def _pain_from(text: str) -> str | None:
    if not text:
        return None
    try:
        return pain_cell(parse_pain(text))
    except ValueError as exc:
        raise RowError(str(exc)) from None


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
        longest_sit_minutes=_longest_sit_from(row),
        trendelenburg=_side_from(row, "trendelenburg"),
        thomas=_side_from(row, "thomas"),
        pain=_pain_from(row.get("pain", "")),
    )


# ---- table structure --------------------------------------------------------------------


def log_column(name: str) -> str:
    """A column name as the log knows it: ``" Sitting Hours"`` → ``sitting_hours``,
    ``note`` → ``notes``."""
    key = column_name(name)
    return _ALIASES.get(key, key)


def missing_columns(names: list[str]) -> str | None:
    have = set(names)
    if "date" in have and (HOURS in have or MINUTES in have):
        return None
    found = ", ".join(n for n in names if n) or "none"
    return f"needs columns date and {HOURS} (or {MINUTES}); found columns: {found}"


def has_log_columns(names: list[str]) -> bool:
    """Whether a header (``column_name``s) has what a log needs: date and hours or minutes."""
    return missing_columns(names) is None


def split_csv(text: str) -> Table:
    """A CSV log as a ``Table`` whose names are the log's (``note`` read as ``notes``)."""
    table = read_table(text, has_log_columns)
    table.names = [_ALIASES.get(n, n) for n in table.names]
    return table


# ---- reading ---------------------------------------------------------------------------


def _frame(rows: list[LogRow], source: str) -> pl.DataFrame:
    return sitting_frame(
        {
            "date": [r.date for r in rows],
            "sitting_hours": [r.sitting_hours for r in rows],
            "source": [source] * len(rows),
            "source_kind": ["self_report"] * len(rows),
            "numbness": [r.numbness for r in rows],
            "seat": [r.seat for r in rows],
            "longest_sit_minutes": [r.longest_sit_minutes for r in rows],
            "trendelenburg": [r.trendelenburg for r in rows],
            "thomas": [r.thomas for r in rows],
            "pain": [r.pain for r in rows],
        }
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
        values = {r.values() for r in group}
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
    items: list[tuple[int, dict[str, str]]],
    path: str,
    problems: list[Problem],
    doubts: dict[int, _Doubt] | None = None,
) -> list[LogRow]:
    """Each row parsed (a bad one is an error naming its line); a row in ``doubts`` (its
    two numbers may be one decimal-comma value) is read as written, with a warning when
    it is used and the other reading in its error when it is not."""
    rows: list[LogRow] = []
    doubts = doubts or {}
    for line, row in items:
        if not any(row.values()):
            continue
        doubt = doubts.get(line)
        try:
            rows.append(parse_row(row, line))
        except RowError as exc:
            hint = f"; {doubt.other}" if doubt else ""
            msg = f"{exc}{hint}"
            problems.append(Problem(path, "error", msg, line, code="log.bad_value"))
            continue
        if doubt:
            problems.append(Problem(path, "warning", doubt.warning, line, code="log.comma_doubt"))
    return _dedupe(rows, path, problems)


@dataclass(frozen=True)
class _Doubt:
    """A short row of a comma log whose hours and next value may be one number written
    with a decimal comma (``2026-05-01,9,5`` under five columns: 9 h and numbness 5, or
    9.5 h?): what the warning says when the row is read as written, and the other reading
    for the error when it is not."""

    warning: str
    other: str


_WHOLE = re.compile(r"^\d+$")


def _comma_doubt(names: list[str], values: list[str]) -> _Doubt | None:
    """The doubt about a row shorter than its header (``names``) in a comma log, when its
    hours (or minutes) value and the next one are whole numbers that also read as one
    decimal (``9,5`` as 9.5) giving a row as valid; None otherwise. A row with every column
    written (``2026-05-01,9,5,,``) is taken as written, without doubt."""
    width = len(names)
    if len(values) >= width:
        return None
    column = HOURS if HOURS in names else MINUTES
    if column not in names:
        return None
    h = names.index(column)
    if h + 1 >= len(values) or not names[h + 1]:
        return None
    whole, part = values[h].strip(), values[h + 1].strip()
    if not (_WHOLE.match(whole) and _WHOLE.match(part)):
        return None
    merged = [*values[:h], f"{whole},{part}", *values[h + 2 :]]
    try:
        parse_row({n: v.strip() for n, v in zip(names, merged, strict=False) if n}, 0)
    except RowError:
        return None  # only the written reading is a row
    unit = "hours" if column == HOURS else "minutes"
    decimal = f"{whole}.{part}"
    other = f'if {whole},{part} is {decimal} {unit}, write {decimal} or "{whole},{part}" in quotes'
    full = row_text([*values, *[""] * (width - len(values))], ",")
    warning = (
        f"{whole},{part} is read as {column} {whole} and {names[h + 1]} {part} (the row has "
        f"{len(values)} of the header's {width} values); {other}; to keep {column} {whole} "
        f"and {names[h + 1]} {part}, write every column: {full}"
    )
    return _Doubt(warning, other)


def read_csv_text(text: str, path: str) -> LogRead:
    """A CSV log given as text; ``path`` names it in problems."""
    problems: list[Problem] = []
    table = split_csv(text)
    if not table.header:
        problems.append(Problem(path, "error", "is empty (no header row)", code="log.empty"))
        return LogRead(_frame([], path), problems)
    if missing := missing_columns(table.names):
        problems.append(Problem(path, "error", missing, 1, code="log.missing_columns"))
        return LogRead(_frame([], path), problems)
    problems += [Problem(path, "error", why, line, code="csv.quote") for line, why in table.broken]
    width = len(table.names)
    items: list[tuple[int, dict[str, str]]] = []
    doubts: dict[int, _Doubt] = {}
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
        if table.delimiter == "," and (doubt := _comma_doubt(table.names, values)):
            doubts[start] = doubt
    rows = _check_rows(items, path, problems, doubts)
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
        row = {log_column(str(k)): value_text(v) for k, v in obj.items()}
        if missing := missing_columns(list(row)):
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


# ---- what sitting add writes ---------------------------------------------------------


class DayFields(NamedTuple):
    """The fields of a day that ``sitting add`` owns, as it writes them (text). It writes
    every one of them: ``--replace`` rewrites them all, and one not given is emptied (the
    old numbness of a replaced day must not keep adding points). Any other column of the
    row (the user's own, another command's such as ``runload selfcheck``'s) is kept."""

    sitting_hours: str
    sitting_minutes: str
    numbness: str
    seat: str
    notes: str


# The columns (``column_name``s, ``note`` read as ``notes``) ``sitting add`` owns.
ADD_FIELDS: tuple[str, ...] = DayFields._fields


def row_text(values: list[str], delimiter: str) -> str:
    """One CSV row without its line end. The writer's line end is ``\r\n`` and cut off
    after: csv quotes only the characters of its line terminator, so with an empty one a
    note holding a line break was written bare and split the row in two."""
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerow(values)
    return buf.getvalue().removesuffix("\r\n")
