"""The warm path: report, check and team read each session's HR summary from the cache,
never its samples, and still give the cold path's answers to the last bit; a file that
changed is never served from the cache; the summary is one definition with two
implementations (one session's lists at ingest, a frame's columns for a frame built
without it), held equal here."""

from __future__ import annotations

import datetime as dt
import math
import os
import shutil
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from runload.cli import main
from runload.hrsummary import hr_summary
from runload.ingest import read_activities
from runload.load import hr_summaries
from tools.fitgen import activity_bytes, run

ROOT = Path(__file__).resolve().parents[1]
SEASON = ROOT / "examples" / "season"
SITTING = ROOT / "examples" / "sitting.csv"
DAY = "2026-05-08"


def _season_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "season"
    shutil.copytree(SEASON, folder)
    return folder


def _invoke(*args: str) -> str:
    res = CliRunner().invoke(main, list(args))
    assert res.exit_code in (0, 3, 4), res.output
    return res.stdout


def test_a_warm_report_and_check_equal_the_cold_ones_to_the_bit(tmp_path: Path) -> None:
    season = _season_copy(tmp_path)
    cache = ["--cache-dir", str(tmp_path / "cache")]
    report = ["report", str(season), "--sitting", str(SITTING), "--format", "json"]
    check = ["check", str(season), "--sitting", str(SITTING), "--date", DAY, "--format", "json"]
    cold = _invoke(*report, "--no-cache"), _invoke(*check, "--no-cache")
    first = _invoke(*report, *cache), _invoke(*check, *cache)  # (writes the cache)
    warm = _invoke(*report, *cache), _invoke(*check, *cache)
    assert cold == first == warm
    assert '"load_method": "hr_samples"' in cold[0]


def test_a_warm_report_reads_no_hr_sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import runload.cache as cache_module

    season = _season_copy(tmp_path)
    cache = ["--cache-dir", str(tmp_path / "cache")]
    report = ["report", str(season), "--format", "json", *cache]
    _invoke(*report)
    read: list[tuple[str, ...]] = []
    real = cache_module._read_frame

    def spy(source: Any, skip: Any) -> pl.DataFrame:
        frame = real(source, skip)
        read.append(tuple(frame.columns))
        return frame

    monkeypatch.setattr(cache_module, "_read_frame", spy)
    _invoke(*report)
    assert read and all("hr_bpm" not in cols and "hr_profile" in cols for cols in read)


def test_a_changed_file_is_never_served_from_the_cache(tmp_path: Path) -> None:
    """Same name, same size class, its modification time set back: the bytes decide."""
    season = _season_copy(tmp_path)
    cache = ["--cache-dir", str(tmp_path / "cache")]
    report = ["report", str(season), "--format", "json", "--all"]
    before = _invoke(*report, *cache)
    target = sorted(season.glob("*-long.fit"))[-1]
    stat = target.stat()
    start = dt.datetime(2026, 6, 14, 7, 0, tzinfo=dt.UTC)
    target.write_bytes(
        activity_bytes(run(start, 150, 30.0, hr=175, record_every_s=5, local_offset_s=7200))
    )
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    after = _invoke(*report, *cache)
    assert after != before
    assert after == _invoke(*report, "--no-cache")


def test_loads_from_the_summary_equal_loads_from_the_samples(tmp_path: Path) -> None:
    """A frame built by hand with samples only (the library's ``analyse``) gets the summary
    from them: the same loads as ingest's frame, which carries it."""
    from runload.analysis import analyse
    from runload.config import Settings

    season = _season_copy(tmp_path)
    ing = read_activities([season], jobs=1, use_cache=False)
    assert ing.activities.get_column("hr_profile").null_count() < ing.activities.height
    by_hand = ing.activities.drop("hr_peak", "hr_profile")
    ours = analyse(ing.activities, None, Settings(), facts=ing.facts)
    theirs = analyse(by_hand, None, Settings(), facts=ing.facts)
    cols = ["file", "load", "load_method"]
    assert ours.activities.select(cols).equals(theirs.activities.select(cols))
    assert ours.days.equals(theirs.days) and ours.athlete == theirs.athlete


def _both(times: list[float], bpms: list[float]) -> tuple[Any, Any]:
    frame = pl.DataFrame(
        {"hr_t": [times], "hr_bpm": [bpms]},
        schema={"hr_t": pl.List(pl.Float64), "hr_bpm": pl.List(pl.Float64)},
    )
    got = hr_summaries(frame).row(0)
    return hr_summary(times, bpms), (got[0], got[1])


