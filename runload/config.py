"""The typed settings object and the ``runload.toml`` file behind it.

Owns: the ``Settings`` dataclasses (one frozen dataclass per TOML table: athlete, load,
risk, sitting, advice, paths), finding the config file (``--config`` >
``$RUNLOAD_CONFIG`` > ``./runload.toml`` > the user config folder), validating it
(unknown keys and wrong types name the key, e.g. ``load.acwr_method``; broken TOML
names the line and column) and ``init_config`` (a file with every key, its default and a
one-line comment). Every threshold of the method lives here.

In the file, ``0`` for a heart rate and ``"auto"`` for ``sex``/``timezone`` mean "not set:
take it from the files"; in ``Settings`` they become ``None``.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import os
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from runload.errors import ConfigError
from runload.fsutil import atomic_write

CONFIG_NAME = "runload.toml"
ENV_VAR = "RUNLOAD_CONFIG"

_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def _meta(
    comment: str,
    *,
    choices: tuple[str, ...] = (),
    lo: float | None = None,
    hi: float | None = None,
    hhmm: bool = False,
    unset: Any = None,
) -> dict[str, Any]:
    return {
        "comment": comment,
        "choices": choices,
        "lo": lo,
        "hi": hi,
        "hhmm": hhmm,
        "unset": unset,
    }


def _f(default: Any, comment: str, **kw: Any) -> Any:
    return field(default=default, metadata=_meta(comment, **kw))


@dataclass(frozen=True)
class AthleteSettings:
    hr_max: float | None = _f(
        None,
        "maximum heart rate, bpm (0 = from the files: zones_target, "
        "else the highest HR of the season's runs)",
        lo=100,
        hi=250,
        unset=0,
    )
    hr_rest: float | None = _f(
        None,
        "resting heart rate, bpm (0 = from the files: user_profile or daily summaries, else 60)",
        lo=25,
        hi=120,
        unset=0,
    )
    sex: str | None = _f(
        None,
        "male | female | unspecified; sets the TRIMP weighting "
        '("auto" = from the files, else unspecified)',
        choices=("male", "female", "unspecified"),
        unset="auto",
    )
    timezone: str | None = _f(
        None,
        "IANA time zone for files without local time, e.g. "
        '"Europe/Paris" ("auto" = the offset the files carry, else this machine\'s zone)',
        unset="auto",
    )


@dataclass(frozen=True)
class LoadSettings:
    acwr_method: str = _f(
        "rolling",
        "rolling | uncoupled (chronic = days 8-28 back) | ewma (Williams et al. 2017)",
        choices=("rolling", "uncoupled", "ewma"),
    )
    assumed_hrr: float = _f(
        0.6,
        "heart-rate reserve fraction assumed for runs without any HR (load marked estimated)",
        lo=0.0,
        hi=1.0,
    )
    hr_gap_cap_seconds: float = _f(
        30.0,
        "longest gap between HR samples counted (pauses count no more than this)",
        lo=1,
        hi=3600,
    )
    long_run_minutes: float = _f(
        90.0, "a run this long (moving minutes) is a long run", lo=1, hi=1440
    )
    long_run_share_minutes: float = _f(
        60.0, "a run this long is also long when it is a big share of the week", lo=1, hi=1440
    )
    long_run_week_share: float = _f(
        0.30,
        "...that share of the running minutes of the 7 days ending that day (that run included)",
        lo=0.0,
        hi=1.0,
    )
    spike_ratio: float = _f(
        1.10,
        "long_run_spike: longer than this x the longest run of the "
        "previous days (Frandsen et al. 2025)",
        lo=1.0,
        hi=10.0,
    )
    spike_days: int = _f(30, "...looking back this many days", lo=1, hi=365)
    acute_days: int = _f(7, "acute window, days", lo=1, hi=60)
    chronic_days: int = _f(
        28, "chronic window, days (acwr stays empty until this much history)", lo=2, hi=365
    )
    monotony_days: int = _f(7, "monotony/strain window, days (Foster 1998)", lo=2, hi=60)
    monotony_cap: float = _f(10.0, "monotony is capped at this value", lo=1, hi=1000)
    ctl_days: float = _f(42.0, "fitness (CTL) time constant, days", lo=1, hi=365)
    atl_days: float = _f(7.0, "fatigue (ATL) time constant, days", lo=1, hi=365)
    planned_rate_days: int = _f(
        28,
        "a planned run gets the median load per minute of the runs of this many days before it",
        lo=1,
        hi=365,
    )
    planned_start: str = _f(
        "18:00",
        "local start time assumed for a planned run (after 12:00: that day's sitting counts)",
        hhmm=True,
    )


@dataclass(frozen=True)
class RiskSettings:
    sitting_hours: float = _f(8.0, "sitting exposure this long -> +1 point", lo=0, hi=24)
    sitting_hours_high: float = _f(10.0, "sitting exposure this long -> +2 points", lo=0, hi=24)
    morning_before: str = _f(
        "12:00",
        "a run starting before this local time is exposed to the sitting of the day before",
        hhmm=True,
    )
    streak_days: int = _f(
        3, "sitting_streak: this many consecutive days of long sitting -> +1", lo=2, hi=60
    )
    streak_hours: float = _f(8.0, "...each with at least this many hours", lo=0, hi=24)
    acwr: float = _f(1.3, "load_spike: acute:chronic load this high -> +1", lo=0, hi=100)
    acwr_high: float = _f(1.5, "load_spike: acute:chronic load this high -> +2", lo=0, hi=100)
    monotony: float = _f(2.0, "monotony this high -> +1", lo=0, hi=1000)
    numbness: int = _f(
        3, "symptoms: numbness (0-10) this high that day or the day before -> +2", lo=0, hi=10
    )
    elevated_points: int = _f(
        2, "points for an elevated day (needs a non-sitting factor)", lo=1, hi=100
    )
    high_points: int = _f(4, "points for a high day (needs a non-sitting factor)", lo=1, hi=100)


@dataclass(frozen=True)
class SittingSettings:
    log: str = _f("sitting.csv", "the sitting log file (relative to this config file's folder)")
    waking_start: str = _f(
        "07:00", "waking day starts (device sitting is counted from here)", hhmm=True
    )
    waking_end: str = _f(
        "23:00", "waking day ends (device sitting is counted until here)", hhmm=True
    )
    device_offset_hours: float = _f(
        1.0,
        "device sitting reads higher than self-report "
        "(Ku et al. 2018): sitting thresholds are raised by this "
        "for device days",
        lo=0,
        hi=12,
    )


@dataclass(frozen=True)
class AdviceSettings:
    acute_care: str = _f(
        "rice",
        "rice | peace_love (Dubois & Esculier 2020): the soreness advice on high days",
        choices=("rice", "peace_love"),
    )
    movement_hours: float = _f(8.0, "movement_breaks: sitting this long that day", lo=0, hi=24)
    glute_days: int = _f(3, "glute_strength: this many elevated or high days...", lo=1, hi=365)
    glute_window_days: int = _f(14, "...in this many days", lo=1, hi=365)
    professional_numbness: int = _f(
        6, "see_professional: numbness this high on one day...", lo=0, hi=10
    )
    professional_days: int = _f(3, "...or risk.numbness or more on this many days...", lo=1, hi=365)
    professional_window_days: int = _f(7, "...of this many", lo=1, hi=365)


@dataclass(frozen=True)
class PathSettings:
    activities: str = _f("", 'folder of FIT files used when none is given ("" = none)')
    cache_dir: str = _f("", '"" = the user cache folder (or $RUNLOAD_CACHE_DIR)')


@dataclass(frozen=True)
class Settings:
    """All settings; ``Settings()`` is the defaults. ``source`` is the file read (or None)."""

    athlete: AthleteSettings = field(default_factory=AthleteSettings)
    load: LoadSettings = field(default_factory=LoadSettings)
    risk: RiskSettings = field(default_factory=RiskSettings)
    sitting: SittingSettings = field(default_factory=SittingSettings)
    advice: AdviceSettings = field(default_factory=AdviceSettings)
    paths: PathSettings = field(default_factory=PathSettings)
    source: Path | None = field(default=None, compare=False)

    def resolve_path(self, value: str) -> Path:
        """A path from the config, relative to the config file's folder (else the cwd)."""
        p = Path(value).expanduser()
        if p.is_absolute() or self.source is None:
            return p
        return self.source.parent / p


