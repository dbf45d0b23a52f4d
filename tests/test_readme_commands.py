"""The README's main set-up command, run exactly as written, in a fresh virtual environment
and a fresh copy of the repository: it must install runload and write report.html.

Slow (it installs runload and its dependencies from the package index), so marked ``slow``;
CI runs it. The second command (the test command) is only checked for shape, never run
here: running the tests from inside the tests would recurse."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SH_BLOCK = re.compile(r"```sh\n(.*?)```", re.S)


def setup_commands() -> list[str]:
    """The first two ```sh blocks of the README's "Set-up" section."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"^## Set-up.*?(?=^## |\Z)", text, re.S | re.M)
    assert match, 'README.md has no "## Set-up" section'
    blocks = [b.strip() for b in SH_BLOCK.findall(match.group(0))]
    assert len(blocks) >= 2, "the Set-up section needs two ```sh blocks"
    return blocks[:2]


def test_readme_names_the_main_and_the_test_command() -> None:
    main_cmd, test_cmd = setup_commands()
    assert "runload report" in main_cmd and "--html report.html" in main_cmd
    assert "pytest" in test_cmd


def _copy_repo(dest: Path) -> None:
    """The files git knows about, as they are in the working tree (no caches, no venvs)."""
    files = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    for name in filter(None, files):
        src = ROOT / os.fsdecode(name)
        if src.is_file():
            target = dest / os.fsdecode(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)


@pytest.mark.slow
def test_main_command_runs_as_written_in_a_fresh_venv(tmp_path: Path) -> None:
    main_cmd, _ = setup_commands()
    repo = tmp_path / "runload"
    _copy_repo(repo)
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("VIRTUAL_ENV", "PYTHON", "RUNLOAD_", "PIP_"))
    }
    env |= {
        "VIRTUAL_ENV": str(env_dir),
        "PATH": f"{env_dir / 'bin'}{os.pathsep}{env.get('PATH', '')}",
        "RUNLOAD_CACHE_DIR": str(tmp_path / "cache"),
        "HOME": str(tmp_path / "home"),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    done = subprocess.run(
        ["bash", "-c", main_cmd],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=1500,
    )
    assert done.returncode == 0, (done.stdout[-3000:], done.stderr[-3000:])
    page = repo / "report.html"
    assert page.is_file()
    text = page.read_text(encoding="utf-8")
    assert "Running load and sitting" in text and "Plotly" in text
    assert "Traceback" not in done.stderr
    # it really ran the fresh install, not this interpreter's runload
    assert (env_dir / "bin" / "runload").is_file()
    assert sys.prefix != str(env_dir)
