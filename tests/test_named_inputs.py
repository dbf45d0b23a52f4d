"""Issue 19, round 3: every input a runner gives either counts or is refused out loud.

Each test is one case of the issue, with its exact inputs: a short log row whose ``9,5``
may be a decimal comma, a named path that cannot be read (a risk was computed without
it), the config's log beside an export with sitting (the export's days were dropped),
``--planned`` without a unit, ``sitting add --replace`` keeping the old numbness, and the
smaller ones (``sitting show`` on empty sources, ``--date 2026-02-30``, the lock)."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from runload.cli import main
from runload.sitting import read_log

ROOT = Path(__file__).resolve().parents[1]
SEASON = ROOT / "examples" / "season"
EXAMPLE_LOG = ROOT / "examples" / "sitting.csv"
HEADER = "date,sitting_hours,numbness,seat,notes\n"


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One parse cache for the example season, shared by this module's commands."""
    return tmp_path_factory.mktemp("cache")


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def season_cmd(command: str, cache: Path, *args: str):
    """``runload COMMAND examples/season ARGS`` on the shared cache, one worker."""
    return invoke(command, str(SEASON), *args, "--cache-dir", str(cache), "--jobs", "1")


def example_log_with(folder: Path, day: str, row: str) -> Path:
    """A copy of the example log with the row of ``day`` written as ``row``."""
    lines = EXAMPLE_LOG.read_text().splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith(day))
    lines[at] = row + "\n"
    log = folder / "sitting.csv"
    log.write_text("".join(lines))
    return log


# --- 1. a row shorter than the header whose 9,5 may be a decimal comma --------------------------


def test_a_short_row_9_5_is_9_h_and_numbness_5_with_a_warning_naming_file_and_line(
    cwd: Path,
) -> None:
    (cwd / "sitting.csv").write_text(HEADER + "2026-04-30,7,,,\n2026-05-01,9,5\n")
    res = invoke("sitting", "show", "sitting.csv", "--format", "json")
    assert res.exit_code == 0, res.output
    day = json.loads(res.stdout)[1]
    assert (day["date"], day["sitting_hours"], day["numbness"]) == ("2026-05-01", 9.0, 5)
    assert res.stderr == (
        "sitting.csv:3: 9,5 is read as sitting_hours 9 and numbness 5 (the row has 3 of the "
        'header\'s 5 values); if 9,5 is 9.5 hours, write 9.5 or "9,5" in quotes; to keep '
        "sitting_hours 9 and numbness 5, write every column: 2026-05-01,9,5,, [warning]\n"
    )


def test_each_unambiguous_way_to_write_the_row_reads_without_a_warning(cwd: Path) -> None:
    rows = ['2026-05-01,"9,5"', "2026-05-01,9.5", "2026-05-01,9,5,,"]
    expected = [(9.5, None), (9.5, None), (9.0, 5)]
    for row, (hours, numbness) in zip(rows, expected, strict=True):
        (cwd / "sitting.csv").write_text(HEADER + row + "\n")
        res = invoke("sitting", "show", "sitting.csv", "--format", "json")
        assert res.exit_code == 0 and res.stderr == "", (row, res.output)
        day = json.loads(res.stdout)[0]
        assert (day["sitting_hours"], day["numbness"]) == (hours, numbness), row


def test_a_short_row_that_only_reads_as_a_decimal_is_an_error_giving_the_other_reading(
    cwd: Path,
) -> None:
    (cwd / "sitting.csv").write_text(HEADER + "2026-05-01,9,75\n")
    res = invoke("sitting", "show", "sitting.csv")
    assert res.exit_code == 1
    assert res.stderr.splitlines()[0] == (
        'sitting.csv:2: numbness 75 is outside 0–10; if 9,75 is 9.75 hours, write 9.75 or "9,75" '
        "in quotes"
    )


def test_the_example_log_with_2026_06_06_2_5_turns_check_elevated_and_says_so(
    cwd: Path, cache: Path
) -> None:
    res = season_cmd("check", cache, "--sitting", str(EXAMPLE_LOG), "--date", "2026-06-07")
    assert res.exit_code == 0, res.output  # LOW with the log as it is
    log = example_log_with(cwd, "2026-06-06", "2026-06-06,2,5")
    res = season_cmd("check", cache, "--sitting", str(log), "--date", "2026-06-07")
    assert res.exit_code == 3, res.output  # read as written: 2 h and numbness 5...
    assert "+2 numbness 5/10" in res.stdout
    line = EXAMPLE_LOG.read_text().splitlines().index("2026-06-06,2.5,,,") + 1
    assert f"{log}:{line}: 2,5 is read as sitting_hours 2 and numbness 5" in res.stderr  # said


