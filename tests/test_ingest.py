"""read_activities(): a season of generated FIT files read back exactly, local time, duplicates,
archives, the cache and parallel parsing."""

from __future__ import annotations

import datetime as dt
import gzip
import os
import shutil
import time
import zipfile
from functools import cache
from pathlib import Path

import polars as pl
import pytest

from runload.cache import ParseCache
from runload.errors import InputError
from runload.ingest import read_activities
from runload.schema import (
    ACTIVITY_COLUMNS,
    HR_SAMPLE_COLUMNS,
    HR_SUMMARY_COLUMNS,
    activity_schema,
)
from tools.fitgen import ActivitySpec, SessionSpec, activity_bytes, run

UTC = dt.UTC
T0 = dt.datetime(2026, 3, 2, 6, 0, tzinfo=UTC)


@cache
def easy_run() -> bytes:  # Monday 07:00 local (+1 h), 40 min, 8 km
    return activity_bytes(run(T0, 40, 8.0, hr=[140, 150], record_every_s=20, local_offset_s=3600))


@cache
def midnight_run() -> bytes:  # 00:20 local on 2026-03-04 = 23:20 UTC on 2026-03-03
    start = dt.datetime(2026, 3, 3, 23, 20, tzinfo=UTC)
    return activity_bytes(run(start, 30, 6.0, hr=150, record_every_s=30, local_offset_s=3600))


@cache
def ride() -> bytes:
    start = T0 + dt.timedelta(days=2, hours=10)
    return activity_bytes(run(start, 60, 30.0, sport="cycling", record_every_s=60))


@cache
def trail_no_local_time() -> bytes:
    start = dt.datetime(2026, 7, 1, 5, 0, tzinfo=UTC)
    return activity_bytes(
        run(start, 20, 3.0, sub_sport="trail", record_every_s=30, local_offset_s=None)
    )


@cache
def brick() -> bytes:
    bike = SessionSpec(T0 + dt.timedelta(days=5), 30, sport="cycling", distance_km=12.0,
                       record_every_s=60)  # fmt: skip
    runs = SessionSpec(T0 + dt.timedelta(days=5, minutes=31), 15, distance_km=3.0, hr=160,
                       record_every_s=30)  # fmt: skip
    return activity_bytes(ActivitySpec([bike, runs], local_offset_s=3600, user_gender="male"))


