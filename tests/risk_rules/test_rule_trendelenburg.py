"""The ``trendelenburg`` rule's own cases (``runload/risk/rules/trendelenburg.py``): a positive
self-test counts ``selftest_days`` from its check, a later negative check ends it, it sharpens
a day the running raises and never raises one alone."""

from __future__ import annotations

from rule_cases import D0, DAY, day, reasons, scored

from runload.config import RiskSettings, Settings
from tools.fitgen import run_record, sitting_record


def _checks(*days_sides):
    return [sitting_record(D0 + d * DAY, None, trendelenburg=s) for d, s in days_sides]


def test_a_positive_test_counts_fourteen_days_from_its_check() -> None:
    out = scored([], _checks((0, "left")), until=D0 + 15 * DAY)
    on = {r["date"]: reasons(r).get("trendelenburg") for r in out.iter_rows(named=True)}
    assert [on[D0 + i * DAY] is not None for i in range(16)] == [True] * 14 + [False] * 2
    assert on[D0 + 13 * DAY] == (
        1,
        f"Trendelenburg positive, left, on {D0}: standing on the left leg, the right hip "
        "dropped (left glute medius) (a positive self-test counts 14 days)",
    )


def test_a_later_negative_check_ends_it_and_both_sides_read_so() -> None:
    out = scored([], _checks((0, "both"), (5, "none")), until=D0 + 7 * DAY)
    assert reasons(day(out, D0 + 4 * DAY))["trendelenburg"][1].startswith(
        f"Trendelenburg positive, both, on {D0}: on either leg the other hip dropped"
    )
    assert "trendelenburg" not in reasons(day(out, D0 + 5 * DAY))


def test_alone_it_never_raises_a_day_but_it_sharpens_a_long_run() -> None:
    sit = [*_checks((0, "right")), sitting_record(D0 + 3 * DAY, 9.0)]
    out = scored([], sit, until=D0 + 5 * DAY)
    assert set(out.get_column("risk")) == {"low"}
    assert day(out, D0 + 3 * DAY)["score"] == 2  # sitting 9 h + the test: still low
    runs = [run_record(D0 + 3 * DAY, 95, hour=18)]
    row = day(scored(runs, sit, until=D0 + 5 * DAY), D0 + 3 * DAY)
    assert row["risk"] == "elevated"
    assert {"sitting", "long_run", "trendelenburg"} <= set(reasons(row))


def test_the_window_is_a_setting() -> None:
    s = Settings(risk=RiskSettings(selftest_days=3))
    out = scored([], _checks((0, "left")), settings=s, until=D0 + 4 * DAY)
    assert [("trendelenburg" in reasons(r)) for r in out.iter_rows(named=True)] == [
        True, True, True, False, False
    ]  # fmt: skip
