"""The continuous daily table and its metrics, against hand-computed values."""

from __future__ import annotations

import datetime as dt
import math
import statistics

import polars as pl
import pytest

from runload.config import LoadSettings, Settings
from runload.metrics import LEAD_IN_DAYS, daily_table, ewm_k
from runload.schema import DAY_COLUMNS
from tools.fitgen import activities_frame, run_record, sitting_frame, sitting_record

D0 = dt.date(2024, 1, 1)
DAY = dt.timedelta(days=1)


def with_loads(loads: list[float], *, start: dt.date = D0) -> pl.DataFrame:
    """One run per day with the given load (0 = rest day, no run)."""
    recs = [run_record(start + i * DAY, 30) for i, v in enumerate(loads) if v > 0]
    vals = [v for v in loads if v > 0]
    return activities_frame(recs).with_columns(
        pl.Series("load", vals, dtype=pl.Float64),
        pl.lit("avg_hr").alias("load_method"),
        pl.lit(False).alias("long_run"),
        pl.lit(False).alias("long_run_spike"),
    )


def table(loads: list[float], method: str = "rolling", sitting=None, **kw) -> pl.DataFrame:
    settings = Settings(load=LoadSettings(acwr_method=method))
    return daily_table(with_loads(loads), sitting_frame(sitting or []), settings, **kw)


def test_columns_follow_the_schema_and_rest_days_have_zero_load() -> None:
    out = table([50, 0, 0, 70])
    assert (
        tuple(out.columns[: DAY_COLUMNS.index("score")])
        == DAY_COLUMNS[: DAY_COLUMNS.index("score")]
    )
    assert out["date"].to_list() == [D0 + i * DAY for i in range(4)]
    assert out["load"].to_list() == [50, 0, 0, 70]
    assert out["runs"].to_list() == [1, 0, 0, 1]
    assert out["run_minutes"].to_list() == [30, 0, 0, 30]


LOADS_29 = [100.0] * 28 + [400.0]


def test_acwr_rolling() -> None:
    out = table(LOADS_29)
    assert out["acwr"][26] is None  # 27 days of history
    assert out["acwr"][27] == pytest.approx(1.0)
    acute, chronic = (6 * 100 + 400) / 7, (27 * 100 + 400) / 28
    assert out["acute"][28] == pytest.approx(acute)
    assert out["chronic"][28] == pytest.approx(chronic)
    assert out["acwr"][28] == pytest.approx(acute / chronic)  # 1.290


def test_acwr_uncoupled() -> None:
    out = table(LOADS_29, "uncoupled")
    # chronic = mean of days 8-28 back (21 days of 100), acute as rolling
    assert out["chronic"][28] == pytest.approx(100.0)
    assert out["acwr"][28] == pytest.approx((6 * 100 + 400) / 7 / 100)  # 1.429


def test_acwr_ewma() -> None:
    loads = [100.0, 0.0, 50.0] + [0.0] * 26
    out = table(loads, "ewma", until=D0 + 28 * DAY)
    la, lc = 2 / 8, 2 / 29
    a1, c1 = la * 100, lc * 100
    a2, c2 = a1 * (1 - la), c1 * (1 - lc)
    a3, c3 = a2 + la * (50 - a2), c2 + lc * (50 - c2)
    assert out["acute"].head(3).to_list() == pytest.approx([a1, a2, a3], rel=1e-12)
    assert out["chronic"].head(3).to_list() == pytest.approx([c1, c2, c3], rel=1e-12)
    a, c = 0.0, 0.0
    for v in loads:
        a, c = a + la * (v - a), c + lc * (v - c)
    assert out["acwr"][28] == pytest.approx(a / c)


def test_acwr_null_when_chronic_is_zero() -> None:
    out = daily_table(with_loads([10.0]), sitting_frame([]), Settings(), until=D0 + 60 * DAY)
    assert out.height == 61
    assert out["acwr"][40] is None  # 28-day chronic load is 0


def test_monotony_with_a_rest_day_and_strain() -> None:
    loads = [60.0, 0.0, 60.0, 60.0, 60.0, 60.0, 60.0]
    out = table(loads)
    assert out["monotony"].head(6).to_list() == [None] * 6
    mean, sd = statistics.fmean(loads), statistics.pstdev(loads)
    assert out["monotony"][6] == pytest.approx(mean / sd)  # 2.449
    assert out["strain"][6] == pytest.approx(sum(loads) * mean / sd)


def test_monotony_null_when_constant_and_capped() -> None:
    out = table([100.0] * 7 + [100.0, 101.0])
    assert out["monotony"][6] is None and out["strain"][6] is None
    assert out["monotony"][8] == 10.0  # mean/sd is 264: capped


