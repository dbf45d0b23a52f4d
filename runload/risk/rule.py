"""What a risk factor is (``Rule``) and what its reasons look like (``REASON_DTYPE``).

A rule holds only its own logic, as polars expressions over the day frame that
``runload.risk.frame`` prepares: the helper columns it needs (``prepare``), its points, the
number it compares (``value``), the line that number reached (``threshold``), the unit, and
the sentence worded from those two (``detail``); plus the words its row of the docs' factor
table is generated from (``rule_text``, ``points_text``). The machinery — the frame, the loop
over the rules, the level — is ``runload.risk.score``'s; nothing there knows a factor by name.

Model: sqlfluff's rules (one small class per rule, registered, documented from itself).
"""

from __future__ import annotations

from typing import ClassVar, Literal

import polars as pl

from runload.config import Settings
from runload.wording import decimals_for, hours_expr

# sitting: the desk; run: the training; body: what the runner feels (numbness); sign: what
# a self-check found (a positive test, a pain site). The running and the body raise a day;
# the sitting and the signs only sharpen a day they raise (``runload.risk.score``).
Group = Literal["sitting", "run", "body", "sign"]
GROUPS: tuple[Group, ...] = ("sitting", "run", "body", "sign")
RAISING: tuple[Group, ...] = ("run", "body")

# A reason: the factor, its points, the number the rule compared (``value``, in ``unit``), the
# line it reached (``threshold``) and the sentence saying so (``detail``, worded from those
# two). A reason with 0 points says why a number past its line did not count.
REASON_DTYPE = pl.Struct(
    {
        "factor": pl.String,
        "points": pl.Int64,
        "value": pl.Float64,
        "threshold": pl.Float64,
        "unit": pl.String,
        "detail": pl.String,
    }
)


def device_offset(kind: pl.Expr, settings: Settings) -> pl.Expr:
    """The device offset on device days (``kind`` == "device"), else 0."""
    return pl.when(kind == "device").then(settings.sitting.device_offset_hours).otherwise(0.0)


def planned_word(flag: pl.Expr, word: str = "planned ") -> pl.Expr:
    """``word`` where ``flag`` (the reason's run is the planned run of ``check --planned``)."""
    return pl.when(flag.fill_null(False)).then(pl.lit(word)).otherwise(pl.lit(""))


def hour_decimals(settings: Settings) -> int:
    """Decimals for sitting hours in reasons: enough for every sitting threshold."""
    r, off = settings.risk, settings.sitting.device_offset_hours
    hours = (r.sitting_hours, r.sitting_hours_high, r.streak_hours)
    return decimals_for(*hours, *(h + off for h in hours))


class Rule:
    """One risk factor. Subclasses set the class attributes and the expression methods;
    ``settings`` are the ones in effect."""

    code: ClassVar[str]  # the factor's name in reasons, JSON and docs
    group: ClassVar[Group]
    summary: ClassVar[str]  # one line: what it looks at
    units: ClassVar[str]  # the units its reasons use (docs)

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.hour_decimals = hour_decimals(settings)

    # --- the rule's logic (expressions over the prepared day frame) ----------------------

    def prepare(self, frame: pl.DataFrame) -> pl.DataFrame:
        """Add the helper columns this rule's expressions read (windows, shifts)."""
        return frame

    def points(self) -> pl.Expr:
        raise NotImplementedError

    def value(self) -> pl.Expr:
        raise NotImplementedError

    def threshold(self) -> pl.Expr:
        raise NotImplementedError

    def unit(self) -> pl.Expr:
        return pl.lit(self.units)

    def detail(self) -> pl.Expr:
        raise NotImplementedError

    def noted(self) -> pl.Expr:
        """True where the rule gives no points but says why (a reason with 0 points)."""
        return pl.lit(False)

    # --- its row of the factor table in docs/method.md -----------------------------------

    def rule_text(self) -> str:
        raise NotImplementedError

    def points_text(self) -> str:
        raise NotImplementedError

    # --- helpers --------------------------------------------------------------------------

    def hours(self, x: pl.Expr | float) -> pl.Expr:
        """Sitting hours as the reasons word them (cut to ``hour_decimals``)."""
        return hours_expr(x if isinstance(x, pl.Expr) else pl.lit(float(x)), self.hour_decimals)

    def reason(self, points: pl.Expr) -> pl.Expr:
        """The reason struct where ``points`` > 0 or the rule ``noted`` why not, else null."""
        return (
            pl.when((points > 0) | self.noted().fill_null(False))
            .then(
                pl.struct(
                    pl.lit(self.code).alias("factor"),
                    points.alias("points"),
                    self.value().cast(pl.Float64).alias("value"),
                    self.threshold().cast(pl.Float64).alias("threshold"),
                    self.unit().alias("unit"),
                    self.detail().alias("detail"),
                )
            )
            .otherwise(None)
        )
