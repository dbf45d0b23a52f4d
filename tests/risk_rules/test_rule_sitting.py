"""The ``sitting`` rule's own cases (``runload/risk/rules/sitting.py``)."""

from __future__ import annotations

import pytest
from rule_cases import D0, DAY, day, fields, reasons, scored

from runload.config import LoadSettings, Settings
from tools.fitgen import run_record, sitting_record


def test_sitting_the_day_before_a_morning_long_run() -> None:
    out = scored(
        [run_record(D0 + DAY, 112, hour=7)],
        [sitting_record(D0, 10.5), sitting_record(D0 + DAY, 6.0)],
    )
    row = day(out, D0 + DAY)
    assert reasons(row)["sitting"] == (
        2,
        "sat 10.5 h the day before a 1 h 52 min run (10 h or more)",
    )
    assert row["sitting_exposure_hours"] == 10.5
    assert reasons(row)["long_run"] == (1, "long run of 1 h 52 min (90 min or more)")
    assert (row["score"], row["risk"]) == (3, "elevated")


@pytest.mark.parametrize(
    ("hour", "minute", "exposure"),
    [(0, 30, 9.0), (11, 59, 9.0), (12, 0, 4.0), (23, 30, 4.0)],
)
def test_midnight_and_noon_decide_whose_sitting_counts(hour, minute, exposure) -> None:
    out = scored(
        [run_record(D0 + DAY, 40, hour=hour, minute=minute)],
        [sitting_record(D0, 9.0), sitting_record(D0 + DAY, 4.0)],
    )
    row = day(out, D0 + DAY)
    assert row["sitting_exposure_hours"] == exposure
    assert ("sitting" in reasons(row)) is (exposure == 9.0)


def test_a_run_just_before_midnight_belongs_to_its_own_day() -> None:
    out = scored(
        [run_record(D0, 40, hour=23, minute=50)],
        [sitting_record(D0, 8.0), sitting_record(D0 + DAY, 2.0)],
        until=D0 + DAY,
    )
    assert day(out, D0)["runs"] == 1 and day(out, D0 + DAY)["runs"] == 0
    assert reasons(day(out, D0))["sitting"][1] == (
        "sat 8 h the same day as a 40 min run (8 h or more)"
    )


@pytest.mark.parametrize(
    ("hours", "kind", "points", "detail"),
    [
        (8.5, "self_report", 1, "sat 8.5 h (8 h or more)"),
        (8.5, "device", 0, None),
        (9.0, "device", 1, "sat 9 h by device count (9 h or more for device data)"),
        (10.5, "device", 1, "sat 10.5 h by device count (9 h or more for device data)"),
        (11.0, "device", 2, "sat 11 h by device count (11 h or more for device data)"),
    ],
)
def test_device_sitting_gets_the_offset(hours, kind, points, detail) -> None:
    out = scored([], [sitting_record(D0, hours, kind=kind)])
    row = day(out, D0)
    got = reasons(row).get("sitting")
    assert (got or (0, None)) == (points, detail)
    assert row["risk"] == "low"


def test_the_worst_of_several_runs_counts() -> None:
    out = scored(
        [run_record(D0 + DAY, 30, hour=7), run_record(D0 + DAY, 30, hour=18)],
        [sitting_record(D0, 8.5), sitting_record(D0 + DAY, 10.0)],
    )
    row = day(out, D0 + DAY)
    assert reasons(row)["sitting"] == (2, "sat 10 h the same day as a 30 min run (10 h or more)")


def test_thresholds_come_from_the_settings() -> None:
    from runload.config import RiskSettings

    s = Settings(risk=RiskSettings(sitting_hours=6, sitting_hours_high=7), load=LoadSettings())
    row = day(scored([], [sitting_record(D0, 6.5)], settings=s), D0)
    assert reasons(row)["sitting"] == (1, "sat 6.5 h (6 h or more)")


def test_hours_in_reasons_never_round_across_a_threshold() -> None:
    row = day(scored([], [sitting_record(D0, 9.95)]), D0)
    assert reasons(row)["sitting"] == (1, "sat 9.95 h (8 h or more)")


def test_hours_just_under_ten_never_read_as_ten() -> None:
    row = day(scored([], [sitting_record(D0, 9.999)]), D0)
    assert reasons(row)["sitting"] == (1, "sat 9.99 h (8 h or more)")
    row = day(scored([], [sitting_record(D0, 10.999, kind="device")]), D0)
    assert reasons(row)["sitting"] == (
        1,
        "sat 10.99 h by device count (9 h or more for device data)",
    )


def test_sitting_reason_fields_name_the_exposure_and_the_line_reached() -> None:
    # a morning run: the day before's sitting is the exposure; 10.5 h reached the 10 h line
    out = scored([run_record(D0 + DAY, 112, hour=7)], [sitting_record(D0, 10.5)])
    assert fields(day(out, D0 + DAY))["sitting"] == (10.5, 10.0, "h")
    # device days: the threshold includes the device offset (9 h for +1, 11 h for +2)
    for hours, line in ((10.5, 9.0), (11.0, 11.0)):
        out = scored([], [sitting_record(D0, hours, kind="device")])
        assert fields(day(out, D0))["sitting"] == (hours, line, "h")
    out = scored([], [sitting_record(D0, 8.5)])
    assert fields(day(out, D0))["sitting"] == (8.5, 8.0, "h")
