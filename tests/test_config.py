from __future__ import annotations

import dataclasses
import datetime as dt
import os
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from runload.cli import main
from runload.config import (
    TABLES,
    Settings,
    config_text,
    describe,
    file_value,
    find_config,
    init_config,
    load_settings,
    read_settings,
    setting_keys,
    settings_from_toml,
    settings_table,
    user_config_path,
)
from runload.errors import ConfigError
from tools.fitgen import run, write_activity


def test_init_writes_every_key_with_default_and_comment(tmp_path: Path) -> None:
    path = init_config(tmp_path / "runload.toml")
    text = path.read_text()
    data = tomllib.loads(text)
    for table, cls in TABLES.items():
        assert table in data
        assert {f.name for f in dataclasses.fields(cls)} == set(data[table])
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
        # an acute window as long as the chronic one makes the ratio meaningless (uncoupled:
        # a "chronic" of one day four weeks back)
        (
            "[load]\nacute_days = 28\n",
            "load.chronic_days (28) must be longer than load.acute_days (28)",
        ),
        (
            "[load]\nacute_days = 30\nchronic_days = 7\n",
            "load.chronic_days (7) must be longer than load.acute_days (30) (line 3)",
        ),
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


def test_runload_init_output_loads_back_through_the_commands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["init"]).exit_code == 0
    assert load_settings(cwd=tmp_path) == Settings()  # found in ./ and equal to the defaults
    # the [sitting] log default, relative to the config file, is what check reads
    (tmp_path / "sitting.csv").write_text("date,sitting_hours\n2026-05-07,10.5\n2026-05-08,9\n")
    start = dt.datetime(2026, 5, 6, 18, tzinfo=dt.UTC)
    write_activity(tmp_path / "fit" / "run.fit", run(start, 20, record_every_s=20))
    for extra in ([], ["--config", str(tmp_path / "runload.toml")]):
        args = ["check", "fit", "--date", "2026-05-08", "--planned", "95m", "--format", "json"]
        args += ["--no-cache", *extra]
        result = runner.invoke(main, args)
        assert result.exit_code in (0, 3, 4), result.output
        out = json.loads(result.stdout)
        assert "Error" not in result.output and "Traceback" not in result.output
        # a real answer, with the sitting log the config names: the planned evening run is
        # exposed to that day's 9 h (+1) and long (+1): elevated
        assert (out["risk"], out["sitting_hours"], out["score"]) == ("elevated", 9.0, 2)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "[load]\nacwr_metod = 1\n\n[risk]\nacwr = 1.6\nfoo.bar = 2\n",
            'unknown key "load.acwr_metod" (did you mean "load.acwr_method"?) (line 2); '
            'unknown key "risk.foo" (line 6); risk.acwr_high must be at least risk.acwr (line 5)',
        ),
        ("# comment\n[risk]\n  monotony = 'high'\n", "risk.monotony must be a number, not text"),
        ("[risk.extra]\nx = 1\n", 'unknown key "risk.extra" (line 1)'),
        ("[risk]\nsitting_hours = nan\n", "risk.sitting_hours must be a number, not nan (line 2)"),
        ("[load]\nlong_run_minutes = inf\n", "load.long_run_minutes must be a number, not inf"),
    ],
)
def test_problems_name_the_key_and_its_line(text: str, expected: str, tmp_path: Path) -> None:
    path = tmp_path / "runload.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        read_settings(path)
    assert str(info.value) == f"{path}: {expected}" or expected in str(info.value)
    assert "(line " in str(info.value)


def test_unterminated_string_at_the_end_names_the_last_line(tmp_path: Path) -> None:
    path = tmp_path / "runload.toml"
    path.write_text('[load]\nacwr_method = "ewma')
    with pytest.raises(ConfigError) as info:
        read_settings(path)
    assert str(info.value) == (
        f"{path}:2: broken TOML at the end of the file (line 2, column 20): Unterminated string"
    )


def test_a_config_saved_with_a_bom_reads(tmp_path: Path) -> None:
    path = tmp_path / "runload.toml"
    path.write_bytes(b"\xef\xbb\xbf[load]\r\nacwr_method = 'ewma'\r\n")  # Windows Notepad
    assert read_settings(path).load.acwr_method == "ewma"


def test_a_folder_named_as_the_config_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "runload.toml"
    folder.mkdir()
    monkeypatch.setenv("RUNLOAD_CONFIG", str(folder))
    with pytest.raises(ConfigError, match=r"runload\.toml: is a folder, not a config file"):
        find_config(cwd=tmp_path)
    monkeypatch.delenv("RUNLOAD_CONFIG")
    assert find_config(cwd=tmp_path) != folder  # ./runload.toml as a folder is skipped


def test_broken_config_is_one_line_and_exit_2_in_the_commands(tmp_path: Path) -> None:
    path = tmp_path / "runload.toml"
    path.write_text("[risk]\nsitting_hours = 'eight'\n")
    result = CliRunner().invoke(main, ["check", "--date", "2026-05-08", "--config", str(path)])
    assert result.exit_code == 2  # a usage mistake, as a bad option value is
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines == [
        f"Error: {path}: risk.sitting_hours must be a number, not text ('eight') (line 2)"
    ]


# --- docs/method.md says what the code does -------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]
METHOD_DOC = ROOT / "docs" / "method.md"
METHOD_KEYS = setting_keys()


def _default(table: str, key: str) -> object:
    """The default as ``runload init`` writes it (``0`` / ``"auto"`` for "from the files")."""
    return file_value(table, key)


