"""runload.wording: one wording per kind of number, the same in the reasons (polars, over a
whole frame) and in every renderer (one value at a time), and cut with the rules' ``EPS``."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from runload import wording
from runload.wording import EPS, KM_PER_MILE, cut_expr, km_expr, mi_expr

D0 = dt.date(2026, 3, 2)


@pytest.mark.parametrize(
    ("minutes", "how", "text"),
    [
        (65, "round", "1 h 5 min"),
        (45, "round", "45 min"),
        (120, "round", "2 h"),
        (112.4, "round", "1 h 52 min"),
        (0.2, "round", "0 min"),
        (65.2, "up", "1 h 6 min"),
        (65.0 + 1e-12, "up", "1 h 5 min"),  # up allows EPS: a whole minute stays whole
        (65.8, "down", "1 h 5 min"),
        (60 - 1e-12, "down", "1 h"),  # down allows EPS too
        (None, "round", ""),
        (float("nan"), "round", ""),
    ],
)
def test_duration(minutes, how, text) -> None:
    assert wording.duration(minutes, how) == text


def test_hours_ratio_km_percent() -> None:
    assert [wording.hours(h) for h in (10.5, 9.25, 9.0, 9.999, None)] == [
        "10.5",
        "9.25",
        "9",
        "9.99",
        "",
    ]
    assert wording.hours(8.1259, 3) == "8.125"
    assert [wording.ratio(r) for r in (1.4999, 1.3 - 1e-12, 2.0, float("inf"))] == [
        "1.49",
        "1.3",
        "2",
        "",
    ]
    assert [wording.km(k) for k in (664.94, 18, 0.0)] == ["664.9", "18.0", "0.0"]
    assert (wording.km(11.04, "up"), wording.km(10.0, "down"), wording.km(41.6, decimals=0)) == (
        "11.1",
        "10.0",
        "42",
    )
    assert (wording.percent(65 / 200), wording.percent(0.3, 1), wording.percent(0.305, 1)) == (
        "32",
        "30",
        "30.5",
    )
    assert wording.decimals_for(1.3, 1.5) == 2 and wording.decimals_for(8.125) == 3
    with pytest.raises(ValueError, match="how must be"):
        wording.duration(5, "nearest")


def test_a_python_value_reads_as_the_frame_does() -> None:
    """The scalar functions are the expressions evaluated on one value: same text."""
    values = [0.0, 44.6, 65.0, 89.99999999, 90.0, 112.5, 599.8, 1440.0, None]
    frame = pl.DataFrame({"v": values}, schema={"v": pl.Float64})
    for expr, scalar in (
        (wording.duration_expr, wording.duration),
        (wording.hours_expr, wording.hours),
        (wording.ratio_expr, wording.ratio),
        (wording.km_expr, wording.km),
        (wording.percent_expr, wording.percent),
        (wording.mi_expr, lambda v: wording.distance(v, "imperial")),
    ):
        column = frame.select(expr(pl.col("v")).fill_null("")).to_series().to_list()
        assert column == [scalar(v) for v in values] == wording.each(expr, values)


@settings(deadline=None)  # the first polars call of a run can take most of a second
@given(
    value=st.floats(0, 20, allow_nan=False),
    hundredths=st.integers(0, 2000),
    noise=st.sampled_from([0.0, 1e-12, -1e-12, 1e-10, -1e-10]),
)
def test_cut_numbers_compare_with_a_threshold_as_the_points_do(value, hundredths, noise) -> None:
    threshold = hundredths / 100
    for x in (value, threshold + noise):
        shown = pl.select(cut_expr(pl.lit(x, dtype=pl.Float64))).item()
        assert (float(shown) >= threshold) == (x >= threshold - EPS), (x, shown, threshold)
        assert len(shown.partition(".")[2]) <= 2 and float(shown) <= x + EPS


@settings(deadline=None)
@given(longest=st.floats(0.5, 60), extra=st.floats(1e-6, 5))
def test_spike_kilometres_keep_the_comparison(longest: float, extra: float) -> None:
    run_km = 1.1 * longest + extra
    shown = pl.select(
        km_expr(pl.lit(run_km), "up").alias("run"),
        km_expr(pl.lit(longest), "down").alias("before"),
    ).row(0)
    assert float(shown[0]) > 1.1 * float(shown[1])
    assert abs(float(shown[0]) - run_km) < 0.1 + 1e-9 and abs(float(shown[1]) - longest) < 0.1


def test_distances_paces_and_climbs_in_either_units() -> None:
    """``[display] units``: km and min/km, or miles and min/mi; the data stays km."""
    assert [wording.distance(664.94, u) for u in ("metric", "imperial")] == ["664.9", "413.2"]
    assert wording.distance_text(10.0, "imperial") == "6.2 mi"
    assert wording.distance_text(41.6, "metric", decimals=0) == "42 km"
    assert wording.distance(KM_PER_MILE * 26.2, "imperial") == "26.2"  # a marathon
    assert wording.distance(None, "imperial") == ""
    # 51 min 12 s for 10 km: 5:07 per km; per mile 8:14 (51.2 / 6.2137 = 8.24 min)
    assert wording.pace(51.2, 10.0, "metric") == "5:07"
    assert wording.pace(51.2, 10.0, "imperial") == "8:14"
    assert wording.pace(60.0, KM_PER_MILE * 7.5, "imperial") == "8:00"
    assert [wording.pace(m, k, "metric") for m, k in ((50, 0.0), (None, 10), (50, None))] == [
        "",
        "",
        "",
    ]
    climb = pl.select(
        wording.climb_expr(pl.lit(100.0), "metric").alias("m"),
        wording.climb_expr(pl.lit(100.0), "imperial").alias("ft"),
    ).row(0)
    assert climb == ("100", "328")
    with pytest.raises(ValueError, match="units must be one of metric, imperial"):
        wording.distance_unit("furlongs")


@settings(deadline=None)
@given(longest=st.floats(0.5, 60), extra=st.floats(1e-6, 5), ratio=st.sampled_from([1.0, 1.1]))
def test_spike_miles_keep_the_comparison(longest: float, extra: float, ratio: float) -> None:
    """In miles as in km: the run (up) always reads longer than ``ratio`` × the run it beat
    (down), never equal, and each within 0.1 mi of its true length."""
    run_km = ratio * longest + extra
    shown = pl.select(
        mi_expr(pl.lit(run_km), "up").alias("run"),
        mi_expr(pl.lit(longest), "down").alias("before"),
    ).row(0)
    assert float(shown[0]) > ratio * float(shown[1])
    assert abs(float(shown[0]) - run_km / KM_PER_MILE) < 0.1 + 1e-9
    assert abs(float(shown[1]) - longest / KM_PER_MILE) < 0.1


# --- the same 65 minutes everywhere ------------------------------------------------------------


def test_65_minutes_read_the_same_in_reason_header_check_and_html() -> None:
    from runload.analysis import analyse
    from runload.config import Settings
    from runload.render import figure, formats
    from runload.report import Check, Report, Summary
    from tools.fitgen import activities_frame, run_record, sitting_frame, sitting_record

    # a 65 min evening run after a 10 h desk day: long (the whole week's running), elevated
    runs = activities_frame([run_record(D0, 65, hour=18, avg_hr=150, distance_km=11)])
    a = analyse(runs, sitting_frame([sitting_record(D0, 10.0)]), Settings())
    row = a.days.row(0, named=True)
    long_run = next(r for r in row["reasons"] if r["factor"] == "long_run")
    assert long_run["detail"].startswith("1 h 5 min run, 100 % of the 1 h 5 min of running")
    assert (long_run["value"], long_run["threshold"], long_run["unit"]) == (65.0, 60.0, "min")
    assert row["risk"] == "elevated"

    report = Report(
        period_from=D0,
        period_to=D0,
        summary=Summary(1, 11.0, 1, 1, 0, 0, 65.0),
        athlete=[],
        days=a.days,
        activities=a.activities,
    )
    running = dict(formats.header_lines(report))["Running"]
    assert running == "1 runs, 11.0 km, 1 h 5 min, 1 long runs"
    check = Check(day=D0, risk="elevated", score=3, reasons=row["reasons"], advice=[])
    check.planned_minutes = 65
    lines = formats.check_lines(check)
    assert lines[0] == f"{D0}, planned run 1 h 5 min: ELEVATED (3 points)"
    assert f"  +1 {long_run['detail']}" in lines
    fig = figure.build_figure(report)
    load = next(t for t in fig.data if t.name == "daily load (TRIMP)")
    marker = next(t for t in fig.data if t.name == "long run")
    raised = next(t for t in fig.data if t.name == "elevated day")
    assert load.hovertext[0] == f"{D0}: 1 run(s), 11.0 km, 1 h 5 min"
    assert marker.hovertext[0] == f"{D0}: long run, 1 h 5 min"
    assert f"+1 {long_run['detail']}" in raised.hovertext[0]
    markdown = formats.report_markdown(report)
    assert "1 h 5 min" in markdown
    everything = [running, *lines, load.hovertext[0], raised.hovertext[0], markdown]
    assert not any("1 h 05 min" in text for text in everything)
