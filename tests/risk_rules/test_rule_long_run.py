"""The ``long_run`` rule's own cases (``runload/risk/rules/long_run.py``)."""

from __future__ import annotations

from rule_cases import D0, DAY, day, reasons, scored

from tools.fitgen import run_record


def test_long_run_and_long_run_spike_factors() -> None:
    runs = [run_record(D0 + i * DAY, 40, distance_km=8) for i in range(0, 31, 3)]
    runs.append(run_record(D0 + 33 * DAY, 95, distance_km=18))
    runs.append(run_record(D0 + 34 * DAY, 65, hour=8))  # 65 min, 40 % of the week
    out = scored(runs)
    row = day(out, D0 + 33 * DAY)
    assert reasons(row)["long_run"] == (1, "long run of 1 h 35 min (90 min or more)")
    assert reasons(row)["long_run_spike"] == (
        1,
        "18.0 km run, longer than 1.1 × the longest run of the 30 days before (8.0 km)",
    )
    assert row["risk"] == "elevated"
    nxt = reasons(day(out, D0 + 34 * DAY))
    assert nxt["long_run"] == (
        1,
        "1 h 5 min run, 32 % of the 3 h 20 min of running in the 7 days ending that day "
        "(60 min and 30 % or more)",
    )
    assert "long_run_spike" not in nxt  # no distance: 65 min against the 95 min run
