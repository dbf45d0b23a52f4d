"""Banister TRIMP per run, hand-computed, and the long-run / spike flags."""

from __future__ import annotations

import datetime as dt
import itertools
import math

import polars as pl
import pytest

from runload.athlete import resolve_athlete
from runload.config import AthleteSettings, LoadSettings
from runload.load import long_runs, session_loads
from tools.fitgen import activities_frame, run_record

D0 = dt.date(2024, 3, 4)
MALE = resolve_athlete(AthleteSettings(hr_max=180, hr_rest=60, sex="male"))


def w(hrr: float, a: float = 0.64, b: float = 1.92) -> float:
    return hrr * a * math.exp(b * hrr)


def loads(records, athlete=MALE, settings: LoadSettings | None = None) -> pl.DataFrame:
    return session_loads(activities_frame(records), athlete, settings or LoadSettings())


def test_trimp_from_samples_caps_gaps_and_last_sample_adds_nothing() -> None:
    # t: 0 10 20 80 90 s; the 60 s gap counts 30 s; the last sample (t=90) adds nothing.
    rec = run_record(D0, 1.5, hr_t=[0, 10, 20, 80, 90], hr_bpm=[120, 150, 180, 150, 170])
    got = loads([rec]).row(0, named=True)
    # HRr = (HR-60)/120: 0.5, 0.75, 1.0, 0.75
    expected = 10 / 60 * w(0.5) + 10 / 60 * w(0.75) + 30 / 60 * w(1.0) + 10 / 60 * w(0.75)
    assert got["load_method"] == "hr_samples"
    assert got["load"] == pytest.approx(expected, rel=1e-12)
    assert expected == pytest.approx(2.9973, abs=1e-4)  # the number written in docs/method.md
    other_last = run_record(D0, 1.5, hr_t=[0, 10, 20, 80, 90], hr_bpm=[120, 150, 180, 150, 90])
    assert loads([other_last])["load"][0] == pytest.approx(expected, rel=1e-12)


def test_hrr_is_clipped_and_bad_samples_are_skipped() -> None:
    # 40 bpm is below rest (HRr 0), 200 above max (HRr 1); the 0 bpm sample is a dropout.
    rec = run_record(D0, 1, hr_t=[0, 20, 30, 40, 50], hr_bpm=[40, 200, 0, 120, 130])
    expected = 20 / 60 * w(0.0) + 20 / 60 * w(1.0) + 10 / 60 * w(0.5)
    assert loads([rec])["load"][0] == pytest.approx(expected, rel=1e-12)


def test_avg_hr_and_estimated_and_not_a_run() -> None:
    recs = [
        run_record(D0, 40, avg_hr=150, hr_t=[0], hr_bpm=[150]),  # one sample: not enough
        run_record(D0, 30, hour=9),  # treadmill without strap
        run_record(D0, 30, hour=10, avg_hr=0),  # a zero average is no heart rate
        run_record(D0, 60, hour=12, avg_hr=140, is_run=False, sport="cycling"),
    ]
    out = loads(recs)
    assert out["load_method"].to_list() == ["avg_hr", "estimated", "estimated", None]
    assert out["load"][0] == pytest.approx(40 * w(0.75))
    assert out["load"][1] == pytest.approx(30 * w(0.6))
    assert out["load"][3] is None


def test_sex_coefficients_and_assumed_hrr() -> None:
    rec = [run_record(D0, 10, avg_hr=150)]
    for sex, (a, b) in {"female": (0.86, 1.67), "unspecified": (0.75, 1.795)}.items():
        athlete = resolve_athlete(AthleteSettings(hr_max=180, hr_rest=60, sex=sex))
        assert loads(rec, athlete)["load"][0] == pytest.approx(10 * w(0.75, a, b))
    est = loads([run_record(D0, 10)], settings=LoadSettings(assumed_hrr=0.5))
    assert est["load"][0] == pytest.approx(10 * w(0.5))


def _flags(records, settings: LoadSettings | None = None) -> pl.DataFrame:
    settings = settings or LoadSettings()
    return long_runs(loads(records, settings=settings), settings)


