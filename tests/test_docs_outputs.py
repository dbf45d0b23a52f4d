"""Every output the README and docs/*.md show is the output of the command written above it.

An output block is a ```text fence right after a marker line naming the command::

    <!-- output of: runload check examples/season --date 2026-05-08 -->

Each marked command is run exactly as written, as a person runs it: with ``bash -c`` on a
pseudo-terminal 80 columns wide (``COLUMNS=80``; ``tools.pty_run`` reads the screen as the
person sees it once the command is done: the progress bar erased, long lines wrapped), from
the repository root (a stand-in: a temp folder linking the repository's files, so a command
that writes ``report.html`` writes it there, never into the checkout), ``runload`` being
``sys.executable -m runload``, the parse cache in a temp folder (``RUNLOAD_CACHE_DIR``) that
the example season is read into once, and no user config. The block's lines must be the
screen's lines, in order; a line ``…`` in the block stands for any number of lines (to keep
long outputs short). Trailing spaces are ignored.

A command that needs a download the repository does not hold (a Garmin export, a Takeout zip,
a squad folder) names it as the runner would type it and says which builder of this module
makes it, e.g. ``<!-- output of: runload sources garmin_export.zip strava_export.zip (built by
tests/test_docs_outputs.py::EXPORTS: ...) -->``; the builder writes the download into the
command's folder from the ``tools`` generators (``TAKEOUT`` from the real PMData fixture, so
that block is skipped with a reason when ../shared is absent).

When a block fails, the message shows the whole output: paste it, and cut it with ``…`` again.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tools.exportgen import garmin_account_export, strava_export, usersummary
from tools.fitbitgen import stamp, takeout_zip
from tools.pty_run import read_on_a_terminal
from tools.trackgen import gpx_text, tcx_text

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
MARKER = re.compile(
    r"^<!-- output of: (?P<text>[^\n]+?) -->\n```text\n(?P<block>.*?)^```$", re.M | re.S
)
BUILT_BY = re.compile(r" \(built by tests/test_docs_outputs\.py::(?P<builder>\w+)\b.*\)$", re.S)
TEXT_FENCE = re.compile(r"^```text$", re.M)
ELLIPSIS = "…"
SEASON = ROOT / "examples" / "season"
PMDATA = ROOT.parent / "shared" / "fixtures" / "pmdata"


# --- the downloads the docs' commands read, built from the tools generators ----------------


def EXPORTS(folder: Path) -> None:
    """garmin_export.zip: the example season's first four weeks as Garmin's account export
    (the FIT files of the season as uploads, and daily summaries whose sedentary time is the
    sitting log's, three quarters of an hour higher, as a watch counts); strava_export.zip: a
    bulk export holding one of the same runs (the same FIT bytes, gzipped) and two runs the
    watch did not record, a GPX and a TCX."""
    fits = sorted(p for p in SEASON.glob("*.fit") if p.name < "2026-03-30")
    uploads = {f"runner@example.com_{20000 + i}.fit": p.read_bytes() for i, p in enumerate(fits)}
    logged = _sitting_log()
    days = [dt.date(2026, 3, 2) + dt.timedelta(days=i) for i in range(28)]
    summaries = [usersummary(d, logged.get(d, 6.0) + 0.75) for d in days]
    (folder / "garmin_export.zip").write_bytes(garmin_account_export(uploads, summaries))
    berlin = dt.timezone(dt.timedelta(hours=1))
    gpx_start = dt.datetime(2026, 3, 18, 7, 5, tzinfo=berlin)
    tcx_start = dt.datetime(2026, 3, 21, 16, 30, tzinfo=berlin)
    copy = SEASON / "2026-03-08-0902-long.fit"
    (folder / "strava_export.zip").write_bytes(
        strava_export(
            [
                (101, dt.datetime(2026, 3, 8, 9, 2), "Long run", "Run", "101.fit.gz",
                 gzip.compress(copy.read_bytes(), mtime=0)),
                (102, gpx_start, "Morning Run", "Run", "102.gpx",
                 gpx_text(gpx_start, 35, 6.0, hr=None)),
                (103, tcx_start, "Afternoon Run", "Run", "103.tcx",
                 tcx_text(tcx_start, 45, 8.0, hr=148)),
            ]
        )
    )  # fmt: skip


def TAKEOUT(folder: Path) -> None:
    """takeout-001.zip: PMData's p01 (a real person's five months of Fitbit data) in Google
    Takeout's layout and date form: the exercise log in files of 100 entries
    (exercise-0.json, exercise-100.json), the sedentary minutes and resting heart rates in
    one file a month; and the runload.toml a Fitbit user writes, timezone = "Europe/Oslo"."""
    person = PMDATA / "p01" / "fitbit"
    if not person.is_dir():
        pytest.skip(f"{person} is absent (the shared real-file fixtures live beside the repo)")

    def load(name: str) -> list[dict]:
        return json.loads((person / name).read_text(encoding="utf-8"))

    def takeout_form(text: str) -> str:
        return stamp(dt.datetime.fromisoformat(text), "takeout")

    files: dict[str, list[dict]] = {}
    for i, entry in enumerate(load("exercise.json")):
        entry = entry | {"startTime": takeout_form(entry["startTime"])}
        files.setdefault(f"exercise-{i // 100 * 100}.json", []).append(entry)
    for series in ("sedentary_minutes", "resting_heart_rate"):
        for item in load(f"{series}.json"):
            month = item["dateTime"][:7]
            item = item | {"dateTime": takeout_form(item["dateTime"])}
            files.setdefault(f"{series}-{month}-01.json", []).append(item)
    (folder / "takeout-001.zip").write_bytes(takeout_zip(files))
    (folder / "runload.toml").write_text('[athlete]\ntimezone = "Europe/Oslo"\n')


def SQUAD(folder: Path) -> None:
    """squad/: ana is the example season with its sitting log; ben the same runs with
    hr_max = 175 and sex = "female" in his runload.toml and no sitting log; cal's runload.toml
    is broken; dan has no activity files."""
    squad = folder / "squad"
    for name in ("ana", "ben"):
        shutil.copytree(SEASON, squad / name)
    shutil.copyfile(ROOT / "examples" / "sitting.csv", squad / "ana" / "sitting.csv")
    (squad / "ben" / "runload.toml").write_text('[athlete]\nhr_max = 175\nsex = "female"\n')
    (squad / "cal").mkdir()
    shutil.copyfile(SEASON / "2026-03-03-1820-treadmill.fit", squad / "cal" / "run.fit")
    (squad / "cal" / "runload.toml").write_text('[athlete]\nhr_max = "x"\n')
    (squad / "dan").mkdir()
    (squad / "dan" / "notes.txt").write_text("watch lost in March\n")


BUILDERS: dict[str, Callable[[Path], None]] = {
    "EXPORTS": EXPORTS,
    "TAKEOUT": TAKEOUT,
    "SQUAD": SQUAD,
}


def _sitting_log() -> dict[dt.date, float]:
    import csv

    with (ROOT / "examples" / "sitting.csv").open(encoding="utf-8", newline="") as fh:
        return {
            dt.date.fromisoformat(row["date"]): float(row["sitting_hours"])
            for row in csv.DictReader(fh)
            if row["sitting_hours"]
        }


# --- the blocks -------------------------------------------------------------------------------


def _blocks() -> list[tuple[str, str, str | None, list[str]]]:
    """(where: doc:line, command, builder or None, the block's lines) of every marked block."""
    found = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for m in MARKER.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            command, builder = m.group("text"), None
            if built := BUILT_BY.search(command):
                command, builder = command[: built.start()], built.group("builder")
            lines = [x.rstrip() for x in m.group("block").splitlines()]
            found.append((f"{doc.relative_to(ROOT)}:{line}", command, builder, lines))
    return found


BLOCKS = _blocks()


def test_every_text_block_of_the_docs_says_which_command_printed_it() -> None:
    """A ```text fence is an output: it needs its marker (and a known builder)."""
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        marked = {m.start("block") for m in MARKER.finditer(text)}
        for fence in TEXT_FENCE.finditer(text):
            line = text.count("\n", 0, fence.start()) + 1
            assert fence.end() + 1 in marked, (
                f"{doc.relative_to(ROOT)}:{line}: a ```text block without an "
                "<!-- output of: COMMAND --> line right above it"
            )
    assert {b for _, _, b, _ in BLOCKS if b} <= set(BUILDERS)
    assert len(BLOCKS) >= 8


TOML_BLOCK = re.compile(r"^```toml\n(.*?)^```$", re.M | re.S)


def test_every_toml_block_of_the_docs_is_a_config_runload_reads() -> None:
    """A runload.toml the docs show is read as written: no unknown key, no wrong type."""
    from runload.config import settings_from_toml

    shown = [(doc, m.group(1)) for doc in DOCS for m in TOML_BLOCK.finditer(doc.read_text())]
    assert shown
    for doc, text in shown:
        settings_from_toml(text, source=doc)  # raises ConfigError on a mistake


def match(block: list[str], output: list[str]) -> str | None:
    """None when ``block`` is ``output`` with runs of lines cut to ``…``; else what differs."""
    segments: list[list[str]] = [[]]
    for line in block:
        if line == ELLIPSIS:
            segments.append([])
        else:
            segments[-1].append(line)
    head, *middle, tail = segments if len(segments) > 1 else [segments[0], None]

    def at(seg: list[str], i: int) -> bool:
        return output[i : i + len(seg)] == seg

    if not at(head, 0):
        return _first_difference(head, output, 0)
    pos = len(head)
    end = len(output)
    if tail is None:
        return None if pos == end else f"the output goes on after the block: {output[pos]!r}"
    if len(tail) > end - pos or not at(tail, end - len(tail)):
        return _first_difference(tail, output, max(pos, end - len(tail)))
    end -= len(tail)
    for seg in middle:
        found = next((i for i in range(pos, end - len(seg) + 1) if at(seg, i)), None)
        if found is None:
            return f"not in the output, in this order: {seg[0]!r}" + (
                f" (and {len(seg) - 1} line(s) after it)" if len(seg) > 1 else ""
            )
        pos = found + len(seg)
    return None


def _first_difference(seg: list[str], output: list[str], start: int) -> str:
    for k, want in enumerate(seg):
        got = output[start + k] if start + k < len(output) else "(the output ended)"
        if got != want:
            return f"output line {start + k + 1}: expected {want!r}, got {got!r}"
    return "the block is longer than the output"


def test_the_matcher_reads_ellipsis_as_any_lines() -> None:
    out = ["a", "b", "c", "d"]
    assert match(["a", "b", "c", "d"], out) is None
    assert match(["a", ELLIPSIS, "d"], out) is None
    assert match(["a", ELLIPSIS, "c", ELLIPSIS], out) is None
    assert match([ELLIPSIS, "b", ELLIPSIS, "d"], out) is None
    assert match(["a", "b", ELLIPSIS, "b", "c", "d"], out) is not None  # each line once
    assert match(["a", "c", ELLIPSIS], out) is not None  # no cut without a …
    assert match(["a", "b", "c"], out) is not None  # the end is part of the block
    assert match(["a", ELLIPSIS, "c", "b"], out) is not None  # in order


# --- running them -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The environment every command runs in, and a warm cache of the example season."""
    base = tmp_path_factory.mktemp("docs-outputs")
    bin_dir = base / "bin"
    bin_dir.mkdir()
    entry = bin_dir / "runload"
    entry.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m runload "$@"\n')
    entry.chmod(0o755)
    home = base / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RUNLOAD_", "_RUNLOAD"))}
    env |= {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": str(ROOT),
        "RUNLOAD_CACHE_DIR": str(base / "cache"),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "COLUMNS": "80",
        "TERM": "xterm",
    }
    env.pop("NO_COLOR", None)
    subprocess.run(
        ["runload", "ingest", str(SEASON), "--format", "csv"], env=env, check=True,
        capture_output=True, timeout=600,
    )  # fmt: skip
    return {"base": base, "env": env, "folders": {}}


def _repository_entries() -> list[str]:
    """The top-level names of the repository's files (git's, else the folder's own but
    hidden ones), never a venv or a cache beside them."""
    git = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True)
    if git.returncode == 0 and git.stdout:
        names = {os.fsdecode(n).split("/")[0] for n in git.stdout.split(b"\0") if n}
    else:
        names = {p.name for p in ROOT.iterdir() if not p.name.startswith(".")}
    return sorted(n for n in names if (ROOT / n).exists())