def _season(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a_easy.fit").write_bytes(easy_run())
    (folder / "b_midnight.FIT").write_bytes(midnight_run())
    (folder / "c_ride.fit").write_bytes(ride())
    (folder / "d_brick.fit").write_bytes(brick())
    (folder / "notes.txt").write_text("ignored in a folder")
    return folder


def _row(result, file_suffix: str, session: int = 0) -> dict:
    df = result.activities.filter(pl.col("file").str.ends_with(file_suffix))
    return df.filter(pl.col("session") == session).row(0, named=True)


def test_season_reads_back_exactly(tmp_path: Path) -> None:
    season = _season(tmp_path / "season")
    result = read_activities([season], jobs=1, cache_dir=tmp_path / "cache")
    assert result.problems == []
    assert dict(result.activities.schema) == activity_schema()
    assert result.activities.columns == [*ACTIVITY_COLUMNS, *HR_SAMPLE_COLUMNS, *HR_SUMMARY_COLUMNS]
    assert result.activities.height == 5 and result.runs == 3
    assert (result.files_seen, result.parsed, result.from_cache) == (4, 4, 0)

    easy = _row(result, "a_easy.fit")
    assert easy["file"] == str(season / "a_easy.fit")
    assert (easy["sport"], easy["sub_sport"], easy["is_run"]) == ("running", "generic", True)
    assert easy["start_utc"] == T0
    assert easy["start_local"] == dt.datetime(2026, 3, 2, 7, 0)
    assert easy["date"] == dt.date(2026, 3, 2) and easy["utc_offset_min"] == 60
    assert easy["moving_minutes"] == pytest.approx(40.0)
    assert easy["elapsed_minutes"] == pytest.approx(40.0)
    assert easy["distance_km"] == pytest.approx(8.0)
    assert (easy["avg_hr"], easy["max_hr"]) == (150.0, 150.0)
    assert easy["has_gps"] is True and easy["device"].startswith("Development")
    assert easy["hr_t"][:3] == [0.0, 20.0, 40.0] and easy["hr_bpm"][:3] == [140.0, 150.0, 150.0]

    assert _row(result, "c_ride.fit")["is_run"] is False
    bike, brick_run = _row(result, "d_brick.fit", 0), _row(result, "d_brick.fit", 1)
    assert (bike["sport"], brick_run["sport"]) == ("cycling", "running")
    assert brick_run["start_local"] == dt.datetime(2026, 3, 7, 7, 31)
    assert brick_run["distance_km"] == pytest.approx(3.0)
    assert [(f.name, f.value) for f in result.facts] == [("sex", "male")]
    assert result.facts[0].source.endswith("d_brick.fit")


def test_run_after_midnight_belongs_to_the_local_day(tmp_path: Path) -> None:
    (tmp_path / "m.fit").write_bytes(midnight_run())
    row = read_activities([tmp_path / "m.fit"], jobs=1).activities.row(0, named=True)
    assert row["start_utc"] == dt.datetime(2026, 3, 3, 23, 20, tzinfo=UTC)
    assert row["start_local"] == dt.datetime(2026, 3, 4, 0, 20)
    assert row["date"] == dt.date(2026, 3, 4)


def test_timezone_used_only_when_the_file_has_no_local_time(tmp_path: Path) -> None:
    (tmp_path / "t.fit").write_bytes(trail_no_local_time())
    (tmp_path / "e.fit").write_bytes(easy_run())
    result = read_activities([tmp_path], jobs=1, timezone="America/New_York")
    trail, easy = _row(result, "t.fit"), _row(result, "e.fit")
    assert trail["is_run"] is True and trail["sub_sport"] == "trail"
    assert trail["utc_offset_min"] == -240  # EDT in July
    assert trail["start_local"] == dt.datetime(2026, 7, 1, 1, 0)
    assert easy["utc_offset_min"] == 60  # the file's own offset wins


def test_season_across_a_dst_change_takes_each_days_offset(tmp_path: Path) -> None:
    # Berlin goes from +1 h to +2 h on 2026-03-29 at 01:00 UTC; the files carry no local time
    for name, start in [("sat.fit", dt.datetime(2026, 3, 28, 22, 30, tzinfo=UTC)),
                        ("sun.fit", dt.datetime(2026, 3, 29, 22, 30, tzinfo=UTC))]:  # fmt: skip
        spec = run(start, 5, 1.0, record_every_s=60, local_offset_s=None)
        (tmp_path / name).write_bytes(activity_bytes(spec))
    result = read_activities([tmp_path], jobs=1, use_cache=False, timezone="Europe/Berlin")
    rows = result.activities.select("utc_offset_min", "start_local", "date").rows()
    assert rows == [
        (60, dt.datetime(2026, 3, 28, 23, 30), dt.date(2026, 3, 28)),
        (120, dt.datetime(2026, 3, 30, 0, 30), dt.date(2026, 3, 30)),
    ]


def test_machine_zone_is_the_last_resort(tmp_path: Path) -> None:
    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset is not available on this platform")
    old = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Kolkata"
    time.tzset()
    try:
        (tmp_path / "t.fit").write_bytes(trail_no_local_time())
        row = read_activities([tmp_path], jobs=1).activities.row(0, named=True)
    finally:
        if old is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = old
        time.tzset()
    assert row["utc_offset_min"] == 330
    assert row["start_local"] == dt.datetime(2026, 7, 1, 10, 30)


def test_unknown_timezone_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="Mars/Olympus"):
        read_activities([tmp_path], timezone="Mars/Olympus")


def test_zip_and_gz_inputs(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "export.zip", "w") as z:
        z.writestr("activities/1.fit", easy_run())
        z.writestr("activities/readme.txt", "skip")
    (tmp_path / "2.fit.gz").write_bytes(gzip.compress(ride()))
    result = read_activities([tmp_path / "export.zip", tmp_path / "2.fit.gz"], jobs=1)
    assert result.problems == []
    assert result.activities.get_column("file").to_list() == [
        f"{tmp_path / 'export.zip'}:activities/1.fit",
        str(tmp_path / "2.fit.gz"),
    ]
    assert result.activities.get_column("distance_km").to_list() == pytest.approx([8.0, 30.0])