def test_long_run_absolute_and_share_of_the_week() -> None:
    day = dt.timedelta(days=1)
    recs = [
        run_record(D0, 90),  # long: 90 min
        run_record(D0 + 10 * day, 100),
        run_record(D0 + 16 * day, 65),  # 65 / (100+65) = 39 % of the 7 days: long
        run_record(D0 + 30 * day, 100),
        run_record(D0 + 31 * day, 100),
        run_record(D0 + 32 * day, 65),  # 65 / 265 = 25 %: not long
        run_record(D0 + 40 * day, 59),  # 100 % of the week but under 60 min: not long
    ]
    out = _flags(recs)
    assert out["long_run"].to_list() == [True, True, True, True, True, False, False]
    assert out["week_run_minutes"].to_list() == [90, 100, 165, 100, 200, 265, 59]


def test_long_run_spike_needs_30_days_of_history() -> None:
    day = dt.timedelta(days=1)
    recs = [run_record(D0 + i * day, 50, distance_km=10) for i in range(0, 31, 5)]
    recs.append(run_record(D0 + 2 * day, 80, distance_km=20))  # start of season: no spike
    recs.append(run_record(D0 + 35 * day, 55, distance_km=11.2))  # > 1.1 x 10 (the 20 km: 33 d ago)
    recs.append(run_record(D0 + 36 * day, 50, distance_km=12.3))  # 12.3 < 1.1 x 11.2 = 12.32
    recs.append(run_record(D0 + 37 * day, 70))  # no distance: 70 > 1.1 x 55 minutes
    out = _flags(recs)
    spikes = dict(zip(out["file"].to_list(), out["long_run_spike"].to_list(), strict=True))
    assert [spikes[r["file"]] for r in recs] == [False] * 8 + [True, False, True]
    row = out.filter(pl.col("file") == recs[-3]["file"]).row(0, named=True)
    assert row["longest_before_km"] == 10
    assert row["longest_before_minutes"] == 50


def test_non_runs_are_never_long() -> None:
    out = _flags([run_record(D0, 200, is_run=False, sport="cycling")])
    assert out["long_run"].to_list() == [False]
    assert out["long_run_spike"].to_list() == [False]


def _reference_trimp(t: list[float], bpm: list[float | None], hr_rest, hr_max, a, b) -> float:
    """The TRIMP formula as a plain loop, independent of the polars code."""
    pts = [(ti, h) for ti, h in zip(t, bpm, strict=True) if h is not None and 30 <= h <= 240]
    total = 0.0
    for (t0, h0), (t1, _) in itertools.pairwise(pts):
        x = min(max((h0 - hr_rest) / (hr_max - hr_rest), 0.0), 1.0)
        total += min(max(t1 - t0, 0.0), 30.0) / 60 * x * a * math.exp(b * x)
    return total


@pytest.mark.parametrize(
    "name",
    ["python-fitparse__activity-small-fenix2-run.fit", "Runalyze__One-second-jump-to-past.fit"],
)
def test_trimp_on_real_fit_records(shared_fit_dir, name: str) -> None:
    import fitparse

    fit = fitparse.FitFile(str(shared_fit_dir / name))
    recs = [
        (m.get_value("timestamp"), m.get_value("heart_rate")) for m in fit.get_messages("record")
    ]
    recs = [(ts, hr) for ts, hr in recs if ts is not None]
    start = recs[0][0]
    t = [(ts - start).total_seconds() for ts, _ in recs]
    bpm = [float(hr) if hr is not None else None for _, hr in recs]
    minutes = (max(t) - min(t)) / 60
    rec = run_record(D0, minutes, hr_t=t, hr_bpm=bpm)
    out = loads([rec]).row(0, named=True)
    expected = _reference_trimp(t, bpm, 60, 180, 0.64, 1.92)
    assert out["load_method"] == "hr_samples"
    assert out["load"] == pytest.approx(expected, rel=1e-9)
    assert 0.1 < out["load"] / minutes < 4.4  # per minute: between rest and w(1.0)


def test_a_zero_moving_time_falls_back_to_the_elapsed_time() -> None:
    rec = run_record(D0, 0)
    rec["elapsed_minutes"] = 45.0  # a manual entry: no timer time, 45 min elapsed
    out = loads([rec, run_record(D0, 30, hour=9)])
    assert out["load"].to_list() == pytest.approx([45 * w(0.6), 30 * w(0.6)])
    assert out["load_method"].to_list() == ["estimated", "estimated"]