def test_the_two_summaries_agree_on_the_example_season() -> None:
    ing = read_activities([SEASON], jobs=1, use_cache=False)
    for times, bpms, peak, profile in ing.activities.select(
        "hr_t", "hr_bpm", "hr_peak", "hr_profile"
    ).rows():
        mine, theirs = _both(times, bpms)
        assert mine == theirs == (peak, profile)


values = st.floats(allow_nan=True, allow_infinity=True, width=64)
bpm = st.one_of(st.integers(0, 260).map(float), values)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(values, bpm), max_size=40), st.booleans())
def test_the_two_summaries_agree_on_any_samples(
    pairs: list[tuple[float, float]], cut: bool
) -> None:
    times = [t for t, _ in pairs]
    bpms = [b for _, b in pairs]
    if cut and bpms:  # lists that do not pair up
        bpms = bpms[:-1]
    mine, theirs = _both(times, bpms)
    assert _same(mine, theirs)


finite = st.floats(-1e6, 1e6, allow_nan=False)
valid_bpm = st.floats(30.0, 240.0) | st.integers(30, 240).map(float)
odd = st.sampled_from([math.nan, math.inf, -math.inf, 29.9, 240.5, 0.0])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(finite, valid_bpm), min_size=2, max_size=40), st.data())
def test_the_two_summaries_agree_when_every_sample_is_valid(
    pairs: list[tuple[float, float]], data: st.DataObject
) -> None:
    # every sample valid takes hr_summary's pairs in C; one odd value (NaN, infinity, out
    # of the band; as a time or a rate) anywhere takes the sample-by-sample path
    times = [t for t, _ in pairs]
    bpms = [b for _, b in pairs]
    assert _same(*_both(times, bpms))
    at = data.draw(st.integers(0, len(pairs) - 1))
    which = data.draw(st.sampled_from([times, bpms]))
    which[at] = data.draw(odd)
    assert _same(*_both(times, bpms))


def _same(a: Any, b: Any) -> bool:
    """Equal, NaN equal to NaN (a peak is never NaN; a gap may be inf - inf)."""
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return a == b


def test_the_sitting_search_does_not_open_the_activity_files_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import runload.sitting.read as read_module
    from tools.fitgen import MonitoringState, monitoring_bytes

    season = _season_copy(tmp_path)
    start = dt.datetime(2026, 5, 7, 5, 0, tzinfo=dt.UTC)
    (season / "monitor.fit").write_bytes(monitoring_bytes(start, 7200, [MonitoringState(start, 8)]))
    probed: list[str] = []
    real = read_module._looks_like_sitting

    def spy(path: Path) -> bool:
        probed.append(path.name)
        return real(path)

    monkeypatch.setattr(read_module, "_looks_like_sitting", spy)
    res = CliRunner().invoke(main, ["report", str(season), "--format", "json", "--no-cache"])
    assert res.exit_code == 0, res.output
    assert probed == ["monitor.fit"]  # the 70 activity files were read once, by ingest
    assert "(Garmin monitoring files, 1 file;" in res.stderr  # still found and read


def test_a_warm_check_imports_no_fit_reader(tmp_path: Path) -> None:
    """Warm, nothing is decoded: the FIT readers (and fitparse) stay unimported, as the
    lazy ``runload.fit`` package allows; cold, they are imported where the files are read."""
    import subprocess
    import sys

    cache = str(tmp_path / "cache")
    probe = (
        "import sys\nfrom click.testing import CliRunner\nfrom runload.cli import main\n"
        f"res = CliRunner().invoke(main, ['check', {str(SEASON)!r}, '--date', {DAY!r}, "
        f"'--jobs', '1', '--cache-dir', {cache!r}])\n"
        "assert res.exit_code in (0, 3, 4), res.output\n"
        "print(sorted(m for m in ('runload.fit.activity', 'runload.fit.monitoring', 'fitparse')"
        " if m in sys.modules))\n"
    )

    def imported() -> str:
        out = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, timeout=300,
            env=os.environ | {"PYTHONPATH": str(ROOT)},
        )  # fmt: skip
        assert out.returncode == 0, out.stderr
        return out.stdout.strip()

    assert imported() == "['fitparse', 'runload.fit.activity']"  # cold (no monitoring file)
    assert imported() == "[]"  # warm


def test_the_fit_package_gives_each_of_its_names() -> None:
    import runload.fit

    assert sorted(runload.fit.__all__) == sorted(runload.fit._WHERE)
    for name in runload.fit.__all__:
        assert getattr(runload.fit, name) is not None
    with pytest.raises(AttributeError):
        _ = runload.fit.no_such_name