def test_duplicates_kept_once_and_reported(tmp_path: Path) -> None:
    (tmp_path / "a.fit").write_bytes(easy_run())
    (tmp_path / "b_copy.fit").write_bytes(easy_run())  # identical bytes
    # a second export of the same run: other device serial, so other bytes
    spec = run(T0, 40, 8.0, hr=[140, 150], record_every_s=20, local_offset_s=3600)
    spec.serial_number = 999
    (tmp_path / "c_reexport.fit").write_bytes(activity_bytes(spec))
    result = read_activities([tmp_path], jobs=1)
    assert result.activities.height == 1
    assert result.activities.row(0, named=True)["file"] == str(tmp_path / "a.fit")
    reasons = {(Path(d.file).name, Path(d.kept_file).name, d.reason) for d in result.duplicates}
    assert reasons == {
        ("b_copy.fit", "a.fit", "identical bytes"),
        ("c_reexport.fit", "a.fit", "same start and sport"),
    }
    assert result.parsed == 2  # the identical copy is not even parsed
    said = sorted(str(d) for d in result.duplicates)
    assert said == [
        f"{tmp_path / 'b_copy.fit'}: same activity as {tmp_path / 'a.fit'} (identical bytes);"
        " merged",
        f"{tmp_path / 'c_reexport.fit'} (session 0): same activity as {tmp_path / 'a.fit'}"
        " (session 0) (same start and sport); merged",
    ]
    assert result.problems == []  # merged copies are not problems


