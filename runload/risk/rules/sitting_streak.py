"""``sitting_streak``: several long-sitting days in a row, ending that day."""

from __future__ import annotations

import polars as pl

from runload.risk.rule import Rule, device_offset
from runload.schema import ATHLETE_KEY
from runload.wording import EPS, cut_expr


class SittingStreak(Rule):
    code = "sitting_streak"
    group = "sitting"
    summary = "consecutive days of long sitting"
    units = "days"

    def prepare(self, frame: pl.DataFrame) -> pl.DataFrame:
        """``sitting_streak_days`` (consecutive days with the day's own sitting ≥
        ``streak_hours`` + the device offset, ending that day) and ``_streak_device`` (a device
        day in the streak: the reason names its higher line)."""
        r, s = self.settings.risk, self.settings
        long_day = (
            pl.col("sitting_hours") - device_offset(pl.col("sitting_source"), s)
            >= r.streak_hours - EPS
        ).fill_null(False)
        device_day = (pl.col("sitting_source") == "device").fill_null(False)
        # the stretch of days since the athlete's last short day: a column first, since a
        # window inside the partition of another window is evaluated once per group
        frame = frame.with_columns((~long_day).cum_sum().over(ATHLETE_KEY).alias("_stretch"))
        by_stretch = (ATHLETE_KEY, "_stretch")
        streak = long_day.cast(pl.Int64).cum_sum().over(by_stretch)
        device_days = (long_day & device_day).cast(pl.Int64).cum_sum().over(by_stretch)
        return frame.with_columns(
            streak.alias("sitting_streak_days"), (device_days > 0).alias("_streak_device")
        )

    def points(self) -> pl.Expr:
        return pl.when(self.value() >= self.settings.risk.streak_days).then(1).otherwise(0)

    def value(self) -> pl.Expr:
        return pl.col("sitting_streak_days")

    def threshold(self) -> pl.Expr:
        return pl.lit(float(self.settings.risk.streak_days))

    def detail(self) -> pl.Expr:
        r, off = self.settings.risk, self.settings.sitting.device_offset_hours
        return pl.format(
            "{} days in a row with {} h or more of sitting{} ({} days or more)",
            cut_expr(self.value()),
            self.hours(r.streak_hours),
            pl.when(pl.col("_streak_device"))
            .then(pl.format(", {} h for device data", self.hours(r.streak_hours + off)))
            .otherwise(pl.lit("")),
            cut_expr(self.threshold()),
        )

    def rule_text(self) -> str:
        r = self.settings.risk
        return (
            f"`streak_days` ({r.streak_days}) or more consecutive days ending that day with "
            f"sitting ≥ `streak_hours` ({r.streak_hours:g} h); a day with unknown sitting "
            "breaks the streak"
        )

    def points_text(self) -> str:
        return "+1"
