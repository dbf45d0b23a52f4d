"""The ``load_spike`` rule's own cases (``runload/risk/rules/load_spike.py``)."""

from __future__ import annotations

import pytest
from rule_cases import D0, DAY, S, _load_days, day, fields, reasons, scored

from runload.config import LoadSettings, Settings
from tools.fitgen import run_record, sitting_record


def test_load_spike_one_and_two_points() -> None:
    assert "load_spike" not in reasons(day(_load_days(400.0), D0 + 28 * DAY))  # 1.29
    row = day(_load_days(420.0), D0 + 28 * DAY)  # 1.3077: cut, not rounded
    assert reasons(row)["load_spike"] == (1, "acute:chronic load 1.3 (1.3 or more)")
    row = day(_load_days(660.0), D0 + 28 * DAY)  # exactly 1.5
    assert reasons(row)["load_spike"] == (2, "acute:chronic load 1.5 (1.5 or more)")
    assert row["risk"] == "elevated"


def test_acwr_just_under_a_threshold_never_reads_as_reaching_it() -> None:
    # acwr = 1.4999: +1 point, so the text must not say 1.5 next to "1.5 or more"
    # last-day load x: acute (600 + x)/7, chronic (2700 + x)/28; solve acwr = 1.4999
    x = (1.4999 * 2700 / 28 - 600 / 7) / (1 / 7 - 1.4999 / 28)
    row = day(_load_days(x), D0 + 28 * DAY)
    assert row["acwr"] == pytest.approx(1.4999)
    assert reasons(row)["load_spike"] == (1, "acute:chronic load 1.49 (1.3 or more)")


def test_reason_numbers_show_the_digits_of_a_finer_threshold() -> None:
    from runload.config import RiskSettings

    s = Settings(risk=RiskSettings(acwr=1.333, sitting_hours=8.125, sitting_hours_high=10))
    x = (1.3335 * 2700 / 28 - 600 / 7) / (1 / 7 - 1.3335 / 28)
    runs = [run_record(D0 + i * DAY, 30) for i in range(29)]
    row = day(scored(runs, loads=[100.0] * 28 + [x], settings=s), D0 + 28 * DAY)
    assert reasons(row)["load_spike"] == (1, "acute:chronic load 1.333 (1.333 or more)")
    row = day(scored([], [sitting_record(D0, 8.1259)], settings=s), D0)
    assert reasons(row)["sitting"] == (1, "sat 8.125 h (8.125 h or more)")
    assert "sitting" not in reasons(day(scored([], [sitting_record(D0, 8.1249)], settings=s), D0))


# --- the ratio counts only against a baseline that holds training --------------------------
# Twice a week for four weeks (30 min, load 50), then four runs in a row: on day 31 the acute
# week (days 25-31) holds 4 runs, the 28 days 10 (acwr = (200/7) / (500/28) = 1.6), and the
# baseline, days 8-28 back (days 3-23), 6 runs and 180 min: exactly what a ratio needs.
TWICE_A_WEEK = (0, 3, 7, 10, 14, 17, 21, 24)
JUMP = (28, 29, 30, 31)


def _jump(baseline_days=TWICE_A_WEEK, minutes: float = 30) -> dict:
    runs = [run_record(D0 + i * DAY, minutes) for i in (*baseline_days, *JUMP)]
    return day(scored(runs, loads=[50.0] * len(runs)), D0 + 31 * DAY)


def test_a_twice_a_week_runner_gets_the_load_jump() -> None:
    row = _jump()
    assert row["acwr"] == pytest.approx(1.6)
    assert reasons(row)["load_spike"] == (2, "acute:chronic load 1.6 (1.5 or more)")
    assert row["risk"] == "elevated"


def test_a_baseline_one_run_short_does_not_count_and_says_why() -> None:
    row = _jump(baseline_days=(0, 3, 7, 10, 14, 21, 24))  # day 17 left out: 5 runs in days 3-23
    assert reasons(row)["load_spike"] == (
        0,
        "acute:chronic load 1.77 (1.5 or more), not counted: 5 days with a run and 2 h 30 min"
        " of running 8 to 28 days back (a ratio needs 6 days and 3 h there)",
    )
    assert fields(row)["load_spike"] == (pytest.approx(16 / 9), 1.5, "ratio")
    assert (row["score"], row["risk"]) == (0, "low")


def test_a_baseline_a_minute_short_does_not_count() -> None:
    row = _jump(minutes=29.9)  # 6 runs of 29.9 min: 179.4 min in the baseline
    points, detail = reasons(row)["load_spike"]
    assert points == 0 and "6 days with a run and 2 h 59 min" in detail


def test_one_run_after_a_quiet_week_of_a_once_a_week_runner_does_not_count() -> None:
    weekly = [run_record(D0 + i * DAY, 45) for i in (0, 7, 14, 21, 28, 29)]
    row = day(scored(weekly, loads=[80.0] * 6), D0 + 29 * DAY)
    assert row["acwr"] >= 1.5
    assert reasons(row)["load_spike"][0] == 0
    assert row["risk"] == "low"


def test_the_baseline_follows_the_window_settings() -> None:
    s = Settings(load=LoadSettings(acute_days=7, chronic_days=21))
    from runload.risk.rules.load_spike import LoadSpike

    assert "days 8–21 back" in LoadSpike(s).rule_text()
    assert "days 8–28 back" in LoadSpike(S).rule_text()