TABLES: dict[str, type] = {
    "athlete": AthleteSettings,
    "load": LoadSettings,
    "risk": RiskSettings,
    "sitting": SittingSettings,
    "advice": AdviceSettings,
    "paths": PathSettings,
}

TABLE_COMMENTS: dict[str, str] = {
    "athlete": "who runs: sets the heart-rate weighting of the load",
    "load": "running load (Banister TRIMP), long runs and the load metrics",
    "risk": "points per factor; elevated/high need a factor other than sitting",
    "sitting": "the sitting log and how device sitting is read",
    "advice": "what to do",
    "paths": "where things are",
}


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
                raise ConfigError(f"{path}: is a folder, not a config file (from {what})")
            if not path.is_file():
                raise ConfigError(f"{path}: config file not found (from {what})")
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
        raise ConfigError(f"{path}: not a UTF-8 text file (byte {exc.start})") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config: {exc.strerror or exc}") from None
    return settings_from_toml(text, source=path)


_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")


def settings_from_toml(text: str, *, source: Path | None = None) -> Settings:
    name = str(source) if source is not None else "<config>"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = _TOML_POS.search(msg)
        if m:
            line, col = m.groups()
            reason = _TOML_POS.sub("", msg).strip()
            raise ConfigError(
                f"{name}:{line}: broken TOML at line {line}, column {col}: {reason}"
            ) from None
        if "end of document" in msg:
            lines = text.splitlines() or [""]
            line, col = len(lines), len(lines[-1]) + 1
            reason = msg.replace("(at end of document)", "").strip()
            raise ConfigError(
                f"{name}:{line}: broken TOML at the end of the file (line {line}, column {col}): "
                f"{reason}"
            ) from None
        raise ConfigError(f"{name}: broken TOML: {msg}") from None
    return settings_from_dict(data, source=source, lines=key_lines(text))


