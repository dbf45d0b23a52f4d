"""The typed settings and the ``runload.toml`` file behind them.

Owns: the settings (one frozen dataclass per TOML table: athlete, load, risk, sitting,
advice, paths, display; every key declared once with its type, default, range and one-line
description), finding the config file (``--config`` > ``$RUNLOAD_CONFIG`` >
``./runload.toml`` > the user config folder), reading it with pydantic (broken TOML names
the line and column; unknown keys, wrong types and values out of range name the key and
its line, all in one message), and the two texts made from the declarations so they
cannot drift: ``config_text`` (what ``runload init`` writes) and ``settings_table`` (the
Markdown table in docs/configuration.md and docs/method.md). Every threshold of the method
lives here.

The validator is a pydantic model built from the dataclasses on first use (one converter
per value type, the ranges as constraints), so a run without a config file never imports
pydantic. In the file, ``0`` for a heart rate and ``"auto"`` for ``sex``/``timezone`` mean
"not set: take it from the files"; in the settings they are ``None``. Clock settings are
``datetime.time``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import math
import os
import re
import tomllib
import typing
from collections.abc import Callable
from dataclasses import Field, dataclass, field, fields
from pathlib import Path
from typing import Annotated, Any, Literal, NewType

from runload.errors import ConfigError
from runload.fsutil import atomic_write
from runload.units import parse_clock, parse_zone

CONFIG_NAME = "runload.toml"
ENV_VAR = "RUNLOAD_CONFIG"

# --- the settings: one frozen dataclass per table --------------------------------------------

Zone = NewType("Zone", str)  # an IANA time zone name
AcwrMethod = Literal["rolling", "uncoupled", "ewma"]
Sex = Literal["male", "female", "unspecified"]
AcuteCare = Literal["rice", "peace_love"]
Units = Literal["metric", "imperial"]


def _key(default: Any, description: str, *, unset: Any = None, **limits: float) -> Any:
    """A setting: its default, its one-line description (the ``runload init`` comment and
    the docs' "what"), its range (``ge``/``le``) and, for values taken from the files when
    not set, what the file writes for "not set" (``unset``)."""
    meta = {"description": description, "unset": unset, **limits}
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class AthleteSettings:
    """who runs: sets the heart-rate weighting of the load"""

    hr_max: float | None = _key(
        None,
        "maximum heart rate, bpm (0 = from the files: zones_target, "
        "else the highest HR of the season's runs)",
        unset=0,
        ge=100,
        le=250,
    )
    hr_rest: float | None = _key(
        None,
        "resting heart rate, bpm (0 = from the files: user_profile or daily summaries, else 60)",
        unset=0,
        ge=25,
        le=120,
    )
    sex: Sex | None = _key(
        None,
        "male | female | unspecified; sets the TRIMP weighting "
        '("auto" = from the files, else unspecified)',
        unset="auto",
    )
    timezone: Zone | None = _key(
        None,
        "IANA time zone for files without local time, e.g. "
        '"Europe/Paris" ("auto" = the offset the files carry, else this machine\'s zone)',
        unset="auto",
    )


@dataclass(frozen=True)
class LoadSettings:
    """running load (Banister TRIMP), long runs and the load metrics"""

    acwr_method: AcwrMethod = _key(
        "rolling",
        "rolling | uncoupled (chronic = days 8-28 back) | ewma (Williams et al. 2017)",
    )
    assumed_hrr: float = _key(
        0.6,
        "heart-rate reserve fraction assumed for runs without any HR (load marked estimated)",
        ge=0,
        le=1,
    )
    hr_gap_cap_seconds: float = _key(
        30.0,
        "longest gap between HR samples counted (pauses count no more than this)",
        ge=1,
        le=3600,
    )
    long_run_minutes: float = _key(
        90.0, "a run this long (moving minutes) is a long run", ge=1, le=1440
    )
    long_run_share_minutes: float = _key(
        60.0, "a run this long is also long when it is a big share of the week", ge=1, le=1440
    )
    long_run_week_share: float = _key(
        0.30,
        "...that share of the running minutes of the 7 days ending that day (that run included)",
        ge=0,
        le=1,
    )
    spike_ratio: float = _key(
        1.10,
        "long_run_spike: longer than this x the longest run of the "
        "previous days (Frandsen et al. 2025)",
        ge=1,
        le=10,
    )
    spike_days: int = _key(30, "...looking back this many days", ge=1, le=365)
    acute_days: int = _key(7, "acute window, days", ge=1, le=60)
    chronic_days: int = _key(
        28, "chronic window, days (acwr stays empty until this much history)", ge=2, le=365
    )
    monotony_days: int = _key(7, "monotony/strain window, days (Foster 1998)", ge=2, le=60)
    monotony_cap: float = _key(10.0, "monotony is capped at this value", ge=1, le=1000)
    ctl_days: float = _key(42.0, "fitness (CTL) time constant, days", ge=1, le=365)
    atl_days: float = _key(7.0, "fatigue (ATL) time constant, days", ge=1, le=365)
    planned_rate_days: int = _key(
        28,
        "a planned run gets the median load per minute of the runs of this many days before it",
        ge=1,
        le=365,
    )
    planned_start: dt.time = _key(
        dt.time(18, 0),
        "local start time assumed for a planned run (after 12:00: that day's sitting counts)",
    )


@dataclass(frozen=True)
class RiskSettings:
    """points per factor; elevated/high need a factor other than sitting"""

    sitting_hours: float = _key(8.0, "sitting exposure this long -> +1 point", ge=0, le=24)
    sitting_hours_high: float = _key(10.0, "sitting exposure this long -> +2 points", ge=0, le=24)
    morning_before: dt.time = _key(
        dt.time(12, 0),
        "a run starting before this local time is exposed to the sitting of the day before",
    )
    streak_days: int = _key(
        3, "sitting_streak: this many consecutive days of long sitting -> +1", ge=2, le=60
    )
    streak_hours: float = _key(8.0, "...each with at least this many hours", ge=0, le=24)
    acwr: float = _key(1.3, "load_spike: acute:chronic load this high -> +1", ge=0, le=100)
    acwr_high: float = _key(1.5, "load_spike: acute:chronic load this high -> +2", ge=0, le=100)
    acwr_min_run_days: int = _key(
        6,
        "load_spike counts only when the chronic window before the acute week (days 8-28 "
        "back) holds this many days with a run (6: two runs a week)",
        ge=0,
        le=365,
    )
    acwr_min_run_minutes: float = _key(
        180.0,
        "...and this many minutes of running (180: an hour a week)",
        ge=0,
        le=100000,
    )
    monotony: float = _key(2.0, "monotony this high -> +1", ge=0, le=1000)
    numbness: int = _key(
        3, "symptoms: numbness (0-10) this high that day or the day before -> +2", ge=0, le=10
    )
    bout_minutes: float = _key(
        120.0, "unbroken_sitting: sitting this long without a break that day -> +1", ge=1, le=1440
    )
    selftest_days: int = _key(
        14,
        "trendelenburg, thomas: a positive self-test counts this many days from its check -> +1",
        ge=1,
        le=365,
    )
    pain_days: int = _key(
        7, "pain: a pain site of a self-check counts this many days from it -> +1", ge=1, le=365
    )
    elevated_points: int = _key(
        2, "points for an elevated day (needs a non-sitting factor)", ge=1, le=100
    )
    high_points: int = _key(
        4,
        "points for a high day (needs high_factors running or body factors)",
        ge=1,
        le=100,
    )
    high_factors: int = _key(
        2,
        "a high day needs this many different running or body factors: sitting raises a day "
        "at most one level",
        ge=1,
        le=10,
    )


@dataclass(frozen=True)
class SittingSettings:
    """the sitting log and how device sitting is read"""

    log: str = _key("sitting.csv", "the sitting log file (relative to this config file's folder)")
    waking_start: dt.time = _key(
        dt.time(7, 0), "waking day starts (device sitting is counted from here)"
    )
    waking_end: dt.time = _key(
        dt.time(23, 0), "waking day ends (device sitting is counted until here)"
    )
    device_offset_hours: float = _key(
        1.0,
        "device sitting reads higher than self-report "
        "(Ku et al. 2018): sitting thresholds are raised by this "
        "for device days",
        ge=0,
        le=12,
    )


@dataclass(frozen=True)
class AdviceSettings:
    """what to do"""

    acute_care: AcuteCare = _key(
        "rice",
        "rice | peace_love (Dubois & Esculier 2020): the soreness advice on high days",
    )
    movement_hours: float = _key(8.0, "movement_breaks: sitting this long that day", ge=0, le=24)
    glute_days: int = _key(3, "glute_strength: this many elevated or high days...", ge=1, le=365)
    glute_window_days: int = _key(14, "...in this many days", ge=1, le=365)
    professional_numbness: int = _key(
        6, "see_professional: numbness this high on one day...", ge=0, le=10
    )
    professional_days: int = _key(
        3, "...or risk.numbness or more on this many days...", ge=1, le=365
    )
    professional_window_days: int = _key(7, "...of this many", ge=1, le=365)


@dataclass(frozen=True)
class PathSettings:
    """where things are"""

    activities: str = _key("", 'folder of FIT files used when none is given ("" = none)')
    cache_dir: str = _key("", '"" = the user cache folder (or $RUNLOAD_CACHE_DIR)')


@dataclass(frozen=True)
class DisplaySettings:
    """how numbers are shown (not part of the method: JSON, CSV and Parquet keep km)"""

    units: Units = _key(
        "metric",
        "metric | imperial: distances and paces in km or miles on the terminal, in Markdown, "
        "on the HTML page and in the reasons' sentences (JSON, CSV, Parquet keep km)",
    )


@dataclass(frozen=True)
class Settings:
    """All settings; ``Settings()`` is the defaults. ``source`` is the file read (or None);
    it is not part of the settings (two files saying the same are equal settings)."""

    athlete: AthleteSettings = field(default_factory=AthleteSettings)
    load: LoadSettings = field(default_factory=LoadSettings)
    risk: RiskSettings = field(default_factory=RiskSettings)
    sitting: SittingSettings = field(default_factory=SittingSettings)
    advice: AdviceSettings = field(default_factory=AdviceSettings)
    paths: PathSettings = field(default_factory=PathSettings)
    display: DisplaySettings = field(default_factory=DisplaySettings)
    source: Path | None = field(default=None, compare=False, repr=False)

    def resolve_path(self, value: str) -> Path:
        """A path from the config, relative to the config file's folder (else the cwd)."""
        p = Path(value).expanduser()
        if p.is_absolute() or self.source is None:
            return p
        return self.source.parent / p


TABLES: dict[str, type[Any]] = {
    "athlete": AthleteSettings,
    "load": LoadSettings,
    "risk": RiskSettings,
    "sitting": SittingSettings,
    "advice": AdviceSettings,
    "paths": PathSettings,
    "display": DisplaySettings,
}


# --- checks between the keys of one table: (keys, message) for each problem -----------------

Found = list[tuple[str, str]]


def _athlete_checks(a: AthleteSettings) -> Found:
    if a.hr_max is not None and a.hr_rest is not None and a.hr_max <= a.hr_rest:
        return [
            (
                "athlete.hr_max athlete.hr_rest",
                f"athlete.hr_max ({a.hr_max:g}) must be above athlete.hr_rest ({a.hr_rest:g})",
            )
        ]
    return []


def _load_checks(load: LoadSettings) -> Found:
    if load.chronic_days <= load.acute_days:
        return [
            (
                "load.chronic_days load.acute_days",
                f"load.chronic_days ({load.chronic_days}) must be longer than load.acute_days "
                f"({load.acute_days})",
            )
        ]
    return []


def _risk_checks(r: RiskSettings) -> Found:
    pairs = (
        ("sitting_hours_high", "sitting_hours"),
        ("acwr_high", "acwr"),
        ("high_points", "elevated_points"),
    )
    return [
        (f"risk.{high} risk.{low}", f"risk.{high} must be at least risk.{low}")
        for high, low in pairs
        if getattr(r, high) < getattr(r, low)
    ]


def _sitting_checks(s: SittingSettings) -> Found:
    if s.waking_end <= s.waking_start:
        return [
            (
                "sitting.waking_end sitting.waking_start",
                f"sitting.waking_end ({s.waking_end:%H:%M}) must be after "
                f"sitting.waking_start ({s.waking_start:%H:%M})",
            )
        ]
    return []


CROSS_CHECKS: dict[str, Callable[[Any], Found]] = {
    "athlete": _athlete_checks,
    "load": _load_checks,
    "risk": _risk_checks,
    "sitting": _sitting_checks,
}


# --- what the model says about each key (for the validator and the docs) ---------------------


def table_comment(table: str) -> str:
    return (TABLES[table].__doc__ or "").strip()


def setting_keys() -> list[tuple[str, str]]:
    """Every ``(table, key)`` of the file, in the order ``runload init`` writes them."""
    return [(table, f.name) for table, cls in TABLES.items() for f in fields(cls)]


def _field(table: str, key: str) -> Field[Any]:
    return next(f for f in fields(TABLES[table]) if f.name == key)


def describe(table: str, key: str) -> str:
    """The one-line description of ``table.key``."""
    return str(_field(table, key).metadata["description"])


def _type_of(table: str, key: str) -> tuple[Any, bool]:
    """The declared type of ``table.key`` without ``| None``, and whether None is allowed."""
    declared = typing.get_type_hints(TABLES[table])[key]
    args = typing.get_args(declared)
    if type(None) in args and typing.get_origin(declared) is not Literal:
        return next(a for a in args if a is not type(None)), True
    return declared, False


def file_value(table: str, key: str, settings: Settings | None = None) -> Any:
    """``table.key`` of ``settings`` (default: the defaults) as the file writes it (``0`` /
    ``"auto"`` for "from the files", ``"07:00"`` for a clock)."""
    value = getattr(getattr(settings or Settings(), table), key)
    if value is None:
        return _field(table, key).metadata["unset"]
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    return value


def _limits(table: str, key: str) -> tuple[float | None, float | None]:
    meta = _field(table, key).metadata
    return meta.get("ge"), meta.get("le")


def _choices(table: str, key: str) -> tuple[str, ...]:
    base, _ = _type_of(table, key)
    return typing.get_args(base) if typing.get_origin(base) is Literal else ()


# --- validation: pydantic, built from the dataclasses on first use ---------------------------
#
# Each value type has one converter that says, after the key's name, what is wrong. pydantic
# is imported only when a config file is read, so a run without one never pays for it.


def _wrong(text: str) -> Exception:
    """A problem with one value; the message is shown after the key (``risk.acwr <text>``)."""
    from pydantic_core import PydanticCustomError

    return PydanticCustomError("runload", "{text}", {"text": text})


def _type_name(value: Any) -> str:
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "a table",
    }.get(type(value), type(value).__name__)


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _wrong(f"must be a number, not {_type_name(value)} ({value!r})")
    if not math.isfinite(value):
        raise _wrong(f"must be a number, not {value!r}")
    return float(value)


