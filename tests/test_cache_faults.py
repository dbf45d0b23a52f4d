"""Issue 19, the cache under faults: a run SIGKILLed while writing cache entries, two
runload processes on one cache folder at once, a truncated or corrupted Parquet entry or
snapshot, a write that fails for lack of space (``RLIMIT_FSIZE``) — the next run gives
the same result as a cold one (``--no-cache``), and no half-written entry is ever served.

Real processes for the kills, the concurrency and the file size limit: ``python -m
runload ingest`` on the first 16 files of the example season (and a damaged copy of one,
so that problems go through the cache too), compared by their JSON output."""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from runload.cache import ParseCache, unsealed
from runload.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "season"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def season(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("season")
    files = sorted(EXAMPLES.glob("*.fit"))
    for path in files[:16]:
        shutil.copy(path, folder / path.name)
    cut = files[20].read_bytes()
    (folder / "cut.fit").write_bytes(cut[: len(cut) * 2 // 3])  # a warning, cached too
    return folder


@pytest.fixture(scope="module")
def cold(season: Path) -> str:
    """The JSON of a run that neither reads nor writes a cache."""
    res = CliRunner().invoke(main, [*_ingest(season), "--no-cache"])
    assert res.exit_code == 0, res.output
    assert len(json.loads(res.stdout)["activities"]) == 17
    return res.stdout


def _ingest(season: Path) -> list[str]:
    return ["ingest", str(season), "--format", "json", "--jobs", "1"]


def _env(cache: Path) -> dict[str, str]:
    return {**os.environ, "RUNLOAD_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT)}


def _run(season: Path, cache: Path, **kw) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, "-m", "runload", *_ingest(season)]
    return subprocess.run(args, env=_env(cache), capture_output=True, text=True, timeout=300,
                          **kw)  # fmt: skip


def _warm(season: Path, cache: Path) -> tuple[str, str]:
    """(stdout, stderr) of a run on ``cache`` (in this process)."""
    res = CliRunner().invoke(main, [*_ingest(season), "--cache-dir", str(cache)])
    assert res.exit_code == 0, res.output
    return res.stdout, res.stderr


def _served(cache: Path) -> list[Path]:
    """The files a run could take as entries or snapshots: every one must be sound."""
    found = [*cache.glob("fit/*/*.parquet"), *cache.glob("season/*.parquet")]
    assert [p.name for p in found if not unsealed(p.read_bytes())] == []
    return found


def _entries(cache: Path) -> int:
    return len(list(cache.glob("fit/*/*.parquet")))


# ------------------------------------------------------------------------ SIGKILL


@pytest.mark.slow
def test_a_run_killed_while_writing_entries_leaves_a_cache_that_reads_as_cold(
    season: Path, cold: str, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    args = [sys.executable, "-m", "runload", *_ingest(season)]
    proc = subprocess.Popen(args, env=_env(cache), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 120
    while _entries(cache) < 4 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL
    written = _entries(cache)
    assert 4 <= written < 17  # killed while it wrote them
    assert len(_served(cache)) == written  # (no snapshot: the run never got that far)
    out, err = _warm(season, cache)
    assert out == cold
    assert f"{written} from cache, {17 - written} parsed" in err


_DIE_MID_WRITE = """
import os, signal, sys
real = os.fdopen
count = 0

class Dying:  # the third entry's file: half its bytes, then SIGKILL
    def __init__(self, fh):
        self.fh = fh
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        self.fh.close()
    def write(self, data):
        self.fh.write(data[: len(data) // 2])
        self.fh.flush()
        os.kill(os.getpid(), signal.SIGKILL)

def fdopen(fd, mode="r", *args, **kw):  # fsutil.atomic_write's temp file: "wb"
    global count
    fh = real(fd, mode, *args, **kw)
    count += mode == "wb"
    return Dying(fh) if mode == "wb" and count == 3 else fh

os.fdopen = fdopen
from runload.cli import main
main(sys.argv[1:])
"""


@pytest.mark.slow
def test_an_entry_cut_off_mid_write_by_sigkill_is_never_served(
    season: Path, cold: str, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    # this install's decoder verdict is kept already (else it is the first file written)
    verdict = "from runload.fit import decoder; decoder.verdict()"
    subprocess.run([sys.executable, "-c", verdict], env=_env(cache), check=True, timeout=300)
    args = [sys.executable, "-c", _DIE_MID_WRITE, *_ingest(season)]
    proc = subprocess.run(args, env=_env(cache), capture_output=True, timeout=300)
    assert proc.returncode == -signal.SIGKILL
    (half,) = cache.glob("fit/*/.*.tmp")  # the third entry, half written
    assert _entries(cache) == 2 and len(_served(cache)) == 2
    out, err = _warm(season, cache)
    assert out == cold and "2 from cache, 15 parsed" in err
    assert half.exists()  # a temp file of an hour ago is a killed run's: swept
    os.utime(half, (time.time() - 7200, time.time() - 7200))
    fresh = cache / "fit" / half.parent.name / ".fresh.parquet.tmp"
    fresh.write_bytes(b"another run writing now")
    shutil.rmtree(cache / "season")
    for entry in cache.glob("fit/*/*.parquet"):
        entry.unlink()
    assert _warm(season, cache)[0] == cold
    assert not half.exists() and fresh.exists()


# ------------------------------------------------------------------- two at once


@pytest.mark.slow
def test_two_runs_on_one_cache_folder_at_once_both_read_as_cold(
    season: Path, cold: str, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    args = [sys.executable, "-m", "runload", *_ingest(season)]
    procs = [subprocess.Popen(args, env=_env(cache), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]  # fmt: skip
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert [out for out, _ in outs] == [cold, cold]
    assert all("Traceback" not in err for _, err in outs)
    assert len(_served(cache)) == 18  # 17 entries and one snapshot
    out, err = _warm(season, cache)
    assert out == cold and "17 from cache, 0 parsed" in err


# ------------------------------------------------------------------------ damage


def _flip_bytes(path: Path, seed: int) -> None:
    data = bytearray(path.read_bytes())
    rng = random.Random(seed)
    for _ in range(3):
        data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", ["truncated", "flipped", "not sealed", "snapshot"])
def test_a_damaged_entry_or_snapshot_is_parsed_again_never_served(
    season: Path, cold: str, tmp_path: Path, damage: str
) -> None:
    cache = tmp_path / "cache"
    assert _warm(season, cache)[0] == cold
    entries = sorted(cache.glob("fit/*/*.parquet"))
    (snapshot,) = cache.glob("season/*.parquet")
    if damage == "snapshot":
        _flip_bytes(snapshot, 1)
    else:
        snapshot.unlink()  # (else the snapshot serves the run, entries unread)
        for i, entry in enumerate(entries[:5]):
            data = entry.read_bytes()
            if damage == "truncated":
                entry.write_bytes(data[: len(data) * i // 5])
            elif damage == "flipped":
                _flip_bytes(entry, i)
            else:  # a sound Parquet file that is not a sealed entry (an older runload's)
                import polars as pl

                pl.DataFrame({"session": [0]}).write_parquet(entry)
    out, err = _warm(season, cache)
    assert out == cold and "Traceback" not in err and "panicked" not in err
    if damage == "snapshot":
        assert "17 from cache, 0 parsed" in err  # the entries served instead
    else:
        assert "12 from cache, 5 parsed" in err
    assert len(_served(cache)) == 18  # repaired


def test_a_flipped_bit_anywhere_in_an_entry_is_a_miss(tmp_path: Path, season: Path) -> None:
    cache = tmp_path / "cache"
    _warm(season, cache)
    (entry,) = list(cache.glob("fit/*/*.parquet"))[:1]
    key = entry.stem
    good = entry.read_bytes()
    store = ParseCache(cache)
    for pos in range(0, len(good), max(1, len(good) // 400)):
        damaged = bytearray(good)
        damaged[pos] ^= 1 << (pos % 8)
        entry.write_bytes(bytes(damaged))
        assert store.load(key) is None, pos
    entry.write_bytes(good)
    assert store.load(key) is not None


# -------------------------------------------------------------------- no space


@pytest.mark.slow
def test_a_write_that_fails_for_lack_of_space_costs_the_cache_only(
    season: Path, cold: str, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"

    def limit() -> None:  # any file past 4 kB: EFBIG (Python ignores SIGXFSZ)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    full = _run(season, cache, preexec_fn=limit)
    assert full.returncode == 0, full.stderr
    got, want = json.loads(full.stdout), json.loads(cold)
    # the same result, and one warning more: the cache it could not write
    (said,) = [p for p in got["problems"] if p not in want["problems"]]
    assert said == {
        "path": str(cache),
        "severity": "warning",
        "code": "cache.failed",
        "line": None,
        "offset": None,
        "message": f"cannot write the cache in {cache}: [Errno 27] File too large",
    }
    got["problems"].remove(said)
    assert got == want and "Traceback" not in full.stderr
    assert list(cache.rglob("*.tmp")) == []  # the failed write's temp file is gone
    _served(cache)
    out, _err = _warm(season, cache)
    assert out == cold
