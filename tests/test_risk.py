"""One test per risk factor, the sitting exposure rule (midnight, device offset) and the
"sitting alone stays low" rule."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from runload.config import LoadSettings, Settings
from runload.load import long_runs
from runload.metrics import daily_table
from runload.risk import score_days
from tools.fitgen import activities_frame, run_record, sitting_frame, sitting_record

D0 = dt.date(2024, 5, 6)
DAY = dt.timedelta(days=1)
S = Settings()


def scored(runs, sitting=(), *, loads=None, settings: Settings = S, until=None) -> pl.DataFrame:
    acts = activities_frame(list(runs))
    acts = acts.with_columns(
        pl.Series("load", loads if loads is not None else [50.0] * acts.height, dtype=pl.Float64),
        pl.lit("avg_hr").alias("load_method"),
    )
    acts = long_runs(acts, settings.load)
    days = daily_table(acts, sitting_frame(list(sitting)), settings, until=until)
    return score_days(days, acts, settings)


def day(frame: pl.DataFrame, d: dt.date) -> dict:
    return frame.filter(pl.col("date") == d).row(0, named=True)


def reasons(row: dict) -> dict[str, tuple[int, str]]:
    return {r["factor"]: (r["points"], r["detail"]) for r in row["reasons"]}


def test_sitting_the_day_before_a_morning_long_run() -> None:
    out = scored(
        [run_record(D0 + DAY, 112, hour=7)],
        [sitting_record(D0, 10.5), sitting_record(D0 + DAY, 6.0)],
    )
    row = day(out, D0 + DAY)
    assert reasons(row)["sitting"] == (
        2,
        "sat 10.5 h the day before a 1 h 52 min run (10 h or more)",
    )
    assert row["sitting_exposure_hours"] == 10.5
    assert reasons(row)["long_run"] == (1, "long run of 1 h 52 min (90 min or more)")
    assert (row["score"], row["risk"]) == (3, "elevated")


@pytest.mark.parametrize(
    ("hour", "minute", "exposure"),
    [(0, 30, 9.0), (11, 59, 9.0), (12, 0, 4.0), (23, 30, 4.0)],
)
def test_midnight_and_noon_decide_whose_sitting_counts(hour, minute, exposure) -> None:
    out = scored(
        [run_record(D0 + DAY, 40, hour=hour, minute=minute)],
        [sitting_record(D0, 9.0), sitting_record(D0 + DAY, 4.0)],
    )
    row = day(out, D0 + DAY)
    assert row["sitting_exposure_hours"] == exposure
    assert ("sitting" in reasons(row)) is (exposure == 9.0)


def test_a_run_just_before_midnight_belongs_to_its_own_day() -> None:
    out = scored(
        [run_record(D0, 40, hour=23, minute=50)],
        [sitting_record(D0, 8.0), sitting_record(D0 + DAY, 2.0)],
        until=D0 + DAY,
    )
    assert day(out, D0)["runs"] == 1 and day(out, D0 + DAY)["runs"] == 0
    assert reasons(day(out, D0))["sitting"][1] == (
        "sat 8 h the same day as a 40 min run (8 h or more)"
    )


@pytest.mark.parametrize(
    ("hours", "kind", "points", "detail"),
    [
        (8.5, "self_report", 1, "sat 8.5 h (8 h or more)"),
        (8.5, "device", 0, None),
        (9.0, "device", 1, "sat 9 h by device count (9 h or more for device data)"),
        (10.5, "device", 1, "sat 10.5 h by device count (9 h or more for device data)"),
        (11.0, "device", 2, "sat 11 h by device count (11 h or more for device data)"),
    ],
)
def test_device_sitting_gets_the_offset(hours, kind, points, detail) -> None:
    out = scored([], [sitting_record(D0, hours, kind=kind)])
    row = day(out, D0)
    got = reasons(row).get("sitting")
    assert (got or (0, None)) == (points, detail)
    assert row["risk"] == "low"


def test_the_worst_of_several_runs_counts() -> None:
    out = scored(
        [run_record(D0 + DAY, 30, hour=7), run_record(D0 + DAY, 30, hour=18)],
        [sitting_record(D0, 8.5), sitting_record(D0 + DAY, 10.0)],
    )
    row = day(out, D0 + DAY)
    assert reasons(row)["sitting"] == (2, "sat 10 h the same day as a 30 min run (10 h or more)")


def test_sitting_streak() -> None:
    sit = [sitting_record(D0 + i * DAY, h) for i, h in enumerate([8, 9, 8.5, 7, 8, 8, None, 8])]
    out = scored([], sit)
    streak = {r["date"]: reasons(r).get("sitting_streak") for r in out.iter_rows(named=True)}
    assert [streak[D0 + i * DAY] is not None for i in range(8)] == [
        False, False, True, False, False, False, False, False
    ]  # fmt: skip
    assert streak[D0 + 2 * DAY] == (
        1,
        "3 days in a row with 8 h or more of sitting (3 days or more)",
    )


def test_sitting_streak_on_device_days_names_the_device_threshold() -> None:
    # Device days need 9 h (8 h + the 1 h offset) to count: the reason must not say 8 h.
    sit = [sitting_record(D0 + i * DAY, 9.5, kind="device") for i in range(3)]
    sit.append(sitting_record(D0 + 3 * DAY, 8.5))
    out = scored([], sit)
    assert reasons(day(out, D0 + 2 * DAY))["sitting_streak"] == (
        1,
        "3 days in a row with 8 h or more of sitting, 9 h for device data (3 days or more)",
    )
    assert reasons(day(out, D0 + 3 * DAY))["sitting_streak"][1] == (
        "4 days in a row with 8 h or more of sitting, 9 h for device data (3 days or more)"
    )
    # a streak of self-reports only keeps the short text
    out = scored([], [sitting_record(D0 + i * DAY, 8.5) for i in range(3)])
    assert reasons(day(out, D0 + 2 * DAY))["sitting_streak"][1] == (
        "3 days in a row with 8 h or more of sitting (3 days or more)"
    )


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


def _load_days(last: float) -> pl.DataFrame:
    runs = [run_record(D0 + i * DAY, 30) for i in range(29)]
    return scored(runs, loads=[100.0] * 28 + [last])


def test_load_spike_one_and_two_points() -> None:
    assert "load_spike" not in reasons(day(_load_days(400.0), D0 + 28 * DAY))  # 1.29
    row = day(_load_days(420.0), D0 + 28 * DAY)  # 1.3077: cut, not rounded
    assert reasons(row)["load_spike"] == (1, "acute:chronic load 1.3 (1.3 or more)")
    row = day(_load_days(660.0), D0 + 28 * DAY)  # exactly 1.5
    assert reasons(row)["load_spike"] == (2, "acute:chronic load 1.5 (1.5 or more)")
    assert row["risk"] == "elevated"


def test_monotony_factor() -> None:
    loads = [60.0, 60.0, 60.0, 60.0, 60.0, 60.0]  # and a rest day on day 2
    runs = [run_record(D0 + i * DAY, 30) for i in (0, 2, 3, 4, 5, 6)]
    row = day(scored(runs, loads=loads), D0 + 6 * DAY)
    assert reasons(row)["monotony"] == (
        1,
        "training monotony 2.44 over 7 days: similar load every day (2 or more)",
    )


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


def test_thresholds_come_from_the_settings() -> None:
    from runload.config import RiskSettings

    s = Settings(risk=RiskSettings(sitting_hours=6, sitting_hours_high=7), load=LoadSettings())
    row = day(scored([], [sitting_record(D0, 6.5)], settings=s), D0)
    assert reasons(row)["sitting"] == (1, "sat 6.5 h (6 h or more)")


def test_hours_in_reasons_never_round_across_a_threshold() -> None:
    row = day(scored([], [sitting_record(D0, 9.95)]), D0)
    assert reasons(row)["sitting"] == (1, "sat 9.95 h (8 h or more)")


def test_acwr_just_under_a_threshold_never_reads_as_reaching_it() -> None:
    # acwr = 1.4999: +1 point, so the text must not say 1.5 next to "1.5 or more"
    # last-day load x: acute (600 + x)/7, chronic (2700 + x)/28; solve acwr = 1.4999
    x = (1.4999 * 2700 / 28 - 600 / 7) / (1 / 7 - 1.4999 / 28)
    row = day(_load_days(x), D0 + 28 * DAY)
    assert row["acwr"] == pytest.approx(1.4999)
    assert reasons(row)["load_spike"] == (1, "acute:chronic load 1.49 (1.3 or more)")


def test_reason_numbers_show_the_digits_of_a_finer_threshold() -> None:
    from runload.config import RiskSettings

    s = Settings(risk=RiskSettings(acwr=1.333, sitting_hours=8.125, sitting_hours_high=10))
    x = (1.3335 * 2700 / 28 - 600 / 7) / (1 / 7 - 1.3335 / 28)
    runs = [run_record(D0 + i * DAY, 30) for i in range(29)]
    row = day(scored(runs, loads=[100.0] * 28 + [x], settings=s), D0 + 28 * DAY)
    assert reasons(row)["load_spike"] == (1, "acute:chronic load 1.333 (1.333 or more)")
    row = day(scored([], [sitting_record(D0, 8.1259)], settings=s), D0)
    assert reasons(row)["sitting"] == (1, "sat 8.125 h (8.125 h or more)")
    assert "sitting" not in reasons(day(scored([], [sitting_record(D0, 8.1249)], settings=s), D0))


def test_hours_just_under_ten_never_read_as_ten() -> None:
    row = day(scored([], [sitting_record(D0, 9.999)]), D0)
    assert reasons(row)["sitting"] == (1, "sat 9.99 h (8 h or more)")
    row = day(scored([], [sitting_record(D0, 10.999, kind="device")]), D0)
    assert reasons(row)["sitting"] == (
        1,
        "sat 10.99 h by device count (9 h or more for device data)",
    )


def test_spike_text_never_shows_the_two_runs_as_equal() -> None:
    base = [run_record(D0 + i * DAY, 40, distance_km=10.0) for i in range(0, 31, 3)]
    row = day(scored([*base, run_record(D0 + 33 * DAY, 44, distance_km=11.04)]), D0 + 33 * DAY)
    # 11.04 > 1.1 x 10 = 11: rounded it would read "11.0 km ... (10.0 km)"
    assert reasons(row)["long_run_spike"] == (
        1,
        "11.1 km run, longer than 1.1 × the longest run of the 30 days before (10.0 km)",
    )
    timed = [run_record(D0 + i * DAY, 60) for i in range(0, 31, 3)]
    row = day(scored([*timed, run_record(D0 + 33 * DAY, 66.2)]), D0 + 33 * DAY)
    assert reasons(row)["long_run_spike"][1] == (
        "1 h 7 min run, longer than 1.1 × the longest run of the 30 days before (1 h)"
    )


# --- the reason as structure: the number the rule compared, the line it reached, the unit ----


def fields(row: dict) -> dict[str, tuple[float, float, str]]:
    return {r["factor"]: (r["value"], r["threshold"], r["unit"]) for r in row["reasons"]}


def test_sitting_reason_fields_name_the_exposure_and_the_line_reached() -> None:
    # a morning run: the day before's sitting is the exposure; 10.5 h reached the 10 h line
    out = scored([run_record(D0 + DAY, 112, hour=7)], [sitting_record(D0, 10.5)])
    assert fields(day(out, D0 + DAY))["sitting"] == (10.5, 10.0, "h")
    # device days: the threshold includes the device offset (9 h for +1, 11 h for +2)
    for hours, line in ((10.5, 9.0), (11.0, 11.0)):
        out = scored([], [sitting_record(D0, hours, kind="device")])
        assert fields(day(out, D0))["sitting"] == (hours, line, "h")
    out = scored([], [sitting_record(D0, 8.5)])
    assert fields(day(out, D0))["sitting"] == (8.5, 8.0, "h")


def test_streak_reason_fields_count_days() -> None:
    out = scored([], [sitting_record(D0 + i * DAY, 8.5) for i in range(4)])
    assert fields(day(out, D0 + 3 * DAY))["sitting_streak"] == (4.0, 3.0, "days")


def test_long_run_and_spike_reason_fields() -> None:
    runs = [run_record(D0 + i * DAY, 40, distance_km=8) for i in range(0, 31, 3)]
    runs.append(run_record(D0 + 33 * DAY, 95, distance_km=18))
    runs.append(run_record(D0 + 34 * DAY, 65, hour=8))  # long by its share of the week
    out = scored(runs)
    got = fields(day(out, D0 + 33 * DAY))
    assert got["long_run"] == (95.0, 90.0, "min")
    value, threshold, unit = got["long_run_spike"]
    assert (value, unit) == (18.0, "km") and threshold == pytest.approx(1.1 * 8)
    assert fields(day(out, D0 + 34 * DAY))["long_run"] == (65.0, 60.0, "min")
    # no distance: the spike compares minutes
    timed = [run_record(D0 + i * DAY, 60) for i in range(0, 31, 3)]
    row = day(scored([*timed, run_record(D0 + 33 * DAY, 66.2)]), D0 + 33 * DAY)
    value, threshold, unit = fields(row)["long_run_spike"]
    assert (value, unit) == (pytest.approx(66.2), "min") and threshold == pytest.approx(66.0)


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

    text = (Path(__file__).resolve().parents[1] / "docs" / "method.md").read_text()
    assert all(f"| `{name}` |" in text for name in REASON_DTYPE.to_schema())
    assert all(f"`{unit}` (" in text for unit in UNITS)
