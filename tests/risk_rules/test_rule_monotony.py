"""The ``monotony`` rule's own cases (``runload/risk/rules/monotony.py``)."""

from __future__ import annotations

from rule_cases import D0, DAY, day, reasons, scored

from tools.fitgen import run_record


def test_monotony_factor() -> None:
    loads = [60.0, 60.0, 60.0, 60.0, 60.0, 60.0]  # and a rest day on day 2
    runs = [run_record(D0 + i * DAY, 30) for i in (0, 2, 3, 4, 5, 6)]
    row = day(scored(runs, loads=loads), D0 + 6 * DAY)
    assert reasons(row)["monotony"] == (
        1,
        "training monotony 2.44 over 7 days: similar load every day (2 or more)",
    )
