"""``sitting``: the day's sitting exposure (``runload.risk.frame``) against two lines."""

from __future__ import annotations

import polars as pl

from runload.risk.rule import Rule, device_offset
from runload.wording import EPS


class Sitting(Rule):
    code = "sitting"
    group = "sitting"
    summary = "long sitting on the day that counts for the run (its exposure)"
    units = "h"

    def _high(self) -> pl.Expr:
        return pl.col("_eff") >= self.settings.risk.sitting_hours_high - EPS

    def points(self) -> pl.Expr:
        r = self.settings.risk
        eff = pl.col("_eff")
        return pl.when(self._high()).then(2).when(eff >= r.sitting_hours - EPS).then(1).otherwise(0)

    def value(self) -> pl.Expr:
        return pl.col("sitting_exposure_hours")

    def threshold(self) -> pl.Expr:
        r = self.settings.risk
        line = pl.when(self._high()).then(r.sitting_hours_high).otherwise(r.sitting_hours)
        return line + device_offset(pl.col("sitting_kind"), self.settings)

    def detail(self) -> pl.Expr:
        device = pl.col("sitting_kind") == "device"
        return pl.format(
            "sat {} h{}{} ({} h or more{})",
            self.hours(self.value()),
            pl.when(device).then(pl.lit(" by device count")).otherwise(pl.lit("")),
            pl.col("_exposure_context"),
            self.hours(self.threshold()),
            pl.when(device).then(pl.lit(" for device data")).otherwise(pl.lit("")),
        )

    def rule_text(self) -> str:
        r = self.settings.risk
        return (
            f"sitting **exposure** ≥ `sitting_hours` ({r.sitting_hours:g} h) / ≥ "
            f"`sitting_hours_high` ({r.sitting_hours_high:g} h)"
        )

    def points_text(self) -> str:
        return "+1 / +2"