# --- 2. a path named that cannot be read --------------------------------------------------------


def test_a_mistyped_sitting_path_is_exit_2_never_a_lower_risk(cwd: Path, cache: Path) -> None:
    res = season_cmd("check", cache, "--sitting", str(EXAMPLE_LOG), "--date", "2026-05-08")
    assert res.exit_code == 4, res.output  # HIGH with the real log
    for command in (["check", "--date", "2026-05-08"], ["report"], ["plot", "-o", "x.html"]):
        res = season_cmd(command[0], cache, "--sitting", "nosuch.csv", *command[1:])
        assert res.exit_code == 2, (command, res.output)  # was ELEVATED / 0
        assert res.stdout == ""
        assert res.stderr == (
            "Error: nosuch.csv: no such file or folder (a sitting source you named; nothing "
            "was read)\n"
        )
    assert not (cwd / "x.html").exists()


def test_a_fifo_named_as_sitting_is_refused_as_what_it_is_not_as_missing(
    cwd: Path, cache: Path
) -> None:
    os.mkfifo(cwd / "pipe.csv")
    res = season_cmd("check", cache, "--sitting", "pipe.csv", "--date", "2026-05-08")
    assert res.exit_code == 2
    assert res.stderr == (
        "Error: pipe.csv: is a named pipe (FIFO), not a file or folder (a sitting source you "
        "named; nothing was read)\n"
    )


@pytest.mark.parametrize("command", ["ingest", "report", "check", "sources", "plot"])
def test_a_named_activity_path_that_does_not_exist_is_exit_2(
    cwd: Path, cache: Path, command: str
) -> None:
    res = season_cmd(command, cache, "nosuch")
    assert res.exit_code == 2, res.output
    assert res.stderr == (
        "Error: nosuch: no such file or folder (an activity path you named; nothing was read)\n"
    )


def test_sitting_show_of_a_source_that_does_not_exist_is_exit_2(cwd: Path) -> None:
    (cwd / "sitting.csv").write_text(HEADER + "2026-05-01,8,,,\n")
    res = invoke("sitting", "show", "sitting.csv", "nope.csv")
    assert res.exit_code == 2 and res.stdout == ""
    assert "nope.csv: no such file or folder" in res.stderr


def test_paths_written_in_the_config_must_be_there_but_the_default_log_need_not(
    cwd: Path, cache: Path
) -> None:
    args = ("--date", "2026-05-08")
    (cwd / "runload.toml").write_text('[sitting]\nlog = "mylog.csv"\n')
    res = season_cmd("check", cache, *args)
    assert res.exit_code == 2
    assert res.stderr == (
        f"Error: {cwd / 'mylog.csv'}: no such file or folder ([sitting] log in "
        f"{cwd / 'runload.toml'}; nothing was read)\n"
    )
    (cwd / "mylog.csv").write_text(EXAMPLE_LOG.read_text())
    assert season_cmd("check", cache, *args).exit_code == 4  # the log named, read: HIGH
    # the default log ("sitting.csv", also when runload init wrote it): optional
    (cwd / "runload.toml").write_text('[sitting]\nlog = "sitting.csv"\n')
    res = season_cmd("check", cache, *args)
    assert res.exit_code == 3, res.output  # no sitting at all, and it says so
    assert "no sitting logged for 2026-05-08" in res.stdout
    (cwd / "runload.toml").write_text('[paths]\nactivities = "runs"\n')
    res = invoke("ingest", "--cache-dir", str(cache))
    assert res.exit_code == 2
    assert res.stderr == (
        f"Error: {cwd / 'runs'}: no such file or folder ([paths] activities in "
        f"{cwd / 'runload.toml'}; nothing was read)\n"
    )


def test_a_default_log_that_is_there_but_unreadable_is_refused(cwd: Path, cache: Path) -> None:
    (cwd / "sitting.csv").symlink_to(cwd / "moved.csv")  # the log moved, the link stayed
    res = season_cmd("check", cache, "--date", "2026-05-08")
    assert res.exit_code == 2
    assert res.stderr == (
        "Error: sitting.csv: no such file or folder (the default sitting log; nothing was read)\n"
    )


