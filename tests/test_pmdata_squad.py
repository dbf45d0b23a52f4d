"""tools.pmdata_squad: the PMData people as a ``runload team`` squad folder."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from runload.config import settings_from_toml
from tools.pmdata_squad import FITBIT_FILES, make_squad


def test_make_squad_copies_each_person_and_writes_their_settings(
    shared_pmdata_dir: Path, tmp_path: Path
) -> None:
    squad = tmp_path / "squad"
    folders = make_squad(shared_pmdata_dir, squad)
    assert [f.name for f in folders] == [f"p{i:02d}" for i in range(1, 9)]
    for folder in folders:
        for name in FITBIT_FILES:
            copy = folder / name
            assert not copy.is_symlink()
            assert (
                copy.read_bytes()
                == (shared_pmdata_dir / folder.name / "fitbit" / name).read_bytes()
            )
        settings = settings_from_toml((folder / "runload.toml").read_text())
        assert settings.athlete.timezone == "Europe/Oslo"
    p01 = tomllib.loads((squad / "p01" / "runload.toml").read_text())["athlete"]
    p04 = tomllib.loads((squad / "p04" / "runload.toml").read_text())["athlete"]
    p07 = tomllib.loads((squad / "p07" / "runload.toml").read_text())["athlete"]
    assert (p01["hr_max"], p01["sex"]) == (182, "male")
    assert (p04["hr_max"], p04["sex"]) == (195, "female")
    assert "hr_max" not in p07  # blank in participants.csv: runload finds it in the runs
    assert sorted(p.name for p in tmp_path.iterdir()) == ["squad"]  # no work folder left


def test_make_squad_refuses_a_folder_that_exists(shared_pmdata_dir: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "keep.txt").write_text("the user's")
    with pytest.raises(FileExistsError):
        make_squad(shared_pmdata_dir, mine)
    assert [p.name for p in mine.iterdir()] == ["keep.txt"]
