"""The ``runload.toml`` file: finding it (``--config`` > ``$RUNLOAD_CONFIG`` >
``./runload.toml`` > the user config folder), reading it (broken TOML names the line and
column; unknown keys name their line and a close match), turning its tables into
``Settings`` (``runload.config.validate``), and writing a new one (``init_config``).
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from dataclasses import fields
from pathlib import Path
from typing import Any

from runload.config.model import CONFIG_NAME, ENV_VAR, TABLES, Settings
from runload.config.texts import config_text
from runload.config.validate import type_name, validate_table
from runload.errors import ConfigError
from runload.fsutil import atomic_write

# --- discovery -------------------------------------------------------------------------------


def user_config_path() -> Path:
    """``runload.toml`` in the user config folder (platformdirs)."""
    import platformdirs

    return Path(platformdirs.user_config_dir("runload", appauthor=False)) / CONFIG_NAME


def find_config(
    explicit: str | os.PathLike[str] | None = None, *, cwd: Path | None = None
) -> Path | None:
    """The config file to read: ``explicit`` > ``$RUNLOAD_CONFIG`` > ``./runload.toml`` >
    the user config folder; None when there is none. An explicit or env path that does not
    exist raises ``ConfigError``."""
    for given, what in ((explicit, "--config"), (os.environ.get(ENV_VAR) or None, ENV_VAR)):
        if given is not None:
            path = Path(given).expanduser()
            if path.is_dir():
                raise ConfigError(f"is a folder, not a config file (from {what})", path=path)
            if not path.is_file():
                raise ConfigError(f"config file not found (from {what})", path=path)
            return path
    local = (cwd or Path.cwd()) / CONFIG_NAME
    if local.is_file():
        return local
    user = user_config_path()
    return user if user.is_file() else None


def load_settings(
    explicit: str | os.PathLike[str] | None = None, *, cwd: Path | None = None
) -> Settings:
    """Find and read the config (see ``find_config``); the defaults when there is none."""
    path = find_config(explicit, cwd=cwd)
    return Settings() if path is None else read_settings(path)


def read_settings(path: str | os.PathLike[str]) -> Settings:
    """Read and validate one config file; ``ConfigError`` naming the file and key/line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")  # Notepad saves UTF-8 with a BOM
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"not a UTF-8 text file (byte {exc.start})", path=path, offset=exc.start
        ) from None
    except OSError as exc:
        raise ConfigError(f"cannot read config: {exc.strerror or exc}", path=path) from None
    return settings_from_toml(text, source=path)


_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")
_LONG_NUMBER = re.compile(r"\d[\d_]{4300,}")  # (Python converts 4,300 digits)


def _long_number(text: str, name: Path | str) -> ConfigError:
    """The error for a TOML integer too long to convert: its line and length."""
    found = _LONG_NUMBER.search(text)
    if found is None:
        return ConfigError("broken TOML: a number too long to read", path=name)
    line = text.count("\n", 0, found.start()) + 1
    digits = sum(c.isdigit() for c in found.group())
    return ConfigError(
        f"broken TOML at line {line}: a number of {digits:,} digits, more than runload reads",
        path=name,
        line=line,
    )


def settings_from_toml(text: str, *, source: Path | None = None) -> Settings:
    name = source if source is not None else "<config>"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        if m := _TOML_POS.search(msg):
            line, col = (int(x) for x in m.groups())
            reason = _TOML_POS.sub("", msg).strip()
            raise ConfigError(
                f"broken TOML at line {line}, column {col}: {reason}", path=name, line=line
            ) from None
        if "end of document" in msg:
            lines = text.splitlines() or [""]
            line, col = len(lines), len(lines[-1]) + 1
            reason = msg.replace("(at end of document)", "").strip()
            raise ConfigError(
                f"broken TOML at the end of the file (line {line}, column {col}): {reason}",
                path=name,
                line=line,
            ) from None
        raise ConfigError(f"broken TOML: {msg}", path=name) from None
    except ValueError:  # an integer longer than Python converts (tomllib lets it through)
        raise _long_number(text, name) from None
    return settings_from_dict(data, source=source, lines=key_lines(text))


