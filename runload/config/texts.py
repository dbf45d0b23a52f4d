"""The texts made from the settings' declarations, so they cannot drift from the model:
``config_text`` (what ``runload init`` writes) and ``settings_table`` (the Markdown table in
docs/configuration.md and docs/method.md, rewritten by ``tools/settings_docs.py``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import fields
from typing import Any

from runload.config.model import (
    TABLES,
    Settings,
    choices_of,
    describe,
    file_value,
    limits_of,
    setting_keys,
    table_comment,
    type_of,
)

# --- the texts made from the model -----------------------------------------------------------


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, float):
        return repr(value)
    return str(value)


def config_text(settings: Settings | None = None) -> str:
    """What ``runload init`` writes: every key with its value in ``settings`` (default: the
    defaults) and its description."""
    lines = [
        "# runload configuration: every key, its default and what it means.",
        "# Not medical advice: the sitting rules are a heuristic (see docs/method.md).",
        "",
    ]
    for table, cls in TABLES.items():
        lines.append(f"[{table}]  # {table_comment(table)}")
        for key in (f.name for f in fields(cls)):
            value = _toml_value(file_value(table, key, settings))
            lines.append(f"{key} = {value}  # {describe(table, key)}")
        lines.append("")
    return "\n".join(lines)


def _range_text(table: str, key: str) -> str:
    if choices := choices_of(table, key):
        return " \\| ".join(choices)
    lo, hi = limits_of(table, key)
    if lo is not None and hi is not None:
        return f"{lo:g}–{hi:g}"
    return "HH:MM" if type_of(table, key)[0] is dt.time else ""


def settings_table() -> str:
    """The Markdown table of every setting (key, default as written in the file, allowed
    values, description): docs/configuration.md and docs/method.md carry it between
    ``<!-- settings-table -->`` marks, rewritten by ``python tools/settings_docs.py``."""
    rows = ["| key | default | values | what |", "|---|---|---|---|"]
    for table, key in setting_keys():
        default = _toml_value(file_value(table, key))
        what = describe(table, key)
        what = what.replace("|", "\\|")
        rows.append(f"| `{table}.{key}` | `{default}` | {_range_text(table, key)} | {what} |")
    return "\n".join(rows) + "\n"
