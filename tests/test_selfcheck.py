"""``runload selfcheck``: the guided prompts and the options, stored in the sitting log's
own columns (with ``sitting add``'s lock and encoding rules), read back by ``sitting show``
and counted by ``check``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from runload.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input)


@pytest.fixture
def log(tmp_path: Path) -> Path:
    return tmp_path / "sitting.csv"


def test_the_guided_check_asks_each_test_and_saves_the_answers(log: Path) -> None:
    res = run("selfcheck", "--log", str(log), "--date", "2026-06-16", "--ask",
              input="left\nnone\nknee+lower back\n")  # fmt: skip
    assert res.exit_code == 0, res.output
    out = res.stdout
    assert out.startswith("A self-check, not a diagnosis")
    assert "Trendelenburg test (glute medius)" in out and "Thomas test (hip flexors)" in out
    assert "Lift the right foot and stand on the left leg for 30 seconds." in out
    assert "(left: standing on the left leg, the right hip dropped)" in out
    assert "saved 2026-06-16: trendelenburg left, thomas none, pain knee+lower_back" in out
    assert log.read_text() == (
        "date,sitting_hours,numbness,seat,notes,trendelenburg,thomas,pain\n"
        "2026-06-16,,,,,left,none,knee+lower_back\n"
    )


def test_a_wrong_answer_is_asked_again(log: Path) -> None:
    res = run("selfcheck", "--log", str(log), "--date", "2026-06-16", "--ask",
              input="sideways\nright\nboth\nelbow\nnone\n")  # fmt: skip
    assert res.exit_code == 0, res.output
    assert 'pain site "elbow" is not one of glute, hip, knee' in res.stdout
    assert log.read_text().splitlines()[1] == "2026-06-16,,,,,right,both,none"


def test_options_write_without_asking_and_sitting_show_reads_them(log: Path) -> None:
    res = run("selfcheck", "--log", str(log), "--date", "2026-06-16", "--trendelenburg", "Left",
              "--thomas", "none", "--pain", "knee", "--pain", "lower_back")  # fmt: skip
    assert res.exit_code == 0, res.output
    shown = run("sitting", "show", str(log), "--format", "json")
    day = json.loads(shown.stdout)[0]
    assert (day["date"], day["sitting_hours"]) == ("2026-06-16", None)
    assert (day["trendelenburg"], day["thomas"], day["pain"]) == ("left", "none", "knee+lower_back")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--trendelenburg", "up"), "'up' is not one of 'none', 'left', 'right', 'both'"),
        (("--thomas", "none", "--pain", "elbow"), 'pain site "elbow" is not one of'),
        ((), "give --trendelenburg and --thomas"),
        (("--pain", "knee"), "--pain goes with a test"),
    ],
)
def test_a_bad_value_is_a_usage_mistake(log: Path, args: tuple[str, ...], said: str) -> None:
    res = run("selfcheck", "--log", str(log), *args)
    assert res.exit_code == 2
    assert said in res.output
    assert not log.exists()


def test_sitting_add_fills_the_self_checks_row_and_replace_leaves_its_columns(log: Path) -> None:
    run("selfcheck", "--log", str(log), "--date", "2026-06-16", "--trendelenburg", "right",
        "--thomas", "left")  # fmt: skip
    added = run("sitting", "add", "9h30", "--date", "2026-06-16", "--log", str(log))
    assert added.exit_code == 0, added.output
    assert added.stdout.startswith("added 2026-06-16: 9.50 h")
    assert log.read_text().splitlines()[1] == "2026-06-16,9.5,,,,right,left,none"
    again = run("sitting", "add", "8", "--date", "2026-06-16", "--log", str(log))
    assert again.exit_code == 1 and "already in the log" in again.output
    replaced = run("sitting", "add", "8", "--date", "2026-06-16", "--log", str(log),
                   "--replace", "--numbness", "2")  # fmt: skip
    assert replaced.exit_code == 0, replaced.output
    assert log.read_text().splitlines()[1] == "2026-06-16,8,2,,,right,left,none"
    # a second self-check of the day replaces its own columns, never the sitting
    run("selfcheck", "--log", str(log), "--date", "2026-06-16", "--thomas", "none")
    assert log.read_text().splitlines()[1] == "2026-06-16,8,2,,,,none,none"


def test_an_old_log_gets_the_columns_and_keeps_its_encoding(tmp_path: Path) -> None:
    log = tmp_path / "excel.csv"
    log.write_bytes("date;sitting_hours;notes\r\n2026-06-15;9,5;réunion\r\n".encode("cp1252"))
    res = run("selfcheck", "--log", str(log), "--date", "2026-06-15", "--thomas", "right")
    assert res.exit_code == 0, res.output
    assert log.read_bytes().decode("cp1252") == (
        "date;sitting_hours;notes;thomas;pain\r\n2026-06-15;9,5;réunion;right;none\r\n"
    )
    shown = json.loads(run("sitting", "show", str(log), "--format", "json").stdout)[0]
    assert (shown["sitting_hours"], shown["thomas"]) == (9.5, "right")


def test_check_counts_the_finding_and_says_what_to_do_for_its_side(tmp_path: Path) -> None:
    log = tmp_path / "sitting.csv"
    shutil.copy(EXAMPLES / "sitting.csv", log)
    run("selfcheck", "--log", str(log), "--date", "2026-06-05", "--trendelenburg", "left",
        "--thomas", "none")  # fmt: skip
    cache = ["--cache-dir", str(tmp_path / "cache"), "--jobs", "1"]
    res = run("check", str(EXAMPLES / "season"), "--sitting", str(log), "--date", "2026-06-07",
              *cache, "--format", "json")  # fmt: skip
    doc = json.loads(res.stdout)
    reasons = {r["factor"]: r for r in doc["reasons"]}
    assert reasons["trendelenburg"]["detail"].startswith(
        "Trendelenburg positive, left, on 2026-06-05: standing on the left leg, the right hip"
    )
    assert "Strengthen the left glute medius" in [a["title"] for a in doc["advice"]]
