"""Lay out the PMData people (``../shared/fixtures/pmdata``) as a ``runload team`` squad:
one folder per person with a copy of their Fitbit JSON (``exercise.json``,
``sedentary_minutes.json``, ``resting_heart_rate.json``) and a ``runload.toml`` from
``participants.csv`` (``[athlete] hr_max`` where the dataset measured it, ``sex``,
``timezone = "Europe/Oslo"``). Dev-only, like ``fitgen``.

The files are copied, never linked, into a new folder that is moved into place when it is
complete; a ``dst`` that exists is refused (nothing is written over it)::

    python -m tools.pmdata_squad ../shared/fixtures/pmdata /tmp/squad
    runload team /tmp/squad --season /tmp/season --from 2019-11-01 --to 2020-03-31
"""

from __future__ import annotations

import csv
import os
import shutil
import sys
import tempfile
from pathlib import Path

FITBIT_FILES = ("exercise.json", "sedentary_minutes.json", "resting_heart_rate.json")
TIMEZONE = "Europe/Oslo"  # PMData: 16 people in Norway


def _toml(row: dict[str, str]) -> str:
    """The person's ``runload.toml``: hr_max only when the dataset has one (else runload
    takes the highest HR of the runs), sex as written, the dataset's time zone."""
    lines = ["[athlete]"]
    hr_max = row.get("max_hr", "").strip()
    if hr_max:
        lines.append(f"hr_max = {float(hr_max):g}")
    sex = row.get("sex", "").strip().lower()
    lines.append(f'sex = "{sex if sex in ("male", "female") else "unspecified"}"')
    lines.append(f'timezone = "{TIMEZONE}"')
    return "\n".join(lines) + "\n"


def make_squad(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> list[Path]:
    """Write the squad folder ``dst`` from the PMData folder ``src``: one athlete folder per
    row of ``participants.csv`` whose ``pNN/fitbit/`` exists. Returns the athlete folders.
    ``FileExistsError`` when ``dst`` exists; ``FileNotFoundError`` when ``src`` has no
    ``participants.csv``."""
    src, dst = Path(src), Path(dst)
    if dst.exists() or dst.is_symlink():
        raise FileExistsError(f"{dst} exists: give a new folder")
    with (src / "participants.csv").open(encoding="utf-8", newline="") as fh:
        people = list(csv.DictReader(fh))
    dst.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{dst.name}-", dir=dst.parent))
    work.chmod(0o755)  # mkdtemp's 0700 would outlive the rename
    try:
        for row in people:
            name = row["participant"].strip()
            fitbit = src / name / "fitbit"
            if not fitbit.is_dir():
                continue
            folder = work / name
            folder.mkdir()
            for file in FITBIT_FILES:
                if (fitbit / file).is_file():
                    shutil.copyfile(fitbit / file, folder / file)  # a copy, not a link
            (folder / "runload.toml").write_text(_toml(row), encoding="utf-8")
        os.rename(work, dst)  # fails (and the work is removed) if dst appeared meanwhile
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return sorted(p for p in dst.iterdir() if p.is_dir())


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python -m tools.pmdata_squad PMDATA_FOLDER NEW_SQUAD_FOLDER")
    try:
        made = make_squad(sys.argv[1], sys.argv[2])
    except OSError as exc:
        sys.exit(f"pmdata_squad: {exc}")
    for athlete in made:
        print(athlete)
