"""``monotony``: a similar load every day of the week (Foster 1998)."""

from __future__ import annotations

import polars as pl

from runload.risk.rule import Rule, planned_word
from runload.wording import EPS, decimals_for, ratio_expr


class Monotony(Rule):
    code = "monotony"
    group = "run"
    summary = "the same load every day of the week, no easy days (Foster 1998)"
    units = "ratio"

    def points(self) -> pl.Expr:
        return pl.when(self.value() >= self.settings.risk.monotony - EPS).then(1).otherwise(0)

    def value(self) -> pl.Expr:
        return pl.col("monotony")

    def threshold(self) -> pl.Expr:
        return pl.lit(float(self.settings.risk.monotony))

    def detail(self) -> pl.Expr:
        dec = decimals_for(self.settings.risk.monotony)
        return pl.format(
            "training monotony {} over {} days{}: similar load every day ({} or more)",
            ratio_expr(self.value(), dec),
            pl.lit(self.settings.load.monotony_days),
            planned_word(pl.col("_day_planned"), " with the planned run"),
            ratio_expr(self.threshold(), dec),
        )

    def rule_text(self) -> str:
        return f"monotony ≥ `monotony` ({self.settings.risk.monotony:g})"

    def points_text(self) -> str:
        return "+1"
