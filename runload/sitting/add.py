"""Adding or replacing one day in the manual sitting log (``runload sitting add``):
``add_day`` rewrites the log atomically under its lock, in the log's own way.

What the log is and how it reads lives in ``log``; what ``sitting add`` owns of a row
(``log.DayFields``, ``log.ADD_FIELDS``) too. Here: the new row written the file's way (its
encoding, separator, line endings, byte-order mark, decimal mark), every other byte kept,
and ``--replace`` rewriting every owned field of the day (one not given is emptied) while
the row's other columns stay.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from runload import jsontext
from runload.errors import SittingError, SittingLogDateExistsError
from runload.fsutil import atomic_write, lock_path, locked, write_target
from runload.sitting.log import (
    ADD_FIELDS,
    HOURS,
    MINUTES,
    DayFields,
    RowError,
    log_column,
    missing_columns,
    number_text,
    parse_log_date,
    row_text,
    split_csv,
    value_text,
)
from runload.sitting.text import TOO_DEEP, UTF8, Encoding, Table, looks_like_json, read_text_as
from runload.units import outside

_LINE_CHUNK = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_COMMA_DECIMAL = re.compile(r"^\s*\d+,\d+\s*$")
_DOT_DECIMAL = re.compile(r"^\s*\d+\.\d+\s*$")


@dataclass(frozen=True)
class AddResult:
    """What ``add_day`` did. ``previous``: the replaced day's own fields that had a value
    (``ADD_FIELDS`` → the text written; None when no day was replaced)."""

    path: Path
    date: dt.date
    sitting_hours: float
    replaced: bool
    created: bool
    previous: dict[str, str] | None = None
    encoding: str = "UTF-8"  # the log's, kept (Windows-1252, UTF-16 LE...)


def _values(hours: float, numbness: int | None, seat: str | None, note: str | None) -> DayFields:
    return DayFields(
        sitting_hours=number_text(round(hours, 4)),
        sitting_minutes=number_text(round(hours * 60, 2)),
        numbness="" if numbness is None else str(numbness),
        seat=seat or "",
        notes=note or "",
    )


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


def _set_csv(
    path: Path, text: str, day: dt.date, new: dict[str, str], owned: tuple[str, ...],
    wanted: list[str], replace: bool,
) -> tuple[str, dict[str, str] | None]:  # fmt: skip
    """The log's text with ``day``'s row holding ``new`` in the ``wanted`` columns (added to
    the header when missing): every ``owned`` column of the row is rewritten (one not
    wanted is emptied), every other column and byte kept. A row of ``day`` whose owned
    columns are all empty (a self-check's row, before its hours) is filled without
    ``replace``. Returns the text and the row's owned values before (None: no such row)."""
    table = split_csv(text)
    if not table.header:
        raise SittingError("is empty (no header row); remove it or add a header", path=path)
    if missing := missing_columns(table.names):
        raise SittingError(missing, path=path)
    if table.broken:  # a new row after a quote that never closes would never be read
        line, why = table.broken[0]
        raise SittingError(f"{why.split(';')[0]}; fix it before adding", path=path, line=line)
    header, names = list(table.header), list(table.names)
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

    def owned_values(values: list[str]) -> dict[str, str]:
        pairs = zip(names, values, strict=False)
        return {k: v.strip() for k, v in pairs if k in owned and v.strip()}

    if hits and not replace and any(owned_values(v) for _s, _e, v in hits):
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

    def as_line(values: list[str]) -> str:
        return row_text(values, table.delimiter) + nl

    if added:
        at = next(i for i, ln in enumerate(chunks) if ln.strip())
        chunks[at] = row_text(header, table.delimiter) + _ending(chunks[at], nl)

    def render(old: list[str]) -> str:
        """The day's row: the date, every owned field (given, else empty), the rest kept."""
        values = list(old) + [""] * (len(names) - len(old))
        values[idx] = day.isoformat()
        for i, k in enumerate(names):
            if k in owned:
                values[i] = new.get(k, "") if k in wanted else ""
        return as_line(values)

    previous: dict[str, str] | None = None
    if hits:
        for start, end, _values in reversed(hits[1:]):
            del chunks[start - 1 : end]
        start, end, values = hits[0]
        previous = owned_values(values)
        chunks[start - 1 : end] = [render(values)]
    else:
        while chunks and not chunks[-1].strip():
            chunks.pop()
        if chunks and not chunks[-1].endswith(("\n", "\r")):
            chunks[-1] += nl
        chunks.append(render([]))
    return "".join(chunks), previous


def _add_csv(
    path: Path, text: str, day: dt.date, fields: DayFields, replace: bool
) -> tuple[str, dict[str, str] | None]:
    """``sitting add``'s row: the hours in the log's hours column, the fields given."""
    names = split_csv(text).names
    new = fields._asdict()
    wanted = ["date", HOURS if HOURS in names or MINUTES not in names else MINUTES]
    wanted += [k for k in ("numbness", "seat", "notes") if new[k]]
    return _set_csv(path, text, day, new, ADD_FIELDS, wanted, replace)


def _ending(chunk: str, default: str) -> str:
    """The line end of one physical line (``default`` for a last line without one)."""
    body = chunk.rstrip("\r\n")
    return chunk[len(body) :] or default


def _set_json(
    path: Path, text: str, day: dt.date, item: dict[str, Any], owned: tuple[str, ...],
    replace: bool,
) -> tuple[str, dict[str, str] | None]:  # fmt: skip
    """A JSON log with ``day``'s object holding ``item`` (its ``owned`` keys rewritten, the
    others kept); as ``_set_csv``."""
    try:
        data = jsontext.loads(text)
    except jsontext.NumberTooLongError as exc:
        msg = f"holds {exc.msg}: not changed"
        raise SittingError(msg, path=path, line=exc.lineno, code="json.number") from None
    except json.JSONDecodeError as exc:
        raise SittingError(f"is not valid JSON: {exc.msg}", path=path, line=exc.lineno) from None
    except RecursionError:
        raise SittingError(TOO_DEEP, path=path) from None
    if not isinstance(data, list):
        raise SittingError("is not a JSON list of day objects", path=path)

    def date_of(obj: dict[str, Any]) -> str:  # "Date" is "date", as the reader reads it
        return next((value_text(v) for k, v in obj.items() if log_column(str(k)) == "date"), "")

    def owned_of(obj: dict[str, Any]) -> dict[str, str]:
        keys = [k for k in obj if log_column(str(k)) in owned]
        return {log_column(str(k)): value_text(obj[k]) for k in keys if value_text(obj[k])}

    hits = [
        i for i, obj in enumerate(data) if isinstance(obj, dict) and date_of(obj) == day.isoformat()
    ]
    if hits and not replace and any(owned_of(data[i]) for i in hits):
        raise SittingLogDateExistsError(
            f"{day} is already in the log; use --replace to change it", path=path
        )
    previous: dict[str, str] | None = None
    if hits:
        old = data[hits[0]]
        previous = owned_of(old)
        for k in [k for k in old if log_column(str(k)) in (*owned, "date")]:
            del old[k]  # every owned field is rewritten (the date as "date")
        old.update(item)
        data = [obj for i, obj in enumerate(data) if i not in hits[1:]]
    else:
        data.append(item)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n", previous


def _add_json(
    path: Path, text: str, day: dt.date, fields: DayFields, replace: bool, hours: float
) -> tuple[str, dict[str, str] | None]:
    item: dict[str, Any] = {"date": day.isoformat(), HOURS: round(hours, 4)}
    for k in ("numbness", "seat", "notes"):
        if value := getattr(fields, k):
            item[k] = int(value) if k == "numbness" else value
    return _set_json(path, text, day, item, ADD_FIELDS, replace)


Change = Callable[[Path, str], tuple[str, "dict[str, str] | None"]]


def _changed_log(
    p: Path, csv_change: Change, json_change: Change, fresh_csv: str
) -> tuple[bytes, dict[str, str] | None, bool, Encoding]:
    """The whole new content of the log at ``p``, in the log's own encoding (UTF-8, UTF-16
    or Windows-1252, its byte-order mark kept): a CSV log through ``csv_change``, a JSON one
    through ``json_change``, a new or empty log as ``fresh_csv`` (JSON when named ``.json``);
    the day's owned fields before (None: no such day); whether the log is new; its
    encoding. Raises ``SittingError``."""
    encoding = UTF8
    if p.exists():
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise SittingError(f"cannot be read: {exc.strerror}", path=p) from None
        text, encoding, _warning = read_text_as(data, p)
        created = False
    else:
        text = ""
        created = True
    previous: dict[str, str] | None = None
    if created or not text.strip():
        if p.suffix.lower() == ".json":
            out, previous = json_change(p, "[]")
        else:
            out = fresh_csv
    elif looks_like_json(text):
        out, previous = json_change(p, text)
    else:
        out, previous = csv_change(p, text)
    return encoding.encode(out, p), previous, created, encoding


def _write_log(p: Path, make: Callable[[], tuple[bytes, Any, bool, Encoding]]) -> Any:
    """Run ``make`` (the new content, from the log as it is now) and write its bytes,
    atomically, under the log's lock; ``SittingError`` naming a log that cannot be."""
    try:
        write_target(p)  # before reading: a FIFO would block, a read-only log is refused
        lock_path(p).parent.mkdir(parents=True, exist_ok=True)
        with locked(p):
            # Read, change and write under the lock, so a concurrent add (another
            # process) never writes back a log read before this one landed.
            out, *rest = make()
            atomic_write(p, out, fsync=True, make_parents=False)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        msg = f"cannot be written: {reason}; the log is unchanged"
        raise SittingError(msg, path=p) from None
    return rest


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

    A date already in the log raises ``SittingLogDateExistsError`` unless ``replace``, or
    unless its row holds none of the fields ``sitting add`` owns (a self-check's row: the
    hours fill it); with ``replace`` that row is rewritten in place: every field ``sitting
    add`` owns (``ADD_FIELDS``) is the one given or emptied, its other columns are kept, and
    ``AddResult.previous`` says what it held. In a CSV log every other row, column and
    byte is kept, and the new row is written the file's way: its encoding (UTF-8, UTF-16,
    Windows-1252; a character the encoding cannot hold is refused), separator, line
    endings, byte-order mark and decimal mark (``9,5`` in a ``;`` log). A JSON log is
    written back as a list (keys kept, indented). The write is atomic and
    holds the log's lock (``runload.fsutil.locked``) from reading to replacing, so adds
    from several processes all land; a symlinked log is written through to its target. A
    file that cannot be read or written (read-only, not a regular file, locked too long)
    raises ``SittingError`` naming it.
    """
    p = Path(path)
    _check_new(hours, numbness, seat)
    new = _values(hours, numbness, seat, note)
    cols = ["date", HOURS, "numbness", "seat", "notes"]
    row = [day.isoformat(), new.sitting_hours, new.numbness, new.seat, new.notes]
    fresh = row_text(cols, ",") + "\n" + row_text(row, ",") + "\n"
    previous, created, encoding = _write_log(
        p,
        lambda: _changed_log(
            p,
            lambda q, text: _add_csv(q, text, day, new, replace),
            lambda q, text: _add_json(q, text, day, new, replace, hours),
            fresh,
        ),
    )
    return AddResult(p, day, hours, bool(previous), created, previous, encoding.name)


def set_day_fields(
    path: str | Path, day: dt.date, values: dict[str, str], owned: tuple[str, ...]
) -> tuple[dict[str, str] | None, bool]:
    """Write ``values`` into ``day``'s row of the log at ``path`` (a row created without hours
    when the day has none; a log created with ``sitting add``'s header and these columns when
    there is none): every ``owned`` column of the row is rewritten (one not in ``values`` is
    emptied), every other column kept, with ``add_day``'s lock, encoding and atomic write
    (``runload selfcheck`` writes its columns so). Returns the owned values the row held
    (None: no row of that day) and whether the log is new."""
    p = Path(path)
    wanted = ["date", *(k for k in owned if values.get(k))]
    cols = ["date", HOURS, "numbness", "seat", "notes", *owned]
    row = [day.isoformat(), "", "", "", "", *(values.get(k, "") for k in owned)]
    fresh = row_text(cols, ",") + "\n" + row_text(row, ",") + "\n"
    item: dict[str, Any] = {"date": day.isoformat(), **{k: v for k, v in values.items() if v}}
    previous, created, _encoding = _write_log(
        p,
        lambda: _changed_log(
            p,
            lambda q, text: _set_csv(q, text, day, values, owned, wanted, replace=True),
            lambda q, text: _set_json(q, text, day, item, owned, replace=True),
            fresh,
        ),
    )
    return previous, created
