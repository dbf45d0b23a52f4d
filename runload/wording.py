"""How runload words a number: durations, sitting hours, percentages, distances, paces and
ratios, a level with its points, and the method's one tolerance ``EPS``.

Owns every wording a runner reads a number in (the reasons of ``runload.risk``, the report
header, the check lines, the day table, Markdown and the HTML page), so one number never reads
two ways. Each wording is written once, as a polars expression (``duration_expr``,
``hours_expr``, ...), which ``runload.risk`` applies to whole frames; the plain functions
(``duration``, ``hours``, ...) evaluate that same expression on one Python value (``each`` on a
list), so the renderers have no copy of their own.

Distances and paces are shown in the runner's units (``[display] units``: ``metric`` km and
min/km, or ``imperial`` miles and min/mi: ``distance_expr``, ``pace_expr``); the data keeps km.

``EPS`` lives here, not with the rules, because a shown value is cut with the same tolerance
the rules compare with: a value that reached a threshold never reads below it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import polars as pl

EPS = 1e-9
HOW = ("round", "up", "down")
KM_PER_MILE = 1.609344  # the international mile
FEET_PER_METRE = 1 / 0.3048
# ``[display] units`` → the distance unit and the pace's unit as shown
DISTANCE_UNITS = {"metric": "km", "imperial": "mi"}


def decimals_for(*thresholds: float) -> int:
    """Decimals needed to show values next to these thresholds: at least 2, at most 6."""
    need = [len(f"{t:.6f}".rstrip("0").partition(".")[2]) for t in thresholds]
    return max([2, *need])


def _finite(value: pl.Expr) -> pl.Expr:
    """``value`` as a float, null when missing, NaN or infinite (such a value reads as "")."""
    value = value.cast(pl.Float64)
    return pl.when(value.is_finite()).then(value)


def _whole(value: pl.Expr, how: str) -> pl.Expr:
    """``value`` to a whole number: rounded, or up / down with the ``EPS`` tolerance."""
    if how == "round":
        return value.round(0)
    if how == "up":
        return (value - EPS).ceil()
    if how == "down":
        return (value + EPS).floor()
    raise ValueError(f"how must be one of {', '.join(HOW)}, not {how!r}")


def _plain(value: pl.Expr, decimals: int) -> pl.Expr:
    """A value already cut or rounded to ``decimals``, without trailing zeros."""
    return (
        pl.when(value == value.floor())
        .then(value.cast(pl.Int64, strict=False).cast(pl.String).fill_null(value.cast(pl.String)))
        .otherwise(value.round(decimals).cast(pl.String))
    )


def cut_expr(value: pl.Expr, decimals: int = 2) -> pl.Expr:
    """``value`` cut (not rounded) to ``decimals``, no trailing zeros: ``1.4999`` reads
    ``1.49``, never ``1.5`` next to a "1.5 or more" rule it did not reach. The cut allows
    ``EPS``, as the comparisons do, so a value that reached a threshold never reads below it
    (for thresholds with up to ``decimals`` decimals: see ``decimals_for``)."""
    scale = 10.0**decimals
    return _plain(((_finite(value) + EPS) * scale).floor() / scale, decimals)


def hours_expr(hours: pl.Expr, decimals: int = 2) -> pl.Expr:
    """Sitting hours: ``10.5`` / ``9.25`` / ``9``, cut (9.999 h must not read as 10 h next to
    a "10 h or more" rule it did not reach)."""
    return cut_expr(hours, decimals)


def ratio_expr(ratio: pl.Expr, decimals: int = 2) -> pl.Expr:
    """A ratio (ACWR, monotony, the spike ratio): ``1.49``, cut like the hours."""
    return cut_expr(ratio, decimals)


def duration_expr(minutes: pl.Expr, how: str = "round") -> pl.Expr:
    """``1 h 5 min`` / ``45 min`` / ``2 h`` from minutes, to the whole minute (``how``:
    ``round`` | ``up`` | ``down``; a spike's run is shown rounded up and the run it beat
    rounded down, so the text never shows the two as equal)."""
    total = _whole(_finite(minutes), how).cast(pl.Int64, strict=False)
    h, m = total // 60, total % 60
    return (
        pl.when(h == 0)
        .then(pl.format("{} min", m))
        .when(m == 0)
        .then(pl.format("{} h", h))
        .otherwise(pl.format("{} h {} min", h, m))
    )


def km_expr(km: pl.Expr, how: str = "round", decimals: int = 1) -> pl.Expr:
    """Kilometres with exactly ``decimals`` decimals (``18.0``, ``664.9``), rounded or, for a
    spike, the run rounded up and the run it beat rounded down (``how``), so "longer than
    1.1 ×" never shows two numbers that say otherwise."""
    scale = 10**decimals
    units = _whole(_finite(km) * float(scale), how).cast(pl.Int64, strict=False)
    if decimals == 0:
        return units.cast(pl.String)
    fraction = (units % scale).cast(pl.String).str.zfill(decimals)
    return pl.format("{}.{}", units // scale, fraction)


def mi_expr(km: pl.Expr, how: str = "round", decimals: int = 1) -> pl.Expr:
    """A distance given in km, shown in miles as ``km_expr`` shows km (``11.0``), with the
    same ``how``: a spike in miles reads its two runs apart as the km wording does."""
    return km_expr(km.cast(pl.Float64) / KM_PER_MILE, how, decimals)


def distance_unit(units: str) -> str:
    """``km`` or ``mi`` for ``[display] units`` (``metric`` | ``imperial``)."""
    try:
        return DISTANCE_UNITS[units]
    except KeyError:
        raise ValueError(
            f"units must be one of {', '.join(DISTANCE_UNITS)}, not {units!r}"
        ) from None


def distance_expr(km: pl.Expr, units: str, how: str = "round", decimals: int = 1) -> pl.Expr:
    """A distance given in km, in the display ``units``: ``km_expr`` or ``mi_expr`` (the
    number only; ``distance_unit`` names it)."""
    expr = mi_expr if distance_unit(units) == "mi" else km_expr
    return expr(km, how, decimals)


def pace_expr(minutes: pl.Expr, km: pl.Expr, units: str) -> pl.Expr:
    """Minutes per km or per mile (``units``) to the second: ``5:07``; empty ("") without
    a distance or a time."""
    per = pl.lit(KM_PER_MILE if distance_unit(units) == "mi" else 1.0)
    seconds = (_finite(minutes) * 60 / (_finite(km) / per)).round(0)
    whole = pl.when(seconds.is_finite() & (seconds > 0)).then(seconds).cast(pl.Int64, strict=False)
    return pl.format("{}:{}", whole // 60, (whole % 60).cast(pl.String).str.zfill(2))


def climb_expr(metres: pl.Expr, units: str) -> pl.Expr:
    """An ascent given in metres, in whole metres or (``imperial``) whole feet."""
    scale = FEET_PER_METRE if distance_unit(units) == "mi" else 1.0
    return (_finite(metres) * scale).round(0).cast(pl.Int64, strict=False).cast(pl.String)


def percent_expr(share: pl.Expr, decimals: int = 0) -> pl.Expr:
    """A share (``0.325``) as a percentage rounded to ``decimals``, no trailing zeros
    (``32``); the ``%`` sign is the caller's."""
    return _plain((_finite(share) * 100).round(decimals), decimals)


# --- the same wordings on Python values ------------------------------------------------------


def each(wording: Callable[..., pl.Expr], values: Iterable[Any], **options: Any) -> list[str]:
    """``wording`` (one of the ``*_expr`` functions above) evaluated on Python numbers, one
    text per value; a missing or non-finite value reads as ``""``."""
    column = pl.Series("v", [None if v is None else float(v) for v in values], pl.Float64)
    out = pl.DataFrame([column]).select(wording(pl.col("v"), **options).fill_null(""))
    return out.to_series().to_list()


def duration(minutes: float | None, how: str = "round") -> str:
    """``duration_expr`` on one value: ``65`` → ``1 h 5 min``."""
    return each(duration_expr, [minutes], how=how)[0]


def hours(value: float | None, decimals: int = 2) -> str:
    """``hours_expr`` on one value: ``9.999`` → ``9.99``."""
    return each(hours_expr, [value], decimals=decimals)[0]


def ratio(value: float | None, decimals: int = 2) -> str:
    """``ratio_expr`` on one value: ``1.4999`` → ``1.49``."""
    return each(ratio_expr, [value], decimals=decimals)[0]


def km(value: float | None, how: str = "round", decimals: int = 1) -> str:
    """``km_expr`` on one value: ``664.94`` → ``664.9``."""
    return each(km_expr, [value], how=how, decimals=decimals)[0]


def distance(value: float | None, units: str, how: str = "round", decimals: int = 1) -> str:
    """``distance_expr`` on one value in km: ``664.94`` → ``664.9`` (metric), ``413.2``
    (imperial)."""
    return each(distance_expr, [value], units=units, how=how, decimals=decimals)[0]


def distance_text(value: float | None, units: str, decimals: int = 1) -> str:
    """A distance in km as the runner reads it, with its unit: ``664.9 km`` / ``413.2 mi``."""
    return f"{distance(value, units, decimals=decimals)} {distance_unit(units)}"


def pace(minutes: float | None, km: float | None, units: str) -> str:
    """``pace_expr`` on one run: ``(51.2, 10.0, "metric")`` → ``5:07``."""
    frame = pl.DataFrame({"m": [minutes], "k": [km]}, schema={"m": pl.Float64, "k": pl.Float64})
    out = frame.select(pace_expr(pl.col("m"), pl.col("k"), units).fill_null(""))
    return str(out.item())


def percent(share: float | None, decimals: int = 0) -> str:
    """``percent_expr`` on one value: ``0.325`` → ``32``."""
    return each(percent_expr, [share], decimals=decimals)[0]


# --- a level and its points ------------------------------------------------------------------


def points(n: int) -> str:
    """``1 point`` / ``3 points``."""
    return f"{n} point{'' if n == 1 else 's'}"


def level_text(risk: str, score: int, why: str | None = None) -> str:
    """The level with its points, as the check's first line reads: ``ELEVATED (3 points)``;
    with ``why`` the level is lower than the points alone would give:
    ``LOW (3 points, all from sitting)`` (``runload.risk.score.held_back``)."""
    return f"{risk.upper()} ({points(score)}{', ' + why if why else ''})"


def sitting_alone_text(score: int, elevated_points: int, what: str = "sitting") -> str:
    """Why a day of ``score`` points (``elevated_points`` or more) all from ``what`` (sitting,
    the self-check) stays low: the level rule of ``runload.risk.score``, in words."""
    return (
        f"{what} alone never raises a day above low: these {points(score)} count toward "
        f"elevated (from {points(elevated_points)}) only when the running adds a reason "
        "too (a long run, a longer run than usual, a load jump, monotony) or numbness is "
        "logged"
    )


def few_factors_short(high_factors: int) -> str:
    """The short why of an elevated day with the points of a high one."""
    return f"high needs {high_factors} running or body reasons"


def few_factors_text(score: int, high_points: int, high_factors: int, found: int) -> str:
    """Why a day of ``score`` points (``high_points`` or more) is elevated, not high: it has
    ``found`` of the ``high_factors`` running or body reasons a high day needs."""
    return (
        f"these {points(score)} reach high (from {points(high_points)}), but a high day also "
        f"needs {high_factors} different reasons from the running or the body (a long run, a "
        f"longer run than usual, a load jump, monotony, numbness) and this day has {found}: "
        "sitting and the self-check raise a day by at most one level"
    )
