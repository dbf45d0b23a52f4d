"""``long_run_spike``: a run longer than the longest of the days before (Frandsen et al.)."""

from __future__ import annotations

import polars as pl

from runload.risk.rule import Rule, planned_word
from runload.wording import decimals_for, distance_expr, distance_unit, duration_expr, ratio_expr


class LongRunSpike(Rule):
    code = "long_run_spike"
    group = "run"
    summary = "a run much longer than the longest of the weeks before"
    units = "km (min without a distance)"

    def points(self) -> pl.Expr:
        return pl.col("long_run_spike").cast(pl.Int64)

    def value(self) -> pl.Expr:
        return pl.col("_spike_value")

    def threshold(self) -> pl.Expr:
        return pl.col("_spike_threshold")

    def unit(self) -> pl.Expr:
        return pl.col("_spike_unit")

    def detail(self) -> pl.Expr:
        """The run rounded up, the run it beat (threshold / ratio) rounded down; a distance
        in the display units (``[display] units``: km or mi; ``value`` stays km)."""
        load, units = self.settings.load, self.settings.display.units
        unit = distance_unit(units)
        value = self.value()
        beaten = self.threshold() / load.spike_ratio
        rule = pl.format(
            "longer than {} × the longest run of the {} days before",
            ratio_expr(pl.lit(load.spike_ratio), decimals_for(load.spike_ratio)),
            pl.lit(load.spike_days),
        )
        planned = planned_word(pl.col("_spike_planned"))
        return (
            pl.when(pl.col("_spike_unit") == "km")
            .then(
                pl.format(
                    "{}{} " + unit + " run, {} ({} " + unit + ")",
                    planned,
                    distance_expr(value, units, "up"),
                    rule,
                    distance_expr(beaten, units, "down"),
                )
            )
            .otherwise(
                pl.format(
                    "{}{} run, {} ({})",
                    planned,
                    duration_expr(value, "up"),
                    rule,
                    duration_expr(beaten, "down"),
                )
            )
        )

    def rule_text(self) -> str:
        return "a spike run that day (see *Long runs*)"

    def points_text(self) -> str:
        return "+1"