_TABLE_LINE = re.compile(r"^\s*\[\s*([A-Za-z0-9_.\-]+)\s*\]")
_KEY_LINE = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*=")


def key_lines(text: str) -> dict[str, int]:
    """Where each ``table.key`` (and each ``table`` header) is written, 1-based; best effort
    for pointing at a bad key (quoted keys and inline tables are not located)."""
    out: dict[str, int] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), start=1):
        header = _TABLE_LINE.match(line)
        if header:
            table = header.group(1)
            out.setdefault(table, number)
            continue
        key = _KEY_LINE.match(line)
        if key:
            parts = [table, *key.group(1).split(".")] if table else key.group(1).split(".")
            for n in range(1, len(parts) + 1):  # a.b.c = 1 also writes a and a.b
                out.setdefault(".".join(parts[:n]), number)
    return out


# --- validation ------------------------------------------------------------------------------


def _suggest(key: str, options: list[str], prefix: str = "") -> str:
    close = difflib.get_close_matches(key, options, n=1)
    return f' (did you mean "{prefix}{close[0]}"?)' if close else ""


def _type_name(value: Any) -> str:
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "a table",
    }.get(type(value), type(value).__name__)


def _check_value(dotted: str, f: dataclasses.Field[Any], value: Any) -> tuple[Any, str | None]:
    meta = f.metadata
    unset = meta.get("unset")
    if unset is not None and not isinstance(value, bool) and value == unset:
        return None, None
    kind = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
    if "float" in kind or "int" in kind:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None, f"{dotted} must be a number, not {_type_name(value)} ({value!r})"
        if not math.isfinite(value):
            return None, f"{dotted} must be a number, not {value!r}"
        if "int" in kind and "float" not in kind:
            if isinstance(value, float) and not value.is_integer():
                return None, f"{dotted} must be a whole number, not {value!r}"
            value = int(value)
        else:
            value = float(value)
        lo, hi = meta.get("lo"), meta.get("hi")
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            return None, f"{dotted} = {value:g} is out of range ({lo:g} to {hi:g})"
        return value, None
    if not isinstance(value, str):
        return None, f"{dotted} must be text, not {_type_name(value)} ({value!r})"
    choices = meta.get("choices") or ()
    if choices and value not in choices:
        return None, f'{dotted} = "{value}" is not one of {", ".join(choices)}'
    if meta.get("hhmm") and not _HHMM.match(value):
        return None, f'{dotted} = "{value}" is not a time of day (write it like "07:00")'
    return value, None


def _check_timezone(value: str | None) -> str | None:
    if value is None:
        return None
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return f'athlete.timezone = "{value}" is not a known time zone (e.g. "Europe/Paris")'
    return None


