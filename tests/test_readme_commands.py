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

from tools.pty_run import run_on_a_terminal

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


FLAGGED_LINE = re.compile(r"^\d{4}-\d{2}-\d{2}\s.*\b(elevated|high)$", re.M)


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def _main_command_outputs() -> dict[str, float]:
    """What the main command writes in the folder it runs in (the page, pip's build folders)
    as they are now in this repository: path -> mtime."""
    found = [ROOT / "report.html", ROOT / "build", *ROOT.glob("*.egg-info")]
    return {p.name: p.stat().st_mtime for p in found if p.exists()}


@pytest.mark.slow
def test_main_command_runs_as_written_in_a_fresh_venv(tmp_path: Path) -> None:
    main_cmd, _ = setup_commands()
    outputs_before = _main_command_outputs()
    repo = tmp_path / "runload"
    _copy_repo(repo)
    copied = _files(repo)
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
        "COLUMNS": "80",
        "TERM": "xterm",
    }
    code, out = run_on_a_terminal(main_cmd, repo, env)
    assert code == 0, out[-3000:]
    page = repo / "report.html"
    assert page.is_file()
    text = page.read_text(encoding="utf-8")
    assert "Running load and sitting" in text and "Plotly" in text
    assert "Traceback" not in out
    # what the person sees: the header, at least one flagged day, the disclaimer
    report = out[out.index("Period") :]
    for label in ("Period", "Running", "Risk days", "Athlete", "Elevated and high days"):
        assert re.search(rf"^{label}\b", report, re.M), label
    assert "67 runs" in report
    assert FLAGGED_LINE.search(report), report[:2000]
    assert "not medical advice" in report
    assert "HTML report written to report.html" in report
    # it really ran the fresh install, not this interpreter's runload
    assert (env_dir / "bin" / "runload").is_file()
    assert sys.prefix != str(env_dir)
    # it leaves nothing in a checkout but the page and what git ignores (pip's build/)
    new = _files(repo) - copied
    assert "report.html" in new
    ignored = subprocess.run(
        ["git", "check-ignore", "--no-index", "--stdin"],
        cwd=ROOT, input="\n".join(sorted(new)), capture_output=True, text=True,
    ).stdout.split()  # fmt: skip
    assert sorted(ignored) == sorted(new)
    # and the test itself wrote nothing into this repository
    assert _main_command_outputs() == outputs_before


def test_ci_runs_exactly_the_readme_test_command() -> None:
    """.ci/run must run the README's test command as written, not a variant of it."""
    test_command = setup_commands()[1]
    ci_lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert test_command in ci_lines