def test_team_an_athlete_whose_named_log_is_missing_is_left_out_the_others_reported(
    tmp_path: Path, cache: Path
) -> None:
    squad = tmp_path / "squad"
    for name in ("ana", "ben"):
        (squad / name).mkdir(parents=True)
        for f in SEASON.iterdir():  # a walk does not follow a linked folder: link each file
            (squad / name / f.name).symlink_to(f)
    (squad / "ana" / "sitting.csv").write_text(EXAMPLE_LOG.read_text())
    (squad / "ben" / "runload.toml").write_text('[sitting]\nlog = "desk.csv"\n')
    res = invoke(
        "team", str(squad), "--date", "2026-05-08", "--format", "json",
        "--cache-dir", str(cache), "--jobs", "1",
    )  # fmt: skip
    assert res.exit_code == 4, res.output  # ana is HIGH; the squad goes on
    doc = json.loads(res.stdout)
    assert [a["athlete"] for a in doc["athletes"]] == ["ana"]
    ben = squad / "ben"
    assert [p["message"] for p in doc["left_out"]] == [
        f"athlete ben left out: {ben / 'desk.csv'}: no such file or folder ([sitting] log in "
        f"{ben / 'runload.toml'}; nothing was read)"
    ]


def test_team_on_a_folder_that_does_not_exist_is_exit_2(cwd: Path) -> None:
    res = invoke("team", "nosquad")
    assert res.exit_code == 2
    assert res.stderr == (
        "Error: nosquad: no such file or folder: give the folder that holds one folder per "
        "athlete\n"
    )


def test_a_bad_file_inside_a_named_folder_stays_one_problem_and_the_rest_goes_on(
    cwd: Path, cache: Path
) -> None:
    folder = cwd / "runs"
    folder.mkdir()
    for f in sorted(SEASON.iterdir())[:10]:
        (folder / f.name).symlink_to(f)
    (folder / "broken.fit").write_bytes(b"not a fit file")
    res = invoke("ingest", str(folder), "--cache-dir", str(cache), "--format", "json")
    assert res.exit_code == 0, res.output
    assert len(json.loads(res.stdout)["activities"]) == 10
    assert f"{folder / 'broken.fit'}: not a FIT file" in res.stderr


# --- 4. --planned without a unit ----------------------------------------------------------------


@pytest.mark.parametrize("bare", ["2", "1.5", "90"])
def test_planned_without_a_unit_is_refused_with_the_accepted_forms(
    cwd: Path, cache: Path, bare: str
) -> None:
    res = season_cmd("check", cache, "--date", "2026-06-07", "--planned", bare)
    assert res.exit_code == 2
    assert (
        f"Invalid value for '--planned': \"{bare}\" has no unit: write {bare}min or {bare}h "
        "(e.g. 90min, 1h30, 1.5h or 1:30)"
    ) in res.stderr


def test_planned_with_its_unit_is_what_it_says(cwd: Path, cache: Path) -> None:
    log = ("--sitting", str(EXAMPLE_LOG), "--date", "2026-06-07", "--format", "json")
    minutes = {}
    for written in ("2min", "2h", "120min", "1.5h", "1h30", "1:30", "90min"):
        res = season_cmd("check", cache, *log, "--planned", written)
        assert res.exit_code in (0, 3, 4), res.output
        minutes[written] = json.loads(res.stdout)["planned_minutes"]
    assert minutes == {
        "2min": 2.0, "2h": 120.0, "120min": 120.0, "1.5h": 90.0, "1h30": 90.0,
        "1:30": 90.0, "90min": 90.0,
    }  # fmt: skip


# --- 5. sitting add --replace -------------------------------------------------------------------


def test_replace_empties_the_numbness_not_given_so_it_adds_no_points(
    cwd: Path, cache: Path
) -> None:
    log = example_log_with(cwd, "2026-06-06", "2026-06-06,2.5,,,")
    day = ("--date", "2026-06-06", "--log", str(log))
    res = invoke("sitting", "add", "8", *day, "--numbness", "3")
    assert res.exit_code == 1  # the day is in the log: refused without --replace
    res = invoke("sitting", "add", "8", *day, "--numbness", "3", "--replace")
    assert res.exit_code == 0, res.output
    check = ("--sitting", str(log), "--date", "2026-06-07")
    res = season_cmd("check", cache, *check)
    assert res.exit_code == 4 and "+2 numbness 3/10 logged the day before" in res.stdout
    res = invoke("sitting", "add", "7", *day, "--replace")
    assert res.exit_code == 0, res.output
    assert res.stdout == (
        f"replaced 2026-06-06: 7.00 h in {log} (was 8 h, numbness 3; numbness emptied)\n"
    )
    assert "2026-06-06,7,,,\n" in log.read_text()
    res = season_cmd("check", cache, *check)
    assert res.exit_code == 0, res.output  # LOW again: numbness 3 no longer adds +2
    assert "numbness" not in res.stdout