def _folder(place: dict[str, object], builder: str | None) -> Path:
    """The repository root's stand-in for ``builder``'s commands, built once."""
    folders: dict[str | None, Path] = place["folders"]  # type: ignore[assignment]
    if builder not in folders:
        folder = Path(str(place["base"])) / f"root-{builder or 'repo'}"
        folder.mkdir()
        for top in _repository_entries():
            (folder / top).symlink_to(ROOT / top)
        if builder:
            try:
                BUILDERS[builder](folder)
            except BaseException:  # a skip (no ../shared) or a failure: build it afresh next time
                shutil.rmtree(folder)
                raise
        folders[builder] = folder
    return folders[builder]


@pytest.mark.parametrize(
    ("where", "command", "builder", "block"), BLOCKS, ids=[b[0] for b in BLOCKS]
)
def test_the_docs_show_the_real_output_of_each_command(
    place: dict[str, object], where: str, command: str, builder: str | None, block: list[str]
) -> None:
    folder = _folder(place, builder)
    code, output = read_on_a_terminal(command, folder, place["env"], timeout=600)  # type: ignore[arg-type]
    shown = "\n".join(output)
    assert "Traceback" not in shown, shown
    why = match(block, output)
    assert why is None, f"{where}: `{command}` (exit {code}): {why}\nits output:\n{shown}"
