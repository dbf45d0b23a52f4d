"""``unbroken_sitting``: a long stretch of sitting without a break that day (from a source
with minutes or hours of its own: monitoring files, Apple stand hours, the log's
``longest_sit``). A day without such data is unknown for this factor, never zero."""

from __future__ import annotations

import polars as pl

from runload.risk.rule import Rule
from runload.wording import EPS, duration_expr


class UnbrokenSitting(Rule):
    code = "unbroken_sitting"
    group = "sitting"
    summary = "the day's longest stretch of sitting without getting up"
    units = "min"

    def points(self) -> pl.Expr:
        line = self.settings.risk.bout_minutes
        return pl.when(self.value() >= line - EPS).then(1).otherwise(0)

    def value(self) -> pl.Expr:
        return pl.col("longest_sit_minutes")

    def threshold(self) -> pl.Expr:
        return pl.lit(float(self.settings.risk.bout_minutes))

    def detail(self) -> pl.Expr:
        return pl.format(
            "sat {} without a break ({} or more)",
            duration_expr(self.value()),
            duration_expr(self.threshold()),
        )

    def rule_text(self) -> str:
        return (
            f"the day's longest unbroken sitting ≥ `bout_minutes` "
            f"({self.settings.risk.bout_minutes:g} min); unknown without minutes or hours data"
        )

    def points_text(self) -> str:
        return "+1"
