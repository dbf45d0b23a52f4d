"""``load_spike``: the acute:chronic load ratio (ACWR) past its lines — counted only when the
chronic window holds enough training for a ratio to mean something.

With few runs the ratio swings with the timing of single runs: at k equal runs a week, one
extra run lifts the rolling ratio to 4(k+1)/(4k+1) — 1.6 at one run a week — and one run after
a quiet week reads 2 or more. The ratio is known to be unstable when the chronic load is small
(Lolli et al. 2019; Impellizzeri et al. 2020). A jump means something only against a baseline
that holds training: so a ratio past its line earns points only when the weeks of the chronic
window before the acute week (days 8–28 back, the baseline of the uncoupled ratio) hold
``acwr_min_run_days`` days with a run (6: two runs a week) and ``acwr_min_run_minutes`` of
running (180: an hour a week); otherwise its reason says, with 0 points, why it did not count.
"""

from __future__ import annotations

import polars as pl

from runload.risk.rule import Rule, planned_word
from runload.schema import ATHLETE_KEY
from runload.wording import EPS, cut_expr, decimals_for, duration_expr, ratio_expr


class LoadSpike(Rule):
    code = "load_spike"
    group = "run"
    summary = "a jump in the week's load against the month's (acute:chronic ratio)"
    units = "ratio"

    def _baseline_days(self) -> tuple[int, int]:
        """(first, last) day back of the baseline: the chronic window before the acute week."""
        a, c = self.settings.load.acute_days, self.settings.load.chronic_days
        return a + 1, max(c, a + 1)

    def prepare(self, frame: pl.DataFrame) -> pl.DataFrame:
        """``_base_run_days`` and ``_base_run_minutes``: the days with a run and the running
        minutes of the baseline (days 8–28 back by default; days before the table: rest)."""
        first, last = self._baseline_days()

        def baseline(x: pl.Expr) -> pl.Expr:
            window = x.shift(first - 1, fill_value=0).rolling_sum(last - first + 1, min_samples=1)
            return window.over(ATHLETE_KEY)

        return frame.with_columns(
            baseline((pl.col("runs") > 0).cast(pl.Int64)).alias("_base_run_days"),
            baseline(pl.col("run_minutes")).alias("_base_run_minutes"),
        )

    def _high(self) -> pl.Expr:
        return pl.col("acwr") >= self.settings.risk.acwr_high - EPS

    def _past_line(self) -> pl.Expr:
        r = self.settings.risk
        acwr = pl.col("acwr")
        return pl.when(self._high()).then(2).when(acwr >= r.acwr - EPS).then(1).otherwise(0)

    def _enough(self) -> pl.Expr:
        """The baseline holds enough training for the ratio to count."""
        r = self.settings.risk
        return (pl.col("_base_run_days") >= r.acwr_min_run_days) & (
            pl.col("_base_run_minutes") >= r.acwr_min_run_minutes - EPS
        )

    def points(self) -> pl.Expr:
        return pl.when(self._enough()).then(self._past_line()).otherwise(0)

    def noted(self) -> pl.Expr:
        return (self._past_line() > 0) & ~self._enough()

    def value(self) -> pl.Expr:
        return pl.col("acwr")

    def threshold(self) -> pl.Expr:
        r = self.settings.risk
        return pl.when(self._high()).then(r.acwr_high).otherwise(r.acwr)

    def detail(self) -> pl.Expr:
        r = self.settings.risk
        first, last = self._baseline_days()
        dec = decimals_for(r.acwr, r.acwr_high)
        said = pl.format(
            "acute:chronic load {}{} ({} or more)",
            ratio_expr(self.value(), dec),
            planned_word(pl.col("_day_planned"), " with the planned run"),
            ratio_expr(self.threshold(), dec),
        )
        why_not = pl.format(
            "{}, not counted: {} days with a run and {} of running {} to {} days back "
            "(a ratio needs {} days and {} there)",
            said,
            cut_expr(pl.col("_base_run_days")),
            duration_expr(pl.col("_base_run_minutes")),
            pl.lit(first),
            pl.lit(last),
            pl.lit(r.acwr_min_run_days),
            duration_expr(pl.lit(float(r.acwr_min_run_minutes))),
        )
        return pl.when(self._enough()).then(said).otherwise(why_not)

    def rule_text(self) -> str:
        r = self.settings.risk
        first, last = self._baseline_days()
        return (
            f"acwr ≥ `acwr` ({r.acwr:g}) / ≥ `acwr_high` ({r.acwr_high:g}), counted only when "
            f"days {first}–{last} back hold ≥ `acwr_min_run_days` ({r.acwr_min_run_days}) days "
            f"with a run and ≥ `acwr_min_run_minutes` ({r.acwr_min_run_minutes:g}) minutes of "
            "running"
        )

    def points_text(self) -> str:
        return "+1 / +2"
