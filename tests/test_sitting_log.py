"""The manual sitting log: every accepted form, every bad-row message, and add_day."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from runload.errors import SittingError, SittingLogDateExistsError
from runload.schema import SITTING_COLUMNS
from runload.sitting import add_day, read_log
from runload.sitting.log import read_csv_text, read_json_text

D = dt.date


def _rows(text: str, name: str = "sitting.csv"):
    r = read_csv_text(text, name)
    return r.days.to_dicts(), [str(p) for p in r.problems]


def test_hours_forms_and_optional_columns() -> None:
    text = (
        "Date;Sitting_Hours;NUMBNESS;Seat;Notes;mood\n"
        "2026-03-01;9,5;2;Hard;desk day;ok\n"
        "2026-03-02;9h30;;;;\n"
        "2026-03-03;570m;0;soft;;\n"
        "2026-03-04;9:30;;;;\n"
        "2026-03-05;8;10;;;\n"
    )
    days, problems = _rows(text)
    assert problems == []
    assert [d["date"] for d in days] == [D(2026, 3, i) for i in range(1, 6)]
    assert [d["sitting_hours"] for d in days] == [9.5, 9.5, 9.5, 9.5, 8.0]
    assert [d["numbness"] for d in days] == [2, None, 0, None, 10]
    assert [d["seat"] for d in days] == ["hard", None, "soft", None, None]
    assert {d["source_kind"] for d in days} == {"self_report"}
    assert {d["source"] for d in days} == {"sitting.csv"}


def test_column_names_with_spaces() -> None:
    days, problems = _rows("Date;Sitting Hours;Seat\n2026-03-01;9,5;hard\n")
    assert problems == []
    assert [(d["sitting_hours"], d["seat"]) for d in days] == [(9.5, "hard")]


def test_quoted_comma_decimal_and_minutes_column() -> None:
    days, problems = _rows('date,sitting_hours\n2026-03-01,"9,5"\n')
    assert problems == [] and days[0]["sitting_hours"] == 9.5
    days, problems = _rows("DATE,Sitting_Minutes\n2026-03-01,570\n2026-03-02,8h\n")
    assert problems == []
    assert [d["sitting_hours"] for d in days] == [9.5, 8.0]


def test_unquoted_comma_decimal_is_a_clear_error() -> None:
    days, problems = _rows("date,sitting_hours\n2026-03-01,9,5\n2026-03-02,8\n")
    assert [d["date"] for d in days] == [D(2026, 3, 2)]
    assert problems == [
        "sitting.csv:2: row has 3 values but the header has 2 columns; this row is not used "
        '(put a decimal comma in quotes, "9,5", or separate columns with ;)'
    ]


def test_each_bad_row_message_and_the_rest_is_read() -> None:
    text = (
        "date,sitting_hours,numbness,seat\n"  # 1
        "2026-03-01,8,,\n"  # 2
        "2026-03-02,8,12,\n"  # 3
        "2026-03-03,8,,sofa\n"  # 4
        "2026-03-04,8,lots,\n"  # 5
        "2026-03-05,8,,\n"  # 6
        "2026-03-06,abc,,\n"  # 7
        "2026-03-07,,,\n"  # 8
        "2026-02-30,8,,\n"  # 9
        "03/08/2026,8,,\n"  # 10
        "2026-03-09,8,,\n"  # 11
        "2026-03-10,8,,\n"  # 12
        "\n"  # 13: blank lines are skipped
        "2026-03-11,27,,\n"  # 14
        "2026-03-12,-1,,\n"  # 15
    )
    days, problems = _rows(text)
    assert [d["date"] for d in days] == [D(2026, 3, d) for d in (1, 5, 9, 10)]
    assert problems == [
        "sitting.csv:3: numbness 12 is outside 0–10",
        'sitting.csv:4: seat "sofa" is not hard or soft',
        'sitting.csv:5: numbness "lots" is not a whole number 0–10',
        'sitting.csv:7: sitting_hours "abc" is not a duration (write it like 90m, 1h30, 1:30 '
        "or 9.5)",
        "sitting.csv:8: no sitting_hours or sitting_minutes on this row",
        'sitting.csv:9: date "2026-02-30" is not a day of the calendar (there is no day 30: '
        "February 2026 has 28 days)",
        'sitting.csv:10: date "03/08/2026" is not a valid date (write it YYYY-MM-DD)',
        "sitting.csv:14: sitting_hours 27 is outside 0–24",
        'sitting.csv:15: sitting_hours "-1" is not a duration (write it like 90m, 1h30, 1:30 '
        "or 9.5)",
    ]


def test_minutes_out_of_range() -> None:
    _, problems = _rows("date,sitting_minutes\n2026-03-01,1500\n")
    assert problems == ["sitting.csv:2: sitting_minutes 1500 is outside 0–1440"]


def test_same_date_twice_names_both_lines() -> None:
    text = "date,sitting_hours\n2026-03-01,8\n2026-03-02,7\n2026-03-01,9\n2026-03-02,7\n"
    r = read_csv_text(text, "log.csv")
    assert r.days["date"].to_list() == [D(2026, 3, 2)]
    assert [(p.severity, str(p)) for p in r.problems] == [
        (
            "error",
            "log.csv:4: date 2026-03-01 is on lines 2 and 4 with different values; neither is used",
        ),
        ("warning", "log.csv:5: date 2026-03-02 is on lines 3 and 5 (same values) [warning]"),
    ]


def test_missing_required_column_names_the_columns_found() -> None:
    r = read_csv_text("day,hours,seat\n2026-03-01,8,hard\n", "log.csv")
    assert r.days.is_empty()
    assert [str(p) for p in r.problems] == [
        "log.csv:1: needs columns date and sitting_hours (or sitting_minutes); "
        "found columns: day, hours, seat"
    ]


def test_empty_file() -> None:
    r = read_csv_text("", "log.csv")
    assert r.days.is_empty()
    assert [str(p) for p in r.problems] == ["log.csv: is empty (no header row)"]


def test_json_log_with_line_numbers() -> None:
    text = (
        "[\n"
        '  {"date": "2026-03-01", "sitting_hours": 9.5, "numbness": 3, "seat": "soft"},\n'
        '  {"Date": "2026-03-02", "sitting_minutes": "540"},\n'
        '  {"date": "2026-03-03", "sitting_hours": 30},\n'
        "  42,\n"
        '  {"when": "2026-03-04"}\n'
        "]\n"
    )
    r = read_json_text(text, "log.json")
    assert r.days.select("date", "sitting_hours", "numbness", "seat").rows() == [
        (D(2026, 3, 1), 9.5, 3, "soft"),
        (D(2026, 3, 2), 9.0, None, None),
    ]
    assert [str(p) for p in r.problems] == [
        "log.json:4: sitting_hours 30 is outside 0–24",
        "log.json:5: item is not an object with date and hours",
        "log.json:6: needs keys date and sitting_hours (or sitting_minutes); found keys: when",
    ]


def test_broken_json_names_the_line() -> None:
    r = read_json_text('[\n{"date": "2026-03-01"\n "sitting_hours": 8}]', "log.json")
    assert [str(p) for p in r.problems] == [
        "log.json:3: is not valid JSON: Expecting ',' delimiter"
    ]


def test_read_log_tells_csv_from_json_and_reports_non_utf8(tmp_path: Path) -> None:
    j = tmp_path / "log.txt"
    j.write_text('[{"date": "2026-03-01", "sitting_hours": "7,5"}]', encoding="utf-8")
    assert read_log(j).days["sitting_hours"].to_list() == [7.5]
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"date,sitting_hours\n2026-03-01,8\x81\n")  # no cp1252 byte
    r = read_log(bad)
    assert r.days.is_empty()
    assert [str(p) for p in r.problems] == [f"{bad}: is not UTF-8 text (byte 31)"]


def test_bom_and_crlf_are_fine(tmp_path: Path) -> None:
    p = tmp_path / "log.csv"
    p.write_bytes("\ufeffdate,sitting_hours\r\n2026-03-01,8\r\n".encode())
    assert read_log(p).days["sitting_hours"].to_list() == [8.0]


# ---- add_day ---------------------------------------------------------------------------


def test_add_creates_the_log_with_a_header(tmp_path: Path) -> None:
    p = tmp_path / "sub" / "sitting.csv"
    res = add_day(p, D(2026, 3, 1), 9.5, numbness=2, seat="hard", note="long, meeting")
    assert res.created and not res.replaced
    assert p.read_text() == (
        'date,sitting_hours,numbness,seat,notes\n2026-03-01,9.5,2,hard,"long, meeting"\n'
    )
    assert read_log(p).days.select("sitting_hours", "numbness", "seat").rows() == [(9.5, 2, "hard")]


@pytest.mark.parametrize("existing", [None, "date,sitting_hours,notes\n2026-03-01,8,\n"])
def test_add_a_note_with_a_line_break_keeps_the_log_readable(
    tmp_path: Path, existing: str | None
) -> None:
    # A note pasted from a reminder app may hold line breaks: it is quoted, not split into a
    # second row that reads as 'date "b" is not a valid date'.
    log = tmp_path / "sitting.csv"
    if existing is not None:
        log.write_text(existing)
    add_day(log, dt.date(2026, 3, 2), 9.0, note="long meeting\nthen a flight\r\nback")
    read = read_log(log)
    assert read.problems == []
    assert read.days.filter(read.days["date"] == dt.date(2026, 3, 2)).height == 1
    assert "then a flight" in log.read_text()


def test_add_refuses_an_existing_date_and_leaves_the_file_untouched(tmp_path: Path) -> None:
    p = tmp_path / "sitting.csv"
    original = b"date;sitting_hours;mood\r\n2026-03-01;9,5;grumpy\r\n2026-03-02;8;ok\r\n"
    p.write_bytes(original)
    before = os.stat(p).st_mtime_ns
    with pytest.raises(SittingLogDateExistsError, match=r"sitting.csv:2: 2026-03-01 is already"):
        add_day(p, D(2026, 3, 1), 7)
    assert p.read_bytes() == original
    assert os.stat(p).st_mtime_ns == before
    assert sorted(x.name for x in tmp_path.iterdir()) == ["sitting.csv"]


def test_add_replace_keeps_other_rows_and_extra_columns(tmp_path: Path) -> None:
    p = tmp_path / "sitting.csv"
    p.write_bytes(b"date;sitting_hours;mood\r\n2026-03-01;9,5;grumpy\r\n2026-03-02;8;ok\r\n")
    res = add_day(p, D(2026, 3, 1), 7.25, numbness=4, replace=True)
    assert res.replaced
    assert p.read_bytes() == (
        b"date;sitting_hours;mood;numbness\r\n2026-03-01;7,25;grumpy;4\r\n2026-03-02;8;ok\r\n"
    )
    days = read_log(p).days
    assert days.select("date", "sitting_hours", "numbness").rows() == [
        (D(2026, 3, 1), 7.25, 4),
        (D(2026, 3, 2), 8.0, None),
    ]


EXCEL_LOG = (
    "\ufeffdate;sitting_hours;numbness;seat;notes\r\n"
    "2026-03-01;9,5;2;hard;\r\n"
    "2026-03-02;8;;;long day\r\n"
).encode()


def test_add_to_an_excel_saved_log_keeps_its_bom_separator_line_ends_and_decimal_comma(
    tmp_path: Path,
) -> None:
    p = tmp_path / "sitting.csv"
    p.write_bytes(EXCEL_LOG)
    add_day(p, D(2026, 3, 3), 9.75, note="a; b")
    assert p.read_bytes() == EXCEL_LOG + b'2026-03-03;9,75;;;"a; b"\r\n'
    add_day(p, D(2026, 3, 1), 7.5, replace=True)
    assert (
        p.read_bytes()
        == (
            "\ufeffdate;sitting_hours;numbness;seat;notes\r\n"
            "2026-03-01;7,5;;;\r\n"  # replaced: numbness and seat not given, so emptied
            "2026-03-02;8;;;long day\r\n"
            '2026-03-03;9,75;;;"a; b"\r\n'
        ).encode()
    )
    assert read_log(p).days.select("date", "sitting_hours").rows() == [
        (D(2026, 3, 1), 7.5),
        (D(2026, 3, 2), 8.0),
        (D(2026, 3, 3), 9.75),
    ]


@pytest.mark.parametrize(
    ("original", "added"),
    [
        ("date;sitting_hours\n2026-03-01;8.5\n", "2026-03-02;9.5\n"),  # dots already: keep
        ("date\tsitting_hours\n2026-03-01\t8,5\n", "2026-03-02\t9,5\n"),  # commas: keep
        ("date\tsitting_hours\n2026-03-01\t8\n", "2026-03-02\t9.5\n"),
        ("date;sitting_hours\r2026-03-01;8\r", "2026-03-02;9,5\r"),  # old Mac line ends
    ],
)
def test_add_writes_hours_with_the_logs_own_decimal_mark(
    tmp_path: Path, original: str, added: str
) -> None:
    p = tmp_path / "sitting.csv"
    p.write_bytes(original.encode())
    add_day(p, D(2026, 3, 2), 9.5)
    assert p.read_bytes() == (original + added).encode()


def test_add_keeps_a_json_logs_bom(tmp_path: Path) -> None:
    p = tmp_path / "sitting.json"
    p.write_bytes('\ufeff[{"date": "2026-03-01", "sitting_hours": 8}]'.encode())
    add_day(p, D(2026, 3, 2), 6.5)
    assert p.read_bytes().startswith(b"\xef\xbb\xbf[")
    assert read_log(p).days["sitting_hours"].to_list() == [8.0, 6.5]


def test_add_appends_to_a_log_without_final_newline_and_minutes_column(tmp_path: Path) -> None:
    p = tmp_path / "sitting.csv"
    p.write_text("Date,Sitting_Minutes\n2026-03-01,480")
    add_day(p, D(2026, 3, 2), 9.5)
    assert p.read_text() == "Date,Sitting_Minutes\n2026-03-01,480\n2026-03-02,570\n"


def test_add_to_a_json_log(tmp_path: Path) -> None:
    p = tmp_path / "sitting.json"
    p.write_text('[{"date": "2026-03-01", "sitting_hours": 8, "mood": "ok"}]')
    add_day(p, D(2026, 3, 2), 6.5, seat="soft")
    with pytest.raises(SittingLogDateExistsError):
        add_day(p, D(2026, 3, 1), 1)
    add_day(p, D(2026, 3, 1), 1, replace=True)
    days = read_log(p).days
    assert days.select("date", "sitting_hours", "seat").rows() == [
        (D(2026, 3, 1), 1.0, None),
        (D(2026, 3, 2), 6.5, "soft"),
    ]
    assert '"mood": "ok"' in p.read_text()


def test_add_refuses_a_log_without_the_required_columns(tmp_path: Path) -> None:
    p = tmp_path / "notes.csv"
    p.write_text("day,hours\n2026-03-01,8\n")
    with pytest.raises(SittingError, match="found columns: day, hours"):
        add_day(p, D(2026, 3, 2), 8)
    assert p.read_text() == "day,hours\n2026-03-01,8\n"


def test_a_log_that_is_a_folder_is_one_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "sitting.csv"
    folder.mkdir()
    with pytest.raises(
        SittingError, match=r"sitting.csv: cannot be written: it is a folder, not a regular file;"
    ):
        add_day(folder, D(2026, 3, 2), 9)


def test_interrupted_write_keeps_the_old_log(tmp_path: Path, monkeypatch) -> None:
    p = tmp_path / "sitting.csv"
    p.write_text("date,sitting_hours\n2026-03-01,8\n")

    def boom(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(SittingError, match=r"sitting.csv: cannot be written: disk full; the log"):
        add_day(p, D(2026, 3, 2), 9)
    assert p.read_text() == "date,sitting_hours\n2026-03-01,8\n"
    assert [x.name for x in tmp_path.iterdir()] == ["sitting.csv"]


# ---- fuzzing ---------------------------------------------------------------------------

_cell = st.one_of(
    st.sampled_from(["2026-03-01", "2026-02-30", "9,5", "9h30", "570m", "27", "-1", "hard", ""]),
    st.text(max_size=12),
)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_random_text_never_raises(text: str) -> None:
    for reader in (read_csv_text, read_json_text):
        r = reader(text, "fuzz")
        assert tuple(r.days.columns) == SITTING_COLUMNS
        assert all(p.path == "fuzz" for p in r.problems)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from([",", ";", "\t"]),
    st.lists(st.lists(_cell, min_size=0, max_size=6), max_size=8),
)
def test_random_rows_under_a_valid_header_never_raise(sep: str, rows: list[list[str]]) -> None:
    header = sep.join(["date", "sitting_hours", "numbness", "seat", "notes"])
    body = "\n".join(sep.join(r) for r in rows)
    r = read_csv_text(header + "\n" + body, "fuzz.csv")
    hours = r.days["sitting_hours"].to_list()
    assert all(0 <= h <= 24 for h in hours)
    assert r.days["date"].n_unique() == r.days.height
    assert all(p.line is None or p.line >= 1 for p in r.problems)


_note = st.text(alphabet=st.sampled_from(list('ab ,;"\t\nxé')), max_size=8)


@settings(max_examples=80, deadline=None)
@given(
    sep=st.sampled_from([",", ";", "\t"]),
    newline=st.sampled_from(["\n", "\r\n"]),
    bom=st.booleans(),
    rows=st.lists(
        st.tuples(st.integers(1, 28), st.sampled_from(["8", "9.5", "9h30", "570m"]), _note),
        max_size=6,
        unique_by=lambda r: r[0],
    ),
    new_day=st.integers(1, 28),
    data=st.data(),
)
def test_add_keeps_every_other_byte_of_the_log(
    tmp_path_factory: pytest.TempPathFactory,
    sep: str,
    newline: str,
    bom: bool,
    rows: list[tuple[int, str, str]],
    new_day: int,
    data: st.DataObject,
) -> None:
    """Appending or replacing a day never changes another row: the log keeps its bytes,
    separator, line ends and BOM whatever the notes hold (quotes, separators, newlines)."""
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep, lineterminator=newline)
    writer.writerow(["date", "sitting_hours", "notes"])
    lines = [buf.getvalue()]
    for day, hours, note in rows:
        buf = io.StringIO()
        csv.writer(buf, delimiter=sep, lineterminator=newline).writerow(
            [f"2026-03-{day:02d}", hours, note]
        )
        lines.append(buf.getvalue())
    original = ("\ufeff" if bom else "") + "".join(lines)
    p = tmp_path_factory.mktemp("log") / "sitting.csv"
    p.write_bytes(original.encode())
    day = D(2026, 3, new_day)
    hits = [i for i, r in enumerate(rows) if r[0] == new_day]
    replace = bool(hits) and data.draw(st.booleans())
    if hits and not replace:
        with pytest.raises(SittingLogDateExistsError):
            add_day(p, day, 7)
        assert p.read_bytes() == original.encode()
        return
    add_day(p, day, 7, replace=replace)
    out = p.read_bytes().decode()
    if hits:
        i = hits[0] + 1
        assert read_log(p).days.height == len(rows)
        assert out.startswith(("\ufeff" if bom else "") + "".join(lines[:i]))
        assert out.endswith("".join(lines[i + 1 :]))
    else:
        added = f"2026-03-{new_day:02d}{sep}7{sep}{newline}"
        assert out == ("\ufeff" if bom else "") + "".join(lines) + added
        assert read_log(p).days.height == len(rows) + 1
    assert read_log(p).problems == []
