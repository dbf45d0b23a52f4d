"""The ``unbroken_sitting`` rule's own cases (``runload/risk/rules/unbroken_sitting.py``): the
day's longest stretch without a break against ``bout_minutes``; a day without bout data is
unknown, never zero."""

from __future__ import annotations

from rule_cases import D0, DAY, day, fields, reasons, scored

from runload.config import RiskSettings, Settings
from tools.fitgen import run_record, sitting_record


def test_two_hours_without_a_break_adds_a_point() -> None:
    sit = [
        sitting_record(D0, 7.0, kind="device", longest_sit_minutes=160.0, sit_breaks=4),
        sitting_record(D0 + DAY, 7.0, kind="device", longest_sit_minutes=119.9, sit_breaks=9),
        sitting_record(D0 + 2 * DAY, 7.0),  # a log day: no bout data
    ]
    out = scored([], sit)
    assert reasons(day(out, D0))["unbroken_sitting"] == (
        1,
        "sat 2 h 40 min without a break (2 h or more)",
    )
    assert fields(day(out, D0))["unbroken_sitting"] == (160.0, 120.0, "min")
    assert "unbroken_sitting" not in reasons(day(out, D0 + DAY))
    assert "unbroken_sitting" not in reasons(day(out, D0 + 2 * DAY))
    assert day(out, D0 + 2 * DAY)["longest_sit_minutes"] is None  # unknown, not 0


def test_it_is_sitting_it_never_raises_a_day_alone() -> None:
    sit = [sitting_record(D0 + DAY, 10.5, kind="device", longest_sit_minutes=200.0)]
    assert day(scored([], sit), D0 + DAY)["risk"] == "low"
    row = day(scored([run_record(D0 + DAY, 95, hour=18)], sit), D0 + DAY)
    assert row["risk"] == "elevated"
    assert {"sitting", "unbroken_sitting", "long_run"} <= set(reasons(row))


def test_the_line_is_a_setting() -> None:
    s = Settings(risk=RiskSettings(bout_minutes=60))
    sit = [sitting_record(D0, 5.0, longest_sit_minutes=61.0)]
    assert reasons(day(scored([], sit, settings=s), D0))["unbroken_sitting"][1] == (
        "sat 1 h 1 min without a break (1 h or more)"
    )
