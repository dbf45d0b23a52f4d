"""Sitting input runload cannot trust is said, never read silently wrong (issue 12): rows
with more values than the header, quotes that never close, logs saved by Excel in
Windows-1252 or UTF-16, JSON nested too deeply, and ``sitting show`` without arguments.

Each test builds the exact input of the issue and drives the CLI through CliRunner where
the user meets it."""

from __future__ import annotations

import codecs
import datetime as dt
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_report import LONG_DAY, shared_season

from runload.cli import main
from runload.sitting import add_day, read_log, read_sitting

HEADER = "date,sitting_hours,numbness,seat,notes\n"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def shown(res) -> dict[str, float]:
    """Date → hours of ``sitting show --format json``."""
    return {d["date"]: d["sitting_hours"] for d in json.loads(res.stdout)}


def show_json(*sources: str):
    return run("sitting", "show", *sources, "--format", "json")


# ---- 1. rows that do not fit the header ------------------------------------------------


def test_unquoted_decimal_comma_with_empty_trailing_fields_is_an_error_naming_the_line(
    cwd: Path,
) -> None:
    log = cwd / "sitting.csv"
    log.write_text(HEADER + "2026-04-30,7,,,\n2026-05-01,9,5,,,\n2026-05-02,6,,,\n")
    res = show_json("sitting.csv")
    assert res.exit_code == 1
    assert shown(res) == {"2026-04-30": 7.0, "2026-05-02": 6.0}  # not 9 h and numbness 5
    assert res.stderr.splitlines() == [
        "sitting.csv:3: row has 6 values but the header has 5 columns; this row is not used "
        '(put a decimal comma in quotes, "9,5", or separate columns with ;)'
    ]


