"""analyse(): the whole method end to end on in-memory frames, the athlete's sources, the
planned run, and a hypothesis check of the daily table's invariants."""

from __future__ import annotations

import datetime as dt
import itertools
import math

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runload.advice import ADVICE_DTYPE
from runload.analysis import EXTRA_DAY_COLUMNS, analyse
from runload.config import AthleteSettings, Settings
from runload.errors import PlannedRunError
from runload.metrics import LEAD_IN_DAYS
from runload.risk import REASON_DTYPE, SITTING_FACTORS
from runload.schema import DAY_COLUMNS, AthleteFact
from tools.fitgen import activities_frame, run_record, sitting_frame, sitting_record

D0 = dt.date(2025, 2, 3)
DAY = dt.timedelta(days=1)


def season(n_days: int = 40) -> pl.DataFrame:
    return activities_frame(
        [
            run_record(D0 + i * DAY, 40 + i % 3 * 10, avg_hr=145, distance_km=8)
            for i in range(0, n_days, 2)
        ]
    )


def test_days_columns_exactly_and_typed() -> None:
    a = analyse(season(), sitting_frame([sitting_record(D0, 9.0)]), Settings())
    assert a.days.columns == list(DAY_COLUMNS) + list(EXTRA_DAY_COLUMNS)
    assert a.days.schema["reasons"] == pl.List(REASON_DTYPE)
    assert a.days.schema["advice"] == pl.List(ADVICE_DTYPE)
    assert a.days.schema["score"] == pl.Int64 and a.days.schema["risk"] == pl.String
    assert a.days["points"].to_list() == a.days["score"].to_list()
    for col in ("load", "load_method", "long_run", "long_run_spike"):
        assert col in a.activities.columns


def test_empty_input_gives_an_empty_typed_table() -> None:
    a = analyse(None, None, Settings())
    assert a.days.is_empty() and a.days.columns == list(DAY_COLUMNS) + list(EXTRA_DAY_COLUMNS)
    assert a.athlete.sources == {
        "hr_rest": "default",
        "hr_max": "default",
        "sex": "default",
        "timezone": "the files' own UTC offsets, else this machine's zone",
    }


def test_athlete_config_beats_files_beats_season_max() -> None:
    facts = [
        AthleteFact("hr_max", 188.0, "zones.fit"),
        AthleteFact("hr_rest", 52.0, "day1.json"),
        AthleteFact("hr_rest", 48.0, "day2.json"),
        AthleteFact("hr_rest", 50.0, "day3.json"),
        AthleteFact("sex", "female", "profile.fit"),
    ]
    acts = season().with_columns(pl.lit(179.0).alias("max_hr"))
    a = analyse(acts, None, Settings(), facts=facts)
    assert (a.athlete.hr_max, a.athlete.hr_rest, a.athlete.sex) == (188.0, 50.0, "female")
    assert a.athlete.sources["hr_max"] == "file zones.fit"
    assert a.athlete.sources["hr_rest"] == "median of 3 values in day1.json, day2.json and 1 more"
    assert a.athlete.sources["sex"] == "file profile.fit"
    b = analyse(acts, None, Settings())
    assert b.athlete.hr_max == 179.0
    assert b.athlete.sources["hr_max"].startswith("highest HR in the runs (")
    assert (b.athlete.hr_rest, b.athlete.sex) == (60.0, "unspecified")
    c = analyse(acts, None, Settings(athlete=AthleteSettings(hr_max=200, sex="male")), facts=facts)
    assert (c.athlete.hr_max, c.athlete.sources["hr_max"]) == (200.0, "config")
    assert c.athlete.rows()[2] == {"name": "sex", "value": "male", "source": "config"}


def test_implausible_heart_rates_fall_back_with_a_warning() -> None:
    acts = season().with_columns(pl.lit(70.0).alias("avg_hr"))
    a = analyse(acts, None, Settings(), facts=[AthleteFact("hr_max", 75.0, "z.fit")])
    assert a.athlete.hr_max == 190.0 and a.athlete.warnings
    assert "set [athlete] hr_max" in a.notes[0]
    facts = [AthleteFact("hr_max", 120.0, "z.fit"), AthleteFact("hr_rest", 100.0, "d.json")]
    edge = analyse(acts, None, Settings(), facts=facts)  # exactly 20 bpm apart: kept
    assert (edge.athlete.hr_max, edge.athlete.hr_rest, edge.athlete.warnings) == (120, 100, ())
    facts[0] = AthleteFact("hr_max", 119.0, "z.fit")
    assert analyse(acts, None, Settings(), facts=facts).athlete.hr_max == 190.0


