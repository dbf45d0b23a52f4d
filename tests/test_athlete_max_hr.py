"""athlete.season_max_hr: of runs with equal peaks, the first run's file is cited, whatever
the layout of the activities frame (one chunk from a season snapshot, several from batches
of entries or a Dask cluster's per-file frames)."""

from __future__ import annotations

import polars as pl

from runload.athlete import season_max_hr


def _runs(files: list[str], peaks: list[float]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "file": files,
            "is_run": [True] * len(files),
            "max_hr": peaks,
            "hr_bpm": [[] for _ in files],
            "hr_peak": [None] * len(files),
        },
        schema_overrides={"hr_bpm": pl.List(pl.Float64), "hr_peak": pl.Float64},
    )


def test_of_equal_peaks_the_first_runs_file_is_cited_in_any_layout() -> None:
    # (a squad's runs recorded with one HR target: every run peaks at 160; polars' sort
    # gave the last run when the frame was one chunk)
    for peaks, first in (([160.0] * 12, "run00.fit"), ([150.0, *[160.0] * 11], "run01.fit")):
        files = [f"run{i:02}.fit" for i in range(12)]
        whole = _runs(files, peaks)
        parts = [_runs(files[i : i + 5], peaks[i : i + 5]) for i in range(0, 12, 5)]
        chunked = pl.concat(parts, rechunk=False)
        assert chunked.n_chunks() > 1
        for frame in (whole, chunked, chunked.rechunk()):
            assert season_max_hr(frame) == (160.0, f"highest HR in the runs ({first})")


def test_of_a_squads_equal_peaks_the_first_file_is_cited_cold_and_warm(tmp_path) -> None:
    # real files read cold (entries made in batches) and warm (a season snapshot), and as
    # the Dask path makes them (a frame per file): one answer, the first run's file
    import datetime as dt

    from runload.ingest import read_activities
    from tools.fitgen import run, write_activity

    start = dt.datetime(2026, 3, 2, 17, 30, tzinfo=dt.UTC)
    for i in range(12):
        when = start + dt.timedelta(days=4 * i)
        spec = run(when, 30 + 3 * i, (30 + 3 * i) / 5.6, hr=[135, 160], record_every_s=5)
        write_activity(tmp_path / "runs" / f"{when:%Y-%m-%d}.fit", spec)
    cache = tmp_path / "cache"
    cited = {
        season_max_hr(read_activities([tmp_path / "runs"], jobs=1, cache_dir=cache).activities)
        for _ in range(2)  # cold, then warm
    }
    assert cited == {(160.0, f"highest HR in the runs ({tmp_path / 'runs' / '2026-03-02.fit'})")}