def test_unquoted_decimal_comma_no_longer_turns_a_day_high_in_check(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    season = shared_season(tmp_path_factory)
    log = tmp_path_factory.mktemp("trust") / "sitting.csv"
    rows = season["log"].read_text().splitlines(keepends=True)
    at = next(i for i, r in enumerate(rows) if r.startswith(str(LONG_DAY)))
    rows[at] = f"{LONG_DAY},10,5,,,\r\n"  # meant 10,5 h; read as 10 h and numbness 5 before
    log.write_text("".join(rows), newline="")
    args = ["check", str(season["fit"]), "--sitting", str(log), "--date", str(LONG_DAY)]
    res = CliRunner().invoke(main, [*args, "--cache-dir", str(season["cache"]), "--jobs", "1"])
    assert res.exit_code != 4, res.output  # was HIGH
    assert "HIGH" not in res.stdout and "numbness 5" not in res.stdout
    assert f"{log}:{at + 1}: row has 6 values but the header has 5 columns" in res.stderr


def test_semicolon_log_with_decimal_commas_is_still_read(cwd: Path) -> None:
    (cwd / "excel.csv").write_text(
        "date;sitting_hours;numbness;seat;notes\r\n2026-05-01;9,5;2;;\r\n2026-05-02;8;;;\r\n",
        newline="",
    )
    res = show_json("excel.csv")
    assert res.exit_code == 0, res.output
    assert shown(res) == {"2026-05-01": 9.5, "2026-05-02": 8.0}
    assert res.stderr == ""


def test_unclosed_quote_is_an_error_naming_its_line_and_the_next_rows_are_read(
    cwd: Path,
) -> None:
    (cwd / "log.csv").write_text(
        HEADER + '2026-05-01,8,,,"long day\n2026-05-02,9,,,\n2026-05-03,7,,,\n'
    )
    res = show_json("log.csv")
    assert res.exit_code == 1
    assert shown(res) == {"2026-05-02": 9.0, "2026-05-03": 7.0}
    assert res.stderr.splitlines() == [
        'log.csv:2: a quote (") opened on this row never closes; this row is not used and '
        'the lines after it are read as rows (close the quote: "9,5")'
    ]


def test_quote_closing_in_a_later_row_does_not_swallow_the_rows_between(cwd: Path) -> None:
    (cwd / "log.csv").write_text(
        HEADER
        + '2026-05-01,8,,,"long day\n'  # 2: never closed on its line
        + "2026-05-02,9,,,\n"  # 3
        + '2026-05-03,7,,,"meeting"\n'  # 4: its opening quote closed line 2's
        + "2026-05-04,6,,,\n"
    )
    res = show_json("log.csv")
    assert res.exit_code == 1
    assert shown(res) == {"2026-05-02": 9.0, "2026-05-03": 7.0, "2026-05-04": 6.0}
    assert res.stderr.splitlines() == [
        'log.csv:2: a quote (") opened on this row closes on line 4 in the middle of a '
        "value; this row is not used and the lines after it are read as rows (quote whole "
        'values: "9,5")'
    ]


def test_a_note_with_a_quoted_line_break_and_a_quoted_word_are_still_fine(cwd: Path) -> None:
    (cwd / "log.csv").write_text(
        HEADER + '2026-05-01,8,,,"two\nlines"\n2026-05-02,9,,,"Boss" called\n'
    )
    res = show_json("log.csv")
    assert res.exit_code == 0, res.output
    assert shown(res) == {"2026-05-01": 8.0, "2026-05-02": 9.0}


def test_sitting_add_refuses_a_log_with_an_unclosed_quote_instead_of_losing_the_day(
    cwd: Path,
) -> None:
    original = HEADER + '2026-05-01,8,,,"long day\n'
    (cwd / "log.csv").write_text(original)
    res = run("sitting", "add", "7", "--date", "2026-05-02", "--log", "log.csv")
    assert res.exit_code == 1
    assert res.stderr == (
        'Error: log.csv:2: a quote (") opened on this row never closes; fix it before adding\n'
    )
    assert (cwd / "log.csv").read_text() == original


def test_fitbit_daily_csv_with_an_unclosed_quote_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "dailyActivity_merged.csv"
    path.write_text(
        'Id,ActivityDate,TotalSteps,SedentaryMinutes\n1,"4/12/2016,9000,700\n1,4/13/2016,9000,600\n'
    )
    result = read_sitting([path], today=dt.date(2026, 1, 1))
    assert result.days["sitting_hours"].to_list() == [10.0]
    assert [(p.severity, p.line) for p in result.problems] == [("error", 2)]
    assert "never closes" in result.problems[0].message


# ---- 2. encodings ------------------------------------------------------------------------

EXCEL_ROWS = HEADER + "2026-05-01,8,,,café with Müller\r\n2026-05-02,9.5,2,hard,\r\n"


def test_cp1252_log_is_read_with_a_warning_naming_the_file(cwd: Path) -> None:
    (cwd / "excel.csv").write_bytes(EXCEL_ROWS.encode("cp1252"))
    res = show_json("excel.csv")
    assert res.exit_code == 0, res.output
    assert shown(res) == {"2026-05-01": 8.0, "2026-05-02": 9.5}
    byte = EXCEL_ROWS.encode("cp1252").index("é".encode("cp1252"))
    assert res.stderr.splitlines() == [
        f"excel.csv: is not UTF-8 (byte {byte}); read as Windows-1252 (cp1252, as Excel saves "
        "CSV): check its notes, or save it as CSV UTF-8 [warning]"
    ]
    assert [p.severity for p in read_log(cwd / "excel.csv").problems] == ["warning"]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_log_with_a_byte_order_mark_is_read(cwd: Path, codec: str) -> None:
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    (cwd / "export.csv").write_bytes(bom + EXCEL_ROWS.encode(codec))
    res = show_json("export.csv")
    assert res.exit_code == 0, res.output
    assert shown(res) == {"2026-05-01": 8.0, "2026-05-02": 9.5}
    assert res.stderr == ""


def test_utf16_without_byte_order_mark_is_read_with_a_warning(cwd: Path) -> None:
    (cwd / "export.csv").write_bytes(EXCEL_ROWS.encode("utf-16-le"))
    res = show_json("export.csv")
    assert res.exit_code == 0, res.output
    assert shown(res) == {"2026-05-01": 8.0, "2026-05-02": 9.5}
    assert res.stderr == (
        "export.csv: has no byte-order mark; read as UTF-16 LE (every other byte is zero) "
        "[warning]\n"
    )


def test_cp1252_and_utf16_sources_in_a_folder_are_read(cwd: Path) -> None:
    folder = cwd / "exports"
    folder.mkdir()
    (folder / "log.csv").write_bytes(EXCEL_ROWS.encode("cp1252"))
    fitbit = "Id,ActivityDate,TotalSteps,SedentaryMinutes\r\n1,5/3/2026,9000,600\r\n"
    (folder / "dailyActivity.csv").write_bytes(codecs.BOM_UTF16_LE + fitbit.encode("utf-16-le"))
    res = show_json("exports")
    assert res.exit_code == 0, res.output
    assert shown(res) == {"2026-05-01": 8.0, "2026-05-02": 9.5, "2026-05-03": 10.0}
    assert [ln.split(":")[0] for ln in res.stderr.splitlines()] == ["exports/log.csv"]


def test_sitting_add_appends_to_a_cp1252_log_in_windows_1252_and_its_line_ends(
    cwd: Path,
) -> None:
    data = EXCEL_ROWS.encode("cp1252")
    (cwd / "excel.csv").write_bytes(data)
    res = run("sitting", "add", "7", "--date", "2026-05-03", "--log", "excel.csv", "--note", "été")
    assert res.exit_code == 0, res.output
    assert (cwd / "excel.csv").read_bytes() == data + "2026-05-03,7,,,été\r\n".encode("cp1252")
    res = show_json("excel.csv")  # sitting show reads what sitting add wrote, note and all
    assert shown(res) == {"2026-05-01": 8.0, "2026-05-02": 9.5, "2026-05-03": 7.0}


def test_sitting_add_refuses_a_note_the_cp1252_log_cannot_hold_and_leaves_it(cwd: Path) -> None:
    data = EXCEL_ROWS.encode("cp1252")
    (cwd / "excel.csv").write_bytes(data)
    res = run("sitting", "add", "7", "--date", "2026-05-03", "--log", "excel.csv", "--note", "→ x")
    assert res.exit_code == 1
    assert res.stderr == (
        'Error: excel.csv: "→" cannot be written in Windows-1252, the encoding of the log: save '
        "it as CSV UTF-8 to add it, or leave it out\n"
    )
    assert (cwd / "excel.csv").read_bytes() == data


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_sitting_add_appends_to_a_utf16_log_in_utf16_keeping_its_bom(cwd: Path, codec: str) -> None:
    data = EXCEL_ROWS.encode(codec)  # "utf-16": with a byte-order mark; the others without
    (cwd / "u16.csv").write_bytes(data)
    res = run("sitting", "add", "7h30", "--date", "2026-05-03", "--log", "u16.csv")
    assert res.exit_code == 0, res.output
    new = "2026-05-03,7.5,,,\r\n".encode("utf-16-le" if codec == "utf-16" else codec)
    assert (cwd / "u16.csv").read_bytes() == data + new
    assert shown(show_json("u16.csv"))["2026-05-03"] == 7.5


def test_bytes_that_are_no_text_in_any_encoding_are_still_an_error(cwd: Path) -> None:
    (cwd / "bad.csv").write_bytes(b"date,sitting_hours\n2026-03-01,8\x81\x02\n")
    res = show_json("bad.csv")
    assert res.exit_code == 1
    assert "is not UTF-8 text (byte 31)" in res.stderr


# ---- 3. deep JSON --------------------------------------------------------------------------

DEEP = "[" * 100000 + "]" * 100000


def test_deeply_nested_json_in_a_sitting_folder_is_one_problem_and_the_rest_is_read(
    cwd: Path,
) -> None:
    folder = cwd / "sitting"
    folder.mkdir()
    (folder / "deep.json").write_text(DEEP)
    (folder / "log.csv").write_text(HEADER + "2026-05-01,8,,,\n")
    res = show_json("sitting")
    assert res.exit_code == 0, res.output
    assert shown(res) == {"2026-05-01": 8.0}
    assert len(res.stderr.splitlines()) == 1
    assert res.stderr.startswith(
        "sitting/deep.json: unsupported sitting source: JSON nested too deeply to be read"
    )
    assert res.stderr.endswith("[warning]\n")


def test_deeply_nested_json_named_alone_or_as_a_log_is_an_error_not_a_traceback(
    cwd: Path,
) -> None:
    (cwd / "deep.json").write_text(DEEP)
    res = show_json("deep.json")
    assert res.exit_code == 1
    assert res.exception is None or isinstance(res.exception, SystemExit)
    assert "deep.json: unsupported sitting source: JSON nested too deeply" in res.stderr
    assert [str(p) for p in read_log(cwd / "deep.json").problems] == [
        f"{cwd / 'deep.json'}: is JSON nested too deeply to be read (no sitting export nests "
        "that deep)"
    ]
    res = run("sitting", "add", "8", "--date", "2026-05-01", "--log", "deep.json")
    assert res.exit_code == 1
    assert res.stderr.startswith("Error: deep.json: is JSON nested too deeply")


def test_deeply_nested_json_in_a_zip_and_in_report_is_one_problem(
    cwd: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    with zipfile.ZipFile(cwd / "export.zip", "w") as zf:
        zf.writestr("a/deep.json", DEEP)
        zf.writestr("a/log.csv", HEADER + f"{LONG_DAY},6,,,\n")
    result = read_sitting([cwd / "export.zip"])
    assert result.days["sitting_hours"].to_list() == [6.0]
    assert [(p.path, p.severity) for p in result.problems] == [
        (f"{cwd / 'export.zip'}:a/deep.json", "warning")
    ]
    season = shared_season(tmp_path_factory)
    folder = cwd / "sit"
    folder.mkdir()
    (folder / "deep.json").write_text(DEEP)
    (folder / "log.csv").write_bytes(season["log"].read_bytes())
    args = ["report", str(season["fit"]), "--sitting", str(folder), "--format", "json"]
    res = run(*args, "--cache-dir", str(season["cache"]), "--jobs", "1")
    assert res.exit_code == 0, res.output
    problems = json.loads(res.stdout)["problems"]
    assert [p["path"] for p in problems] == [str(folder / "deep.json")]


# ---- 4. sitting show without arguments ---------------------------------------------------


def test_sitting_show_without_arguments_reads_the_log_of_the_config(cwd: Path) -> None:
    (cwd / "runload.toml").write_text('[sitting]\nlog = "logs/desk.csv"\n')
    res = run("sitting", "add", "9h30", "--date", "2026-05-01")
    assert res.exit_code == 0, res.output
    res = run("sitting", "show", "--format", "json")
    assert res.exit_code == 0, res.output
    assert shown(res) == {"2026-05-01": 9.5}
    res = run("sitting", "show", "--format", "json", "--from", "2026-05-02")
    assert shown(res) == {}


def test_sitting_show_without_arguments_or_a_log_is_a_usage_mistake(cwd: Path) -> None:
    (cwd / "runload.toml").write_text('[sitting]\nlog = "desk.csv"\n')
    res = run("sitting", "show")
    assert res.exit_code == 2  # the log the config names is not there: a usage mistake
    assert res.stderr == (
        f"Error: {cwd / 'desk.csv'}: no such file or folder ([sitting] log in "
        f"{cwd / 'runload.toml'}; nothing was read)\n"
    )
    (cwd / "runload.toml").unlink()  # the default log, not there: nothing to show
    res = run("sitting", "show")
    assert res.exit_code == 2
    assert "give the sitting sources to show (or set [sitting] log in runload.toml;" in res.stderr
    assert "sitting.csv does not exist" in res.stderr


def test_add_day_still_writes_a_log_show_reads(cwd: Path) -> None:
    add_day(cwd / "s.csv", dt.date(2026, 5, 1), 9.5, note='said "hi", then left')
    assert shown(show_json("s.csv")) == {"2026-05-01": 9.5}