def _whole(value: Any) -> int:
    number = _number(value)
    if not number.is_integer():
        raise _wrong(f"must be a whole number, not {value!r}")
    return int(number)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise _wrong(f"must be text, not {_type_name(value)} ({value!r})")
    return value


def _clock(value: Any) -> dt.time:
    if isinstance(value, dt.time):
        return value
    try:
        return parse_clock(_text(value))
    except ValueError:
        raise _wrong(f'= "{value}" is not a time of day (write it like "07:00")') from None


def _zone(value: Any) -> str:
    try:
        return parse_zone(_text(value))
    except ValueError as exc:
        raise _wrong(f"= {exc}") from None


CONVERTERS: dict[Any, Callable[[Any], Any]] = {
    float: _number,
    int: _whole,
    str: _text,
    dt.time: _clock,
    Zone: _zone,
}


def _converter(table: str, key: str) -> Callable[[Any], Any]:
    """The one converter of ``table.key``'s type; its "not set" value becomes None."""
    base, _ = _type_of(table, key)
    convert = _text if typing.get_origin(base) is Literal else CONVERTERS[base]
    unset = _field(table, key).metadata["unset"]

    def checked(value: Any) -> Any:
        if unset is not None and not isinstance(value, bool) and value == unset:
            return None
        return convert(value)

    return checked