def test_bad_files_do_not_stop_the_batch(tmp_path: Path) -> None:
    (tmp_path / "good.fit").write_bytes(easy_run())
    (tmp_path / "empty.fit").write_bytes(b"")
    (tmp_path / "text.fit").write_text("not a fit file")
    (tmp_path / "half.fit").write_bytes(ride()[: len(ride()) // 2])
    result = read_activities([tmp_path, tmp_path / "missing.fit"], jobs=1)
    assert result.activities.height == 2  # the good run and what was read of the half ride
    by_file = {(Path(p.path).name, p.severity) for p in result.problems}
    assert {("empty.fit", "error"), ("text.fit", "error"), ("missing.fit", "error")} <= by_file
    assert ("half.fit", "warning") in by_file


def test_cache_second_run_parses_nothing_changed_file_reparsed(tmp_path: Path) -> None:
    season = _season(tmp_path / "season")
    cache_dir = tmp_path / "cache"
    cold = read_activities([season], jobs=1, cache_dir=cache_dir)
    warm = read_activities([season], jobs=1, cache_dir=cache_dir)
    assert (warm.parsed, warm.from_cache) == (0, 4)
    assert warm.activities.equals(cold.activities)
    assert warm.problems == cold.problems and warm.facts == cold.facts

    (season / "c_ride.fit").write_bytes(trail_no_local_time())
    changed = read_activities([season], jobs=1, cache_dir=cache_dir, timezone="UTC")
    assert (changed.parsed, changed.from_cache) == (1, 3)
    assert _row(changed, "c_ride.fit")["sub_sport"] == "trail"


def test_hash_index_spares_reading_unchanged_files_and_never_serves_a_rewrite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from runload.cache import DigestIndex
    from runload.inputs import Source

    monkeypatch.setattr(DigestIndex, "RACY_S", 0.0)  # trust stamps of files written just now
    reads: list[str] = []
    real_read = Source.read
    monkeypatch.setattr(Source, "read", lambda self: reads.append(self.name) or real_read(self))
    first = easy_run()
    other = activity_bytes(run(T0, 40, 8.0, hr=[141, 151], record_every_s=20, local_offset_s=3600))
    assert len(other) == len(first) and other != first
    f = tmp_path / "a.fit"
    f.write_bytes(first)
    cache_dir = tmp_path / "cache"
    assert read_activities([f], jobs=1, cache_dir=cache_dir).activities["avg_hr"].to_list() == [
        150.0
    ]
    reads.clear()
    warm = read_activities([f], jobs=1, cache_dir=cache_dir)
    assert (warm.from_cache, reads) == (1, [])  # the index answered: the file was not read

    # same size, other bytes, the mtime put back as it was (cp -p, unzip): the ctime moved
    st = f.stat()
    f.write_bytes(other)
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert f.stat().st_size == st.st_size and f.stat().st_mtime_ns == st.st_mtime_ns
    again = read_activities([f], jobs=1, cache_dir=cache_dir)
    assert (again.parsed, again.activities["avg_hr"].to_list()) == (1, [151.0])

    # same size again, the old bytes back, mtime bumped: served from the old entry
    f.write_bytes(first)
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    back = read_activities([f], jobs=1, cache_dir=cache_dir)
    assert (back.parsed, back.from_cache) == (0, 1)
    assert back.activities["avg_hr"].to_list() == [150.0]


def test_cache_keeps_warnings(tmp_path: Path) -> None:
    data = bytearray(easy_run())
    data[-1] ^= 0xFF  # bad CRC
    (tmp_path / "crc.fit").write_bytes(bytes(data))
    first = read_activities([tmp_path / "crc.fit"], jobs=1, cache_dir=tmp_path / "c")
    second = read_activities([tmp_path / "crc.fit"], jobs=1, cache_dir=tmp_path / "c")
    assert second.from_cache == 1 and second.problems == first.problems
    assert "bad CRC" in first.problems[0].message


def test_corrupted_cache_entry_is_survived(tmp_path: Path) -> None:
    season = _season(tmp_path / "season")
    cache_dir = tmp_path / "cache"
    cold = read_activities([season], jobs=1, cache_dir=cache_dir)
    entries = sorted((cache_dir / "fit").rglob("*.parquet"))
    (snapshot,) = (cache_dir / "season").glob("*.parquet")
    assert len(entries) == 4
    entries[0].write_bytes(b"PAR1 broken")
    entries[1].write_bytes(entries[1].read_bytes()[:100])
    snapshot.write_bytes(snapshot.read_bytes()[:-30])
    again = read_activities([season], jobs=1, cache_dir=cache_dir)
    assert (again.parsed, again.from_cache) == (2, 2)
    assert again.activities.equals(cold.activities) and again.problems == []
    assert read_activities([season], jobs=1, cache_dir=cache_dir).parsed == 0  # repaired


def test_season_snapshot_serves_a_rerun_and_per_file_entries_the_rest(tmp_path: Path) -> None:
    season = _season(tmp_path / "season")
    cache_dir = tmp_path / "cache"
    cold = read_activities([season], jobs=1, cache_dir=cache_dir)
    shutil.rmtree(cache_dir / "fit")  # only the snapshot is left
    warm = read_activities([season], jobs=1, cache_dir=cache_dir)
    assert (warm.parsed, warm.from_cache) == (0, 4)
    assert warm.activities.equals(cold.activities) and warm.facts == cold.facts
    # another set of inputs (one file fewer) cannot use that snapshot: parsed again
    (season / "c_ride.fit").unlink()
    fewer = read_activities([season], jobs=1, cache_dir=cache_dir)
    assert (fewer.parsed, fewer.from_cache) == (3, 0)


def test_no_cache_neither_reads_nor_writes(tmp_path: Path) -> None:
    season = _season(tmp_path / "season")
    result = read_activities([season], jobs=1, cache_dir=tmp_path / "cache", use_cache=False)
    assert result.parsed == 4 and not (tmp_path / "cache").exists()


def test_unwritable_cache_is_one_warning_not_a_failure(tmp_path: Path) -> None:
    (tmp_path / "a.fit").write_bytes(easy_run())
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")
    result = read_activities([tmp_path / "a.fit"], jobs=1, cache_dir=blocker)
    assert result.activities.height == 1
    assert [p.severity for p in result.problems] == ["warning"]
    assert "cannot write the cache" in result.problems[0].message


@pytest.fixture
def pool_always(monkeypatch: pytest.MonkeyPatch) -> None:
    """Worker processes even for a few small files (below the crossover ingest starts
    none: ``pool_workers``)."""
    import runload.workers as workers_module

    monkeypatch.setattr(workers_module, "POOL_BYTES_PER_WORKER", 1)


def test_a_small_season_is_parsed_without_a_pool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import runload.workers as workers_module

    def no_pool(*args: object) -> None:
        raise AssertionError("a pool started for four small files")

    monkeypatch.setattr(workers_module, "_pool", no_pool)
    result = read_activities([_season(tmp_path / "season")], jobs=2, use_cache=False)
    assert (result.parsed, result.activities.height, result.problems) == (4, 5, [])


def test_workers_are_started_for_the_bytes_they_are_worth() -> None:
    from runload.workers import POOL_BYTES_PER_WORKER, pool_workers

    assert pool_workers(0, 0) == 1
    assert pool_workers(2 * POOL_BYTES_PER_WORKER - 1, 70) == 1  # below the crossover
    assert pool_workers(2 * POOL_BYTES_PER_WORKER, 70) == 2
    assert pool_workers(50 * POOL_BYTES_PER_WORKER, 3) == 3  # never more than the files


@pytest.mark.usefixtures("pool_always")
def test_parallel_equals_serial_and_reports_progress(tmp_path: Path) -> None:
    season = _season(tmp_path / "season")
    shutil.copy(season / "a_easy.fit", tmp_path / "elsewhere.fit")
    calls: list[tuple[int, int]] = []
    serial = read_activities([season], jobs=1, use_cache=False)
    parallel = read_activities(
        [season], jobs=2, use_cache=False, progress=lambda d, t: calls.append((d, t))
    )
    assert parallel.activities.equals(serial.activities)
    assert calls[-1] == (4, 4) and len(calls) == 4
    # workers store their results in the cache too
    cache_dir = tmp_path / "c"
    read_activities([season], jobs=2, cache_dir=cache_dir)
    assert len(list((ParseCache(cache_dir).folder / "fit").rglob("*.parquet"))) == 4


@pytest.mark.usefixtures("pool_always")
def test_a_worker_that_dies_costs_only_its_own_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import runload.ingest as ingest_module
    from tools.fitgen import CrashingSource

    season = _season(tmp_path / "season")
    real_find = ingest_module.find_inputs

    def find_with_a_killer(paths):
        sources, problems = real_find(paths)
        swap = [CrashingSource(s.name, s.path) if "c_ride" in s.name else s for s in sources]
        return swap, problems

    monkeypatch.setattr(ingest_module, "find_inputs", find_with_a_killer)
    result = read_activities([season], jobs=2, use_cache=False)
    assert sorted(set(result.activities["file"].map_elements(lambda f: Path(f).name))) == [
        "a_easy.fit",
        "b_midnight.FIT",
        "d_brick.fit",
    ]
    (problem,) = result.problems
    assert (Path(problem.path).name, problem.severity) == ("c_ride.fit", "error")
    assert "worker process died on this file" in problem.message


def test_parallel_ingest_from_a_script_without_a_main_guard(tmp_path: Path) -> None:
    import subprocess
    import sys

    _season(tmp_path / "season")
    script = tmp_path / "plain_script.py"
    script.write_text(
        "import runload.workers\n"
        "from runload.ingest import read_activities\n"
        "runload.workers.POOL_BYTES_PER_WORKER = 1  # a pool even for four small files\n"
        "print('top level ran')\n"
        f"r = read_activities([{str(tmp_path / 'season')!r}], jobs=2, use_cache=False)\n"
        "print(r.parsed, r.activities.height, len(r.problems))\n"
    )
    out = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, check=True, timeout=120
    )
    # the workers did not re-run the script (no second 'top level ran', no failed files)
    assert out.stdout.splitlines() == ["top level ran", "4 5 0"], out.stderr


def test_warm_run_does_not_import_fitparse(tmp_path: Path) -> None:
    import subprocess
    import sys

    _season(tmp_path / "season")
    code = (
        "import sys\n"
        "from runload.ingest import read_activities\n"
        f"r = read_activities([{str(tmp_path / 'season')!r}], jobs=1, "
        f"cache_dir={str(tmp_path / 'c')!r})\n"
        "print(r.parsed, r.from_cache, 'fitparse' in sys.modules)\n"
    )
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        for _ in range(2)
    ]
    assert [r.stdout.split() for r in runs] == [["4", "0", "True"], ["0", "4", "False"]]


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="no CPU affinity here")
def test_default_workers_are_the_cores_this_process_may_use() -> None:
    from runload.workers import usable_cores

    allowed = os.sched_getaffinity(0)
    try:
        os.sched_setaffinity(0, {min(allowed)})
        assert usable_cores() == 1
    finally:
        os.sched_setaffinity(0, allowed)
    assert usable_cores() == len(allowed)