_TABLE_LINE = re.compile(r"^\s*\[\s*([A-Za-z0-9_.\-]+)\s*\]")
_KEY_LINE = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*=")


def key_lines(text: str) -> dict[str, int]:
    """Where each ``table.key`` (and each ``table`` header) is written, 1-based; best effort
    for pointing at a bad key (quoted keys and inline tables are not located)."""
    out: dict[str, int] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), start=1):
        if header := _TABLE_LINE.match(line):
            table = header.group(1)
            out.setdefault(table, number)
            continue
        if key := _KEY_LINE.match(line):
            parts = [table, *key.group(1).split(".")] if table else key.group(1).split(".")
            for n in range(1, len(parts) + 1):  # a.b.c = 1 also writes a and a.b
                out.setdefault(".".join(parts[:n]), number)
    return out


# --- reading a parsed document ---------------------------------------------------------------


def _suggest(key: str, options: list[str], prefix: str = "") -> str:
    close = difflib.get_close_matches(key, options, n=1)
    return f' (did you mean "{prefix}{close[0]}"?)' if close else ""


def _unknown(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[tuple[str, str]]]]:
    """The document without what the model has no place for, and a problem for each such
    table or key (by table, in file order): the model sees only keys it knows, so a typo in
    one key never hides the checks between the others."""
    known: dict[str, Any] = {}
    found: dict[str, list[tuple[str, str]]] = {"": []}
    for table, value in data.items():
        if table not in TABLES:
            found[""].append(
                (table, f'unknown key "{table}" (keys belong in a table such as [load])')
                if not isinstance(value, dict)
                else (table, f'unknown table "[{table}]"{_suggest(table, list(TABLES))}')
            )
        elif not isinstance(value, dict):
            what = type_name(value)
            found[""].append((table, f"{table} must be a table ([{table}]), not {what}"))
        else:
            names = [f.name for f in fields(TABLES[table])]
            found[table] = [
                (
                    f"{table}.{key}",
                    f'unknown key "{table}.{key}"' + _suggest(key, names, table + "."),
                )
                for key in value
                if key not in names
            ]
            known[table] = {k: v for k, v in value.items() if k in names}
    return known, found


def settings_from_dict(
    data: dict[str, Any], *, source: Path | None = None, lines: dict[str, int] | None = None
) -> Settings:
    """Validate a parsed TOML document. All problems go in one ``ConfigError`` line, each
    naming its key and, when ``lines`` (from ``key_lines``) knows it, the line."""
    known, found = _unknown(data)
    tables: dict[str, Any] = {}
    for table, given in known.items():
        tables[table], problems = validate_table(table, given)
        found[table].extend(problems)
    if not any(found.values()):
        return Settings(**tables, source=source)
    where = lines or {}
    texts = []
    for table in ["", *TABLES]:
        for keys, msg in found.get(table, []):
            at = [where[k] for k in keys.split() if k in where]
            texts.append(f"{msg} (line {at[0]})" if at else msg)
    raise ConfigError("; ".join(texts), path=source if source is not None else "<config>")


def not_toml_name(path: str | os.PathLike[str]) -> str | None:
    """Why ``path`` is not a name for a config file (it must end ``.toml``), or None."""
    if Path(path).suffix.lower() == ".toml":
        return None
    return f"the config is TOML: give a name ending .toml (e.g. {CONFIG_NAME})"


def init_config(path: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Write a config file with every key, its default and a one-line comment. Refuses to
    overwrite an existing file unless ``force``, and a name not ending ``.toml`` (the file
    is TOML: ``x.json`` would hold TOML under a JSON name) (``ConfigError``)."""
    path = Path(path).expanduser()
    if path.is_dir():
        path = path / CONFIG_NAME
    if why := not_toml_name(path):
        raise ConfigError(why, path=path)
    if path.exists() and not force:
        raise ConfigError("already exists (use --force to overwrite it)", path=path)
    try:
        atomic_write(path, config_text())
    except OSError as exc:
        raise ConfigError(f"cannot write config: {exc.strerror or exc}", path=path) from None
    return path
