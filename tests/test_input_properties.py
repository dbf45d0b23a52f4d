"""Property tests (hypothesis) of what people type and keep: the sitting readers (CSV
dialects, encodings, JSON shapes), the config and the date and duration parsers. Whatever
the input, no traceback, and every row is either read or named in a problem.

Each property runs a bounded number of examples (a few seconds each); a failure prints
the smallest input hypothesis found."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from runload.config import ConfigError, Settings, settings_from_toml
from runload.errors import RunloadError
from runload.sitting import ReadContext, read_log
from runload.sitting.log import read_csv_text, read_json_text
from runload.sitting.read import read_sitting_file
from runload.units import parse_date, parse_duration_minutes, parse_hours

QUICK = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
NAME = "log.csv"

# --- the sitting log as CSV: dialects and encodings ----------------------------------------

DAYS = st.lists(
    st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2026, 12, 31)),
    min_size=1,
    max_size=12,
    unique=True,
)
HOURS_TEXT = st.one_of(
    st.floats(0, 30, allow_nan=False).map(lambda h: f"{h:.2f}"),
    st.integers(0, 1500).map(lambda m: f"{m}m"),
    st.tuples(st.integers(0, 26), st.integers(0, 70)).map(lambda t: f"{t[0]}h{t[1]:02d}"),
    st.tuples(st.integers(0, 26), st.integers(0, 70)).map(lambda t: f"{t[0]}:{t[1]:02d}"),
    st.sampled_from(["", "9,5", "abc", "-1", "9.5.1", "nan", "inf", "1e3", "½"]),
)
# Text a person may type into a cell: quotes, separators and non-ASCII included, but one
# line (a quoted line break is a test of its own in test_sitting_trust).
CELL = st.text(alphabet=st.characters(codec="cp1252", exclude_categories=("Cc", "Cs")), max_size=12)
OTHER = st.one_of(CELL, st.integers(-3, 14).map(str), st.sampled_from(["hard", "soft", "x"]))


@st.composite
def csv_logs(draw: st.DrawFn) -> tuple[str, list[dt.date]]:
    """A log as text: a header (hours or minutes, optional columns, an extra one, in any
    order) and one row per unique date, each cell typed freely, in one dialect."""
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    hours = draw(st.sampled_from(["sitting_hours", "Sitting Hours", "sitting_minutes"]))
    optional = draw(st.lists(st.sampled_from(["numbness", "seat", "notes", "mood"]), unique=True))
    columns = draw(st.permutations(["date", hours, *optional]))
    days = draw(DAYS)
    rows = []
    for day in days:
        row = {"date": draw(st.one_of(st.just(day.isoformat()), CELL))}
        row[hours] = draw(HOURS_TEXT)
        for column in optional:
            row[column] = draw(OTHER)
        cut = draw(st.integers(1, len(columns)))  # rows may be shorter than the header
        rows.append([row[c] for c in columns][:cut])
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_NONE]))
    if [""] in rows:  # csv writes a lone empty field only quoted
        quoting = csv.QUOTE_MINIMAL
    buf = io.StringIO()
    writer = csv.writer(
        buf, delimiter=delimiter, lineterminator=newline, quoting=quoting, escapechar="\\"
    )
    writer.writerow(columns)
    writer.writerows(rows)
    return buf.getvalue(), days


@QUICK
@given(csv_logs())
def test_a_csv_log_in_any_dialect_never_raises_and_names_every_row_it_does_not_read(
    log: tuple[str, list[dt.date]],
) -> None:
    text, days = log
    read = read_csv_text(text, NAME)
    kept = set(read.days.get_column("date").to_list())
    named = {p.line for p in read.problems if p.severity == "error"}
    assert all(p.path == NAME and p.message for p in read.problems)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, line in enumerate(lines[1:], start=2):
        if not re.sub(r'[\s,;"\\]', "", line):
            continue  # a row of empty (or blank) cells is no row
        day_text = next((d for d in (x.isoformat() for x in days) if d in line), None)
        read_it = day_text is not None and dt.date.fromisoformat(day_text) in kept
        assert read_it or number in named, f"line {number} neither read nor named: {line!r}"
    assert read.days.get_column("date").is_unique().all()
    assert read.days.get_column("sitting_hours").is_between(0, 24).all()


ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252"]


@QUICK
@given(csv_logs(), st.sampled_from(ENCODINGS))
def test_a_csv_log_in_any_encoding_reads_as_its_text_does(
    tmp_path_factory: pytest.TempPathFactory, log: tuple[str, list[dt.date]], encoding: str
) -> None:
    text, _days = log
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        assume(False)
    if encoding in ("utf-16-le", "utf-16-be"):  # no byte-order mark: told by its zero bytes,
        assume(all(" " <= c < "\u0100" for c in text[:256] if c not in "\t\r\n"))
    if encoding == "cp1252":  # bytes that are also UTF-8 (Ã© is é) cannot be told apart
        assume(text.isascii() or not _is_utf8(data))
    path = tmp_path_factory.getbasetemp() / NAME
    path.write_bytes(data)
    from_file = read_log(path)
    from_text = read_csv_text(text, str(path))
    assert from_file.days.equals(from_text.days)
    errors = [p for p in from_file.problems if p.severity == "error"]
    assert errors == [p for p in from_text.problems if p.severity == "error"]


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# --- the sitting log as JSON: any shape -----------------------------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 30) | st.floats(allow_nan=True) | CELL,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(CELL, inner, max_size=4),
    max_leaves=12,
)
DAY_OBJECTS = st.fixed_dictionaries(
    {"date": st.dates(dt.date(2020, 1, 1), dt.date(2026, 12, 31)).map(dt.date.isoformat)},
    optional={
        "sitting_hours": st.one_of(st.floats(-2, 30), HOURS_TEXT, JSON_VALUES),
        "Sitting Minutes": st.one_of(st.integers(-10, 2000), JSON_VALUES),
        "numbness": st.one_of(st.integers(-2, 12), JSON_VALUES),
        "seat": OTHER,
        "Note": JSON_VALUES,
    },
)


def _key(item: object) -> str:
    """Items unique by date (a repeated date is a test of its own in test_sitting_log)."""
    if isinstance(item, dict) and isinstance(item.get("date"), str):
        return item["date"]
    return repr(item)


@QUICK
@given(
    st.lists(st.one_of(DAY_OBJECTS, JSON_VALUES), max_size=10, unique_by=_key),
    st.integers(0, 2),
)
def test_a_json_log_of_any_shape_never_raises_and_names_every_item_it_does_not_read(
    items: list[object], indent: int
) -> None:
    text = json.dumps(items, indent=indent or None)
    read = read_json_text(text, NAME)
    assert all(p.path == NAME and p.message for p in read.problems)
    kept = {d.isoformat() for d in read.days.get_column("date").to_list()}
    assert kept <= {i.get("date") for i in items if isinstance(i, dict)}
    errors = [p for p in read.problems if p.severity == "error"]
    assert len(kept) + len(errors) == len(items), (items, read.problems)  # read, or named
    if indent:  # items on lines of their own: every error names the item's line
        assert all(p.line is not None for p in errors)


@QUICK
@given(JSON_VALUES)
def test_any_json_document_as_a_sitting_source_is_read_or_one_problem(
    tmp_path_factory: pytest.TempPathFactory, value: object
) -> None:
    path = tmp_path_factory.getbasetemp() / "sitting.json"
    path.write_text(json.dumps(value))
    ctx = ReadContext(today=dt.date(2026, 12, 31), waking=(dt.time(7), dt.time(23)))
    try:
        read = read_sitting_file(path, ctx)
    except RunloadError as exc:  # not a sitting source: one line naming the file
        assert str(exc).startswith(str(path))
        return
    assert all(p.path == str(path) for p in read.problems)


# --- the config -----------------------------------------------------------------------------

KEYS = {
    "athlete": ["hr_max", "hr_rest", "sex", "timezone", "hr_mx"],
    "load": ["acwr_method", "acute_days", "chronic_days", "long_run_minutes"],
    "risk": ["sitting_hours", "sitting_hours_high", "numbness", "morning_before"],
    "sitting": ["log", "waking_start", "waking_end", "device_offset_hours"],
    "paths": ["activities", "cache_dir"],
    "nosuch": ["x"],
}
TOML_VALUES = st.one_of(
    st.integers(-10, 400).map(str),
    st.floats(-10, 400, allow_nan=False).map(repr),
    st.booleans().map(lambda b: str(b).lower()),
    CELL.map(json.dumps),
    st.sampled_from(['"07:00"', "07:00:00", '"25:00"', "[1, 2]", "{a = 1}", '"ewma"', "nan"]),
)


@st.composite
def toml_documents(draw: st.DrawFn) -> str:
    lines = []
    for table in draw(st.lists(st.sampled_from(sorted(KEYS)), unique=True, max_size=4)):
        lines.append(f"[{table}]")
        for key in draw(st.lists(st.sampled_from(KEYS[table]), unique=True, max_size=3)):
            lines.append(f"{key} = {draw(TOML_VALUES)}")
    if draw(st.booleans()):
        lines.append(draw(st.text(max_size=20)))  # whatever else is typed
    return "\n".join(lines) + "\n"


@QUICK
@given(toml_documents())
def test_any_config_is_settings_or_one_config_error_naming_the_file(text: str) -> None:
    try:
        result = settings_from_toml(text)
    except ConfigError as exc:
        message = str(exc)
        assert message.startswith("<config>") and "\n" not in message
        return
    assert isinstance(result, Settings)


# --- dates and durations -------------------------------------------------------------------


@QUICK
@given(st.integers(0, 9999), st.integers(0, 99), st.integers(0, 99))
def test_a_date_in_the_yyyy_mm_dd_form_is_a_day_or_says_why_not(y: int, m: int, d: int) -> None:
    text = f"{y:04d}-{m:02d}-{d:02d}"
    try:
        day = parse_date(text)
    except ValueError as exc:
        message = str(exc)
        assert message.startswith(f'"{text}" is not a')
        if y >= 1 and not 1 <= m <= 12:
            assert f"there is no month {m}" in message
        elif y >= 1:
            assert f"there is no day {d}" in message
        return
    assert day == dt.date(y, m, d)


@QUICK
@given(st.text(max_size=20))
def test_any_text_as_a_date_is_a_day_or_one_plain_message(text: str) -> None:
    try:
        parse_date(text)
    except ValueError as exc:
        assert str(exc).startswith(f'"{text}" is not a')


@QUICK
@given(st.text(max_size=16), st.sampled_from(["minutes", "hours", None]))
def test_any_text_as_a_duration_is_minutes_or_one_plain_message(
    text: str, bare: str | None
) -> None:
    try:
        minutes = parse_duration_minutes(text, bare_unit=bare)
    except ValueError as exc:
        assert str(exc).startswith(f'"{text}" ')
        return
    assert minutes >= 0 and minutes == minutes  # never negative, never NaN


@QUICK
@given(st.integers(0, 30), st.integers(0, 59))
def test_every_written_form_of_a_duration_agrees(h: int, m: int) -> None:
    total = h * 60 + m
    for written in (f"{h}h{m:02d}", f"{h}:{m:02d}", f"{total}min", f"{total}m", f"{h}h{m}min"):
        assert parse_duration_minutes(written, bare_unit=None) == total, written
    assert parse_hours(f"{h}h{m:02d}") == pytest.approx(total / 60)
    assert parse_hours(f"{h},{m:02d}") == pytest.approx(h + m / 100)  # a decimal comma
    with pytest.raises(ValueError, match="has no unit"):
        parse_duration_minutes(str(total), bare_unit=None)