@pytest.mark.usefixtures("pool_always")
def test_no_worker_processes_possible_parses_in_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import runload.workers as workers_module

    def no_semaphores(*args: object):
        raise ImportError("This platform lacks a functioning sem_open implementation")

    monkeypatch.setattr(workers_module, "_pool", no_semaphores)
    result = read_activities([_season(tmp_path / "season")], jobs=2, use_cache=False)
    assert (result.parsed, result.activities.height, result.problems) == (4, 5, [])


def test_without_hr_samples_the_table_is_the_same_and_the_cache_stays_whole(
    tmp_path: Path,
) -> None:
    season = _season(tmp_path / "season")
    cache_dir = tmp_path / "cache"
    full = read_activities([season], jobs=1, cache_dir=cache_dir)
    shutil.rmtree(cache_dir / "season")  # per-file entries only
    for _ in range(2):  # from the per-file entries (which writes a snapshot), then from it
        lean = read_activities([season], jobs=1, cache_dir=cache_dir, hr_samples=False)
        assert lean.from_cache == 4 and dict(lean.activities.schema) == activity_schema()
        assert lean.activities.select(ACTIVITY_COLUMNS).equals(
            full.activities.select(ACTIVITY_COLUMNS)
        )
        assert lean.activities["hr_bpm"].null_count() == lean.activities.height
        assert len(list((cache_dir / "season").glob("*.parquet"))) == 1
    # the snapshot holds the samples: the next full run has them
    shutil.rmtree(cache_dir / "fit")
    again = read_activities([season], jobs=1, cache_dir=cache_dir)
    assert again.from_cache == 4 and again.activities.equals(full.activities)
    cold_lean = read_activities([season], jobs=1, use_cache=False, hr_samples=False)
    assert cold_lean.activities.equals(lean.activities)