def test_replace_keeps_the_columns_other_commands_write(cwd: Path) -> None:
    log = cwd / "sitting.csv"
    log.write_text(
        "date,sitting_hours,numbness,seat,notes,selfcheck_glute,selfcheck_note\n"
        "2026-05-01,8,3,hard,meetings,ok,bridge felt fine\n"
    )
    res = invoke("sitting", "add", "7", "--date", "2026-05-01", "--seat", "soft", "--replace")
    assert res.exit_code == 0, res.output
    assert res.stdout == (
        "replaced 2026-05-01: 7.00 h in sitting.csv (was 8 h, numbness 3, seat hard, note "
        '"meetings"; numbness, note emptied)\n'
    )
    assert log.read_text().splitlines()[1] == "2026-05-01,7,,soft,,ok,bridge felt fine"


def test_replace_in_a_json_log_drops_the_old_fields_and_keeps_the_others(cwd: Path) -> None:
    log = cwd / "sitting.json"
    day = {"Date": "2026-05-01", "Sitting Hours": 8, "Numbness": 3, "Note": "x", "mood": "ok"}
    log.write_text(json.dumps([day]))
    res = invoke("sitting", "add", "7", "--date", "2026-05-01", "--log", "sitting.json",
                 "--replace")  # fmt: skip
    assert res.exit_code == 0, res.output
    assert json.loads(log.read_text()) == [  # one day, not a second one (Date is date)
        {"mood": "ok", "date": "2026-05-01", "sitting_hours": 7}
    ]
    assert read_log(log).days.get_column("numbness").to_list() == [None]


def test_the_fields_sitting_add_owns_are_one_named_tuple() -> None:
    from runload.sitting.log import ADD_FIELDS, DayFields

    assert DayFields._fields == ADD_FIELDS
    assert ADD_FIELDS == ("sitting_hours", "sitting_minutes", "numbness", "seat", "notes")


# --- 6. the smaller ones ------------------------------------------------------------------------


def test_sitting_show_exits_1_alike_on_an_empty_csv_and_a_zip_without_sitting(cwd: Path) -> None:
    (cwd / "empty.csv").write_bytes(b"")
    with zipfile.ZipFile(cwd / "runs.zip", "w") as z:
        z.writestr("run.fit", (SEASON / "2026-03-03-1820-treadmill.fit").read_bytes())
    answers = {}
    for source in ("empty.csv", "runs.zip"):
        res = invoke("sitting", "show", source, "--format", "csv")
        answers[source] = (res.exit_code, res.stderr)
    assert answers == {
        "empty.csv": (1, "empty.csv: is empty: no sitting days in it [warning]\n"
                      "no sitting days found\n"),
        "runs.zip": (1, "runs.zip: has no sitting sources (logs, Garmin or Fitbit exports, "
                     "monitoring FIT files) [warning]\nno sitting days found\n"),
    }  # fmt: skip


def test_an_empty_sitting_file_beside_a_log_is_a_warning_and_the_log_is_shown(cwd: Path) -> None:
    (cwd / "empty.csv").write_bytes(b"")
    (cwd / "log.csv").write_text(HEADER + "2026-05-01,8,,,\n")
    res = invoke("sitting", "show", "empty.csv", "log.csv", "--format", "csv")
    assert res.exit_code == 0, res.output
    assert res.stdout.count("\n") == 2
    assert res.stderr == "empty.csv: is empty: no sitting days in it [warning]\n"


@pytest.mark.parametrize(
    "args",
    [
        ["report", str(SEASON), "--from", "2026-02-30"],
        ["report", str(SEASON), "--to", "2026-02-30"],
        ["plot", str(SEASON), "--from", "2026-02-30"],
        ["check", str(SEASON), "--date", "2026-02-30"],
        ["team", str(SEASON.parent), "--date", "2026-02-30"],
        ["team", str(SEASON.parent), "--season", "out", "--from", "2026-02-30"],
        ["sitting", "add", "8", "--date", "2026-02-30"],
        ["sitting", "show", str(EXAMPLE_LOG), "--from", "2026-02-30"],
        ["sitting", "show", str(EXAMPLE_LOG), "--to", "2026-02-30"],
    ],
)
def test_a_date_that_is_no_day_says_so_in_every_command(cwd: Path, args: list[str]) -> None:
    res = invoke(*args)
    assert res.exit_code == 2, res.output
    assert (
        '"2026-02-30" is not a day of the calendar (there is no day 30: February 2026 has 28 days)'
    ) in res.stderr
    assert not (cwd / "sitting.csv").exists()


def test_the_log_lock_is_filelocks_so_a_filelock_holder_keeps_sitting_add_out(
    tmp_path: Path,
) -> None:
    from filelock import FileLock

    from runload.fsutil import WriteRefusedError, lock_path, locked

    log = tmp_path / "sitting.csv"
    log.write_text(HEADER)
    with (
        FileLock(str(lock_path(log))),
        pytest.raises(WriteRefusedError),
        locked(log, timeout=0.2),
    ):
        pass
    with locked(log, timeout=0):  # free again once the FileLock is released
        pass
