"""The typed settings and the ``runload.toml`` file behind them.

The public surface; each concept lives in its own module:

- ``model`` — the settings: one frozen dataclass per TOML table, every key declared once
  with its type, default, range and description; the checks between keys;
- ``validate`` — one table of the file checked against the model (pydantic, on first use);
- ``files`` — finding, reading and writing ``runload.toml`` (``load_settings``,
  ``init_config``);
- ``texts`` — what ``runload init`` writes and the docs' settings table, made from the model.
"""

from __future__ import annotations

from runload.config.files import (
    find_config,
    init_config,
    key_lines,
    load_settings,
    not_toml_name,
    read_settings,
    settings_from_dict,
    settings_from_toml,
    user_config_path,
)
from runload.config.model import (
    CONFIG_NAME,
    ENV_VAR,
    TABLES,
    AdviceSettings,
    AthleteSettings,
    DisplaySettings,
    LoadSettings,
    PathSettings,
    RiskSettings,
    Settings,
    SittingSettings,
    describe,
    file_value,
    setting_keys,
    table_comment,
)
from runload.config.texts import config_text, settings_table
from runload.errors import ConfigError

__all__ = [
    "CONFIG_NAME",
    "ENV_VAR",
    "TABLES",
    "AdviceSettings",
    "AthleteSettings",
    "ConfigError",
    "DisplaySettings",
    "LoadSettings",
    "PathSettings",
    "RiskSettings",
    "Settings",
    "SittingSettings",
    "config_text",
    "describe",
    "file_value",
    "find_config",
    "init_config",
    "key_lines",
    "load_settings",
    "not_toml_name",
    "read_settings",
    "setting_keys",
    "settings_from_dict",
    "settings_from_toml",
    "settings_table",
    "table_comment",
    "user_config_path",
]
