"""The ``thomas`` rule's own cases (``runload/risk/rules/thomas.py``)."""

from __future__ import annotations

from rule_cases import D0, DAY, day, fields, reasons, scored

from tools.fitgen import sitting_record


def test_a_tight_hip_flexor_names_its_side_and_counts_fourteen_days() -> None:
    sit = [sitting_record(D0, None, thomas="right")]
    out = scored([], sit, until=D0 + 14 * DAY)
    assert reasons(day(out, D0 + 2 * DAY))["thomas"] == (
        1,
        f"Thomas test positive, right, on {D0}: the right thigh lifted (right hip flexor tight) "
        "(a positive self-test counts 14 days)",
    )
    assert fields(day(out, D0 + 2 * DAY))["thomas"] == (2.0, 14.0, "days")
    assert "thomas" not in reasons(day(out, D0 + 14 * DAY))


def test_none_is_a_negative_check() -> None:
    out = scored([], [sitting_record(D0, None, thomas="none")], until=D0 + DAY)
    assert all("thomas" not in reasons(r) for r in out.iter_rows(named=True))