def settings_from_dict(
    data: dict[str, Any], *, source: Path | None = None, lines: dict[str, int] | None = None
) -> Settings:
    """Validate a parsed TOML document. All problems go in one ``ConfigError`` line, each
    naming its key and, when ``lines`` (from ``key_lines``) knows it, the line."""
    problems: list[tuple[str, str]] = []  # (the keys it is about, space-separated; message)
    tables: dict[str, Any] = {}
    for table, value in data.items():
        if table not in TABLES and not isinstance(value, dict):
            problems.append(
                (table, f'unknown key "{table}" (keys belong in a table such as [load])')
            )
        elif table not in TABLES:
            problems.append((table, f'unknown table "[{table}]"{_suggest(table, list(TABLES))}'))
        elif not isinstance(value, dict):
            problems.append(
                (table, f"{table} must be a table ([{table}]), not {_type_name(value)}")
            )
    for table, cls in TABLES.items():
        given = data.get(table, {})
        if not isinstance(given, dict):
            tables[table] = cls()
            continue
        by_name = {f.name: f for f in fields(cls)}
        kwargs: dict[str, Any] = {}
        for key, value in given.items():
            dotted = f"{table}.{key}"
            if key not in by_name:
                hint = _suggest(key, list(by_name), prefix=f"{table}.")
                problems.append((dotted, f'unknown key "{dotted}"{hint}'))
                continue
            checked, problem = _check_value(dotted, by_name[key], value)
            if problem:
                problems.append((dotted, problem))
            else:
                kwargs[key] = checked
        tables[table] = cls(**kwargs)
    tz_problem = _check_timezone(tables["athlete"].timezone)
    if tz_problem:
        problems.append(("athlete.timezone", tz_problem))
    problems.extend(_cross_checks(tables))
    if problems:
        name = str(source) if source is not None else "<config>"
        where = lines or {}
        texts = []
        for keys, msg in problems:
            found = [where[k] for k in keys.split() if k in where]
            texts.append(f"{msg} (line {found[0]})" if found else msg)
        raise ConfigError(f"{name}: " + "; ".join(texts))
    return Settings(**tables, source=source)


def _cross_checks(t: dict[str, Any]) -> list[tuple[str, str]]:
    out = []
    a, r, load = t["athlete"], t["risk"], t["load"]
    if load.chronic_days <= load.acute_days:
        out.append(
            (
                "load.chronic_days load.acute_days",
                f"load.chronic_days ({load.chronic_days}) must be longer than load.acute_days "
                f"({load.acute_days})",
            )
        )
    if a.hr_max is not None and a.hr_rest is not None and a.hr_max <= a.hr_rest:
        out.append(
            (
                "athlete.hr_max athlete.hr_rest",
                f"athlete.hr_max ({a.hr_max:g}) must be above athlete.hr_rest ({a.hr_rest:g})",
            )
        )
    pairs = (
        ("sitting_hours_high", "sitting_hours"),
        ("acwr_high", "acwr"),
        ("high_points", "elevated_points"),
    )
    for high, low in pairs:
        if getattr(r, high) < getattr(r, low):
            out.append((f"risk.{high} risk.{low}", f"risk.{high} must be at least risk.{low}"))
    return out


# --- writing ---------------------------------------------------------------------------------


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, float):
        return repr(value)
    return str(value)


def config_text(settings: Settings | None = None) -> str:
    """The TOML text of ``settings`` (default: the defaults): every key with a comment."""
    settings = settings or Settings()
    lines = [
        "# runload configuration: every key, its default and what it means.",
        "# Not medical advice: the sitting rules are a heuristic (see docs/method.md).",
        "",
    ]
    for table in TABLES:
        lines.append(f"[{table}]  # {TABLE_COMMENTS[table]}")
        obj = getattr(settings, table)
        for f in fields(obj):
            value = getattr(obj, f.name)
            if value is None:
                value = f.metadata["unset"]
            lines.append(f"{f.name} = {_toml_value(value)}  # {f.metadata['comment']}")
        lines.append("")
    return "\n".join(lines)


def init_config(path: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Write a config file with every key, its default and a one-line comment. Refuses to
    overwrite an existing file unless ``force`` (``ConfigError``)."""
    path = Path(path).expanduser()
    if path.is_dir():
        path = path / CONFIG_NAME
    if path.exists() and not force:
        raise ConfigError(f"{path}: already exists (use --force to overwrite it)")
    try:
        atomic_write(path, config_text())
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write config: {exc.strerror or exc}") from None
    return path
