"""``load_spike``: the acute:chronic load ratio (ACWR) past its lines."""

from __future__ import annotations

import polars as pl

from runload.risk.rule import Rule, planned_word
from runload.wording import EPS, decimals_for, ratio_expr


class LoadSpike(Rule):
    code = "load_spike"
    group = "run"
    summary = "a jump in the week's load against the month's (acute:chronic ratio)"
    units = "ratio"

    def _high(self) -> pl.Expr:
        return pl.col("acwr") >= self.settings.risk.acwr_high - EPS

    def points(self) -> pl.Expr:
        r = self.settings.risk
        acwr = pl.col("acwr")
        return pl.when(self._high()).then(2).when(acwr >= r.acwr - EPS).then(1).otherwise(0)

    def value(self) -> pl.Expr:
        return pl.col("acwr")

    def threshold(self) -> pl.Expr:
        r = self.settings.risk
        return pl.when(self._high()).then(r.acwr_high).otherwise(r.acwr)

    def detail(self) -> pl.Expr:
        r = self.settings.risk
        dec = decimals_for(r.acwr, r.acwr_high)
        return pl.format(
            "acute:chronic load {}{} ({} or more)",
            ratio_expr(self.value(), dec),
            planned_word(pl.col("_day_planned"), " with the planned run"),
            ratio_expr(self.threshold(), dec),
        )

    def rule_text(self) -> str:
        r = self.settings.risk
        return f"acwr ≥ `acwr` ({r.acwr:g}) / ≥ `acwr_high` ({r.acwr_high:g})"

    def points_text(self) -> str:
        return "+1 / +2"
