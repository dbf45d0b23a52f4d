"""What ingest does with the sessions of an exercise log (Fitbit's ``exercise.json``,
``runload.track.fitbit``) once they are read, before they join the season.

* ``place_wall_times``: the log's start times are local wall times with no zone (the
  reader keeps them in ``start_utc`` as if they were UTC). They are placed in the
  athlete's ``[athlete] timezone``, DST-aware; a wall time that a DST change made happen
  twice, or skipped, is taken with the offset in force before the change, with a warning
  naming the file and session (never a quiet guess). Without a zone they are placed in
  this machine's zone, with one warning per file saying to set ``[athlete] timezone``.
* ``merge_log_copies``: a session also read from a recorded file (FIT, GPX, TCX) counts
  once, the recorded copy kept (it has the samples). Fitbit's TCX of a logged exercise
  carries the entry's start as its ``<Id>`` (``2019-11-05T14:56:32.000+01:00``), but its
  first track point, which is where the TCX reader starts the session, can come later
  (a GPS fix: 38 s in a published sample of Google's TCX export), so an entry matches the
  recorded session starting from ``SAME_START_BEFORE_S`` before to ``SAME_START_AFTER_S``
  after it (and within the entry's duration), nearest first, one entry per recorded session.
  The sport is not compared (the log's ``Treadmill`` or ``Walk`` cannot match a TCX
  ``Sport``, only ``Running``, ``Biking`` or ``Other``); a recorded copy without a sport
  takes the entry's.
* ``treadmill_notes``: how many treadmill sessions of the logs the running-speed bound
  made runs, walks, or left without a sport.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import polars as pl

from runload.errors import Problem
from runload.fit.runlike import RUN_SPEED_MS

LOG_COLUMN = "_log"  # True on the rows read from an exercise log (added by ingest)
SAME_START_BEFORE_S = 60
SAME_START_AFTER_S = 300
MERGED_REASON = "same start, a log entry"
_WALL = pl.col("start_utc").dt.replace_time_zone(None)

# (file, session, kept file, kept session) of an entry merged into a recorded copy
Copy = tuple[str, int | None, str, int | None]


def _offset_min(at: dt.datetime) -> int:
    off = at.utcoffset()
    return int(off.total_seconds() // 60) if off is not None else 0


def _aware(wall: dt.datetime, zone: dt.tzinfo | None) -> dt.datetime:
    """``wall`` in ``zone`` (None: this machine's zone)."""
    return wall.replace(tzinfo=zone) if zone is not None else wall.astimezone()


def _offset_before(wall: dt.datetime, zone: dt.tzinfo | None) -> int:
    """The UTC offset in force before the clock change at ``wall``: six hours earlier, well
    before any change of one or two hours (for a named zone, PEP 495's ``fold=0`` says the
    same; this machine's zone, read through ``time.mktime``, does not for a skipped time)."""
    return _offset_min(_aware(wall - dt.timedelta(hours=6), zone))


def _clock_change(wall: dt.datetime, zone: dt.tzinfo | None) -> str | None:
    """``twice``, ``skipped`` or None: what a DST change did to this wall time in ``zone``
    (None: this machine's zone). Python's ``fold`` tells them apart: the two readings of
    a wall time differ only at a change, and a skipped one does not come back unchanged."""
    first, second = (
        wall.replace(fold=f, tzinfo=zone) if zone is not None else wall.replace(fold=f).astimezone()
        for f in (0, 1)
    )
    if first.utcoffset() == second.utcoffset():
        return None
    back = first.astimezone(dt.UTC).astimezone(zone if zone is not None else None)
    return "twice" if back.replace(tzinfo=None) == wall else "skipped"


def _changed(file: str, session: int, wall: dt.datetime, where: str, how: str, offset: int):
    went = "the clocks went back" if how == "twice" else "the clocks went forward"
    happened = "happened twice" if how == "twice" else "does not exist"
    sign = "+" if offset >= 0 else "-"
    shown = f"UTC{sign}{abs(offset) // 60:02d}:{abs(offset) % 60:02d}"
    message = (
        f"session {session}: its start {wall:%Y-%m-%d %H:%M:%S} {happened} in {where} ({went});"
        f" taken with the offset before the change ({shown})"
    )
    return Problem(file, "warning", message, code="fitbit.clock_change")


def _machine_zone_name() -> str:
    return dt.datetime.now().astimezone().tzname() or "local"


def place_wall_times(
    frame: pl.DataFrame, timezone: str | None
) -> tuple[pl.DataFrame, list[Problem]]:
    """The rows of ``LOG_COLUMN`` with their real UTC start and ``file_offset_min`` (so
    ``ingest.with_local_time`` gives back their wall time as ``start_local``), and the
    warnings: each session whose wall time a DST change made ambiguous or skipped, and,
    without ``timezone``, one per file placed in this machine's zone."""
    if LOG_COLUMN not in frame.columns or not frame.get_column(LOG_COLUMN).any():
        return frame, []
    log = pl.col(LOG_COLUMN).fill_null(False)
    zone = zoneinfo.ZoneInfo(timezone) if timezone else None
    rows = frame.with_row_index("_r").filter(log).select("_r", "file", "session", _WALL.alias("w"))
    if zone is not None:  # polars for the season, Python for the few at a clock change
        start = _WALL.dt.replace_time_zone(timezone, ambiguous="earliest", non_existent="null")
        latest = _WALL.dt.replace_time_zone(timezone, ambiguous="latest", non_existent="null")
        flagged = (
            frame.with_row_index("_r")
            .filter(log & (start.is_null() | (start != latest)))
            .select("_r")
        )
        placed = frame.with_row_index("_r").filter(log).select("_r", start.alias("u"))
        rows_py = rows.join(flagged, on="_r")
    else:
        placed = None
        rows_py = rows
    fixed: dict[int, dt.datetime] = {}
    problems: list[Problem] = []
    where = timezone or f"this machine's time zone ({_machine_zone_name()})"
    for r, file, session, wall in rows_py.iter_rows():
        how = _clock_change(wall, zone)
        offset = _offset_before(wall, zone) if how else _offset_min(_aware(wall, zone))
        fixed[r] = (wall - dt.timedelta(minutes=offset)).replace(tzinfo=dt.UTC)
        if how is not None:
            problems.append(_changed(file, session, wall, where, how, offset))
    if zone is None:
        files = rows.get_column("file").unique(maintain_order=True).to_list()
        problems = [_no_zone(f) for f in files] + problems
    return _with_starts(frame, placed, fixed), problems


def _no_zone(file: str) -> Problem:
    message = (
        "start times are local wall times with no time zone: placed in this machine's time"
        f" zone ({_machine_zone_name()}); set [athlete] timezone in runload.toml"
    )
    return Problem(file, "warning", message, code="fitbit.no_zone")


def _with_starts(
    frame: pl.DataFrame, placed: pl.DataFrame | None, fixed: dict[int, dt.datetime]
) -> pl.DataFrame:
    """``frame`` with the log rows' UTC starts (``placed``: by row, from polars; ``fixed``:
    by row, from Python, winning) and their offsets from that start."""
    py = pl.DataFrame(
        {"_r": list(fixed), "_u_py": list(fixed.values())},
        schema={"_r": pl.UInt32, "_u_py": pl.Datetime("us", "UTC")},
    )
    out = frame.with_row_index("_r").join(py, on="_r", how="left")
    if placed is not None:
        out = out.join(placed.rename({"u": "_u_pl"}), on="_r", how="left")
        new_start = pl.coalesce("_u_py", pl.col("_u_pl").dt.convert_time_zone("UTC"))
    else:
        new_start = pl.col("_u_py")
    offset = (_WALL - new_start.dt.replace_time_zone(None)).dt.total_minutes().cast(pl.Int32)
    log = pl.col(LOG_COLUMN).fill_null(False)
    return (
        out.with_columns(
            pl.when(log).then(offset).otherwise(pl.col("file_offset_min")).alias("file_offset_min"),
            pl.when(log).then(new_start).otherwise(pl.col("start_utc")).alias("start_utc"),
        )
        .sort("_r")
        .drop("_r", "_u_py", "_u_pl", strict=False)
    )


def merge_log_copies(frame: pl.DataFrame) -> tuple[pl.DataFrame, list[Copy], list[str]]:
    """Drop the log rows that a recorded file (FIT, GPX, TCX) of the same group also has
    (see the module's docstring for the match); a recorded copy without a sport takes the
    entry's. Returns the rows kept, the entries merged (in the frame's order) and a note
    when sports were taken."""
    if LOG_COLUMN not in frame.columns or not frame.get_column(LOG_COLUMN).any():
        return frame, [], []
    rows = frame.with_row_index("_r")
    log = pl.col(LOG_COLUMN).fill_null(False)
    entries = rows.filter(log & pl.col("start_utc").is_not_null()).select(
        pl.col("_r").alias("_lr"),
        "start_utc",
        (pl.col("start_utc") - pl.duration(seconds=SAME_START_BEFORE_S)).alias("_from"),
        pl.col("elapsed_minutes").alias("_l_min"),
        pl.col("sport").alias("_l_sport"),
        pl.col("sub_sport").alias("_l_sub"),
    )
    recorded = rows.filter(~log & pl.col("start_utc").is_not_null()).select(
        "_r", pl.col("start_utc").alias("_rec")
    )
    if entries.is_empty() or recorded.is_empty():
        return frame, [], []
    after = pl.min_horizontal(
        pl.lit(float(SAME_START_AFTER_S)), pl.col("_l_min").fill_null(0.0) * 60
    )
    gap = (pl.col("_rec") - pl.col("start_utc")).dt.total_seconds()
    pairs = (
        entries.sort("_from")
        .join_asof(recorded.sort("_rec"), left_on="_from", right_on="_rec", strategy="forward")
        .filter(pl.col("_r").is_not_null() & (gap <= after))
        .sort(gap.abs(), "_lr")
        .unique("_r", keep="first", maintain_order=True)
    )
    if pairs.is_empty():
        return frame, [], []
    named = rows.select("_r", "file", "session")
    merged = (
        pairs.select("_lr", "_r")
        .join(named.rename({"_r": "_lr"}), on="_lr")
        .join(named.rename({"file": "kept_file", "session": "kept_session"}), on="_r")
        .sort("_lr")
    )
    fill = pairs.select("_r", "_l_sport", "_l_sub")
    took = rows.join(fill, on="_r").filter(
        pl.col("sport").is_null() & pl.col("_l_sport").is_not_null()
    )
    kept = (
        rows.filter(~pl.col("_r").is_in(pairs.get_column("_lr").to_list()))
        .join(fill, on="_r", how="left")
        .with_columns(
            pl.when(pl.col("sport").is_null() & pl.col("_l_sport").is_not_null())
            .then(pl.col("_l_sub"))
            .otherwise(pl.col("sub_sport"))
            .alias("sub_sport"),
            pl.coalesce("sport", "_l_sport").alias("sport"),
        )
        .sort("_r")
        .drop("_r", "_l_sport", "_l_sub")
    )
    copies: list[Copy] = list(
        merged.select("file", "session", "kept_file", "kept_session").iter_rows()
    )
    notes = []
    if took.height:
        notes.append(
            f"{took.height} recorded file(s) without a sport of their own took it from the"
            " Fitbit exercise log entry of the same session"
        )
    return kept, copies, notes


def treadmill_notes(frame: pl.DataFrame) -> list[str]:
    """One sentence (or none) on the treadmill sessions of the exercise logs: how many the
    running-speed bound of the readers (``RUN_SPEED_MS``) made runs, walks, or left without
    a sport. (One for all the logs: Takeout splits one log into files of 100 entries.)"""
    if LOG_COLUMN not in frame.columns:
        return []
    lo, hi = RUN_SPEED_MS
    sport = frame.filter(
        pl.col(LOG_COLUMN).fill_null(False) & (pl.col("sub_sport") == "treadmill")
    ).get_column("sport")
    if sport.is_empty():
        return []
    runs, walks = int((sport == "running").sum()), int((sport == "walking").sum())
    parts = [f"{runs} at a running pace ({lo:g}–{hi:g} m/s, distance ÷ active time) as runs"]
    parts.append(f"{walks} slower as treadmill walks")
    if unknown := int(sport.is_null().sum()):
        parts.append(f"{unknown} without a pace to tell (not counted)")
    return [f"{sport.len()} Treadmill session(s) in the Fitbit exercise log: " + ", ".join(parts)]
