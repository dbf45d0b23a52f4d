"""The ``symptoms`` rule's own cases (``runload/risk/rules/symptoms.py``)."""

from __future__ import annotations

from rule_cases import D0, DAY, day, reasons, scored

from tools.fitgen import sitting_record


def test_symptoms_that_day_or_the_day_before() -> None:
    sit = [sitting_record(D0, 5, numbness=4), sitting_record(D0 + 2 * DAY, 5, numbness=2)]
    out = scored([], sit)
    assert reasons(day(out, D0))["symptoms"] == (2, "numbness 4/10 logged that day (3 or more)")
    assert reasons(day(out, D0 + DAY))["symptoms"] == (
        2,
        "numbness 4/10 logged the day before (3 or more)",
    )
    assert "symptoms" not in reasons(day(out, D0 + 2 * DAY))
    assert day(out, D0)["risk"] == "elevated"
