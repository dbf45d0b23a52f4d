"""The contract with fitparse: runload reads the shared real FIT files the same way
under the fitparse release from the package index and under the newest fitparse source
(../shared/vendor, which still calls itself 1.2.0 but has other internals), and the
same as through fitparse's public API alone. Each fitparse is installed in its own
throw-away virtual environment; runload and its other packages come from this one.
Slow (two installs, three cold ingests of ~100 files): CI runs it.

With the newest source the fast decoder either passes the canary and is used, or the
run falls back and says so on stderr; a file is never reported damaged that plain
fitparse reads to its end.
"""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT.parent / "shared" / "vendor" / "python-fitparse-master.tar.gz"
NOTE = "note: fitparse 1.2.0 is not the release runload's fast reader was built for"

pytestmark = pytest.mark.slow


def _venv_with_fitparse(folder: Path, requirement: str) -> Path:
    """A fresh virtual environment holding only ``requirement`` (fitparse), that sees this
    environment's packages (runload, polars...) after its own."""
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
    python = folder / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", requirement],
        check=True,
        capture_output=True,
    )
    own = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # Every site folder of this environment, a base Python's too where this environment
    # sees it (a venv made with --system-site-packages). addsitedir also runs the .pth
    # files there: an editable install of runload.
    here = [sysconfig.get_paths()["purelib"], *site.getsitepackages()]
    adds = "".join(f"site.addsitedir({folder!r}); " for folder in dict.fromkeys(here))
    Path(own, "zz_parent_env.pth").write_text(f"import site; {adds}\n")
    return python


def _ingest(python: Path, fixtures: Path, tmp: Path, **env: str) -> tuple[dict[str, Any], str]:
    args = ["ingest", str(fixtures), "--format", "json", "--jobs", "2"]
    run = subprocess.run(
        [str(python), "-m", "runload", *args, "--cache-dir", str(tmp / "cache")],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        cwd=ROOT,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Traceback" not in run.stderr and "Warning" not in run.stderr, run.stderr[-2000:]
    return json.loads(run.stdout), run.stderr


@pytest.fixture(scope="module")
def runs(shared_fit_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    if not VENDOR.is_file():
        pytest.skip(f"{VENDOR} is absent (the shared vendor folder lives beside the repo)")
    tmp = tmp_path_factory.mktemp("contract")
    release = _venv_with_fitparse(tmp / "release", "fitparse==1.2.0")
    master = _venv_with_fitparse(tmp / "master", str(VENDOR))
    probe = "import fitparse.records as r; print(hasattr(r, 'DEV_TYPES'))"
    for python, has in ((release, "True"), (master, "False")):  # the two really differ
        out = subprocess.run([str(python), "-c", probe], capture_output=True, text=True)
        assert out.stdout.strip() == has, out.stderr
    return {
        "release": _ingest(release, shared_fit_dir, tmp / "r"),
        "master": _ingest(master, shared_fit_dir, tmp / "m"),
        "public": _ingest(release, shared_fit_dir, tmp / "p", RUNLOAD_FIT_DECODER="public"),
        "master_cache": tmp / "m" / "cache",
    }


@pytest.mark.parametrize("other", ["master", "public"])
def test_same_activities_and_problems(runs: dict[str, Any], other: str) -> None:
    release, _ = runs["release"]
    theirs, _ = runs[other]
    assert len(release["activities"]) > 100
    for key in ("activities", "problems", "duplicates"):
        assert theirs[key] == release[key], key


def test_the_release_reads_fast_and_says_nothing(runs: dict[str, Any]) -> None:
    _, stderr = runs["release"]
    assert NOTE not in stderr


def test_the_newest_source_reads_fast_or_says_it_does_not(runs: dict[str, Any]) -> None:
    _, stderr = runs["master"]
    entries = [p.name for p in (runs["master_cache"] / "fit").rglob("*.parquet")]
    fast = [e for e in entries if "-fast." in e]
    if NOTE in stderr:  # fell back: said once, and nothing was read the fast way
        assert stderr.count(NOTE) == 1 and not fast
    else:  # passed the canary: most files read the fast way (damaged ones: public)
        assert len(fast) > len(entries) / 2


def test_no_false_damage(runs: dict[str, Any]) -> None:
    """Every file runload calls damaged, plain fitparse cannot read to its end either."""
    import fitparse

    release, _ = runs["release"]
    damaged = {p["path"] for p in release["problems"] if "damaged at byte" in p["message"]}
    assert damaged
    for path in sorted(damaged):
        with pytest.raises(Exception):  # noqa: B017 - any of fitparse's errors
            list(fitparse.FitFile(path, check_crc=False).get_messages())
