from __future__ import annotations

import tomllib
from dataclasses import fields
from pathlib import Path

import pytest
from click.testing import CliRunner

from runload.cli import main
from runload.config import (
    TABLES,
    Settings,
    config_text,
    find_config,
    init_config,
    load_settings,
    read_settings,
    settings_from_toml,
    user_config_path,
)
from runload.errors import ConfigError


def test_init_writes_every_key_with_default_and_comment(tmp_path: Path) -> None:
    path = init_config(tmp_path / "runload.toml")
    text = path.read_text()
    data = tomllib.loads(text)
    for table, cls in TABLES.items():
        assert table in data
        assert {f.name for f in fields(cls)} == set(data[table])
    for line in text.splitlines():
        if "=" in line and not line.startswith("#"):
            assert "  # " in line, line
    assert read_settings(path) == Settings()
    assert read_settings(path).source == path


def test_init_refuses_to_overwrite_unless_force(tmp_path: Path) -> None:
    path = tmp_path / "runload.toml"
    path.write_text("[load]\nacwr_method = 'ewma'\n")
    with pytest.raises(ConfigError, match="already exists"):
        init_config(path)
    assert "ewma" in path.read_text()
    init_config(path, force=True)
    assert read_settings(path).load.acwr_method == "rolling"
    assert [p.name for p in tmp_path.iterdir()] == ["runload.toml"]  # no temp file left


def test_unset_values_mean_from_the_files() -> None:
    s = settings_from_toml('[athlete]\nhr_max = 0\nsex = "auto"\ntimezone = "auto"\n')
    assert s.athlete.hr_max is None and s.athlete.sex is None and s.athlete.timezone is None
    s = settings_from_toml('[athlete]\nhr_max = 188\nhr_rest = 48\nsex = "female"\n')
    assert (s.athlete.hr_max, s.athlete.hr_rest, s.athlete.sex) == (188.0, 48.0, "female")


def test_ints_accepted_for_floats_and_types_kept() -> None:
    s = settings_from_toml("[risk]\nsitting_hours = 9\n[load]\nspike_days = 21.0\n")
    assert s.risk.sitting_hours == 9.0 and isinstance(s.risk.sitting_hours, float)
    assert s.load.spike_days == 21 and isinstance(s.load.spike_days, int)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "[load]\nacwr_metod = 'ewma'\n",
            'unknown key "load.acwr_metod" (did you mean "load.acwr_method"?)',
        ),
        ("[lod]\n", 'unknown table "[lod]" (did you mean "load"?)'),
        ("[risk]\nsitting_hours = 'eight'\n", "risk.sitting_hours must be a number, not text"),
        ("[risk]\nmonotony = true\n", "risk.monotony must be a number, not true/false"),
        ("[load]\nspike_days = 2.5\n", "load.spike_days must be a whole number"),
        ("[load]\nacwr_method = 'weekly'\n", 'load.acwr_method = "weekly" is not one of'),
        ("[advice]\nacute_care = 'ice'\n", 'advice.acute_care = "ice" is not one of'),
        ("[sitting]\nwaking_start = '7am'\n", "sitting.waking_start"),
        ("[athlete]\ntimezone = 'Mars/Olympus'\n", "athlete.timezone"),
        (
            "[athlete]\nhr_max = 150\nhr_rest = 70\n[load]\nassumed_hrr = 1.5\n",
            "load.assumed_hrr = 1.5 is out of range",
        ),
        ("[athlete]\nhr_max = 110\nhr_rest = 115\n", "athlete.hr_max (110) must be above"),
        ("[risk]\nacwr = 1.6\n", "risk.acwr_high must be at least risk.acwr"),
        ("load = 3\n", "load must be a table ([load]), not a number"),
    ],
)
def test_bad_values_name_the_key(text: str, expected: str, tmp_path: Path) -> None:
    path = tmp_path / "runload.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        read_settings(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ")
    assert expected in message
    assert "\n" not in message


def test_several_problems_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "runload.toml"
    path.write_text("[load]\nfoo = 1\nbar = 2\n")
    with pytest.raises(ConfigError, match=r'"load.foo".*; .*"load.bar"'):
        read_settings(path)


def test_broken_toml_gives_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "runload.toml"
    path.write_text("[load]\nacwr_method = 'rolling'\nassumed_hrr = = 0.5\n")
    with pytest.raises(ConfigError) as info:
        read_settings(path)
    assert str(info.value).startswith(f"{path}:3: broken TOML at line 3, column")


def test_binary_file_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "runload.toml"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ConfigError, match="not a UTF-8 text file"):
        read_settings(path)


def test_discovery_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    assert find_config(cwd=cwd) is None
    assert load_settings(cwd=cwd) == Settings()
    user = init_config(user_config_path())
    assert find_config(cwd=cwd) == user
    local = cwd / "runload.toml"
    local.write_text("[load]\nacwr_method = 'ewma'\n")
    assert find_config(cwd=cwd) == local
    env = tmp_path / "env.toml"
    env.write_text("[load]\nacwr_method = 'uncoupled'\n")
    monkeypatch.setenv("RUNLOAD_CONFIG", str(env))
    assert load_settings(cwd=cwd).load.acwr_method == "uncoupled"
    explicit = tmp_path / "explicit.toml"
    explicit.write_text("")
    assert find_config(explicit, cwd=cwd) == explicit
    with pytest.raises(ConfigError, match=r"missing\.toml: config file not found"):
        find_config(tmp_path / "missing.toml", cwd=cwd)


def test_relative_paths_resolve_against_the_config_folder(tmp_path: Path) -> None:
    path = tmp_path / "conf" / "runload.toml"
    path.parent.mkdir()
    path.write_text("[sitting]\nlog = 'desk.csv'\n")
    s = read_settings(path)
    assert s.resolve_path(s.sitting.log) == tmp_path / "conf" / "desk.csv"
    assert Settings().resolve_path("a.csv") == Path("a.csv")


def test_config_text_round_trips_changed_settings() -> None:
    s = settings_from_toml("[athlete]\nsex = 'male'\n[advice]\nacute_care = 'peace_love'\n")
    assert settings_from_toml(config_text(s)) == s


def test_cli_init(tmp_path: Path) -> None:
    runner = CliRunner()
    target = tmp_path / "r.toml"
    result = runner.invoke(main, ["init", str(target)])
    assert result.exit_code == 0, result.output
    assert target.is_file()
    result = runner.invoke(main, ["init", str(target)])
    assert result.exit_code == 1
    assert "already exists" in result.output and "Traceback" not in result.output
    assert runner.invoke(main, ["init", str(target), "--force"]).exit_code == 0
    result = runner.invoke(main, ["init", "--user"])
    assert result.exit_code == 0 and user_config_path().is_file()
    assert runner.invoke(main, ["init", str(target), "--user"]).exit_code == 2
