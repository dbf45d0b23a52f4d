"""The typed settings and the ``runload.toml`` file behind them.

Owns: the settings model (one pydantic model per TOML table: athlete, load, risk, sitting,
advice, paths; every key's type, default, range and one-line description), finding the
config file (``--config`` > ``$RUNLOAD_CONFIG`` > ``./runload.toml`` > the user config
folder), reading it (broken TOML names the line and column; unknown keys, wrong types and
values out of range name the key and its line, all in one message), and the two texts
made from the model so they cannot drift from it: ``config_text`` (what ``runload init``
writes: every key, its default and its description) and ``settings_table`` (the Markdown
table in the README and docs/method.md). Every threshold of the method lives here.

In the file, ``0`` for a heart rate and ``"auto"`` for ``sex``/``timezone`` mean "not set:
take it from the files"; in the model they are ``None``. Clock settings are
``datetime.time`` once read.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import os
import re
import tomllib
import typing
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from pydantic import model_validator as _model_validator
from pydantic_core import PydanticCustomError

from runload.errors import ConfigError
from runload.fsutil import atomic_write
from runload.units import parse_clock, parse_zone

CONFIG_NAME = "runload.toml"
ENV_VAR = "RUNLOAD_CONFIG"

# --- the value types: each says, after the key's name, what is wrong ------------------------


def _wrong(text: str) -> PydanticCustomError:
    """A problem with one value; the message is shown after the key (``risk.acwr <text>``)."""
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
    text = _text(value)
    try:
        return parse_zone(text)
    except ValueError as exc:
        raise _wrong(f"= {exc}") from None


Number = Annotated[float, BeforeValidator(_number)]
Whole = Annotated[int, BeforeValidator(_whole)]
Text = Annotated[str, BeforeValidator(_text)]
Clock = Annotated[dt.time, BeforeValidator(_clock)]
Zone = Annotated[str, BeforeValidator(_zone)]
AcwrMethod = Annotated[Literal["rolling", "uncoupled", "ewma"], BeforeValidator(_text)]
Sex = Annotated[Literal["male", "female", "unspecified"], BeforeValidator(_text)]
AcuteCare = Annotated[Literal["rice", "peace_love"], BeforeValidator(_text)]


def _key(default: Any, description: str, *, unset: Any = None, **limits: float) -> Any:
    """A setting: its default, its one-line description (the ``runload init`` comment and
    the docs' "what"), its range (``ge``/``le``) and, for values taken from the files when
    not set, what the file writes for "not set" (``unset``)."""
    extra = {"unset": unset} if unset is not None else None
    return Field(default, description=description, json_schema_extra=extra, **limits)


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


def _cross(*found: tuple[str, str]) -> None:
    """Raise the problems found between keys of one table (``(keys, message)`` pairs)."""
    if found:
        raise PydanticCustomError("runload_cross", "{text}", {"text": "", "found": list(found)})


# --- the tables ------------------------------------------------------------------------------


class AthleteSettings(_Table):
    """who runs: sets the heart-rate weighting of the load"""

    hr_max: Number | None = _key(
        None,
        "maximum heart rate, bpm (0 = from the files: zones_target, "
        "else the highest HR of the season's runs)",
        unset=0,
        ge=100,
        le=250,
    )
    hr_rest: Number | None = _key(
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

    @_model_validator(mode="before")
    @classmethod
    def _unset_is_none(cls, data: Any) -> Any:
        """``0`` / ``"auto"`` in the file mean "from the files"."""
        if not isinstance(data, dict):
            return data
        out = dict(data)
        for name, value in data.items():
            info = cls.model_fields.get(name)
            unset = (info.json_schema_extra or {}).get("unset") if info else None  # type: ignore[union-attr]
            if unset is not None and not isinstance(value, bool) and value == unset:
                out[name] = None
        return out

    @_model_validator(mode="after")
    def _rest_below_max(self) -> AthleteSettings:
        if self.hr_max is not None and self.hr_rest is not None and self.hr_max <= self.hr_rest:
            _cross(
                (
                    "athlete.hr_max athlete.hr_rest",
                    f"athlete.hr_max ({self.hr_max:g}) must be above athlete.hr_rest "
                    f"({self.hr_rest:g})",
                )
            )
        return self


class LoadSettings(_Table):
    """running load (Banister TRIMP), long runs and the load metrics"""

    acwr_method: AcwrMethod = _key(
        "rolling",
        "rolling | uncoupled (chronic = days 8-28 back) | ewma (Williams et al. 2017)",
    )
    assumed_hrr: Number = _key(
        0.6,
        "heart-rate reserve fraction assumed for runs without any HR (load marked estimated)",
        ge=0,
        le=1,
    )
    hr_gap_cap_seconds: Number = _key(
        30.0,
        "longest gap between HR samples counted (pauses count no more than this)",
        ge=1,
        le=3600,
    )
    long_run_minutes: Number = _key(
        90.0, "a run this long (moving minutes) is a long run", ge=1, le=1440
    )
    long_run_share_minutes: Number = _key(
        60.0, "a run this long is also long when it is a big share of the week", ge=1, le=1440
    )
    long_run_week_share: Number = _key(
        0.30,
        "...that share of the running minutes of the 7 days ending that day (that run included)",
        ge=0,
        le=1,
    )
    spike_ratio: Number = _key(
        1.10,
        "long_run_spike: longer than this x the longest run of the "
        "previous days (Frandsen et al. 2025)",
        ge=1,
        le=10,
    )
    spike_days: Whole = _key(30, "...looking back this many days", ge=1, le=365)
    acute_days: Whole = _key(7, "acute window, days", ge=1, le=60)
    chronic_days: Whole = _key(
        28, "chronic window, days (acwr stays empty until this much history)", ge=2, le=365
    )
    monotony_days: Whole = _key(7, "monotony/strain window, days (Foster 1998)", ge=2, le=60)
    monotony_cap: Number = _key(10.0, "monotony is capped at this value", ge=1, le=1000)
    ctl_days: Number = _key(42.0, "fitness (CTL) time constant, days", ge=1, le=365)
    atl_days: Number = _key(7.0, "fatigue (ATL) time constant, days", ge=1, le=365)
    planned_rate_days: Whole = _key(
        28,
        "a planned run gets the median load per minute of the runs of this many days before it",
        ge=1,
        le=365,
    )
    planned_start: Clock = _key(
        "18:00",
        "local start time assumed for a planned run (after 12:00: that day's sitting counts)",
    )

    @_model_validator(mode="after")
    def _chronic_after_acute(self) -> LoadSettings:
        if self.chronic_days <= self.acute_days:
            _cross(
                (
                    "load.chronic_days load.acute_days",
                    f"load.chronic_days ({self.chronic_days}) must be longer than "
                    f"load.acute_days ({self.acute_days})",
                )
            )
        return self


class RiskSettings(_Table):
    """points per factor; elevated/high need a factor other than sitting"""

    sitting_hours: Number = _key(8.0, "sitting exposure this long -> +1 point", ge=0, le=24)
    sitting_hours_high: Number = _key(10.0, "sitting exposure this long -> +2 points", ge=0, le=24)
    morning_before: Clock = _key(
        "12:00",
        "a run starting before this local time is exposed to the sitting of the day before",
    )
    streak_days: Whole = _key(
        3, "sitting_streak: this many consecutive days of long sitting -> +1", ge=2, le=60
    )
    streak_hours: Number = _key(8.0, "...each with at least this many hours", ge=0, le=24)
    acwr: Number = _key(1.3, "load_spike: acute:chronic load this high -> +1", ge=0, le=100)
    acwr_high: Number = _key(1.5, "load_spike: acute:chronic load this high -> +2", ge=0, le=100)
    monotony: Number = _key(2.0, "monotony this high -> +1", ge=0, le=1000)
    numbness: Whole = _key(
        3, "symptoms: numbness (0-10) this high that day or the day before -> +2", ge=0, le=10
    )
    elevated_points: Whole = _key(
        2, "points for an elevated day (needs a non-sitting factor)", ge=1, le=100
    )
    high_points: Whole = _key(4, "points for a high day (needs a non-sitting factor)", ge=1, le=100)

    @_model_validator(mode="after")
    def _high_above_low(self) -> RiskSettings:
        pairs = (
            ("sitting_hours_high", "sitting_hours"),
            ("acwr_high", "acwr"),
            ("high_points", "elevated_points"),
        )
        _cross(
            *(
                (f"risk.{high} risk.{low}", f"risk.{high} must be at least risk.{low}")
                for high, low in pairs
                if getattr(self, high) < getattr(self, low)
            )
        )
        return self


class SittingSettings(_Table):
    """the sitting log and how device sitting is read"""

    log: Text = _key("sitting.csv", "the sitting log file (relative to this config file's folder)")
    waking_start: Clock = _key("07:00", "waking day starts (device sitting is counted from here)")
    waking_end: Clock = _key("23:00", "waking day ends (device sitting is counted until here)")
    device_offset_hours: Number = _key(
        1.0,
        "device sitting reads higher than self-report "
        "(Ku et al. 2018): sitting thresholds are raised by this "
        "for device days",
        ge=0,
        le=12,
    )

    @_model_validator(mode="after")
    def _window(self) -> SittingSettings:
        if self.waking_end <= self.waking_start:
            _cross(
                (
                    "sitting.waking_end sitting.waking_start",
                    f"sitting.waking_end ({self.waking_end:%H:%M}) must be after "
                    f"sitting.waking_start ({self.waking_start:%H:%M})",
                )
            )
        return self


class AdviceSettings(_Table):
    """what to do"""

    acute_care: AcuteCare = _key(
        "rice",
        "rice | peace_love (Dubois & Esculier 2020): the soreness advice on high days",
    )
    movement_hours: Number = _key(8.0, "movement_breaks: sitting this long that day", ge=0, le=24)
    glute_days: Whole = _key(3, "glute_strength: this many elevated or high days...", ge=1, le=365)
    glute_window_days: Whole = _key(14, "...in this many days", ge=1, le=365)
    professional_numbness: Whole = _key(
        6, "see_professional: numbness this high on one day...", ge=0, le=10
    )
    professional_days: Whole = _key(
        3, "...or risk.numbness or more on this many days...", ge=1, le=365
    )
    professional_window_days: Whole = _key(7, "...of this many", ge=1, le=365)


class PathSettings(_Table):
    """where things are"""

    activities: Text = _key("", 'folder of FIT files used when none is given ("" = none)')
    cache_dir: Text = _key("", '"" = the user cache folder (or $RUNLOAD_CACHE_DIR)')


class Settings(_Table):
    """All settings; ``Settings()`` is the defaults. ``source`` is the file read (or None);
    it is not part of the settings (two files saying the same are equal settings)."""

    athlete: AthleteSettings = Field(default_factory=AthleteSettings)
    load: LoadSettings = Field(default_factory=LoadSettings)
    risk: RiskSettings = Field(default_factory=RiskSettings)
    sitting: SittingSettings = Field(default_factory=SittingSettings)
    advice: AdviceSettings = Field(default_factory=AdviceSettings)
    paths: PathSettings = Field(default_factory=PathSettings)
    source: Path | None = Field(default=None, exclude=True, repr=False)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Settings):
            return NotImplemented
        return all(getattr(self, t) == getattr(other, t) for t in TABLES)

    def __hash__(self) -> int:
        return hash(tuple(getattr(self, t) for t in TABLES))

    def resolve_path(self, value: str) -> Path:
        """A path from the config, relative to the config file's folder (else the cwd)."""
        p = Path(value).expanduser()
        if p.is_absolute() or self.source is None:
            return p
        return self.source.parent / p


TABLES: dict[str, type[_Table]] = {
    "athlete": AthleteSettings,
    "load": LoadSettings,
    "risk": RiskSettings,
    "sitting": SittingSettings,
    "advice": AdviceSettings,
    "paths": PathSettings,
}


def table_comment(table: str) -> str:
    return (TABLES[table].__doc__ or "").strip()


def setting_keys() -> list[tuple[str, str]]:
    """Every ``(table, key)`` of the file, in the order ``runload init`` writes them."""
    return [(table, key) for table, cls in TABLES.items() for key in cls.model_fields]


def file_value(table: str, key: str, settings: Settings | None = None) -> Any:
    """``table.key`` of ``settings`` (default: the defaults) as the file writes it (``0`` /
    ``"auto"`` for "from the files", ``"07:00"`` for a clock)."""
    info = TABLES[table].model_fields[key]
    value = getattr(getattr(settings or Settings(), table), key)
    if value is None:
        return (info.json_schema_extra or {}).get("unset")  # type: ignore[union-attr]
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    return value


def _limits(table: str, key: str) -> tuple[float | None, float | None]:
    info = TABLES[table].model_fields[key]
    lo = next((m.ge for m in info.metadata if hasattr(m, "ge")), None)
    hi = next((m.le for m in info.metadata if hasattr(m, "le")), None)
    return lo, hi


def _choices(table: str, key: str) -> tuple[str, ...]:
    def literal_args(tp: Any) -> tuple[str, ...]:
        if typing.get_origin(tp) is Literal:
            return typing.get_args(tp)
        return tuple(a for arg in typing.get_args(tp) for a in literal_args(arg))

    return literal_args(TABLES[table].model_fields[key].annotation)


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
            names = list(TABLES[table].model_fields)
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


def _explain(error: Any) -> list[tuple[str, str]]:
    """One pydantic error as ``(keys, message)`` pairs in runload's words."""
    loc = [str(part) for part in error["loc"]]
    dotted = ".".join(loc[:2])
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    if kind == "runload_cross":
        return [tuple(pair) for pair in ctx["found"]]  # type: ignore[misc]
    if kind == "runload":
        return [(dotted, f"{dotted} {ctx['text']}")]
    if kind in ("greater_than_equal", "less_than_equal") and len(loc) >= 2:
        lo, hi = _limits(loc[0], loc[1])
        return [(dotted, f"{dotted} = {value:g} is out of range ({lo:g} to {hi:g})")]
    if kind == "literal_error" and len(loc) >= 2:
        choices = ", ".join(_choices(loc[0], loc[1]))
        return [(dotted, f'{dotted} = "{value}" is not one of {choices}')]
    return [(dotted, f"{dotted}: {error['msg']}")]


def settings_from_dict(
    data: dict[str, Any], *, source: Path | None = None, lines: dict[str, int] | None = None
) -> Settings:
    """Validate a parsed TOML document. All problems go in one ``ConfigError`` line, each
    naming its key and, when ``lines`` (from ``key_lines``) knows it, the line."""
    known, found = _unknown(data)
    try:
        settings = Settings.model_validate({**known, "source": source})
    except ValidationError as exc:
        for error in exc.errors():
            found.setdefault(str(error["loc"][0]), []).extend(_explain(error))
    else:
        if not any(found.values()):
            return settings
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
        for key, info in cls.model_fields.items():
            value = _toml_value(file_value(table, key, settings))
            lines.append(f"{key} = {value}  # {info.description}")
        lines.append("")
    return "\n".join(lines)


def _range_text(table: str, key: str) -> str:
    if choices := _choices(table, key):
        return " \\| ".join(choices)
    lo, hi = _limits(table, key)
    if lo is not None and hi is not None:
        return f"{lo:g}–{hi:g}"
    return {dt.time: "HH:MM"}.get(type(getattr(getattr(Settings(), table), key)), "")


def settings_table() -> str:
    """The Markdown table of every setting (key, default as written in the file, allowed
    values, description): the README and docs/method.md carry it between
    ``<!-- settings-table -->`` marks, rewritten by ``python tools/settings_docs.py``."""
    rows = ["| key | default | values | what |", "|---|---|---|---|"]
    for table, key in setting_keys():
        default = _toml_value(file_value(table, key))
        what = TABLES[table].model_fields[key].description or ""
        what = what.replace("|", "\\|")
        rows.append(f"| `{table}.{key}` | `{default}` | {_range_text(table, key)} | {what} |")
    return "\n".join(rows) + "\n"


def init_config(path: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Write a config file with every key, its default and a one-line comment. Refuses to
    overwrite an existing file unless ``force`` (``ConfigError``)."""
    path = Path(path).expanduser()
    if path.is_dir():
        path = path / CONFIG_NAME
    if path.exists() and not force:
        raise ConfigError("already exists (use --force to overwrite it)", path=path)
    try:
        atomic_write(path, config_text())
    except OSError as exc:
        raise ConfigError(f"cannot write config: {exc.strerror or exc}", path=path) from None
    return path
