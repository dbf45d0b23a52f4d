"""read_sitting: files and folders, merge precedence, unknown days, resting HR facts."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runload.errors import WakingWindowError
from runload.schema import SITTING_COLUMNS, AthleteFact, sitting_schema
from runload.sitting import read_sitting
from tools.fitgen import MonitoringState, monitoring_bytes

D = dt.date
TODAY = D(2025, 6, 30)
SUMMARY = "garmin_usersummary_daily_2days.json"


def _monitoring_0615(path: Path) -> Path:
    """2025-06-15 local (UTC+2): sedentary 07:00–08:00 and 09:00–17:00 in the window = 9 h."""
    midnight = dt.datetime(2025, 6, 14, 22, 0, tzinfo=dt.UTC)
    at = [(0, 8), (8, 6), (9, 8), (17, 6), (23.5, 0)]
    states = [MonitoringState(midnight + dt.timedelta(hours=h), kind) for h, kind in at]
    path.write_bytes(monitoring_bytes(midnight, 7200, states))
    return path


@pytest.fixture
def sources(tmp_path: Path, shared_sitting_dir: Path) -> dict[str, Path]:
    manual = tmp_path / "sitting.csv"
    manual.write_text("date,sitting_hours,numbness,seat\n2025-06-14,8,3,hard\n2025-06-17,6.5,,\n")
    devices = tmp_path / "devices"
    (devices / "fitbit").mkdir(parents=True)
    _monitoring_0615(devices / "garmin-wellness.fit")
    (devices / "fitbit" / "sedentary_minutes-2025-06-13.json").write_text(
        json.dumps(
            [{"dateTime": f"06/{d}/25 00:00:00", "value": str(600 + d)} for d in (13, 14, 15, 16)]
        )
    )
    (devices / "readme.txt").write_text("not a sitting file")
    (devices / "weights.csv").write_text("date,kg\n2025-06-14,70\n")  # not a log: skipped
    (devices / ".hidden.csv").write_text("date,sitting_hours\n2025-06-20,1\n")
    return {"manual": manual, "summary": shared_sitting_dir / SUMMARY, "devices": devices}


def test_merge_precedence_and_unknown_days(sources: dict[str, Path]) -> None:
    res = read_sitting([sources["devices"], sources["summary"], sources["manual"]], today=TODAY)
    assert res.problems == []
    assert res.days.schema == sitting_schema()
    assert list(res.days.columns) == list(SITTING_COLUMNS)
    rows = {r["date"]: r for r in res.days.to_dicts()}
    assert sorted(rows) == [D(2025, 6, d) for d in (13, 14, 15, 16, 17)]  # no 06-18: unknown
    assert rows[D(2025, 6, 13)]["sitting_hours"] == 48657 / 3600  # Garmin summary > Fitbit
    assert rows[D(2025, 6, 14)]["sitting_hours"] == 8.0  # manual > summary > Fitbit
    assert rows[D(2025, 6, 14)]["numbness"] == 3 and rows[D(2025, 6, 14)]["seat"] == "hard"
    assert rows[D(2025, 6, 15)]["sitting_hours"] == pytest.approx(9.0)  # monitoring > Fitbit
    assert rows[D(2025, 6, 16)]["sitting_hours"] == 616 / 60  # Fitbit alone
    assert rows[D(2025, 6, 17)]["sitting_hours"] == 6.5
    assert {d: r["source_kind"] for d, r in rows.items()} == {
        D(2025, 6, 13): "device",
        D(2025, 6, 14): "self_report",
        D(2025, 6, 15): "device",
        D(2025, 6, 16): "device",
        D(2025, 6, 17): "self_report",
    }
    assert rows[D(2025, 6, 13)]["source"] == str(sources["summary"])
    assert rows[D(2025, 6, 14)]["source"] == str(sources["manual"])
    assert rows[D(2025, 6, 15)]["source"].endswith("garmin-wellness.fit")
    assert rows[D(2025, 6, 16)]["source"].endswith("sedentary_minutes-2025-06-13.json")


def test_without_the_manual_log_the_garmin_summary_wins(sources: dict[str, Path]) -> None:
    res = read_sitting([sources["devices"], sources["summary"]], today=TODAY)
    day = res.days.filter(res.days["date"] == D(2025, 6, 14)).row(0, named=True)
    assert day["sitting_hours"] == 53385 / 3600
    assert day["source_kind"] == "device"


def test_resting_hr_and_facts(sources: dict[str, Path]) -> None:
    res = read_sitting([sources["summary"]], today=TODAY)
    assert res.resting_hr.select("date", "resting_hr").rows() == [
        (D(2025, 6, 13), 49.0),
        (D(2025, 6, 14), 51.0),
    ]
    # one fact per day: the athlete's resting HR is their median, not the last day's
    assert res.facts == [
        AthleteFact("hr_rest", 49.0, str(sources["summary"])),
        AthleteFact("hr_rest", 51.0, str(sources["summary"])),
    ]
    assert read_sitting([sources["manual"]]).facts == []


def test_fitbit_days_after_today_are_dropped(sources: dict[str, Path]) -> None:
    res = read_sitting([sources["devices"]], today=D(2025, 6, 14))
    # 06-15 still comes from the monitoring file; Fitbit's 06-15 and 06-16 are dropped.
    assert res.days["date"].to_list() == [D(2025, 6, 13), D(2025, 6, 14), D(2025, 6, 15)]
    assert res.days["source"].to_list()[2].endswith("garmin-wellness.fit")
    assert sorted(p.message for p in res.problems) == [
        "2025-06-15 is after the export date 2025-06-14; dropped",
        "2025-06-16 is after the export date 2025-06-14; dropped",
    ]
    assert not res.has_errors


ROOT = Path(__file__).resolve().parents[1]


def test_a_folder_of_activity_fit_files_is_skipped_silently(monkeypatch) -> None:
    """examples/ holds the committed season (activity FIT files) beside its sitting log:
    only the log is read, no activity file is read as a monitoring file, nothing is said."""
    import runload.sitting.monitoring as monitoring_mod

    decoded: list[str] = []
    real = monitoring_mod.read_monitoring_states

    def spy(path):
        decoded.append(str(path))
        return real(path)

    monkeypatch.setattr(monitoring_mod, "read_monitoring_states", spy)
    examples = ROOT / "examples"
    fits = list((examples / "season").glob("*.fit"))
    assert len(fits) > 50
    res = read_sitting([examples])
    assert res.problems == []
    assert decoded == []
    log = read_sitting([examples / "sitting.csv"])
    assert res.days.equals(log.days) and res.days.height > 100


def test_a_folder_walk_finds_a_log_with_spaced_column_names(tmp_path: Path) -> None:
    (tmp_path / "desk.csv").write_text("Date;Sitting Hours\n2025-06-18;7,5\n")
    (tmp_path / "weights.csv").write_text("Date;Weight kg\n2025-06-18;70\n")
    res = read_sitting([tmp_path])
    assert res.problems == []
    assert res.days.select("date", "sitting_hours").rows() == [(D(2025, 6, 18), 7.5)]


def test_date_from_and_to_keep_the_days_between(sources: dict[str, Path]) -> None:
    everything = read_sitting([sources["devices"], sources["manual"]], today=TODAY)
    res = read_sitting(
        [sources["devices"], sources["manual"]],
        today=TODAY,
        date_from=D(2025, 6, 14),
        date_to=D(2025, 6, 16),
    )
    assert res.days["date"].to_list() == [D(2025, 6, d) for d in (14, 15, 16)]
    assert res.days.equals(
        everything.days.filter(everything.days["date"].is_between(D(2025, 6, 14), D(2025, 6, 16)))
    )
    assert read_sitting([sources["manual"]], date_from=D(2025, 6, 15)).days["date"].to_list() == [
        D(2025, 6, 17)
    ]


def test_waking_window_is_a_parameter(sources: dict[str, Path]) -> None:
    res = read_sitting([sources["devices"] / "garmin-wellness.fit"], waking=("10:00", "16:00"))
    assert res.days["sitting_hours"].to_list() == [pytest.approx(6.0)]
    with pytest.raises(WakingWindowError, match="must end after it starts"):
        read_sitting([], waking=("23:00", "07:00"))
    with pytest.raises(ValueError, match='"7am" is not a time of day'):
        read_sitting([], waking=("7am", "23:00"))


def test_waking_window_as_times_of_day(sources: dict[str, Path]) -> None:
    """The settings hold ``datetime.time``; API users may still write "10:00"."""
    fit = sources["devices"] / "garmin-wellness.fit"
    as_text = read_sitting([fit], waking=("10:00", "16:00"))
    assert read_sitting([fit], waking=(dt.time(10), dt.time(16))).days.equals(as_text.days)
    assert read_sitting([fit], waking=(dt.time(10), "16:00")).days.equals(as_text.days)
    assert read_sitting([fit]).days.equals(read_sitting([fit], waking=("07:00", "23:00")).days)
    with pytest.raises(WakingWindowError, match="the waking window 16:00–10:00 must end after"):
        read_sitting([], waking=(dt.time(16), dt.time(10)))
    with pytest.raises(WakingWindowError, match='"24:00" is not a time of day'):
        read_sitting([], waking=("07:00", "24:00"))


def test_bad_sources_do_not_stop_the_rest(
    tmp_path: Path, sources: dict[str, Path], shared_sitting_dir: Path
) -> None:
    gfit = shared_sitting_dir / "googlefit_Daily_activity_metrics_head.csv"
    shutil.copy(gfit, sources["devices"] / "gfit.csv")
    empty = tmp_path / "empty"
    empty.mkdir()
    bad_log = tmp_path / "bad.csv"
    bad_log.write_text("date,sitting_hours\n2025-06-17,27\n2025-06-18,7\n")
    res = read_sitting(
        [tmp_path / "missing.csv", gfit, empty, bad_log, sources["devices"]], today=TODAY
    )
    problems = [(p.severity, p.path, p.message.split(";")[0]) for p in res.problems]
    assert problems == [
        ("error", str(tmp_path / "missing.csv"), "no such file or folder"),
        (
            "warning",
            str(empty),
            "has no sitting sources (logs, Garmin or Fitbit exports, monitoring FIT files)",
        ),
        (
            "error",
            str(gfit),
            "unsupported sitting source: a Google Fit daily activity metrics CSV (its inactive "
            "time includes sleep and phone-on-desk time)",
        ),
        (
            "warning",
            str(sources["devices"] / "gfit.csv"),
            "unsupported sitting source: a Google Fit daily activity metrics CSV (its inactive "
            "time includes sleep and phone-on-desk time)",
        ),
        ("error", str(bad_log), "sitting_hours 27 is outside 0–24"),
    ]
    assert res.has_errors
    assert D(2025, 6, 18) in res.days["date"].to_list()
    assert D(2025, 6, 15) in res.days["date"].to_list()


def test_a_zip_export_is_read_named_or_in_a_folder(
    tmp_path: Path, shared_sitting_dir: Path
) -> None:
    """Zips are read in place (more in test_garmin_export.py); given twice, read once."""
    import zipfile

    export = tmp_path / "garmin" / "export.zip"
    export.parent.mkdir()
    member = "DI_CONNECT/DI-Connect-Aggregator/UDSFile_1.json"
    with zipfile.ZipFile(export, "w") as z:
        z.write(shared_sitting_dir / SUMMARY, member)
    res = read_sitting([export, export.parent])
    assert res.problems == []
    assert res.days["date"].to_list() == [D(2025, 6, 13), D(2025, 6, 14)]
    assert set(res.days["source"]) == {f"{export}:{member}"}
    assert [(f.kind, f.given) for f in res.files] == [("garmin_summary", str(export))]


def test_two_logs_disagreeing_on_a_day(tmp_path: Path) -> None:
    a = tmp_path / "a.csv"
    b = tmp_path / "b.json"
    a.write_text("date,sitting_hours\n2025-06-14,8\n")
    b.write_text('[{"date": "2025-06-14", "sitting_hours": 10}]')
    res = read_sitting([a, b])
    assert res.days.select("sitting_hours", "source").rows() == [(8.0, str(a))]
    assert [str(p) for p in res.problems] == [
        f"{a}: 2025-06-14: also in {b} with other hours; kept 8.00 h [warning]"
    ]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=300), name=st.sampled_from(["x.csv", "x.json", "x.fit", "x"]))
def test_random_files_never_raise(tmp_path: Path, data: bytes, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    res = read_sitting([path, tmp_path])
    assert res.days.schema == sitting_schema()


_GOOD_FIT: list[bytes] = []


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cut=st.integers(min_value=0, max_value=400), flips=st.lists(st.integers(0, 400), max_size=4))
def test_damaged_monitoring_files_never_raise(tmp_path: Path, cut: int, flips: list[int]) -> None:
    if not _GOOD_FIT:
        _GOOD_FIT.append(_monitoring_0615(tmp_path / "good.fit").read_bytes())
    data = bytearray(_GOOD_FIT[0])
    for i in flips:
        if 14 <= i < len(data):  # keep the header so it is still taken for a FIT file
            data[i] ^= 0xFF
    path = tmp_path / "damaged.fit"
    path.write_bytes(bytes(data[: max(14, len(data) - cut)]))
    res = read_sitting([path])
    assert res.days.schema == sitting_schema()
    assert all(0 <= h <= 16 for h in res.days["sitting_hours"].to_list())


def test_detection_splits_a_table_as_its_reader_does(tmp_path: Path) -> None:
    """One separator guess for detection and reading: the header splits into a log's
    columns by ; although , splits it into more (a note column holding commas)."""
    log = tmp_path / "desk.csv"
    log.write_text("Date;Sitting Hours;notes, a,b,c\n2025-06-18;7,5;x\n")
    res = read_sitting([log, tmp_path])
    assert res.problems == []
    assert res.days.select("date", "sitting_hours").rows() == [(D(2025, 6, 18), 7.5)]
