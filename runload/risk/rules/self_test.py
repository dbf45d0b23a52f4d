"""What the two self-test rules share (``trendelenburg``, ``thomas``): the latest check of
the test on or before each day, and whether it was positive, for how long it has been, and
whether it has stayed positive over several checks."""

from __future__ import annotations

import polars as pl

from runload.body import TEST_NAMES, finding_words
from runload.risk.rule import Rule
from runload.schema import ATHLETE_KEY
from runload.wording import cut_expr

# A test positive on checks this far apart, with no negative check between, has stayed
# positive: see a physiotherapist (advice ``see_professional``).
PERSIST_DAYS = 14


def latest_check(column: str) -> dict[str, pl.Expr]:
    """Per day (the frame sorted by athlete and date): ``value`` of the latest check of
    ``column`` on or before it, its ``date``, and ``first``: the first check of the run of
    positive checks it belongs to (a check of "none" ends a run)."""
    checked = pl.col(column).is_not_null()
    positive = checked & (pl.col(column) != "none")
    run = (checked & ~positive).cast(pl.Int64).cum_sum().over(ATHLETE_KEY)
    first = pl.when(positive).then(pl.col("date")).forward_fill().cum_min().over(ATHLETE_KEY, run)
    return {
        "value": pl.col(column).forward_fill().over(ATHLETE_KEY),
        "date": pl.when(checked).then(pl.col("date")).forward_fill().over(ATHLETE_KEY),
        "first": first,
    }


class SelfTest(Rule):
    """A positive self-test (the latest check of the test) counts ``selftest_days`` from
    its check. Like sitting, it sharpens a day the running raises; it never raises one
    alone. Helper columns (read by ``runload.advice``): ``_<code>_side`` (the side of a
    positive test in its window, else null), ``_<code>_date``, ``_<code>_persists``."""

    group = "sign"
    units = "days"

    def prepare(self, frame: pl.DataFrame) -> pl.DataFrame:
        c, days = self.code, self.settings.risk.selftest_days
        latest = latest_check(c)
        frame = frame.with_columns(
            latest["value"].alias(f"_{c}_value"),
            latest["date"].alias(f"_{c}_date"),
            latest["first"].alias(f"_{c}_first"),
        )
        since = (pl.col("date") - pl.col(f"_{c}_date")).dt.total_days()
        active = (pl.col(f"_{c}_value") != "none") & (since < days)
        return frame.with_columns(
            since.alias(f"_{c}_since"),
            pl.when(active).then(pl.col(f"_{c}_value")).alias(f"_{c}_side"),
            (
                active
                & ((pl.col(f"_{c}_date") - pl.col(f"_{c}_first")).dt.total_days() >= PERSIST_DAYS)
            )
            .fill_null(False)
            .alias(f"_{c}_persists"),
        )

    def points(self) -> pl.Expr:
        return pl.when(pl.col(f"_{self.code}_side").is_not_null()).then(1).otherwise(0)

    def value(self) -> pl.Expr:
        return pl.col(f"_{self.code}_since").cast(pl.Float64)

    def threshold(self) -> pl.Expr:
        return pl.lit(float(self.settings.risk.selftest_days))

    def detail(self) -> pl.Expr:
        c = self.code
        side = pl.col(f"_{c}_side")
        found = (
            pl.when(side == "both")
            .then(pl.lit(finding_words(c, "both")))
            .when(side == "left")
            .then(pl.lit(finding_words(c, "left")))
            .otherwise(pl.lit(finding_words(c, "right")))
        )
        return pl.format(
            "{} positive, {}, on {}: {} (a positive self-test counts {} days)",
            pl.lit(TEST_NAMES[c]),
            side,
            pl.col(f"_{c}_date").dt.strftime("%Y-%m-%d"),
            found,
            cut_expr(self.threshold()),
        )

    def rule_text(self) -> str:
        days = self.settings.risk.selftest_days
        return (
            f"the latest {TEST_NAMES[self.code]} of `runload selfcheck` positive (a side "
            f"other than none), on that day or up to `selftest_days` ({days}) − 1 days before; "
            "a later negative check ends it"
        )

    def points_text(self) -> str:
        return "+1"
