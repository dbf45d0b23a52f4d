"""``symptoms``: numbness logged that day or the day before."""

from __future__ import annotations

import polars as pl

from runload.risk.rule import Rule
from runload.schema import ATHLETE_KEY
from runload.wording import cut_expr


class Symptoms(Rule):
    code = "symptoms"
    group = "body"
    summary = "numbness logged that day or the day before"
    units = "/10"

    def prepare(self, frame: pl.DataFrame) -> pl.DataFrame:
        today = pl.col("numbness").cast(pl.Int64)
        return frame.with_columns(today.shift(1).over(ATHLETE_KEY).alias("_numb_before"))

    def _today(self) -> pl.Expr:
        return pl.col("numbness").cast(pl.Int64) >= self.settings.risk.numbness

    def points(self) -> pl.Expr:
        line = self.settings.risk.numbness
        return pl.when(self._today() | (pl.col("_numb_before") >= line)).then(2).otherwise(0)

    def value(self) -> pl.Expr:
        return (
            pl.when(self._today())
            .then(pl.col("numbness").cast(pl.Int64))
            .otherwise(pl.col("_numb_before"))
        )

    def threshold(self) -> pl.Expr:
        return pl.lit(float(self.settings.risk.numbness))

    def detail(self) -> pl.Expr:
        return pl.format(
            "numbness {}/10 logged {} ({} or more)",
            cut_expr(self.value()),
            pl.when(self._today()).then(pl.lit("that day")).otherwise(pl.lit("the day before")),
            cut_expr(self.threshold()),
        )

    def rule_text(self) -> str:
        line = self.settings.risk.numbness
        return f"numbness ≥ `numbness` ({line} of 10) that day or the day before"

    def points_text(self) -> str:
        return "+2"