@functools.cache
def _validator(table: str) -> Any:
    """The pydantic model that validates ``table``: each key's type, converter and range."""
    from pydantic import BeforeValidator, ConfigDict, create_model
    from pydantic import Field as Constraint

    keys: dict[str, Any] = {}
    for f in fields(TABLES[table]):
        base, optional = _type_of(table, f.name)
        typed = (base | None) if optional else base
        lo, hi = _limits(table, f.name)
        keys[f.name] = (
            Annotated[typed, BeforeValidator(_converter(table, f.name))],
            Constraint(f.default, ge=lo, le=hi),
        )
    return create_model(f"{table}_settings", __config__=ConfigDict(extra="forbid"), **keys)


def _validate_table(table: str, given: dict[str, Any]) -> tuple[Any, Found]:
    """``TABLES[table]`` from the keys ``given``, or None and the problems found."""
    from pydantic import ValidationError

    try:
        checked = _validator(table).model_validate(given)
    except ValidationError as exc:
        return None, [pair for error in exc.errors() for pair in _explain(table, error)]
    value = TABLES[table](**{f.name: getattr(checked, f.name) for f in fields(TABLES[table])})
    return value, CROSS_CHECKS.get(table, lambda _: [])(value)


def _explain(table: str, error: Any) -> Found:
    """One pydantic error as ``(keys, message)`` pairs in runload's words."""
    key = str(error["loc"][0]) if error["loc"] else ""
    dotted = f"{table}.{key}"
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    if kind == "runload":
        return [(dotted, f"{dotted} {ctx['text']}")]
    if kind in ("greater_than_equal", "less_than_equal"):
        lo, hi = _limits(table, key)
        return [(dotted, f"{dotted} = {value:g} is out of range ({lo:g} to {hi:g})")]
    if kind == "literal_error":
        choices = ", ".join(_choices(table, key))
        return [(dotted, f'{dotted} = "{value}" is not one of {choices}')]
    return [(dotted, f"{dotted}: {error['msg']}")]


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
            what = _type_name(value)
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
        tables[table], problems = _validate_table(table, given)
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
    if choices := _choices(table, key):
        return " \\| ".join(choices)
    lo, hi = _limits(table, key)
    if lo is not None and hi is not None:
        return f"{lo:g}–{hi:g}"
    return "HH:MM" if _type_of(table, key)[0] is dt.time else ""


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
