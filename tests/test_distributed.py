"""runload.distributed (``--dask``): the same activities, problems, duplicates and JSON as
the process pool, a cache a later run without Dask finds warm, a worker killed mid-run
losing nothing, no Dask imported without ``--dask``, and one clear line when the
scheduler cannot be reached. Each test starting a local cluster takes a few seconds."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("distributed", reason="the dask extra is not installed")

import runload.distributed as rd
from runload.cli import main
from runload.ingest import IngestResult, read_activities
from runload.workers import WORKER_DIED
from tools.fitgen import run, write_activity
from tools.trackgen import gpx_text

T0 = dt.datetime(2026, 3, 2, 6, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def season(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """12 FIT runs, a copy of one (identical bytes), a second export of one as GPX (same
    start), a broken file and a GPX run of its own."""
    folder = tmp_path_factory.mktemp("season")
    for i in range(12):
        spec = run(T0 + dt.timedelta(days=i), 30 + i, 6.0 + i / 2, hr=[140, 150 + i],
                   record_every_s=10, local_offset_s=3600)  # fmt: skip
        write_activity(folder / f"run{i:02d}.fit", spec)
    shutil.copy(folder / "run03.fit", folder / "copy-of-run03.fit")
    (folder / "run05-strava.gpx").write_text(gpx_text(T0 + dt.timedelta(days=5), 35, 8.5))
    (folder / "broken.fit").write_bytes(b".FIT" + b"\x00" * 40)
    (folder / "trail.gpx").write_text(gpx_text(T0 + dt.timedelta(days=20), 50, 9.0))
    return folder


@pytest.fixture(scope="module")
def plain(season: Path) -> IngestResult:
    return read_activities([season], jobs=1, use_cache=False)


def assert_same(got: IngestResult, want: IngestResult) -> None:
    assert got.activities.equals(want.activities)
    assert got.problems == want.problems
    assert got.duplicates == want.duplicates
    assert got.facts == want.facts
    assert got.notes == want.notes


def test_batches_give_each_thread_a_few_tasks() -> None:
    assert rd.batch_size(12, 2) == 2  # 6 tasks
    assert rd.batch_size(3, 8) == 1
    assert rd.batch_size(100_000, 4) == rd.MAX_BATCH


def test_local_cluster_gives_the_same_result_and_ticks(season: Path, plain: IngestResult) -> None:
    ticks: list[tuple[int, int]] = []
    got = read_activities(
        [season], dask="local", jobs=2, use_cache=False, progress=lambda d, t: ticks.append((d, t))
    )
    assert plain.activities.height == 13 and len(plain.duplicates) == 2
    assert any("broken.fit" in p.path for p in plain.problems)
    assert_same(got, plain)
    assert ticks[-1] == (16, 16) and len(ticks) == 16


def test_cli_json_is_the_same_with_and_without_dask(season: Path, tmp_path: Path) -> None:
    base = ["ingest", str(season), "--format", "json", "--no-cache", "--jobs", "2"]
    without = CliRunner().invoke(main, base)
    with_dask = CliRunner().invoke(main, [*base, "--dask", "local"])
    assert without.exit_code == 0, without.output
    assert with_dask.exit_code == 0, with_dask.output
    assert json.loads(with_dask.stdout) == json.loads(without.stdout)


def test_dask_workers_write_the_cache_a_run_without_dask_reads(
    season: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from runload.cache import ParseCache

    stored_here: list[str] = []
    store = ParseCache.store
    monkeypatch.setattr(  # this process's stores; the workers' are their own
        ParseCache,
        "store",
        lambda self, key, entry: (stored_here.append(key), store(self, key, entry)),
    )
    cache = tmp_path / "cache"
    cold = read_activities([season], dask="local", jobs=2, cache_dir=cache)
    assert stored_here == []  # every entry was written on a worker
    assert len(list((cache / "fit").rglob("*.parquet"))) == 15
    assert cold.parsed == 15 and cold.from_cache == 0  # 16 files, one an identical copy
    warm = read_activities([season], jobs=1, cache_dir=cache)
    assert warm.parsed == 0 and warm.from_cache == 15  # the broken file's problem too
    assert_same(warm, cold)


def test_a_worker_killed_mid_run_loses_no_file(
    season: Path, plain: IngestResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = str(tmp_path / "killed-once")
    batch = rd.parse_batch

    def kill_once(sources, *cache):  # pickled by value: runs on the worker
        import os
        import signal

        if not os.path.exists(marker):  # the first task kills its worker; its retry does not
            open(marker, "w").close()
            os.kill(os.getpid(), signal.SIGKILL)
        return batch(sources, *cache)

    monkeypatch.setattr(rd, "parse_batch", kill_once)
    got = read_activities([season], dask="local", jobs=2, use_cache=False)
    assert os.path.exists(marker)
    assert_same(got, plain)


def test_no_dask_imported_without_the_flag(season: Path) -> None:
    code = (
        "import sys; from runload.cli import main\n"
        f"main(['ingest', {str(season)!r}, '--no-cache', '--format', 'csv'],"
        " standalone_mode=False)\n"
        "print('dask' in sys.modules, 'distributed' in sys.modules, file=sys.stderr)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stderr.strip().splitlines()[-1] == "False False"


def test_unreachable_scheduler_is_one_line(season: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rd, "CONNECT_TIMEOUT_S", 1.0)
    res = CliRunner().invoke(
        main, ["ingest", str(season), "--no-cache", "--dask", "tcp://127.0.0.1:1"]
    )
    assert res.exit_code == 1
    lines = res.stderr.strip().splitlines()
    assert lines == [lines[0]] and "tcp://127.0.0.1:1" in lines[0], res.stderr
    assert lines[0].startswith("Error: cannot reach the Dask scheduler")
    assert "Traceback" not in res.output


def test_missing_dask_is_one_line(season: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rd.importlib.util, "find_spec", lambda name: None)
    res = CliRunner().invoke(main, ["ingest", str(season), "--dask", "local"])
    assert res.exit_code == 1
    assert (
        res.stderr.strip() == f"Error: --dask needs Dask, which is not installed: {rd.INSTALL_HINT}"
    )


def test_a_file_that_always_kills_its_worker_costs_only_itself(
    season: Path, plain: IngestResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dask

    batch = rd.parse_batch

    def kill_on_run07(sources, *cache):  # pickled by value: runs on the worker
        import os
        import signal

        if any(s.name.endswith("run07.fit") for s in sources):
            os.kill(os.getpid(), signal.SIGKILL)
        return batch(sources, *cache)

    monkeypatch.setattr(rd, "parse_batch", kill_on_run07)
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):  # fewer restarts
        got = read_activities([season], dask="local", jobs=2, use_cache=False)
    died = [p for p in got.problems if p not in plain.problems]
    assert [(Path(p.path).name, p.message) for p in died] == [
        ("run07.fit", f"cannot read: {WORKER_DIED}")
    ]
    assert got.activities.height == plain.activities.height - 1
    assert "run07.fit" not in [Path(f).name for f in got.activities.get_column("file")]
