"""The scoring machinery over the rules: the level (sitting alone never raises a day; sitting
raises a day by at most one level), and the reason as structure. Each rule's own cases are in
``tests/risk_rules/test_rule_<code>.py``."""

from __future__ import annotations

import polars as pl
import pytest
from rule_cases import D0, DAY, S, _load_days, day, fields, reasons, scored

from tools.fitgen import run_record, sitting_record


def test_sitting_alone_stays_low() -> None:
    sit = [sitting_record(D0 + i * DAY, 11.0) for i in range(5)]
    out = scored([], sit)
    last = day(out, D0 + 4 * DAY)
    assert last["score"] == 3  # sitting 2 + streak 1
    assert set(reasons(last)) == {"sitting", "sitting_streak"}
    assert out["risk"].to_list() == ["low"] * 5


def test_long_run_after_desk_day_is_elevated_and_high_with_a_load_jump() -> None:
    sit = [sitting_record(D0 + 27 * DAY, 10.0)]
    # every other day a 92 min run of load 200, then a 100 min run (not a spike) on day 28
    runs = [run_record(D0 + i * DAY, 92) for i in range(0, 28, 2)]
    runs.append(run_record(D0 + 28 * DAY, 100, hour=7))
    quiet = scored(runs, sit, loads=[200.0] * 14 + [200.0])  # acwr 1.14
    row = day(quiet, D0 + 28 * DAY)
    assert set(reasons(row)) == {"sitting", "long_run"}
    assert (row["score"], row["risk"]) == (3, "elevated")
    jump = scored(runs, sit, loads=[200.0] * 14 + [700.0])  # acwr 1.58
    row = day(jump, D0 + 28 * DAY)
    assert set(reasons(row)) == {"sitting", "long_run", "load_spike"}
    assert (row["score"], row["risk"]) == (5, "high")


def test_load_monotony_and_symptom_reason_fields() -> None:
    got = fields(day(_load_days(420.0), D0 + 28 * DAY))["load_spike"]
    assert got[0] == pytest.approx(1.3077, abs=1e-4) and got[1:] == (1.3, "ratio")
    assert fields(day(_load_days(660.0), D0 + 28 * DAY))["load_spike"] == (
        pytest.approx(1.5),
        1.5,
        "ratio",
    )
    runs = [run_record(D0 + i * DAY, 30) for i in (0, 2, 3, 4, 5, 6)]
    got = fields(day(scored(runs, loads=[60.0] * 6), D0 + 6 * DAY))["monotony"]
    assert got[0] == pytest.approx(2.449, abs=1e-3) and got[1:] == (2.0, "ratio")
    out = scored([], [sitting_record(D0, 5, numbness=4), sitting_record(D0 + DAY, 5)])
    assert fields(day(out, D0))["symptoms"] == (4.0, 3.0, "/10")
    assert fields(day(out, D0 + DAY))["symptoms"] == (4.0, 3.0, "/10")  # the day before's


def test_every_reason_detail_words_its_own_value_and_threshold() -> None:
    """The sentence quotes the struct's numbers through runload.wording, never a copy."""
    from runload import wording
    from runload.risk import REASON_DTYPE, UNITS

    runs = [run_record(D0 + i * DAY, 40, distance_km=8) for i in range(0, 31, 3)]
    runs.append(run_record(D0 + 33 * DAY, 95, distance_km=18, hour=7))
    sit = [sitting_record(D0 + i * DAY, 10.25, numbness=3) for i in range(30, 34)]
    out = scored(runs, sit)
    assert out.schema["reasons"] == pl.List(REASON_DTYPE)
    seen = set()
    for row in out.iter_rows(named=True):
        for r in row["reasons"]:
            assert list(r) == ["factor", "points", "value", "threshold", "unit", "detail"]
            assert r["unit"] in UNITS
            seen.add(r["factor"])
            if r["unit"] in ("h", "ratio"):
                assert wording.hours(r["value"]) in r["detail"]
                assert f"({wording.hours(r['threshold'])} " in r["detail"]
    assert {"sitting", "sitting_streak", "long_run", "long_run_spike", "symptoms"} <= seen


