"""The ``sitting_streak`` rule's own cases (``runload/risk/rules/sitting_streak.py``)."""

from __future__ import annotations

from rule_cases import D0, DAY, day, fields, reasons, scored

from tools.fitgen import sitting_record


def test_sitting_streak() -> None:
    sit = [sitting_record(D0 + i * DAY, h) for i, h in enumerate([8, 9, 8.5, 7, 8, 8, None, 8])]
    out = scored([], sit)
    streak = {r["date"]: reasons(r).get("sitting_streak") for r in out.iter_rows(named=True)}
    assert [streak[D0 + i * DAY] is not None for i in range(8)] == [
        False, False, True, False, False, False, False, False
    ]  # fmt: skip
    assert streak[D0 + 2 * DAY] == (
        1,
        "3 days in a row with 8 h or more of sitting (3 days or more)",
    )


def test_sitting_streak_on_device_days_names_the_device_threshold() -> None:
    # Device days need 9 h (8 h + the 1 h offset) to count: the reason must not say 8 h.
    sit = [sitting_record(D0 + i * DAY, 9.5, kind="device") for i in range(3)]
    sit.append(sitting_record(D0 + 3 * DAY, 8.5))
    out = scored([], sit)
    assert reasons(day(out, D0 + 2 * DAY))["sitting_streak"] == (
        1,
        "3 days in a row with 8 h or more of sitting, 9 h for device data (3 days or more)",
    )
    assert reasons(day(out, D0 + 3 * DAY))["sitting_streak"][1] == (
        "4 days in a row with 8 h or more of sitting, 9 h for device data (3 days or more)"
    )
    # a streak of self-reports only keeps the short text
    out = scored([], [sitting_record(D0 + i * DAY, 8.5) for i in range(3)])
    assert reasons(day(out, D0 + 2 * DAY))["sitting_streak"][1] == (
        "3 days in a row with 8 h or more of sitting (3 days or more)"
    )


def test_streak_reason_fields_count_days() -> None:
    out = scored([], [sitting_record(D0 + i * DAY, 8.5) for i in range(4)])
    assert fields(day(out, D0 + 3 * DAY))["sitting_streak"] == (4.0, 3.0, "days")
