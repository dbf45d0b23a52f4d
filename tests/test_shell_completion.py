"""What the README's "Shell completion and version" section promises, run as a person runs it:
``runload --version`` prints the version, and ``_RUNLOAD_COMPLETE=<shell>_source runload``
prints a script that completes runload's commands and the choices of their options in that
shell (click's completion). ``runload`` is this interpreter's runload, put on ``PATH`` as
the installed entry point is."""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.shell_completion import get_completion_class

from runload import __version__
from runload.cli import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def shell_env(tmp_path: Path) -> dict[str, str]:
    """An environment whose ``runload`` on PATH runs this checkout's runload."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    entry = bin_dir / "runload"
    entry.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m runload "$@"\n')
    entry.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("_RUNLOAD")}
    return env | {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": str(ROOT),
        "HOME": str(tmp_path),
    }


def _script(shell: str, env: dict[str, str]) -> str:
    out = subprocess.run(
        ["runload"], env=env | {"_RUNLOAD_COMPLETE": f"{shell}_source"},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_version_prints_the_version(shell_env: dict[str, str]) -> None:
    out = subprocess.run(["runload", "--version"], env=shell_env, capture_output=True, text=True)
    assert (out.returncode, out.stdout) == (0, f"runload, version {__version__}\n")


def test_python_m_runload_is_runload_by_name(shell_env: dict[str, str]) -> None:
    """``python -m runload`` calls itself runload, in usage lines as for completion."""
    out = subprocess.run(
        [sys.executable, "-m", "runload", "sitting", "add"], env=shell_env,
        capture_output=True, text=True,
    )  # fmt: skip
    assert out.returncode == 2
    assert "(see 'runload sitting add --help')" in out.stderr


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completion_script_completes_commands_and_choices(
    shell_env: dict[str, str], tmp_path: Path
) -> None:
    script = _script("bash", shell_env)
    assert "complete -o nosort -F _runload_completion runload" in script
    (tmp_path / "runload-complete.bash").write_text(script)

    def complete(*words: str) -> list[str]:
        probe = (
            ". ./runload-complete.bash; COMP_WORDS=(" + " ".join(f"'{w}'" for w in words) + ");"
            f" COMP_CWORD={len(words) - 1}; _runload_completion runload;"
            ' printf "%s\\n" "${COMPREPLY[@]}"'
        )
        out = subprocess.run(
            ["bash", "-c", probe], env=shell_env, cwd=tmp_path, capture_output=True, text=True,
            timeout=60,
        )  # fmt: skip
        assert out.returncode == 0, out.stderr
        return out.stdout.split()

    assert complete("runload", "si") == ["sitting"]
    assert complete("runload", "sitting", "") == ["add", "show"]
    assert complete("runload", "report", "--format", "") == ["table", "csv", "json", "markdown"]


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")
def test_zsh_completion_script_registers_runload(shell_env: dict[str, str], tmp_path: Path) -> None:
    """Sourced after compinit (as ~/.zshrc does), the script completes runload."""
    (tmp_path / "runload-complete.zsh").write_text(_script("zsh", shell_env))
    probe = (
        "autoload -Uz compinit && compinit -u -d ./zcompdump; . ./runload-complete.zsh;"
        ' print -r -- "${_comps[runload]}"'
    )
    out = subprocess.run(
        ["zsh", "-f", "-c", probe], env=shell_env, cwd=tmp_path, capture_output=True,
        text=True, timeout=60,
    )  # fmt: skip
    assert out.stdout.strip() == "_runload_completion", out.stderr
    # what the script asks runload for at each Tab, in the installed click's wire format
    assert _answer("zsh", shell_env, [], "si") == ["sitting"]


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")
def test_fish_completion_script_completes_commands_and_choices(
    shell_env: dict[str, str], tmp_path: Path
) -> None:
    """Sourced in fish, the script completes runload's commands and choices at a Tab.

    fish replays the Tab (``complete -C``). click 8.4.0 and 8.4.1 wrote fish's answers
    in a form their own script could not read, so fish completed nothing (pallets/click
    #3502; a CI machine with click 8.4.0 preinstalled did exactly that): runload's
    requirement leaves those two out, and runload's answer is also held to what the
    installed click writes for runload's own completion items, to tell the halves apart."""
    (tmp_path / "runload.fish").write_text(_script("fish", shell_env))
    answers = [
        _answer("fish", shell_env, [], "si"),
        _answer("fish", shell_env, ["report", "--format"], ""),
    ]
    assert answers[0] == ["sitting"]
    assert sorted(answers[1]) == ["csv", "json", "markdown", "table"]
    probe = (
        'source ./runload.fish; complete -C "runload si"; complete -C "runload report --format "'
    )
    out = subprocess.run(
        ["fish", "--no-config", "-c", probe], env=shell_env, cwd=tmp_path,
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    words = [line.split("\t")[0] for line in out.stdout.splitlines()]
    assert words == ["sitting", *sorted(answers[1])], (out.stdout, out.stderr, _click_version())


def _answer(shell: str, env: dict[str, str], args: list[str], current: str) -> list[str]:
    """The words runload answers ``shell``'s Tab with (``<shell>_complete``), after checking
    the answer is the installed click's own formatting of runload's completion items."""
    words = " ".join(["runload", *args, current])
    # fish's script passes the word being completed, zsh's its index
    cword = current if shell == "fish" else str(len(args) + 1)
    asked = {"_RUNLOAD_COMPLETE": f"{shell}_complete", "COMP_WORDS": words, "COMP_CWORD": cword}
    res = subprocess.run(["runload"], env=env | asked, capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    completion = get_completion_class(shell)
    assert completion is not None, shell
    comp = completion(main, {}, "runload", "_RUNLOAD_COMPLETE")
    items = comp.get_completions(args, current)
    wire = "\n".join(comp.format_completion(item) for item in items) + "\n"
    assert res.stdout == wire, (res.stdout, res.stderr, _click_version())
    return [item.value for item in items]


def _click_version() -> str:
    return f"click {importlib.metadata.version('click')}"
