"""Second exports of one session: which copy is kept (``COPY_RANK``: a FIT file over a
GPX/TCX export of it, either over an exercise log entry; ``drop_same_start``), and the
record of each copy merged (``Duplicate``; ``duplicates_frame`` for tables)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl


@dataclass(frozen=True)
class Duplicate:
    """A copy that was dropped, and the row it duplicates."""

    file: str
    session: int | None  # None: the whole file (identical bytes)
    kept_file: str
    kept_session: int | None
    reason: str  # "identical bytes" | "same start and sport" | exercise_log.MERGED_REASON

    @staticmethod
    def _name(file: str, session: int | None) -> str:
        return file if session is None else f"{file} (session {session})"

    @property
    def message(self) -> str:
        """What happened to the dropped copy, without its own name."""
        kept = self._name(self.kept_file, self.kept_session)
        return f"same activity as {kept} ({self.reason}); merged"

    def __str__(self) -> str:
        return f"{self._name(self.file, self.session)}: {self.message}"


# Which copy of one session is kept: lower first (FIT, then GPX/TCX, then a log entry).
COPY_RANK = {"fit": 0, "gpx": 1, "tcx": 1, "fitbit": 2}


def drop_same_start(frame: pl.DataFrame) -> tuple[pl.DataFrame, list[Duplicate]]:
    """Keep one row of each (UTC start to the second, sport): the first FIT row, else the
    first GPX/TCX row, else the first row (a GPX/TCX export of a FIT recording has less in
    it, an exercise log entry less still); report the rest. ``_rank`` (optional, dropped):
    ``COPY_RANK`` of the reader of each row."""
    keys = ["start_utc", "sport"]
    rows = frame.with_row_index("_row")
    if "_rank" not in rows.columns:
        rows = rows.with_columns(pl.lit(0).alias("_rank"))
    first = (
        rows.filter(pl.col("start_utc").is_not_null() & pl.col("sport").is_not_null())
        .group_by(keys)
        .agg(pl.col("_row").sort_by(pl.col("_rank").fill_null(0), "_row").first().alias("_keep"))
    )
    rows = rows.join(first, on=keys, how="left")
    dup_rows = rows.filter(pl.col("_keep").is_not_null() & (pl.col("_row") != pl.col("_keep")))
    if dup_rows.height == 0:
        return frame.drop("_rank", strict=False), []
    kept = rows.select(
        pl.col("_row").alias("_keep"),
        pl.col("file").alias("kept_file"),
        pl.col("session").alias("kept_session"),
    )
    report = dup_rows.join(kept, on="_keep", how="left").sort("_row")
    duplicates = [
        Duplicate(
            r["file"], r["session"], r["kept_file"], r["kept_session"], "same start and sport"
        )
        for r in report.select("file", "session", "kept_file", "kept_session").iter_rows(named=True)
    ]
    keep = rows.filter(pl.col("_keep").is_null() | (pl.col("_row") == pl.col("_keep")))
    return keep.sort("_row").drop("_row", "_keep", "_rank"), duplicates


def duplicates_frame(duplicates: Sequence[Duplicate]) -> pl.DataFrame:
    """The merged copies as a table (for JSON output and reports)."""
    rows: list[dict[str, Any]] = [d.__dict__ for d in duplicates]
    return pl.DataFrame(
        rows,
        schema={
            "file": pl.String(),
            "session": pl.Int32(),
            "kept_file": pl.String(),
            "kept_session": pl.Int32(),
            "reason": pl.String(),
        },
    )
