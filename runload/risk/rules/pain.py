"""``pain``: pain sites logged by ``runload selfcheck`` in the days before (the glute, hip,
knee, lower back, hamstring or down the leg: where the pain of a switched-off glute moves)."""

from __future__ import annotations

import polars as pl

from runload.body import SITE_JOIN
from runload.risk.rule import Rule
from runload.risk.rules.self_test import PERSIST_DAYS, latest_check
from runload.wording import cut_expr


def sites_expr(cell: pl.Expr) -> pl.Expr:
    """``knee+lower_back`` → ``the knee and the lower back`` (``runload.body.site_words`` as
    an expression)."""
    names = cell.str.split(SITE_JOIN).list.eval(
        pl.lit("the ") + pl.element().str.replace_all("_", " ")
    )
    n = names.list.len()
    return (
        pl.when(n <= 1)
        .then(names.list.first())
        .otherwise(
            pl.format("{} and {}", names.list.head(n - 1).list.join(", "), names.list.last())
        )
    )


class Pain(Rule):
    code = "pain"
    group = "sign"
    summary = "pain sites logged in a self-check"
    units = "days"

    def prepare(self, frame: pl.DataFrame) -> pl.DataFrame:
        """``_pain_sites`` (the latest check's sites in its window, else null), ``_pain_date``,
        ``_pain_persists`` (pain on checks ``PERSIST_DAYS`` or more apart, none between)."""
        latest = latest_check("pain")
        days = self.settings.risk.pain_days
        frame = frame.with_columns(
            latest["value"].alias("_pain_value"),
            latest["date"].alias("_pain_date"),
            latest["first"].alias("_pain_first"),
        )
        since = (pl.col("date") - pl.col("_pain_date")).dt.total_days()
        active = (pl.col("_pain_value") != "none") & (since < days)
        lasting = (pl.col("_pain_date") - pl.col("_pain_first")).dt.total_days() >= PERSIST_DAYS
        return frame.with_columns(
            since.alias("_pain_since"),
            pl.when(active).then(pl.col("_pain_value")).alias("_pain_sites"),
            (active & lasting).fill_null(False).alias("_pain_persists"),
        )

    def points(self) -> pl.Expr:
        return pl.when(pl.col("_pain_sites").is_not_null()).then(1).otherwise(0)

    def value(self) -> pl.Expr:
        return pl.col("_pain_since").cast(pl.Float64)

    def threshold(self) -> pl.Expr:
        return pl.lit(float(self.settings.risk.pain_days))

    def detail(self) -> pl.Expr:
        return pl.format(
            "pain at {} logged on {} (a pain site counts {} days)",
            sites_expr(pl.col("_pain_sites")),
            pl.col("_pain_date").dt.strftime("%Y-%m-%d"),
            cut_expr(self.threshold()),
        )

    def rule_text(self) -> str:
        days = self.settings.risk.pain_days
        return (
            f"pain sites (`{SITE_JOIN}`-joined) in the latest self-check, on that day or up to "
            f"`pain_days` ({days}) − 1 days before; a later check with none ends it"
        )

    def points_text(self) -> str:
        return "+1"
