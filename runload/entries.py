"""One reader's result (``runload.fit.FitResult``, whichever reader made it) → its cache
entry: the sessions as a frame of ``FILE_SCHEMA`` (the activity columns that need neither
the file's name nor local time), its problems, including what of a row is not the session
message's own (values filled in from records, heart-rate dropouts, no HR sensor), and its
athlete facts. Made where the file was read: in ingest's process, a worker, or a Dask
worker (``runload.distributed``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import polars as pl

from runload.cache import Entry, Rows
from runload.fit.result import FitResult, SessionData
from runload.hrsummary import VALID_HR, hr_summary
from runload.load import shown_hr
from runload.schema import activity_schema, hr_profile_type


def _file_schema() -> dict[str, pl.DataType]:
    """The per-file frame stored in the cache: the activity columns less those that need
    the file's name or its local time, plus the offset the file itself carries."""
    per_season = ("file", "is_run", "start_local", "date", "utc_offset_min")
    kept = {k: v for k, v in activity_schema().items() if k not in per_season}
    head = {k: kept[k] for k in ("session", "sport", "sub_sport", "start_utc")}
    # file_offset_min: from the file's activity message; null when not usable
    return {**head, "file_offset_min": pl.Int32(), **kept}


FILE_SCHEMA = _file_schema()


def _scaled(values: Iterable[float | None], factor: float) -> list[float | None]:
    return [None if v is None else v / factor for v in values]


def entry_from_result(result: FitResult) -> Entry:
    """One parsed file as a cache entry: its sessions as a frame (``FILE_SCHEMA``)."""
    frame, problems = _frame_of([result])
    return Entry(frame, problems[0], list(result.facts), result.kind)


def entries_from_results(results: Sequence[FitResult]) -> list[Entry]:
    """``entry_from_result`` of each of ``results``, the frames built as one: each entry is
    its rows of that frame (``cache.Rows``), so that a season read cold is neither a frame
    per file to build (a DataFrame's construction, casts and checks cost ~2 ms, a small
    file's decoding about as much) nor one per file to concatenate. Any value the
    batch cannot take (a reader's odd type) costs only the batch's speed: each file's entry
    is then built alone, as ``entry_from_result``."""
    try:
        frame, problems = _frame_of(results)
    except Exception:  # (whatever polars refuses in one file is said by that file's own)
        return [entry_from_result(result) for result in results]
    entries: list[Entry] = []
    offset = 0
    for result, said in zip(results, problems, strict=True):
        rows = len(result.sessions)
        entries.append(Rows(frame, offset, rows, said, list(result.facts), result.kind))
        offset += rows
    return entries


