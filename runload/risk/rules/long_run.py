"""``long_run``: a long run that day (``runload.load.long_runs`` decides which runs are)."""

from __future__ import annotations

import polars as pl

from runload.risk.rule import Rule, planned_word
from runload.wording import EPS, cut_expr, decimals_for, duration_expr, percent_expr


class LongRun(Rule):
    code = "long_run"
    group = "run"
    summary = "a long run that day"
    units = "min"

    def points(self) -> pl.Expr:
        return pl.col("long_run").cast(pl.Int64)

    def value(self) -> pl.Expr:
        return pl.col("_long_value")

    def threshold(self) -> pl.Expr:
        return pl.col("_long_threshold")

    def detail(self) -> pl.Expr:
        load = self.settings.load
        value, threshold = self.value(), self.threshold()
        minutes_dec = decimals_for(load.long_run_minutes, load.long_run_share_minutes)
        planned = planned_word(pl.col("_long_planned"))
        return (
            pl.when(value >= load.long_run_minutes - EPS)
            .then(
                pl.format(
                    "{}long run of {} ({} min or more)",
                    planned,
                    duration_expr(value),
                    cut_expr(threshold, minutes_dec),
                )
            )
            .otherwise(
                pl.format(
                    "{}{} run, {} % of the {} of running in the 7 days ending that day "
                    "({} min and {} % or more)",
                    planned,
                    duration_expr(value),
                    percent_expr(value / pl.col("_week_minutes")),
                    duration_expr(pl.col("_week_minutes")),
                    cut_expr(threshold, minutes_dec),
                    percent_expr(pl.lit(load.long_run_week_share), 1),
                )
            )
        )

    def rule_text(self) -> str:
        return "a long run that day (see *Long runs*)"

    def points_text(self) -> str:
        return "+1"