def test_ctl_atl_tsb_over_three_days() -> None:
    out = table([100.0, 0.0, 50.0])
    k42, k7 = 1 - math.exp(-1 / 42), 1 - math.exp(-1 / 7)
    assert ewm_k(42) == k42
    ctl = [k42 * 100]
    atl = [k7 * 100]
    ctl.append(ctl[0] + k42 * (0 - ctl[0]))
    atl.append(atl[0] + k7 * (0 - atl[0]))
    ctl.append(ctl[1] + k42 * (50 - ctl[1]))
    atl.append(atl[1] + k7 * (50 - atl[1]))
    assert out["ctl"][0] == k42 * 100  # the first day exactly, from 0
    assert out["atl"][0] == k7 * 100
    assert out["ctl"].to_list() == pytest.approx(ctl, rel=1e-12)
    assert out["atl"].to_list() == pytest.approx(atl, rel=1e-12)
    assert out["tsb"].to_list() == pytest.approx([0.0, ctl[0] - atl[0], ctl[1] - atl[1]])


def test_sitting_join_prefers_self_report_and_runs_to_until() -> None:
    sit = [
        sitting_record(D0 + DAY, 9.0, kind="device", source="watch.fit"),
        sitting_record(D0 + DAY, 7.5, numbness=2, seat="hard"),
        sitting_record(D0 + 5 * DAY, None, kind="device", source="watch.fit"),
    ]
    out = table([50.0], sitting=sit, until=D0 + 6 * DAY)
    assert out.height == 7
    row = out.row(1, named=True)
    assert (row["sitting_hours"], row["sitting_source"], row["numbness"], row["seat"]) == (
        7.5,
        "self_report",
        2,
        "hard",
    )
    assert row["sitting_file"] == "sitting.csv"
    assert out.row(5, named=True)["sitting_hours"] is None
    assert out.row(5, named=True)["sitting_source"] == "device"


def test_until_cuts_later_data_and_empty_input_gives_typed_empty_table() -> None:
    out = table([50.0, 60.0, 70.0], until=D0 + DAY)
    assert out["load"].to_list() == [50.0, 60.0]
    empty = daily_table(with_loads([]), sitting_frame([]), Settings())
    assert empty.is_empty() and empty.schema["date"] == pl.Date


def test_sitting_years_before_the_first_run_do_not_stretch_the_table() -> None:
    first_run = D0 + 800 * DAY
    sit = [sitting_record(D0 + i * DAY, 8.5) for i in range(0, 801, 7)]
    sit.append(sitting_record(first_run + 3 * DAY, 9.0))
    runs = with_loads([50.0], start=first_run)
    out = daily_table(runs, sitting_frame(sit), Settings())
    assert out["date"].min() == first_run - LEAD_IN_DAYS * DAY
    assert out["date"].max() == first_run + 3 * DAY  # to the last day of data
    assert out.height == LEAD_IN_DAYS + 4
    assert out["sitting_hours"].drop_nulls().len() == 5  # the 4 weekly days of the lead-in + 1
    # sitting that starts within the lead-in starts the table
    near = daily_table(runs, sitting_frame([sitting_record(first_run - 10 * DAY, 9.0)]), Settings())
    assert near["date"].min() == first_run - 10 * DAY
    # without any run, the table covers the sitting days
    only = daily_table(with_loads([]), sitting_frame(sit[:3]), Settings())
    assert (only["date"].min(), only["date"].max()) == (D0, D0 + 14 * DAY)


def test_an_old_sitting_log_does_not_add_empty_lead_in_days() -> None:
    # A log that ended a year before the first run has no day in the lead-in: the table
    # starts with the first run, not with 28 days of nothing ("the period" said 139 days).
    first_run = D0 + 400 * DAY
    sit = [sitting_record(D0 + i * DAY, 9.0) for i in range(3)]
    runs = with_loads([50.0, 0.0, 60.0], start=first_run)
    out = daily_table(runs, sitting_frame(sit), Settings())
    assert out["date"].min() == first_run
    # the same when the log starts again after the first run
    sit.append(sitting_record(first_run + 2 * DAY, 9.0))
    out = daily_table(runs, sitting_frame(sit), Settings())
    assert out["date"].min() == first_run


def test_a_self_report_with_only_numbness_keeps_the_devices_hours() -> None:
    sit = [
        sitting_record(D0, None, numbness=4, seat="hard"),  # the runner logged symptoms only
        sitting_record(D0, 10.5, kind="device", source="watch.fit"),
        sitting_record(D0 + DAY, 9.0, kind="device", source="watch.fit", numbness=None),
        sitting_record(D0 + DAY, 7.0, numbness=1),
    ]
    out = table([50.0, 50.0], sitting=sit)
    first, second = out.row(0, named=True), out.row(1, named=True)
    assert (first["sitting_hours"], first["sitting_source"], first["sitting_file"]) == (
        10.5,
        "device",
        "watch.fit",
    )
    assert (first["numbness"], first["seat"]) == (4, "hard")
    assert (second["sitting_hours"], second["sitting_source"], second["numbness"]) == (
        7.0,
        "self_report",
        1,
    )
