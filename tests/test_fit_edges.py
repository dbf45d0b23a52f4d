"""Issue 19, the FIT edge cases from real files: records that run far past a one-session
file's end make no phantom session when the file's own counts leave no room for one
(muktihari/fit's ``big_activity.fit``); a Connect IQ field that declares the native field
it stands for is used where that field is absent or 0 (Runalyze's
``swim-pool-via-iq.fit``); a heart rate of 0 throughout is no sensor, not dropouts; a
value from the records says how many samples the dropout rule left out; a session whose
end time is its start changes nothing the runner sees, so it is a note for --verbose.

The two real files are not in ../shared/fixtures (one is 2.4 MB, the other has no
licence), so ``tools.fitgen`` writes files of exactly their layout; the shared fixtures
that have these traits are read where present."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from runload.cli import main
from runload.entries import entry_from_result
from runload.fit import read_fit
from tools.fitgen import activity_bytes, run, summary_first_bytes, swim_via_iq_bytes

START = dt.datetime(2023, 9, 4, 12, 55, 19, tzinfo=dt.UTC)  # big_activity.fit's


@pytest.fixture(scope="module")
def big_activity_like() -> bytes:
    """big_activity.fit's layout: a one-session file (activity.num_sessions = 1) whose
    session ends at its start after 300 s of elapsed time, and 1,200 identical records a
    second, 900 of them past that."""
    return summary_first_bytes(START, 300, 1200)


def _said(result) -> list[tuple[str, str]]:
    return [(p.severity, p.message) for p in result.problems]


ENDS_AT_START = (
    "info",
    "session 0: end time not after the start time (a summary written first?); heart rate and"
    " GPS are the records of the elapsed time",
)


# ------------------------------------------------------ records past the last session


def test_records_past_the_only_session_the_file_counts_are_no_phantom_session(
    each_decoder: str, big_activity_like: bytes
) -> None:
    result = read_fit(big_activity_like, "big_activity.fit")
    (ride,) = result.sessions  # it was two: the second of 900 records
    assert (ride.sport, ride.elapsed_s, ride.distance_m) == ("cycling", 300.0, 32172.05)
    assert len(ride.hr_bpm) == 300 and ride.hr_t[-1] == 300.0
    assert _said(result) == [
        ENDS_AT_START,
        (
            "info",
            "900 records after the end of session 0 (15 min of them) are in no session and the"
            " file counts 1 session: left out",
        ),
    ]


@pytest.mark.parametrize(
    ("num_sessions", "lap_after_s", "sessions"),
    [
        (2, None, 2),  # the file counts a second session: the records are its
        (None, 600, 2),  # no count, but a lap starts after the session: one not written
        (None, None, 1),  # no count and no lap after it: no room
    ],
)
def test_records_past_the_last_session_are_a_session_only_where_the_file_leaves_room(
    num_sessions: int | None, lap_after_s: int | None, sessions: int
) -> None:
    data = summary_first_bytes(START, 300, 1200, num_sessions=num_sessions,
                               lap_after_s=lap_after_s)  # fmt: skip
    result = read_fit(data, "x.fit")
    assert len(result.sessions) == sessions
    if sessions == 2:
        # (from 2 min after the session's end: the slack a session's end may have)
        assert result.sessions[1].from_records and len(result.sessions[1].hr_bpm) == 900 - 120
    else:
        assert _said(result)[-1] == (
            "info",
            "900 records after the end of session 0 (15 min of them) are in no session and no"
            " lap starts after it: left out",
        )


def test_a_summary_first_file_shows_one_ride_and_its_notes_only_with_verbose(
    tmp_path: Path, big_activity_like: bytes
) -> None:
    (tmp_path / "big_activity.fit").write_bytes(big_activity_like)
    args = ["ingest", str(tmp_path), "--format", "json", "--jobs", "1"]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert len(out["activities"]) == 1
    # JSON has them all; the terminal only the heart rate taken from the records
    assert [p["severity"] for p in out["problems"]] == ["info", "info", "warning"]
    assert "1 problem\n" in res.stderr and len(res.stderr.splitlines()) == 2
    assert "left out" not in res.stderr and "end time" not in res.stderr
    verbose = CliRunner().invoke(main, [*args, "--verbose"])
    assert "are in no session and the file counts 1 session: left out [note]" in verbose.stderr
    assert "end time not after the start time" in verbose.stderr


def test_a_note_alone_fails_no_strict_run(tmp_path: Path) -> None:
    spec = run(START, 30, 6.0, hr=150, record_every_s=10, end_at_start=True)
    (tmp_path / "run.fit").write_bytes(activity_bytes(spec))
    res = CliRunner().invoke(main, ["ingest", str(tmp_path), "--jobs", "1", "--strict"])
    assert res.exit_code == 0 and "0 problems" in res.stderr, res.output


def test_a_session_without_end_or_elapsed_time_is_a_warning_the_runner_can_act_on() -> None:
    spec = run(START, 30, 6.0, hr=150, record_every_s=10, end_at_start=True, no_elapsed=True)
    result = read_fit(activity_bytes(spec), "x.fit")
    (s,) = result.sessions
    assert len(s.hr_bpm) == 181  # the records up to the end of the file
    assert _said(result) == [
        (
            "warning",
            "session 0: the watch wrote neither an end time after the start nor an elapsed"
            " time, so heart rate and GPS are the records up to the next session or the end of"
            " the file; the load may count time after the activity ended",
        )
    ]


# ------------------------------------------------------------ Connect IQ stand-ins


def test_connect_iq_distance_declared_for_the_native_field_is_used_where_that_is_0(
    each_decoder: str,
) -> None:
    result = read_fit(swim_via_iq_bytes(START), "swim-pool-via-iq.fit")
    (swim,) = result.sessions
    assert swim.sport == "swimming" and swim.distance_m == pytest.approx(1250.0)  # was 0.0
    assert _said(result) == [
        (
            "info",
            'records: distance from the Connect IQ field "distance" that stands for it where'
            " the record has none or 0 (210 records)",
        ),
        (
            "warning",
            'session 0: distance 1250 m from the Connect IQ field "total_distance" that stands'
            " for it (the session message has 0)",
        ),
    ]


def test_connect_iq_distance_stands_in_for_an_absent_native_field_too(each_decoder: str) -> None:
    result = read_fit(swim_via_iq_bytes(START, native_distance_m=None), "x.fit")
    assert result.sessions[0].distance_m == pytest.approx(1250.0)
    assert "(the session message has none)" in result.problems[-1].message


def test_connect_iq_distance_in_other_units_is_not_used_and_said() -> None:
    result = read_fit(swim_via_iq_bytes(START, ciq_distance_m=1.25, units="km"), "x.fit")
    assert result.sessions[0].distance_m == 0.0
    assert _said(result) == [
        (
            "info",  # (what the records' distance changes is said on its own)
            'records: the Connect IQ field "distance" stands for their distance but in "km",'
            ' not "m": not used (210 records)',
        ),
        (
            "warning",
            'session 0: the Connect IQ field "total_distance" stands for its distance but in'
            ' "km", not "m": not used',
        ),
    ]


def test_connect_iq_distance_never_replaces_a_native_distance() -> None:
    result = read_fit(swim_via_iq_bytes(START, native_distance_m=900.0), "x.fit")
    assert result.sessions[0].distance_m == 900.0 and result.problems == []


# ------------------------------------------------------------------ heart rate


def test_heart_rate_zero_throughout_is_no_sensor_not_dropouts() -> None:
    spec = run(START, 30, 6.0, hr=0, record_every_s=10)  # session avg 0, max 0
    entry = entry_from_result(read_fit(activity_bytes(spec), "x.fit"))
    assert entry.sessions.row(0, named=True)["avg_hr"] is None
    assert [p["message"] for p in entry.problems] == [
        "session 0: no heart rate sensor (its heart rate is 0, and so are its 181 samples):"
        " no heart rate shown"
    ]


def test_real_file_with_heart_rate_zero_throughout_has_no_sensor(shared_fit_dir: Path) -> None:
    # Runalyze's hr-only-zeros.fit: a Zwift ride, avg and max heart rate 0, 2,713 zeros
    data = (shared_fit_dir / "Runalyze__hr-only-zeros.fit").read_bytes()
    entry = entry_from_result(read_fit(data, "z.fit"))
    assert [p["message"] for p in entry.problems] == [
        "session 0: no heart rate sensor (its heart rate is 0, and so are its 2,713 samples):"
        " no heart rate shown"
    ]


def test_heart_rate_filled_in_from_records_says_how_many_samples_were_dropouts() -> None:
    hr = [150] * 181
    hr[10], hr[20], hr[30] = 0, 250, 20  # a dropout of each kind
    spec = run(START, 30, 6.0, hr=hr, record_every_s=10, summary=False)
    entry = entry_from_result(read_fit(activity_bytes(spec), "x.fit"))
    assert entry.sessions.row(0, named=True)["max_hr"] == 150.0
    assert [p["message"] for p in entry.problems] == [
        "session 0: distance, average heart rate and max heart rate filled in from its records"
        " (the session message has none); heart rate from 178 of its 181 samples (3 dropouts"
        " outside 30-240 bpm left out)"
    ]


def test_notes_stay_out_of_the_terminal_markdown_and_html_reports(tmp_path: Path) -> None:
    spec = run(START, 30, 6.0, hr=150, record_every_s=10, end_at_start=True)
    (tmp_path / "run.fit").write_bytes(activity_bytes(spec))
    base = ["report", str(tmp_path), "--jobs", "1"]
    page = tmp_path / "r.html"
    shown = [
        CliRunner().invoke(main, [*base, "--format", "markdown"]).stdout,
        CliRunner().invoke(main, [*base, "--format", "table", "--html", str(page)]).output,
        page.read_text(),
    ]
    assert [("end time not after" in text) for text in shown] == [False, False, False]
    verbose = CliRunner().invoke(main, [*base, "--format", "table", "--verbose"]).output
    json_out = CliRunner().invoke(main, [*base, "--format", "json"]).stdout
    assert "end time not after" in verbose and "end time not after" in json_out


def test_real_stryd_heart_rate_stands_in_for_a_watch_without_one(shared_fit_dir: Path) -> None:
    # Runalyze's FR920xt-with-Stryd.fit: no native heart rate in its records, a Connect IQ
    # "Heart Rate" (BPM, native field 3) in every one: the run's load now uses it
    data = (shared_fit_dir / "Runalyze__FR920xt-with-Stryd.fit").read_bytes()
    result = read_fit(data, "stryd.fit")
    (run_,) = result.sessions
    assert len(run_.hr_bpm) == 1932 and run_.hr_bpm[:3] == [99.0, 101.0, 102.0]
    assert [(p.severity, p.message) for p in result.problems] == [
        ("warning", 'records: heart rate from the Connect IQ field "Heart Rate" that stands for'
         " it where the record has none or 0 (1,932 records)"),
        ("info", 'records: the Connect IQ field "Cadence" stands for their cadence but in "SPM",'
         ' not "rpm": not used (132 records)'),
    ]  # fmt: skip