def test_a_season_snapshot_hit_gives_the_per_file_paths_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the snapshot's rows are taken whole (not cut per file and glued back): the table,
    # problems, facts and copies must be those of the per-file entries and of a cold run
    from runload.cache import DigestIndex

    monkeypatch.setattr(DigestIndex, "RACY_S", 0.0)  # the hash index answers too
    season = _season(tmp_path / "season")
    shutil.copy(season / "a_easy.fit", season / "e_copy.fit")  # identical bytes
    data = bytearray(easy_run())
    data[-1] ^= 0xFF  # bad CRC: a warning kept in the entry
    (season / "f_crc.fit").write_bytes(bytes(data))
    (season / "g_empty.fit").write_bytes(b"not a FIT file")
    cache_dir = tmp_path / "cache"
    for hr_samples in (True, False):
        cold = read_activities([season], jobs=1, use_cache=False, hr_samples=hr_samples)
        shutil.rmtree(cache_dir, ignore_errors=True)
        first = read_activities([season], jobs=1, cache_dir=cache_dir, hr_samples=hr_samples)
        shutil.rmtree(cache_dir / "season")
        per_file = read_activities([season], jobs=1, cache_dir=cache_dir, hr_samples=hr_samples)
        shutil.rmtree(cache_dir / "fit")  # only the snapshot (written by per_file) is left
        snap = read_activities([season], jobs=1, cache_dir=cache_dir, hr_samples=hr_samples)
        assert (snap.parsed, per_file.parsed) == (0, 0)  # (the file that is not FIT too)
        for warm in (first, per_file, snap):
            assert warm.activities.equals(cold.activities)
            assert warm.problems == cold.problems and warm.facts == cold.facts
            assert warm.duplicates == cold.duplicates and warm.no_activity == cold.no_activity


def test_a_changed_file_is_never_served_from_a_stale_season_snapshot(tmp_path: Path) -> None:
    season = _season(tmp_path / "season")
    cache_dir = tmp_path / "cache"
    read_activities([season], jobs=1, cache_dir=cache_dir)
    read_activities([season], jobs=1, cache_dir=cache_dir)  # a snapshot hit
    # same name, same size, other bytes, the modification time put back as it was
    path = season / "a_easy.fit"
    st = path.stat()
    other = activity_bytes(run(T0, 40, 8.0, hr=[141, 151], record_every_s=20, local_offset_s=3600))
    assert len(other) == st.st_size and other != path.read_bytes()
    path.write_bytes(other)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    changed = read_activities([season], jobs=1, cache_dir=cache_dir)
    cold = read_activities([season], jobs=1, use_cache=False)
    assert (changed.parsed, changed.from_cache) == (1, 3)
    assert changed.activities.equals(cold.activities)
    assert _row(changed, "a_easy.fit")["avg_hr"] == 151.0
