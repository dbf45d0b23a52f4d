"""Issue 12, the FIT items: a run cut short before any sport or session message stays a
run (and says why); the heart rates shown are the ones the loads use; a session whose
end time is its start keeps its samples; a Connect IQ field named like a native one
never replaces it; a chained segment's records stay in its own sessions; values filled
in from the records are said so. Each with the issue's exact inputs where it gives them,
else with fit-tool files whose every value is known."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from runload.cli import main
from runload.entries import entry_from_result
from runload.fit import read_fit
from tools.fitgen import ActivitySpec, SessionSpec, activity_bytes, run

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
START = dt.datetime(2026, 3, 1, 7, 30, tzinfo=dt.UTC)


def _cli(*args: str):
    result = CliRunner().invoke(main, [*args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def _season_with(tmp_path: Path, name: str, keep: int) -> Path:
    """examples/season with ``name`` cut to its first ``keep`` bytes (``head -c``)."""
    season = tmp_path / "season"
    shutil.copytree(EXAMPLES / "season", season)
    data = (EXAMPLES / "season" / name).read_bytes()
    (season / name).write_bytes(data[:keep])
    return season


def _ingest_json(folder: Path) -> dict:
    res = _cli("ingest", str(folder), "--format", "json", "--jobs", "1")
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


# ------------------------------------------------------------------ truncated runs


def test_truncated_run_without_sport_message_stays_a_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # head -c 14569 examples/season/2026-05-08-1820-long.fit: half the records, no lap,
    # session, sport or activity message
    name = "2026-05-08-1820-long.fit"
    season = _season_with(tmp_path, name, 14569)
    monkeypatch.chdir(tmp_path)
    out = _ingest_json(Path("season"))
    (row,) = [r for r in out["activities"] if r["file"].endswith(name)]
    assert row["is_run"] is True and row["sport"] == "running"
    assert row["moving_minutes"] == pytest.approx(49.92, abs=0.01)
    warnings = [p["message"] for p in out["problems"] if p["path"].endswith(name)]
    assert warnings[-1] == (
        "no sport or session message (file cut short?); treated as a run from its records"
        " (median speed 10.5 km/h, cadence 85 rpm)"
    )
    # the day sees the run: its load from its heart rate, the sitting counted beside it
    res = _cli("check", str(season), "--date", "2026-05-08", "--format", "json",
               "--sitting", str(EXAMPLES / "sitting.csv"))  # fmt: skip
    day = json.loads(res.stdout)
    (seen,) = day["runs"]
    assert seen["moving_minutes"] == pytest.approx(49.92, abs=0.01) and seen["load"] > 50
    assert any("the same day as a 50 min run" in r["detail"] for r in day["reasons"])
    assert any("treated as a run" in p["message"] for p in day["problems"])


@pytest.mark.parametrize(
    ("name", "why"),
    [
        (
            "2026-04-04-0952-ride.fit",
            "median speed 29.3 km/h, cadence 85 rpm, 0% of it at a running speed",
        ),
        (
            "2026-03-28-1403-walk.fit",
            "median speed 5.8 km/h, cadence 85 rpm, 0% of it at a running speed",
        ),
    ],
)
def test_truncated_ride_or_walk_is_not_made_a_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, why: str
) -> None:
    size = (EXAMPLES / "season" / name).stat().st_size
    _season_with(tmp_path, name, size // 2)
    monkeypatch.chdir(tmp_path)
    out = _ingest_json(Path("season"))
    (row,) = [r for r in out["activities"] if r["file"].endswith(name)]
    assert row["is_run"] is False and row["sport"] is None
    (said,) = [p["message"] for p in out["problems"]
               if p["path"].endswith(name) and "sport" in p["message"]]  # fmt: skip
    assert said == (
        "no sport or session message (file cut short?): built the session from its records,"
        f" not counted as a run ({why})"
    )


def test_multisport_file_cut_in_its_run_keeps_the_run(each_decoder: str) -> None:
    # a brick: 40 min on the bike (its session written), then a run cut 16 min in
    spec = ActivitySpec(
        [
            SessionSpec(START, 40, sport="cycling", distance_km=20.0, hr=130, record_every_s=10),
            SessionSpec(
                START + dt.timedelta(minutes=45), 30, distance_km=6.0, hr=155, record_every_s=10
            ),
        ]
    )
    data = activity_bytes(spec)
    result = read_fit(data[: int(len(data) * 0.8)], "brick.fit")
    ride, ran = result.sessions
    assert ride.sport == "cycling" and ride.distance_m == pytest.approx(20000.0)
    assert ran.sport == "running" and ran.from_records
    assert ran.start_unix == int((START + dt.timedelta(minutes=45)).timestamp())
    assert ran.elapsed_s == 980.0 and set(ran.hr_bpm) == {155.0}
    assert result.problems[-1].message == (
        "no sport or session message for the records after session 0 (file cut short?);"
        " treated as a run from its records (median speed 12.0 km/h, cadence 85 rpm)"
    )


# ------------------------------------------------------------- heart rates shown


def _hr_season(folder: Path) -> None:
    folder.mkdir()
    n = 30 * 6 + 1  # records every 10 s
    # the strap lost: every sample 0, and the session says avg 0 / max 0
    (folder / "2026-03-01-zeros.fit").write_bytes(
        activity_bytes(run(START, 30, 6.0, hr=0, record_every_s=10))
    )
    # noise spikes of 254 and 250: the session's max is 254
    spiky = [150] * n
    spiky[40], spiky[90] = 254, 250
    (folder / "2026-03-03-spikes.fit").write_bytes(
        activity_bytes(
            run(START + dt.timedelta(days=2), 30, 6.0, hr=spiky, record_every_s=10, avg_hr=150)
        )
    )
    # no session message to give them: from the records, dropouts left out
    (folder / "2026-03-05-nosession.fit").write_bytes(
        activity_bytes(
            run(
                START + dt.timedelta(days=4),
                30,
                6.0,
                hr=[0, 160, 250, 140],
                record_every_s=10,
                write_session=False,
            )
        )
    )


def test_ingest_table_shows_the_heart_rates_the_loads_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _hr_season(tmp_path / "season")
    out = _ingest_json(Path("season"))
    rows = {Path(r["file"]).name: r for r in out["activities"]}
    zeros, spikes, nosession = (rows[f"2026-03-0{d}.fit"] for d in ("1-zeros", "3-spikes",
                                                                      "5-nosession"))  # fmt: skip
    assert zeros["avg_hr"] is None and zeros["max_hr"] is None
    assert spikes["avg_hr"] == 150.0 and spikes["max_hr"] == 150.0
    # records: 0, 160, 250, then 140 to the end (178 of them)
    assert nosession["max_hr"] == 160.0
    assert nosession["avg_hr"] == pytest.approx((160 + 140 * 178) / 179)
    said = {(Path(p["path"]).name, p["message"]) for p in out["problems"]}
    # (issue 19) a strap that sent 0 throughout is no sensor, not 181 dropouts
    assert ("2026-03-01-zeros.fit", "session 0: no heart rate sensor (its heart rate is 0, and"
            " so are its 181 samples): no heart rate shown") in said  # fmt: skip
    # (issue 19) a value from the records says how many samples the dropout rule left out
    assert ("2026-03-03-spikes.fit", "session 0: max heart rate 254 is a dropout (outside"
            " 30-240 bpm): shown as max heart rate 150, from 179 of its 181 samples (2 dropouts"
            " outside 30-240 bpm left out)") in said  # fmt: skip
    assert ("2026-03-05-nosession.fit", "session 0: heart rate from 179 of its 181 samples (2"
            " dropouts outside 30-240 bpm left out)") in said  # fmt: skip
    # the terminal table shows the same
    table = _cli("ingest", "season", "--format", "table", "--jobs", "1").stdout
    assert " 0.0 " not in table and "254" not in table


def test_the_run_without_heart_rate_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _hr_season(tmp_path / "season")
    res = _cli("report", "season", "--format", "markdown", "--jobs", "1")
    assert "1 run(s) had no heart rate (2026-03-01-zeros.fit): their load is estimated" in (
        res.stdout
    )


# ---------------------------------------------------------------- real-file decoding


def test_session_ending_at_its_start_keeps_its_hr_and_gps(each_decoder: str) -> None:
    data = activity_bytes(run(START, 30, 6.0, hr=150, record_every_s=10, end_at_start=True))
    result = read_fit(data, "ends-at-start.fit")
    (s,) = result.sessions
    assert len(s.hr_bpm) == 181 and s.hr_t[-1] == 1800.0 and s.has_gps
    # (issue 19) its elapsed time places its records as the file means: a note for --verbose
    assert [(p.severity, p.message) for p in result.problems] == [
        ("info", "session 0: end time not after the start time (a summary written first?);"
         " heart rate and GPS are the records of the elapsed time")
    ]  # fmt: skip


def test_session_ending_at_its_start_gets_its_load_from_its_samples(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "season").mkdir()
    (tmp_path / "season" / "run.fit").write_bytes(
        activity_bytes(run(START, 30, 6.0, hr=150, record_every_s=10, end_at_start=True))
    )
    res = _cli("report", "season", "--format", "json", "--jobs", "1")
    (act,) = json.loads(res.stdout)["activities"]
    assert act["load_method"] == "hr_samples" and act["has_gps"] is True


def test_developer_field_named_total_distance_never_replaces_the_native_one(
    each_decoder: str,
) -> None:
    spec = run(START, 30, 6.0, record_every_s=10, ciq_total_distance_m=42195.0)
    result = read_fit(activity_bytes(spec), "ciq.fit")
    (s,) = result.sessions
    assert s.distance_m == pytest.approx(6000.0)
    assert result.problems == []


def test_records_of_one_chained_segment_stay_in_its_session(each_decoder: str) -> None:
    # a run with HR and GPS, then (a second FIT file chained after it) a pool swim
    # recorded by another device over part of the same time, with neither
    a_run = activity_bytes(run(START, 30, 6.0, hr=155, record_every_s=10))
    swim = activity_bytes(
        ActivitySpec(
            [
                SessionSpec(
                    START + dt.timedelta(minutes=10),
                    30,
                    sport="swimming",
                    sub_sport="lap_swimming",
                    distance_km=1.5,
                    hr=None,
                    with_gps=False,
                    record_every_s=10,
                )
            ]
        )
    )
    result = read_fit(a_run + swim, "chained.fit")
    ran, swam = result.sessions
    assert (ran.sport, swam.sport) == ("running", "swimming")
    assert len(ran.hr_bpm) == 181 and ran.has_gps
    assert swam.hr_bpm == [] and swam.has_gps is False
    assert result.problems == []


def test_session_values_filled_in_from_records_are_said(each_decoder: str) -> None:
    spec = run(START, 30, 6.0, hr=150, record_every_s=10, summary=False)
    result = read_fit(activity_bytes(spec), "bare.fit")
    entry = entry_from_result(result)
    row = entry.sessions.row(0, named=True)
    assert row["distance_km"] == pytest.approx(6.0)
    assert row["avg_hr"] == 150.0 and row["max_hr"] == 150.0
    assert [p["message"] for p in entry.problems] == [
        "session 0: distance, average heart rate and max heart rate filled in from its records"
        " (the session message has none); heart rate from all 181 of its samples"
    ]


def test_real_garmin_sessions_that_end_at_their_start_keep_their_samples(
    shared_fit_dir: Path,
) -> None:
    # GarminDB's swim-run-swim: every session's end time is the first one's start
    result = read_fit((shared_fit_dir / "GarminDB__22638574127_ACTIVITY.fit").read_bytes(), "g")
    assert [len(s.hr_bpm) for s in result.sessions] == [1223, 35, 1954, 33, 442]
    # (issue 19) a summary-first triathlon: nothing the runner sees changes, a note only
    assert [(p.severity, p.message) for p in result.problems] == [
        ("info", "sessions 0, 1, 2, 3 and 4: end time not after the start time (a summary"
         " written first?); heart rate and GPS are the records of the elapsed time")
    ]  # fmt: skip


def test_real_connect_iq_total_distance_stands_in_for_the_sessions_0(
    shared_fit_dir: Path,
) -> None:
    # Runalyze's swim-via-iq.fit: native total_distance 0.0, a Connect IQ field declared as
    # session field 9 of 150 m: used, as Runalyze does (issue 19; it was 0.0 before)
    result = read_fit((shared_fit_dir / "Runalyze__swim-via-iq.fit").read_bytes(), "iq")
    assert result.sessions[0].distance_m == 150.0
    assert ("warning", 'session 0: distance 150 m from the Connect IQ field "total_distance"'
            " that stands for it (the session message has 0)") in [
        (p.severity, p.message) for p in result.problems]  # fmt: skip
