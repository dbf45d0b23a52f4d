"""The ``pain`` rule's own cases (``runload/risk/rules/pain.py``)."""

from __future__ import annotations

from rule_cases import D0, DAY, day, reasons, scored

from tools.fitgen import sitting_record


def test_pain_sites_count_seven_days_and_read_in_words() -> None:
    sit = [sitting_record(D0, None, pain="knee+lower_back", thomas="none")]
    out = scored([], sit, until=D0 + 8 * DAY)
    on = [("pain" in reasons(r)) for r in out.iter_rows(named=True)]
    assert on == [True] * 7 + [False] * 2
    assert reasons(day(out, D0 + 6 * DAY))["pain"] == (
        1,
        f"pain at the knee and the lower back logged on {D0} (a pain site counts 7 days)",
    )


def test_a_check_without_pain_ends_it_and_one_site_reads_alone() -> None:
    sit = [
        sitting_record(D0, None, pain="hamstring", thomas="none"),
        sitting_record(D0 + 2 * DAY, None, pain="none", thomas="none"),
    ]
    out = scored([], sit, until=D0 + 3 * DAY)
    assert reasons(day(out, D0 + DAY))["pain"][1].startswith("pain at the hamstring logged")
    assert "pain" not in reasons(day(out, D0 + 2 * DAY))