def _frame_of(results: Sequence[FitResult]) -> tuple[pl.DataFrame, list[list[dict[str, Any]]]]:
    """The sessions of ``results`` as one frame (``FILE_SCHEMA``), and each result's problems
    (its reader's, then what of a row is not its session message's own)."""
    s = [x for result in results for x in result.sessions]
    each = [len(result.sessions) for result in results]
    offsets = [None if r.utc_offset_s is None else r.utc_offset_s // 60 for r in results]
    # what the loads need of the samples (a worker summarised them: ``readers``)
    summaries = [x.summary or hr_summary(x.hr_t, x.hr_bpm) for x in s]
    frame = pl.DataFrame(
        {
            "session": [x.index for x in s],
            "sport": [x.sport for x in s],
            "sub_sport": [x.sub_sport for x in s],
            "start_utc": [None if x.start_unix is None else x.start_unix * 1_000_000 for x in s],
            "file_offset_min": [v for v, n in zip(offsets, each, strict=True) for _ in range(n)],
            "moving_minutes": _scaled((x.moving_s for x in s), 60),
            "elapsed_minutes": _scaled((x.elapsed_s for x in s), 60),
            "distance_km": _scaled((x.distance_m for x in s), 1000),
            "avg_hr": [x.avg_hr for x in s],
            "max_hr": [x.max_hr for x in s],
            "ascent_m": [x.ascent_m for x in s],
            "has_gps": [x.has_gps for x in s],
            "device": [r.device for r, n in zip(results, each, strict=True) for _ in range(n)],
            "hr_t": [x.hr_t for x in s],
            "hr_bpm": [x.hr_bpm for x in s],
            "hr_peak": [peak for peak, _ in summaries],
            "hr_profile": [profile for _, profile in summaries],
        },
        schema_overrides={
            "start_utc": pl.Int64(),
            "hr_t": pl.List(pl.Float64()),
            "hr_bpm": pl.List(pl.Float64()),
            "hr_peak": pl.Float64(),
            "hr_profile": hr_profile_type(),
        },
    ).with_columns(pl.col("start_utc").cast(pl.Datetime("us", "UTC")))
    frame = frame.select(pl.col(c).cast(t) for c, t in FILE_SCHEMA.items())
    own = frame.select("avg_hr", "max_hr").rows()
    frame = frame.with_columns(shown_hr("avg_hr"), shown_hr("max_hr"))
    shown = frame.select("avg_hr", "max_hr").rows()
    problems: list[list[dict[str, Any]]] = []
    row = 0
    for result in results:
        said = [
            {"severity": p.severity, "message": p.message, "line": p.line, "offset": p.offset,
             "code": p.code}
            for p in result.problems
        ]  # fmt: skip
        for session in result.sessions:
            for code, message in _filled_messages(session, own[row], shown[row]):
                said.append({"severity": "warning", "message": message, "line": None,
                             "offset": None, "code": code})  # fmt: skip
            row += 1
        problems.append(said)
    return frame, problems


def _filled_messages(
    session: SessionData,
    own: tuple[float | None, float | None],
    shown: tuple[float | None, float | None],
) -> list[tuple[str, str]]:
    """What of a session's row is not its session message's own: values filled in from
    its records, and heart rates that are dropouts (``load.valid_hr``: those the loads
    ignore), said so that no number is shown without its source, with how many samples
    the dropout rule left out; a session whose heart rate is 0 throughout had no sensor.
    (code, message) pairs."""
    names = ("average heart rate", "max heart rate")
    lo, hi = VALID_HR
    samples = len(session.hr_bpm) + session.hr_zeros
    kept = sum(lo <= v <= hi for v in session.hr_bpm)
    counted = (
        f"from {kept:,} of its {samples:,} samples ({samples - kept:,} dropouts outside"
        f" {lo:g}-{hi:g} bpm left out)"
        if kept < samples
        else f"from all {samples:,} of its samples"
    )
    if not session.hr_bpm and 0 in own and all(v in (0, None) for v in own):
        zeros = f", and so are its {samples:,} samples" if samples else ", with no samples"
        said = f"session {session.index}: no heart rate sensor (its heart rate is 0{zeros})"
        return [("activity.no_hr_sensor", f"{said}: no heart rate shown")]
    out = []
    hr_filled = [n for n, a, b in zip(names, own, shown, strict=True) if a is None and b]
    if session.from_records:  # (a session built from records says so once)
        if hr_filled and kept < samples:
            out.append(("activity.filled", f"session {session.index}: heart rate {counted}"))
    elif filled := [*session.filled, *hr_filled]:
        also = f"; heart rate {counted}" if hr_filled else ""
        message = (
            f"session {session.index}: {_and(filled)} filled in from its records (the session"
            f" message has none){also}"
        )
        out.append(("activity.filled", message))
    dropouts = [(n, a, b) for n, a, b in zip(names, own, shown, strict=True)
                if a is not None and a != b]  # fmt: skip
    if dropouts:
        said = _and([f"{n} {a:g}" for n, a, _ in dropouts])
        valid = [f"{n} {b:.0f}" for n, _, b in dropouts if b is not None]
        instead = f"shown as {_and(valid)}, {counted}" if valid else "not shown"
        verb = "is a dropout" if len(dropouts) == 1 else "are dropouts"
        why = f"{said} {verb} (outside {lo:g}-{hi:g} bpm): {instead}"
        out.append(("activity.hr_dropout", f"session {session.index}: {why}"))
    return out


def _and(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + f" and {parts[-1]}"