def test_method_doc_lists_the_reason_fields_and_units() -> None:
    from pathlib import Path

    from runload.risk import REASON_DTYPE, UNITS

    text = (Path(__file__).resolve().parents[2] / "docs" / "method.md").read_text()
    assert all(f"| `{name}` |" in text for name in REASON_DTYPE.to_schema())
    assert all(f"`{unit}` (" in text for unit in UNITS)


# --- the level: sitting raises a day by at most one level ----------------------------------


def _after_desk_day(runs, loads, hours: float = 10.5, numbness=None):
    sit = [sitting_record(D0 + 31 * DAY, hours, numbness=numbness)]
    return day(scored(runs, sit, loads=loads), D0 + 31 * DAY)


def test_a_big_ratio_after_a_desk_day_stays_elevated() -> None:
    """acwr 1.6 (+2) and 10.5 h of sitting (+2): 4 points, one running reason: elevated."""
    from runload.risk import held_back

    runs = [run_record(D0 + i * DAY, 30, hour=18) for i in (0, 3, 7, 10, 14, 17, 21, 24)]
    runs += [run_record(D0 + i * DAY, 30, hour=18) for i in (28, 29, 30, 31)]
    row = _after_desk_day(runs, [50.0] * 12)
    assert {r["factor"]: r["points"] for r in row["reasons"]} == {"sitting": 2, "load_spike": 2}
    assert (row["score"], row["risk"]) == (4, "elevated")
    short, text = held_back(row["risk"], row["score"], row["reasons"], S)
    assert short == "high needs 2 running or body reasons"
    assert "this day has 1" in text and "at most one level" in text


def test_a_long_spike_run_after_a_desk_day_is_high() -> None:
    runs = [run_record(D0 + i * DAY, 40, distance_km=8) for i in range(0, 31, 3)]
    runs.append(run_record(D0 + 31 * DAY, 95, distance_km=18, hour=18))
    row = _after_desk_day(runs, [50.0] * 11 + [150.0])
    assert {"sitting", "long_run", "long_run_spike"} <= {r["factor"] for r in row["reasons"]}
    assert row["risk"] == "high"


def test_numbness_after_a_desk_day_is_elevated_and_with_a_long_run_high() -> None:
    runs = [run_record(D0 + i * DAY, 40) for i in range(0, 31, 3)]
    row = _after_desk_day(runs, [50.0] * len(runs), numbness=4)
    assert {r["factor"]: r["points"] for r in row["reasons"]} == {"sitting": 2, "symptoms": 2}
    assert row["risk"] == "elevated"
    long = [*runs, run_record(D0 + 31 * DAY, 95, hour=18)]
    row = _after_desk_day(long, [50.0] * len(long), numbness=4)
    assert row["risk"] == "high"


def test_a_twice_a_week_runner_is_not_silenced() -> None:
    """A long run after a long desk day flags a runner who runs twice a week."""
    runs = [run_record(D0 + i * DAY, 40, hour=18) for i in (0, 3, 7, 14, 17, 21, 24, 28)]
    runs.append(run_record(D0 + 10 * DAY, 90, hour=18))  # so the 95 min run is no spike
    runs.append(run_record(D0 + 31 * DAY, 95, hour=18))
    row = _after_desk_day(runs, [50.0] * len(runs))
    assert row["risk"] == "elevated"
    assert {"sitting", "long_run"} <= {r["factor"] for r in row["reasons"]}


def test_held_back_is_none_when_the_level_matches_the_points() -> None:
    from runload.risk import held_back

    assert held_back("low", 1, [{"factor": "sitting", "points": 1}], S) is None
    assert held_back("high", 4, [{"factor": "long_run", "points": 1}], S) is None
    sit = [{"factor": "sitting", "points": 2}, {"factor": "sitting_streak", "points": 1}]
    assert held_back("low", 3, sit, S)[0] == "all from sitting"
    # a reason with 0 points (a ratio that did not count) is not a running reason
    zero = [*sit, {"factor": "load_spike", "points": 0}]
    assert held_back("low", 3, zero, S)[0] == "all from sitting"