def test_method_doc_lists_every_setting_with_its_default() -> None:
    import re

    rows = re.findall(r"^\| `(\w+)\.(\w+)` \| `([^`]+)` \|", METHOD_DOC.read_text(), re.M)
    documented = {(t, k): tomllib.loads(f"v = {v}")["v"] for t, k, v in rows}
    assert sorted(documented) == sorted(METHOD_KEYS)
    for (table, key), value in documented.items():
        assert value == _default(table, key), f"{table}.{key}: docs say {value!r}"


def test_every_number_written_next_to_a_key_in_the_method_doc_is_the_default() -> None:
    """`key` (90), `key` (30 %), `[load] key = 0.6`, `risk.key` (3): all must be the code's."""
    import re

    text = METHOD_DOC.read_text()
    by_name: dict[str, list[str]] = {}
    for table, key in METHOD_KEYS:
        by_name.setdefault(key, []).append(table)
    pattern = re.compile(
        r"`(?:\[(\w+)\] )?(?:(\w+)\.)?(\w+)(?: = ([^`]+))?`(?: \((\d[\d.:]*)( %)?)?"
    )
    checked = set()
    for m in pattern.finditer(text):
        table, dotted, key, assigned, shown, percent = m.groups()
        table = table or dotted
        if key not in by_name or (assigned is None and shown is None):
            continue
        tables = [table] if table else by_name[key]
        assert len(tables) == 1, f"{key} is ambiguous in the docs"
        default = _default(tables[0], key)
        if assigned is not None:
            got = tomllib.loads(f"v = {assigned}")["v"]
            if isinstance(got, str) and got != default:
                continue  # a choice shown as an example, e.g. acute_care = "peace_love"
        elif ":" in shown:
            got = shown
        else:
            got = float(shown) / (100 if percent else 1)
        assert got == pytest.approx(default) if isinstance(got, float) else got == default, (
            f"docs/method.md: {m.group(0)!r} but the default of {tables[0]}.{key} is {default!r}"
        )
        checked.add((tables[0], key))
    # the thresholds the runner meets in the prose, not only in the settings table
    prose = {
        ("load", k) for k in ("long_run_minutes", "long_run_share_minutes", "long_run_week_share")
    } | {("risk", k) for k in ("sitting_hours", "sitting_hours_high", "acwr", "acwr_high")}
    assert prose <= checked


def test_method_doc_states_the_constants_of_the_code() -> None:
    from runload.athlete import DEFAULT_HR_MAX, DEFAULT_HR_REST, MIN_RESERVE, PLAUSIBLE_HR
    from runload.load import VALID_HR
    from runload.metrics import LEAD_IN_DAYS

    text = " ".join(METHOD_DOC.read_text().split())
    for phrase in (
        f"at most **{LEAD_IN_DAYS} days before the first run**",
        f"not at least {MIN_RESERVE:g} bpm above",
        f"fall back to {DEFAULT_HR_MAX:g}/{DEFAULT_HR_REST:g}",
        f"plausible HR ({PLAUSIBLE_HR[0]:g}–{PLAUSIBLE_HR[1]:g} bpm)",
        f"valid HR samples ({VALID_HR[0]:g}–{VALID_HR[1]:g} bpm",
    ):
        assert phrase in text, phrase


# --- one source for the settings docs ---------------------------------------------------------


@pytest.mark.parametrize("doc", ["docs/configuration.md", "docs/method.md"])
def test_the_docs_carry_the_settings_table_generated_from_the_model(doc: str) -> None:
    text = (ROOT / doc).read_text(encoding="utf-8")
    block = text.split("<!-- settings-table -->\n", 1)[1].split("<!-- /settings-table -->")[0]
    assert block == settings_table(), f"{doc} is stale: run python tools/settings_docs.py"


def test_init_and_the_table_say_the_same_for_every_key(tmp_path: Path) -> None:
    """Same keys, same defaults, same descriptions: both are made from the model."""
    written = init_config(tmp_path / "runload.toml").read_text()
    table = settings_table()
    data = tomllib.loads(written)
    for table_name, key in setting_keys():
        description = describe(table_name, key)
        default = file_value(table_name, key)
        assert data[table_name][key] == default
        assert f"{key} = " in written and f"# {description}" in written
        assert f"| `{table_name}.{key}` | `" in table and description.replace("|", "\\|") in table


def test_settings_docs_tool_sees_a_stale_table(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "settings_docs", ROOT / "tools" / "settings_docs.py"
    )
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    stale = "intro\n<!-- settings-table -->\n| old |\n<!-- /settings-table -->\nrest\n"
    fresh = tool.current(stale, settings_table())
    assert fresh.startswith("intro\n<!-- settings-table -->\n| key | default |")
    assert fresh.endswith("<!-- /settings-table -->\nrest\n")
    assert tool.current(fresh, settings_table()) == fresh


def test_clock_settings_are_times_once_read() -> None:
    s = settings_from_toml('[risk]\nmorning_before = "11:30"\n')
    assert s.risk.morning_before == dt.time(11, 30)
    assert s.sitting.waking_start == dt.time(7, 0)
    assert 'morning_before = "11:30"' in config_text(s)


def test_pydantic_is_imported_only_to_read_a_config_file(tmp_path: Path) -> None:
    """Startup: the defaults are plain dataclasses; the validator is built on first use."""
    import subprocess
    import sys

    (tmp_path / "runload.toml").write_text('[load]\nacwr_method = "ewma"\n')
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from runload.config import load_settings\n"
        "s = load_settings(cwd=Path(sys.argv[1]))\n"
        "print(s.load.acwr_method, 'pydantic' in sys.modules)\n"
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "RUNLOAD_CONFIG"}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "no-user-config")
    runs = [
        subprocess.run(
            [sys.executable, "-c", code, str(folder)],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        ).stdout.split()
        for folder in (empty, tmp_path)
    ]
    assert runs == [["rolling", "False"], ["ewma", "True"]]
