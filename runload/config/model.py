"""The typed settings: one frozen dataclass per ``runload.toml`` table (athlete, load, risk,
sitting, advice, paths, display), every key declared once with its type, default, range and
one-line description (``_key``), the checks between keys of one table, and what the model
says about each key (for the validator and the texts made from it). Every threshold of the
method lives here. In the file, ``0`` for a heart rate and ``"auto"`` for ``sex``/``timezone``
mean "not set: take it from the files"; in the settings they are ``None``. Clock settings
are ``datetime.time``.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Callable
from dataclasses import Field, dataclass, field, fields
from pathlib import Path
from typing import Any, Literal, NewType

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


def field_of(table: str, key: str) -> Field[Any]:
    return next(f for f in fields(TABLES[table]) if f.name == key)


def describe(table: str, key: str) -> str:
    """The one-line description of ``table.key``."""
    return str(field_of(table, key).metadata["description"])


def type_of(table: str, key: str) -> tuple[Any, bool]:
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
        return field_of(table, key).metadata["unset"]
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    return value


def limits_of(table: str, key: str) -> tuple[float | None, float | None]:
    meta = field_of(table, key).metadata
    return meta.get("ge"), meta.get("le")


def choices_of(table: str, key: str) -> tuple[str, ...]:
    base, _ = type_of(table, key)
    return typing.get_args(base) if typing.get_origin(base) is Literal else ()
