"""Who runs: max HR, resting HR and sex, each with where it came from.

Owns the resolution order config > facts found in the files (``AthleteFact``: zones_target,
user_profile, Garmin daily summaries) > the highest HR seen in the season's runs (max HR
only) > defaults, and the ``Athlete`` record the report prints ("hr_max 186 bpm, from
zones_target in 2024-03-01.fit").
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl

from runload.config import AthleteSettings
from runload.hrsummary import PLAUSIBLE_HR
from runload.schema import AthleteFact

DEFAULT_HR_MAX = 190.0
DEFAULT_HR_REST = 60.0
DEFAULT_SEX = "unspecified"
# Max HR must be at least this far above resting HR, else both fall back to the defaults.
MIN_RESERVE = 20.0
SEXES = ("male", "female", "unspecified")


@dataclass(frozen=True)
class AthleteValue:
    name: str
    value: float | str | None
    source: str  # "config", "file x.fit (user_profile)", "highest HR in the runs (x.fit)", ...


@dataclass(frozen=True)
class Athlete:
    hr_max: float
    hr_rest: float
    sex: str
    timezone: str | None
    sources: dict[str, str]
    warnings: tuple[str, ...] = ()

    def values(self) -> list[AthleteValue]:
        """One row per value, in report order."""
        return [
            AthleteValue("hr_max", self.hr_max, self.sources["hr_max"]),
            AthleteValue("hr_rest", self.hr_rest, self.sources["hr_rest"]),
            AthleteValue("sex", self.sex, self.sources["sex"]),
            AthleteValue("timezone", self.timezone, self.sources["timezone"]),
        ]

    def rows(self) -> list[dict[str, object]]:
        return [{"name": v.name, "value": v.value, "source": v.source} for v in self.values()]


def _numeric_facts(facts: Iterable[AthleteFact], name: str) -> list[tuple[float, str]]:
    out = []
    for f in facts:
        if f.name != name:
            continue
        try:
            value = float(f.value)
        except (TypeError, ValueError):
            continue
        if value > 0:
            out.append((value, f.source))
    return out


def _from_facts_max(facts: list[tuple[float, str]]) -> tuple[float, str] | None:
    if not facts:
        return None
    value, source = max(facts, key=lambda vs: vs[0])
    return value, f"file {source}"


def _from_facts_median(facts: list[tuple[float, str]]) -> tuple[float, str] | None:
    """Resting HR varies day to day: the median of the values found."""
    if not facts:
        return None
    if len(facts) == 1:
        return facts[0][0], f"file {facts[0][1]}"
    value = statistics.median(v for v, _ in facts)
    files = sorted({s for _, s in facts})
    shown = ", ".join(files[:2]) + (f" and {len(files) - 2} more" if len(files) > 2 else "")
    return float(value), f"median of {len(facts)} values in {shown}"


def season_max_hr(activities: pl.DataFrame) -> tuple[float, str] | None:
    """The highest plausible HR of the runs (session max_hr, or the samples: their summary's
    ``hr_peak`` when there is one), with its file."""
    if activities.is_empty():
        return None
    lo, hi = PLAUSIBLE_HR
    runs = activities.filter(pl.col("is_run").fill_null(False))
    if runs.is_empty():
        return None
    in_band = pl.element().filter(pl.element().is_between(lo, hi))
    from_samples = pl.col("hr_bpm").list.eval(in_band).list.max()
    if "hr_peak" in runs.columns:  # the samples' summary (``hrsummary``)
        from_samples = pl.coalesce(pl.col("hr_peak"), from_samples)
    peak = pl.max_horizontal(
        pl.when(pl.col("max_hr").is_between(lo, hi)).then(pl.col("max_hr")), from_samples
    )
    per_run = runs.select("file", peak.alias("peak")).drop_nulls("peak")
    if per_run.is_empty():
        return None
    # (of equal peaks the first run's: polars' sort keeps no order of ties unless told)
    best = per_run.sort("peak", descending=True, maintain_order=True).row(0, named=True)
    return float(best["peak"]), f"highest HR in the runs ({best['file']})"


def resolve_athlete(
    config: AthleteSettings,
    facts: Iterable[AthleteFact] = (),
    activities: pl.DataFrame | None = None,
) -> Athlete:
    """Resolve hr_max, hr_rest and sex: config > file facts > season max HR > defaults."""
    facts = list(facts)
    sources: dict[str, str] = {}
    warnings: list[str] = []

    def pick(
        name: str, configured: object, *candidates: tuple[object, str] | None, default: object
    ):
        if configured is not None:
            sources[name] = "config"
            return configured
        for cand in candidates:
            if cand is not None:
                sources[name] = cand[1]
                return cand[0]
        sources[name] = "default"
        return default

    hr_rest = float(
        pick(
            "hr_rest",
            config.hr_rest,
            _from_facts_median(_numeric_facts(facts, "hr_rest")),
            default=DEFAULT_HR_REST,
        )
    )
    season = season_max_hr(activities) if activities is not None else None
    hr_max = float(
        pick(
            "hr_max",
            config.hr_max,
            _from_facts_max(_numeric_facts(facts, "hr_max")),
            season,
            default=DEFAULT_HR_MAX,
        )
    )
    sex_facts = [(str(f.value).lower(), f.source) for f in facts if f.name == "sex"]
    sex_facts = [(v, s) for v, s in sex_facts if v in SEXES]
    sex = str(
        pick(
            "sex",
            config.sex,
            (sex_facts[0][0], f"file {sex_facts[0][1]}") if sex_facts else None,
            default=DEFAULT_SEX,
        )
    )
    sources["timezone"] = (
        "config" if config.timezone else "the files' own UTC offsets, else this machine's zone"
    )

    if hr_max - hr_rest < MIN_RESERVE:
        warnings.append(
            f"max HR {hr_max:g} ({sources['hr_max']}) is not {MIN_RESERVE:g} bpm or more above "
            f"resting HR {hr_rest:g} ({sources['hr_rest']}): using the defaults {DEFAULT_HR_MAX:g}/"
            f"{DEFAULT_HR_REST:g} instead; set [athlete] hr_max and hr_rest in runload.toml"
        )
        hr_max, hr_rest = DEFAULT_HR_MAX, DEFAULT_HR_REST
        sources["hr_max"] = sources["hr_rest"] = "default (the values found did not fit)"
    return Athlete(hr_max, hr_rest, sex, config.timezone, sources, tuple(warnings))
