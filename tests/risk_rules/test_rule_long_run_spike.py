"""The ``long_run_spike`` rule's own cases (``runload/risk/rules/long_run_spike.py``)."""

from __future__ import annotations

import dataclasses

import pytest
from rule_cases import D0, DAY, day, fields, reasons, scored

from runload.config import LoadSettings, Settings
from tools.fitgen import run_record


def test_spike_text_never_shows_the_two_runs_as_equal() -> None:
    base = [run_record(D0 + i * DAY, 40, distance_km=10.0) for i in range(0, 31, 3)]
    row = day(scored([*base, run_record(D0 + 33 * DAY, 44, distance_km=11.04)]), D0 + 33 * DAY)
    # 11.04 > 1.1 x 10 = 11: rounded it would read "11.0 km ... (10.0 km)"
    assert reasons(row)["long_run_spike"] == (
        1,
        "11.1 km run, longer than 1.1 × the longest run of the 30 days before (10.0 km)",
    )
    timed = [run_record(D0 + i * DAY, 60) for i in range(0, 31, 3)]
    row = day(scored([*timed, run_record(D0 + 33 * DAY, 66.2)]), D0 + 33 * DAY)
    assert reasons(row)["long_run_spike"][1] == (
        "1 h 7 min run, longer than 1.1 × the longest run of the 30 days before (1 h)"
    )


def test_long_run_and_spike_reason_fields() -> None:
    runs = [run_record(D0 + i * DAY, 40, distance_km=8) for i in range(0, 31, 3)]
    runs.append(run_record(D0 + 33 * DAY, 95, distance_km=18))
    runs.append(run_record(D0 + 34 * DAY, 65, hour=8))  # long by its share of the week
    out = scored(runs)
    got = fields(day(out, D0 + 33 * DAY))
    assert got["long_run"] == (95.0, 90.0, "min")
    value, threshold, unit = got["long_run_spike"]
    assert (value, unit) == (18.0, "km") and threshold == pytest.approx(1.1 * 8)
    assert fields(day(out, D0 + 34 * DAY))["long_run"] == (65.0, 60.0, "min")
    # no distance: the spike compares minutes
    timed = [run_record(D0 + i * DAY, 60) for i in range(0, 31, 3)]
    row = day(scored([*timed, run_record(D0 + 33 * DAY, 66.2)]), D0 + 33 * DAY)
    value, threshold, unit = fields(row)["long_run_spike"]
    assert (value, unit) == (pytest.approx(66.2), "min") and threshold == pytest.approx(66.0)


def _imperial(**load: float) -> Settings:
    from runload.options import with_units

    base = Settings() if not load else Settings(load=dataclasses.replace(LoadSettings(), **load))
    return with_units(base, "imperial")


def test_spike_in_miles_is_worded_in_miles_from_the_km_it_keeps() -> None:
    """``[display] units = "imperial"``: the sentence in miles (the run rounded up, the one
    it beat rounded down, as in km); ``value``, ``threshold`` and ``unit`` stay km."""
    base = [run_record(D0 + i * DAY, 40, distance_km=10.0) for i in range(0, 31, 3)]
    row = day(
        scored([*base, run_record(D0 + 33 * DAY, 44, distance_km=11.04)], settings=_imperial()),
        D0 + 33 * DAY,
    )
    # 11.04 km = 6.86 mi (up: 6.9), 10 km = 6.21 mi (down: 6.2)
    assert reasons(row)["long_run_spike"] == (
        1,
        "6.9 mi run, longer than 1.1 × the longest run of the 30 days before (6.2 mi)",
    )
    value, threshold, unit = fields(row)["long_run_spike"]
    assert (value, unit) == (11.04, "km") and threshold == pytest.approx(11.0)


def test_spike_at_its_boundary_in_miles_never_reads_the_two_runs_as_equal() -> None:
    """With ``spike_ratio = 1`` a 10.01 km run beats a 10 km one: both round to 6.2 mi, so
    the run reads 6.3 mi (up) and the one it beat 6.2 mi (down)."""
    base = [run_record(D0 + i * DAY, 40, distance_km=10.0) for i in range(0, 31, 3)]
    settings = _imperial(spike_ratio=1.0)
    row = day(
        scored([*base, run_record(D0 + 33 * DAY, 40, distance_km=10.01)], settings=settings),
        D0 + 33 * DAY,
    )
    detail = reasons(row)["long_run_spike"][1]
    assert detail == ("6.3 mi run, longer than 1 × the longest run of the 30 days before (6.2 mi)")
