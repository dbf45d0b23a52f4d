"""``runload team --dask tcp://...`` against a real cluster started as an operator would: a
``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1 (a free port, no
dashboard, workers without a nanny so a kill sticks). One worker is SIGKILLed after the
first result has arrived; the squad's JSON is the same as the local run's. Every process the
test starts is stopped."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("distributed", reason="the dask extra is not installed")

from runload.config import Settings
from runload.options import Options
from runload.render.team import team_json
from runload.team import team
from tools.fitgen import run, write_activity

pytestmark = pytest.mark.slow
DAY = dt.date(2026, 4, 20)
START = dt.datetime(2026, 3, 2, 17, 30, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def squad(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four athletes of 12 runs each (48 files: enough tasks for a worker to die mid-run)."""
    root = tmp_path_factory.mktemp("squad")
    for a, name in enumerate(("ana", "ben", "cai", "dora")):
        folder = root / name
        folder.mkdir()
        for i in range(12):
            when = START + dt.timedelta(days=4 * i, minutes=7 * a)
            minutes = 30 + 3 * i + a
            spec = run(when, minutes, minutes / 5.6, hr=[135 + a, 160], record_every_s=5)
            write_activity(folder / f"{when:%Y-%m-%d}.fit", spec)
    return root


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _wait_for_workers(address: str, n: int, timeout: float = 60.0) -> None:
    from distributed import Client

    with Client(address, timeout=timeout) as client:
        client.wait_for_workers(n, timeout=timeout)


@pytest.fixture
def cluster() -> Iterator[tuple[str, list[subprocess.Popen[bytes]]]]:
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = [
        _start(
            "distributed.cli.dask_scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-dashboard",
        )
    ]
    try:
        for _ in range(2):
            procs.append(
                _start(
                    "distributed.cli.dask_worker",
                    address,
                    "--nthreads",
                    "1",
                    "--no-nanny",
                    "--no-dashboard",
                    "--host",
                    "127.0.0.1",
                )
            )
        _wait_for_workers(address, 2)
        yield address, procs
    finally:
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def test_a_real_cluster_losing_a_worker_gives_the_local_json(squad: Path, cluster) -> None:
    address, procs = cluster
    local = team(squad, day=DAY, run=Options(Settings(), (), use_cache=False, jobs=1))
    victim = procs[2]
    killed: list[float] = []

    def progress(done: int, total: int) -> None:
        if done >= 1 and not killed:  # the first result is in: kill a worker for good
            os.killpg(victim.pid, signal.SIGKILL)
            killed.append(time.monotonic())

    options = Options(Settings(), (), use_cache=False, jobs=2, dask=address)
    got = team(squad, day=DAY, run=options, progress=progress)
    assert killed, "no result arrived"
    assert victim.wait(timeout=10) == -signal.SIGKILL
    assert procs[1].poll() is None  # the other worker carried the rest
    assert team_json(got) == team_json(local)
    assert got.days.height == 4