def test_non_runs_are_listed_not_counted_and_estimates_are_marked() -> None:
    acts = activities_frame(
        [
            run_record(D0, 30, avg_hr=150),
            run_record(D0, 60, hour=12, avg_hr=140, is_run=False, sport="cycling"),
            run_record(D0 + DAY, 30),
        ]
    )
    a = analyse(acts, None, Settings())
    assert a.activities.height == 3
    assert a.days["runs"].to_list() == [1, 1]
    assert a.days["run_minutes"].to_list() == [30, 30]
    assert a.days["load_estimated"].to_list() == [False, True]
    assert any("not runs" in n for n in a.notes) and any("estimated" in n for n in a.notes)


def test_planned_run_uses_that_days_sitting_and_the_typical_rate() -> None:
    acts = season(28)
    check = D0 + 30 * DAY
    sit = [sitting_record(check - DAY, 4.0), sitting_record(check, 10.5)]
    a = analyse(acts, sitting_frame(sit), Settings(), planned_minutes=95, planned_date=check)
    row = a.days.filter(pl.col("date") == check).row(0, named=True)
    assert row["planned"] and row["runs"] == 1 and row["long_run"] and row["load_estimated"]
    real = a.activities.filter(pl.col("load_method") == "avg_hr")
    rates = (real["load"] / real["moving_minutes"]).to_list()
    assert row["load"] == pytest.approx(sorted(rates)[len(rates) // 2] * 95)
    details = {r["factor"]: r["detail"] for r in row["reasons"]}
    # the reasons say which run is the planned one (it is not in the files)
    assert details["sitting"] == (
        "sat 10.5 h the same day as the planned 1 h 35 min run (10 h or more)"
    )
    assert details["long_run"] == "planned long run of 1 h 35 min (90 min or more)"
    assert row["risk"] in ("elevated", "high")
    assert next(x["code"] for x in row["advice"]) == "hip_flexor_stretch"
    assert a.days["date"].max() == check
    assert any("planned run on" in n for n in a.notes)


def test_planned_run_without_heart_rate_history_uses_the_estimated_rate() -> None:
    a = analyse(None, sitting_frame([sitting_record(D0, 3.0)]), Settings(), planned_minutes=30)
    row = a.days.row(0, named=True)
    w = 0.6 * 0.75 * math.exp(1.795 * 0.6)
    assert row["load"] == pytest.approx(30 * w) and row["date"] == D0
    assert "estimated rate" in a.notes[-1]
    with pytest.raises(PlannedRunError, match="date of the planned run"):
        analyse(None, None, Settings(), planned_minutes=30)


def test_until_extends_the_table_with_rest_days() -> None:
    a = analyse(season(10), None, Settings(), until=D0 + 20 * DAY)
    assert a.days["date"].max() == D0 + 20 * DAY
    assert a.days.filter(pl.col("date") > D0 + 9 * DAY)["load"].sum() == 0


# --- invariants under random seasons ----------------------------------------------------------

run_st = st.tuples(
    st.integers(0, 89),  # day
    st.integers(0, 23),  # hour
    st.floats(5, 200),  # minutes
    st.one_of(st.none(), st.floats(90, 200)),  # avg HR
    st.one_of(st.none(), st.floats(1, 40)),  # km
)
sit_st = st.tuples(
    st.integers(0, 89),
    st.one_of(st.none(), st.floats(0, 16)),
    st.sampled_from(["self_report", "device"]),
    st.one_of(st.none(), st.integers(0, 10)),
    st.sampled_from([None, "hard", "soft"]),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    runs=st.lists(run_st, max_size=40),
    sits=st.lists(sit_st, max_size=40),
    method=st.sampled_from(["rolling", "uncoupled", "ewma"]),
)
def test_daily_table_is_continuous_and_sitting_alone_stays_low(runs, sits, method) -> None:
    from runload.config import LoadSettings

    acts = activities_frame(
        [run_record(D0 + d * DAY, m, hour=h, avg_hr=hr, distance_km=km) for d, h, m, hr, km in runs]
    )
    sit = sitting_frame(
        [sitting_record(D0 + d * DAY, hrs, kind=k, numbness=n, seat=s) for d, hrs, k, n, s in sits]
    )
    a = analyse(acts, sit, Settings(load=LoadSettings(acwr_method=method)))
    days = a.days
    if not runs and not sits:
        assert days.is_empty()
        return
    dates = days["date"].to_list()
    all_dates = [D0 + d * DAY for d, *_ in runs] + [D0 + d * DAY for d, *_ in sits]
    first = min(all_dates)
    if runs:  # sitting before the first run shows only when it reaches into the lead-in
        first_run = min(D0 + d * DAY for d, *_ in runs)
        lead = first_run - LEAD_IN_DAYS * DAY
        sit_days = [D0 + d * DAY for d, *_ in sits]
        first = max(first, lead) if any(lead <= s < first_run for s in sit_days) else first_run
    assert dates[0] == first and dates[-1] == max(all_dates)
    assert all((b - a_).days == 1 for a_, b in itertools.pairwise(dates))
    assert days["load"].null_count() == 0 and days["runs"].sum() == len(runs)
    for row in days.iter_rows(named=True):
        factors = {r["factor"] for r in row["reasons"]}
        assert row["score"] == sum(r["points"] for r in row["reasons"])
        assert row["risk"] in ("low", "elevated", "high")
        if row["risk"] != "low":
            assert factors - set(SITTING_FACTORS), row
        if row["acwr"] is not None:
            assert row["acwr"] >= 0 and math.isfinite(row["acwr"])
        if row["monotony"] is not None:
            assert 0 < row["monotony"] <= 10


def test_nan_and_undated_rows_do_not_break_the_table() -> None:
    recs = [
        run_record(D0, 30, avg_hr=150),
        run_record(D0, float("nan"), hour=9, hr_t=[0, float("nan"), 20], hr_bpm=[150, 150, 150]),
        run_record(D0 + DAY, 30),
    ]
    acts = activities_frame(recs)
    undated = acts.head(1).with_columns(
        pl.lit(None, dtype=pl.Date).alias("date"),
        pl.lit(None, dtype=pl.Datetime("us", "UTC")).alias("start_utc"),
        pl.lit(None, dtype=pl.Datetime("us")).alias("start_local"),
    )
    sit = sitting_frame([sitting_record(None, 5.0), sitting_record(D0, 9.0)])
    a = analyse(pl.concat([acts, undated]), sit, Settings())
    assert a.activities["load"].is_nan().sum() == 0
    assert a.days["date"].to_list() == [D0, D0 + DAY]
    assert a.days["runs"].to_list() == [2, 1]
    assert all(math.isfinite(v) for v in a.days["load"].to_list())


# --- the three example statements, end to end -----------------------------------------

MON = dt.date(2025, 3, 3)  # a Monday


def _weeks(last_week: list[tuple[int, float]]) -> pl.DataFrame:
    """Four weeks of Mon/Wed/Fri 40 min + Sunday 100 min (220 min a week), then a fifth week
    given as (weekday, minutes); same heart rate throughout, so the load follows the minutes."""
    usual = [(0, 40.0), (2, 40.0), (4, 40.0), (6, 100.0)]
    plan = [(w, d, m) for w in range(4) for d, m in usual] + [(4, d, m) for d, m in last_week]
    return activities_frame(
        [run_record(MON + (7 * w + d) * DAY, m, hour=8, avg_hr=150) for w, d, m in plan]
    )


def _desk(saturday_hours: float) -> pl.DataFrame:
    """6 h of sitting every day, and a desk day on the Saturday of the fifth week."""
    days = [MON + i * DAY for i in range(35)]
    return sitting_frame(
        [sitting_record(d, saturday_hours if d == MON + 33 * DAY else 6.0) for d in days]
    )


def _sunday(acts: pl.DataFrame, sit: pl.DataFrame) -> dict:
    a = analyse(acts, sit, Settings(athlete=AthleteSettings(hr_max=190, hr_rest=50)))
    return a.days.filter(pl.col("date") == MON + 34 * DAY).row(0, named=True)


def test_a_long_run_after_a_10_hour_desk_day_is_elevated() -> None:
    usual = [(0, 40.0), (2, 40.0), (4, 40.0), (6, 100.0)]
    row = _sunday(_weeks(usual), _desk(10.0))
    assert row["acwr"] == pytest.approx(1.0)
    assert {r["factor"]: r["points"] for r in row["reasons"]} == {"sitting": 2, "long_run": 1}
    assert row["risk"] == "elevated"
    assert [x["code"] for x in row["advice"]] == ["hip_flexor_stretch", "movement_breaks"]
    assert _sunday(_weeks(usual), _desk(6.0))["risk"] == "low"  # the same run without the desk


def test_the_same_long_run_in_a_week_whose_load_jumped_50_percent_is_high() -> None:
    jumped = [(0, 60.0), (1, 60.0), (2, 55.0), (3, 55.0), (6, 100.0)]  # 330 min = 1.5 x 220
    row = _sunday(_weeks(jumped), _desk(10.0))
    a = analyse(_weeks(jumped), None, Settings(athlete=AthleteSettings(hr_max=190, hr_rest=50)))
    week = (pl.col("date") - pl.lit(MON)).dt.total_days() // 7
    weekly = a.days.group_by(week.alias("w")).agg(pl.col("load").sum()).sort("w")["load"]
    assert weekly[4] == pytest.approx(1.5 * weekly[3]) and weekly[3] == pytest.approx(weekly[0])
    assert row["acwr"] == pytest.approx(330 / ((3 * 220 + 330) / 4))  # 1.33: coupled ratio
    assert {r["factor"]: r["points"] for r in row["reasons"]} == {
        "sitting": 2,
        "long_run": 1,
        "load_spike": 1,
    }
    assert row["risk"] == "high"
    assert [x["code"] for x in row["advice"]][:2] == ["hip_flexor_stretch", "rest_rice"]


def test_a_desk_day_on_its_own_is_low_with_advice_to_move() -> None:
    a = analyse(None, sitting_frame([sitting_record(MON, 10.0)]), Settings())
    row = a.days.row(0, named=True)
    assert row["reasons"] == [
        {
            "factor": "sitting",
            "points": 2,
            "value": 10.0,
            "threshold": 10.0,
            "unit": "h",
            "detail": "sat 10 h (10 h or more)",
        }
    ]
    assert (row["score"], row["risk"]) == (2, "low")
    assert [x["code"] for x in row["advice"]] == ["movement_breaks"]
    assert "walk 2–3 minutes every 30 minutes" in row["advice"][0]["text"]


# --- local days from real FIT files: midnight and the spring-forward change ------------------


def test_fit_season_across_spring_forward_and_a_run_at_00_20(tmp_path) -> None:
    """Europe/Paris moves from UTC+1 to UTC+2 on 2026-03-29. Runs at 07:00 local every day
    from 03-26 to 04-01 (files without local time: the config zone decides), and one at 00:20
    local on 04-02 (22:20 UTC the day before) whose file carries its own +2 h."""
    import zoneinfo

    from runload.ingest import read_activities
    from tools.fitgen import run, write_activity

    paris = zoneinfo.ZoneInfo("Europe/Paris")
    first = dt.date(2026, 3, 26)
    for i in range(7):
        local = dt.datetime.combine(first + i * DAY, dt.time(7, 0), tzinfo=paris)
        spec = run(local.astimezone(dt.UTC), 20, hr=150, local_offset_s=None, record_every_s=30)
        write_activity(tmp_path / f"morning-{i}.fit", spec)
    late = dt.datetime(2026, 4, 1, 22, 20, tzinfo=dt.UTC)
    write_activity(
        tmp_path / "late.fit", run(late, 20, hr=150, local_offset_s=7200, record_every_s=30)
    )
    result = read_activities([tmp_path], jobs=1, use_cache=False, timezone="Europe/Paris")
    acts = result.activities
    assert sorted(acts["utc_offset_min"].to_list()) == [60] * 3 + [120] * 5
    sit = sitting_frame(
        [sitting_record(first + i * DAY, 6.0 + i * 0.5) for i in range(8)]  # 6 .. 9.5 h
    )
    a = analyse(acts, sit, Settings(athlete=AthleteSettings(hr_max=190, hr_rest=50)))
    days = a.days
    dates = days["date"].to_list()
    assert dates == [first + i * DAY for i in range(8)]  # 03-29 (23 h long) once, no gap
    assert days["runs"].to_list() == [1] * 8
    starts = a.activities.sort("start_utc")["start_local"].to_list()
    assert [(s.hour, s.minute) for s in starts] == [(7, 0)] * 7 + [(0, 20)]
    # every run is a morning run: exposed to the sitting of the day before
    exposure = days["sitting_exposure_hours"].to_list()
    assert exposure == [None] + [6.0 + i * 0.5 for i in range(7)]
    last = days.row(-1, named=True)  # the 00:20 run on 04-02, after 9 h on 04-01
    assert {r["factor"]: r["detail"] for r in last["reasons"]}["sitting"] == (
        "sat 9 h the day before a 20 min run (8 h or more)"
    )
    # the same load every day, DST or not: the 20-minute runs weigh the same
    assert days["load"].to_list() == pytest.approx([days["load"][0]] * 8, rel=0.02)


def test_planned_run_on_a_day_with_a_recorded_run_says_it_counts_on_top() -> None:
    acts = season(28)
    day = acts["date"].max()
    a = analyse(acts, None, Settings(), planned_minutes=40, planned_date=day)
    row = a.days.filter(pl.col("date") == day).row(0, named=True)
    assert row["runs"] == 2
    assert any(
        n == f"the planned run counts on top of the 1 run(s) already in the files for {day}"
        for n in a.notes
    ), a.notes
    fresh = analyse(acts, None, Settings(), planned_minutes=40, planned_date=day + DAY)
    assert not any("on top of" in n for n in fresh.notes)
