"""One activity FIT file's bytes → session rows, HR samples, athlete facts, problems.

The message handlers (``HANDLERS``, one small function per message type) collect what
runload keeps into a ``_State``; ``read_fit`` then builds one ``SessionData`` per
session message, and one from records no session covers (a file without any, or cut
short in a session it has room for). Decoding, the byte-level repairs and the damage
policy are ``decoder``'s and ``layout``'s; Connect IQ stand-ins ``standins``'; telling a
run from its records ``runlike``'s.

Nothing here raises on bad input: every failure becomes a ``Problem``. The result
(``result.FitResult``) is plain Python data every activity reader shares.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from collections.abc import Iterable
from typing import Any

from runload.fit import standins
from runload.fit.decoder import Handle, damage_problems, decode
from runload.fit.layout import LayoutError, check_layout
from runload.fit.messages import ACTIVITY_FULL, RECORDS, SEGMENT, Message
from runload.fit.result import MAX_SESSION_S, FitResult, SessionData
from runload.fit.runlike import run_evidence

FIT_EPOCH_UNIX = 631065600  # 1989-12-31T00:00:00Z as Unix seconds
MIN_ABS_TIME = 0x10000000  # FIT date_time values below this are relative, not wall time
MAX_OFFSET_S = 14 * 3600
# Records after a segment's last session (a file cut short in its next session):
TAIL_SLACK_S = 120  # past the last session's end: a session of their own
MIN_TAIL_RECORDS = 10


# --------------------------------------------------------------- message handlers


class _State:
    """Mutable scratch space while walking one file's messages. The records of all
    chained segments are kept in one list, segment after segment (``seg_first``: the
    index of each segment's first record), so that a session only sees the records of
    its own segment."""

    def __init__(self) -> None:
        self.sessions: list[dict[str, Any]] = []
        self.session_seg: list[int] = []  # the segment of each session
        self.session_standins: list[list[standins.StandIn]] = []  # of each session
        self.record_standins: Counter[tuple[str, str, str | None, bool]] = Counter()
        self.rec_t: list[int] = []
        self.rec_hr: list[float | None] = []  # bpm (a stand-in field may be fractional)
        self.rec_pos: list[bool] = []
        self.rec_dist: list[float | None] = []
        self.rec_cad: list[float | None] = []
        self.segment = 0
        self.seg_first: list[int] = [0]
        self.seg_offset: list[int] = [0]  # byte offset of each segment
        self.seg_sorted: list[bool] = []
        self.activity: dict[str, Any] = {}
        self.seg_activity: dict[int, dict[str, Any]] = {}
        self.sport: dict[int, list[dict[str, Any]]] = {}  # the sport messages of each segment
        self.lap_sport: dict[int, tuple[str, str | None]] = {}  # the first lap's, likewise
        self.lap_starts: dict[int, list[int]] = {}  # the laps' start times, likewise
        self.bike_sensor = False  # a bike speed/cadence/power sensor was paired
        self.file_id: Message | None = None
        self.creator: Message | None = None  # device_info of the recording device
        self.facts: list[tuple[str, str | float]] = []

    def records(self, segment: int) -> range:
        """The indexes of the records of ``segment``."""
        first = self.seg_first[segment]
        last = self.seg_first[segment + 1] if segment + 1 < len(self.seg_first) else len(self.rec_t)
        return range(first, last)


def _on_segment(state: _State, message: Message) -> None:
    index, offset = message.values["index"], message.values["offset"]
    if index == 0:
        state.seg_offset[0] = offset
        return
    state.segment = len(state.seg_first)
    state.seg_first.append(len(state.rec_t))
    state.seg_offset.append(offset)


def _on_file_id(state: _State, message: Message) -> None:
    if state.file_id is None:
        state.file_id = message


# antplus device types of bike sensors (speed, cadence, both; power when named antplus)
_BIKE_SENSORS = frozenset((121, 122, 123))
_BIKE_POWER = 11


def _on_device_info(state: _State, message: Message) -> None:
    values = message.values
    kind = message.raw.get("device_type")
    if kind in _BIKE_SENSORS or (kind == _BIKE_POWER and values.get("source_type") == "antplus"):
        state.bike_sensor = True
    if (
        state.creator is None
        and values.get("device_index") in (0, "creator")
        and values.get("manufacturer") is not None
    ):
        state.creator = message


def _on_session(state: _State, message: Message) -> None:
    values, found = standins.session_values(message.values)
    state.sessions.append(values)
    state.session_seg.append(state.segment)
    state.session_standins.append(found)


def _on_record(state: _State, message: Message) -> None:
    values = message.values
    t = values.get("timestamp")
    if isinstance(t, int) and t >= MIN_ABS_TIME:
        hr, dist, cad = values.get("heart_rate"), values.get("distance"), values.get("cadence")
        if not standins.RECORD_KEYS.isdisjoint(values):  # (rare: a Connect IQ field)
            tally = state.record_standins
            hr = standins.record_value(tally, values, "heart_rate", hr)
            dist = standins.record_value(tally, values, "distance", dist)
            cad = standins.record_value(tally, values, "cadence", cad)
        state.rec_t.append(t)
        state.rec_hr.append(hr if isinstance(hr, int | float) else None)
        state.rec_pos.append(values.get("position_lat") is not None)
        state.rec_dist.append(dist if isinstance(dist, int | float) else None)
        state.rec_cad.append(cad if isinstance(cad, int | float) else None)


def _on_records(state: _State, message: Message) -> None:
    """A run of records read in bulk (``messages.RECORDS``): each kept as ``_on_record``
    keeps it (a block never holds a developer field: those records are read one by one)."""
    values = message.values
    times = values.get("timestamp")
    if not times:
        return
    nothing = [None] * len(times)
    columns = [values.get(name, nothing) for name in ("heart_rate", "distance", "cadence")]
    lats = values.get("position_lat", nothing)
    if not all(isinstance(t, int) and t >= MIN_ABS_TIME for t in times):
        keep = [i for i, t in enumerate(times) if isinstance(t, int) and t >= MIN_ABS_TIME]
        times, lats = [times[i] for i in keep], [lats[i] for i in keep]
        columns = [[column[i] for i in keep] for column in columns]
    hrs, dists, cads = ([v if isinstance(v, int | float) else None for v in c] for c in columns)
    state.rec_t += times
    state.rec_hr += hrs
    state.rec_pos += [lat is not None for lat in lats]
    state.rec_dist += dists
    state.rec_cad += cads


def _on_activity(state: _State, message: Message) -> None:
    if not state.activity:
        state.activity = message.values
    state.seg_activity.setdefault(state.segment, message.values)


def _on_sport(state: _State, message: Message) -> None:
    state.sport.setdefault(state.segment, []).append(message.values)


def _on_lap(state: _State, message: Message) -> None:
    start = message.values.get("start_time")
    if isinstance(start, int) and start >= MIN_ABS_TIME:
        state.lap_starts.setdefault(state.segment, []).append(start)
    sport = message.values.get("sport")
    if sport is not None and state.segment not in state.lap_sport:
        sub = message.values.get("sub_sport")
        state.lap_sport[state.segment] = (str(sport), None if sub is None else str(sub))


def _on_user_profile(state: _State, message: Message) -> None:
    gender = message.values.get("gender")
    if isinstance(gender, str):
        state.facts.append(("sex", gender))
    rest = message.values.get("resting_heart_rate")
    if isinstance(rest, int | float) and 20 <= rest <= 120:
        state.facts.append(("hr_rest", float(rest)))


def _on_zones_target(state: _State, message: Message) -> None:
    hr_max = message.values.get("max_heart_rate")
    if isinstance(hr_max, int | float) and 100 <= hr_max <= 240:
        state.facts.append(("hr_max", float(hr_max)))


HANDLERS: dict[str, Handle[_State]] = {
    SEGMENT: _on_segment,
    "file_id": _on_file_id,
    "device_info": _on_device_info,
    "session": _on_session,
    "record": _on_record,
    RECORDS: _on_records,
    "activity": _on_activity,
    "sport": _on_sport,
    "lap": _on_lap,
    "user_profile": _on_user_profile,
    "zones_target": _on_zones_target,
}
# Read in full: every handled message but the records (only five of their fields count;
# ``RECORDS``: runs of them in bulk, for the fast decoder). Named in ``messages`` for the
# canary; ``tests/test_fit_decoder.py`` checks it is still exactly these handlers.
FULL = ACTIVITY_FULL


# ------------------------------------------------------------------ building rows


def _unix(fit_seconds: Any) -> int | None:
    if isinstance(fit_seconds, int) and fit_seconds >= MIN_ABS_TIME:
        return fit_seconds + FIT_EPOCH_UNIX
    return None


def _as_float(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _name(value: Any) -> str | None:
    if value is None:
        return None
    return str(value)


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _utc_offset(activity: dict[str, Any]) -> int | None:
    local, utc = activity.get("local_timestamp"), activity.get("timestamp")
    if not (isinstance(local, int) and isinstance(utc, int)) or utc < MIN_ABS_TIME:
        return None
    offset = local - utc
    if abs(offset) > MAX_OFFSET_S:
        return None
    return round(offset / 900) * 900


def _samples(
    state: _State, segment: int, start: int, end: int
) -> tuple[list[float], list[float], int, bool, list[float]]:
    """HR samples (seconds from ``start``, bpm; a heart rate of 0 is no sample), how many
    records have a heart rate of 0, whether any record has a position, and the distances
    of the records of ``segment`` from ``start`` to ``end``."""
    times = state.rec_t
    span = state.records(segment)
    if state.seg_sorted[segment]:
        lo = bisect.bisect_left(times, start, span.start, span.stop)
        hi = bisect.bisect_right(times, end, span.start, span.stop)
        idx: Iterable[int] = range(lo, hi)
    else:  # clock jumps in the records: scan them all
        idx = [i for i in span if start <= times[i] <= end]
    hr_t: list[float] = []
    hr_bpm: list[float] = []
    zeros = 0
    gps = False
    dist: list[float] = []
    for i in idx:
        hr = state.rec_hr[i]
        if hr is not None and hr > 0:
            hr_t.append(float(state.rec_t[i] - start))
            hr_bpm.append(float(hr))
        elif hr == 0:
            zeros += 1
        gps = gps or state.rec_pos[i]
        d = state.rec_dist[i]
        if d is not None:
            dist.append(d)
    return hr_t, hr_bpm, zeros, gps, dist


def _window_end(
    state: _State, segment: int, start: int, elapsed: float | None, limit: int | None
) -> int:
    """Where a session whose own end time is unusable ends: after its elapsed time, else
    at the last record of its segment before ``limit`` (the next session's start) and at
    most two days on."""
    if elapsed is not None and elapsed > 0:
        return start + math.ceil(elapsed)
    bound = start + MAX_SESSION_S if limit is None else min(limit, start + MAX_SESSION_S)
    times = state.rec_t
    return max((times[i] for i in state.records(segment) if start <= times[i] <= bound),
               default=start)  # fmt: skip


def _session_row(
    state: _State, index: int, s: dict[str, Any], segment: int, limit: int | None = None
) -> tuple[SessionData, str | None, tuple[int, int] | None]:
    """One session's row from its message; how its end was found when its own end time is
    at or before its start (``"elapsed"``: its samples span its elapsed time, as the file
    means; ``"guess"``: it has no elapsed time either, so they run to its segment's last
    record before ``limit``), else None; and the time window of its samples (FIT seconds).
    ``limit``: the start of the next session of the same segment."""
    end = s.get("timestamp") if isinstance(s.get("timestamp"), int) else None
    start = s.get("start_time")
    elapsed = _as_float(s.get("total_elapsed_time"))
    span = state.records(segment)
    if not (isinstance(start, int) and start >= MIN_ABS_TIME):
        start = state.rec_t[span.start] if span else None
    collapsed = None
    if start is not None and end is not None and end <= start:
        collapsed = "elapsed" if elapsed is not None and elapsed > 0 else "guess"
    if start is not None and (end is None or end <= start):
        end = _window_end(state, segment, start, elapsed, limit)
    if start is not None and end is not None:
        hr_t, hr_bpm, zeros, gps, dist = _samples(state, segment, start, end)
    else:
        hr_t, hr_bpm, zeros, gps, dist = [], [], 0, False, []
    filled: list[str] = []
    distance = _as_float(s.get("total_distance"))
    if distance is None and len(dist) >= 2:
        distance = max(dist) - min(dist)
        filled.append("distance")
    row = SessionData(
        index=index,
        sport=_name(s.get("sport")),
        sub_sport=_name(s.get("sub_sport")),
        start_unix=_unix(start),
        moving_s=_as_float(s.get("total_timer_time")),
        elapsed_s=elapsed,
        distance_m=distance,
        # the session's own; ingest fills them in from the valid samples (load.valid_hr)
        avg_hr=_as_float(s.get("avg_heart_rate")),
        max_hr=_as_float(s.get("max_heart_rate")),
        ascent_m=_as_float(s.get("total_ascent")),
        has_gps=gps or s.get("start_position_lat") is not None,
        hr_t=hr_t,
        hr_bpm=hr_bpm,
        filled=filled,
        hr_zeros=zeros,
    )
    return row, collapsed, (start, end) if start is not None and end is not None else None


def _session_from_records(
    state: _State, segment: int, index: int, span: range, sport: dict[str, Any] | None
) -> SessionData:
    """One session spanning the records ``span`` of ``segment`` (from the first one,
    ignoring records that jump more than two days away: damaged timestamps), its sport
    from ``sport`` (a sport message), else the segment's first lap's."""
    times = state.rec_t
    start = times[span.start]
    end = max((times[i] for i in span if start <= times[i] <= start + MAX_SESSION_S),
              default=start)  # fmt: skip
    elapsed = float(end - start)
    activity = state.seg_activity.get(segment, {}) if span == state.records(segment) else {}
    timer = _as_float(activity.get("total_timer_time"))
    name, sub = (sport or {}).get("sport"), (sport or {}).get("sub_sport")
    if name is None and sport is None and segment in state.lap_sport:
        name, sub = state.lap_sport[segment]
    fake = {
        "start_time": start,
        "timestamp": end,
        "total_elapsed_time": elapsed,
        "total_timer_time": timer if timer is not None and 0 < timer <= elapsed else elapsed,
        "sport": name,
        "sub_sport": sub,
    }
    row, _, _ = _session_row(state, index, fake, segment)
    row.from_records = True
    row.filled = []  # everything of it is from the records (said once, in its warning)
    return row


def _segment_sessions(state: _State, result: FitResult) -> list[SessionData]:
    """The sessions of every segment: one per session message, over the records of its
    own segment; and, for a segment with records but no session message (a file cut
    short before its end), one built from those records, unless they lie inside a
    session's time or the file's own counts leave no room for another session."""
    rows, windows = _message_sessions(state, result)
    for segment in range(len(state.seg_first)):
        if (orphans := _orphans(state, segment, windows, result)) is not None:
            rows.append(_orphan_session(state, result, segment, orphans, rows))
    return rows


def _message_sessions(
    state: _State, result: FitResult
) -> tuple[list[SessionData], list[tuple[int, int, int]]]:
    """One row per session message, and the (segment, start, end) of each one's samples;
    what their end times and Connect IQ fields did is said on ``result``."""
    rows: list[SessionData] = []
    collapsed: dict[str, list[int]] = {"elapsed": [], "guess": []}
    windows: list[tuple[int, int, int]] = []  # (segment, start, end) of each session
    for i, s in enumerate(state.sessions):
        segment = state.session_seg[i]
        nxt = next((state.sessions[j].get("start_time") for j in range(i + 1, len(state.sessions))
                    if state.session_seg[j] == segment), None)  # fmt: skip
        limit = nxt if isinstance(nxt, int) and nxt >= MIN_ABS_TIME else None
        row, bad_end, window = _session_row(state, len(rows), s, segment, limit)
        rows.append(row)
        if bad_end:
            collapsed[bad_end].append(row.index)
        if window is not None:
            windows.append((segment, *window))
        for stand_in in state.session_standins[i]:
            note = standins.session_note(row.index, stand_in)
            result.problem("warning", note, code="fit.developer_standin")
    if ended := collapsed["elapsed"]:  # as the file means: nothing the runner sees changes
        result.problem(
            "info",
            f"{_indexes(ended)}: end time not after the start time (a summary written"
            " first?); heart rate and GPS are the records of the elapsed time",
            code="fit.end_before_start",
        )
    if guessed := collapsed["guess"]:
        result.problem(
            "warning",
            f"{_indexes(guessed)}: the watch wrote neither an end time after the start nor an"
            " elapsed time, so heart rate and GPS are the records up to the next session or"
            " the end of the file; the load may count time after the activity ended",
            code="fit.end_unknown",
        )
    return rows, windows


def _orphan_session(
    state: _State,
    result: FitResult,
    segment: int,
    orphans: tuple[range, dict[str, Any] | None, bool],
    rows: list[SessionData],
) -> SessionData:
    """The session built from records no session message covers (``_orphans``), and the
    warning that says so (and whether it is counted as a run)."""
    span, sport, tail = orphans
    row = _session_from_records(state, segment, len(rows), span, sport)
    where = "" if len(state.seg_first) == 1 else f" (segment at byte {state.seg_offset[segment]})"
    if tail:
        where += f" for the records after session {rows[-1].index}"
    if row.sport is not None:
        code = "fit.no_session"
        message = f"no session message{where}: built the session from its records"
    else:
        if result.kind != "activity":
            run, shown = False, "no file_id says it is an activity"
        else:
            bike = state.bike_sensor or (result.device is not None
                                         and " Edge " in f" {result.device} ")  # fmt: skip
            run, shown = run_evidence(state.rec_t, state.rec_dist, state.rec_cad, span, bike)
        code = "fit.run_from_records" if run else "fit.no_sport"
        if run:
            row.sport = "running"
            message = (
                f"no sport or session message{where} (file cut short?); treated as a run"
                f" from its records ({shown})"
            )
        else:
            message = (
                f"no sport or session message{where} (file cut short?): built the session"
                f" from its records, not counted as a run ({shown})"
            )
    result.problem("warning", message, code=code)
    return row


def _no_room(state: _State, segment: int, sessions: int, after: int) -> str | None:
    """Why the file's own counts leave no room for another session after its ``sessions``
    sessions of ``segment`` (the last ending at ``after``), or None when they do: its
    activity message counts them (``num_sessions``); without that count, a lap that starts
    after the last session is one of a session not written. A segment without an activity
    message (written last) was cut short: room."""
    if (activity := state.seg_activity.get(segment)) is None:
        return None
    if count := _int(activity.get("num_sessions")):
        return None if count > sessions else f"the file counts {count} session{'s' * (count > 1)}"
    laps_after = any(t > after for t in state.lap_starts.get(segment, []))
    return None if laps_after else "no lap starts after it"


def _orphans(
    state: _State, segment: int, windows: list[tuple[int, int, int]], result: FitResult
) -> tuple[range, dict[str, Any] | None, bool] | None:
    """The records of ``segment`` that no session message covers, to build a session of:
    all of them in a segment without one (unless they lie inside another segment's
    session), else those after its last session's end (a file cut short in its next
    session) when the file's counts leave room for another session (else they are left
    out, with a note on ``result``). With the sport message that is theirs (None: none),
    and whether they follow a session."""
    span = state.records(segment)
    if not span:
        return None
    times = state.rec_t
    sports = state.sport.get(segment, [])
    mine = [(a, b) for seg, a, b in windows if seg == segment]
    if not mine:
        if any(a <= times[i] <= b for _, a, b in windows for i in (span.start, span[-1])):
            return None  # its records are a session's of another segment
        return span, sports[0] if sports else None, False
    last_end = max(b for _, b in mine)
    # (not records that jump years away: damaged timestamps)
    tail = [i for i in span if last_end + TAIL_SLACK_S < times[i] <= last_end + MAX_SESSION_S]
    if len(tail) < MIN_TAIL_RECORDS or times[tail[-1]] - times[tail[0]] < TAIL_SLACK_S:
        return None
    first = tail[0]
    if any(a <= times[first] <= b for _, a, b in windows):
        return None
    if (why := _no_room(state, segment, len(mine), last_end)) is not None:
        after = [times[i] for i in span if times[i] > last_end]
        last = max(i for i, seg in enumerate(state.session_seg) if seg == segment)
        result.problem(
            "info",
            f"{len(after):,} records after the end of session {last}"
            f" ({_span_text(max(after) - min(after))} of them) are in no session and {why}:"
            " left out",
            code="fit.records_after_sessions",
        )
        return None
    # a sport message beyond the sessions' is the cut session's (multisport files write
    # one before each leg)
    sport = sports[len(mine)] if len(sports) > len(mine) else None
    return range(first, span.stop), sport, True


def _span_text(seconds: int) -> str:
    """``19 h 12 min``, ``14 min``, ``40 s``."""
    hours, minutes = divmod(round(seconds / 60), 60)
    text = f"{hours} h {minutes} min" if hours else f"{minutes} min"
    return f"{seconds} s" if seconds < 60 else text


def _indexes(indexes: list[int]) -> str:
    if len(indexes) == 1:
        return f"session {indexes[0]}"
    return "sessions " + ", ".join(map(str, indexes[:-1])) + f" and {indexes[-1]}"


def _finish(state: _State, result: FitResult, damaged: bool) -> None:
    kind = state.file_id.values.get("type") if state.file_id is not None else None
    result.kind = _name(kind)
    from runload.fit.devices import recording_device

    result.device = recording_device(state.file_id, state.creator)
    result.utc_offset_s = _utc_offset(state.activity)
    result.facts = list(dict.fromkeys(state.facts))
    times = state.rec_t
    state.seg_sorted = [
        all(times[i] <= times[i + 1] for i in range(span.start, span.stop - 1))
        for span in map(state.records, range(len(state.seg_first)))
    ]
    if kind is not None and kind != "activity":
        if not str(kind).startswith("monitoring"):  # sitting data: ingest lists those
            message = f"not an activity file ({kind}): skipped"
            result.problem("warning", message, code="fit.not_activity")
        return
    for severity, note in standins.record_notes(state.record_standins):
        result.problem(severity, note, code="fit.developer_standin")
    if state.sessions or state.rec_t:
        result.sessions = _segment_sessions(state, result)
    elif not damaged:
        result.problem(
            "warning", "no activity data in this file (no session or records)", code="fit.no_data"
        )
    else:
        result.problem(
            "error", "no activity could be read before the damage", code="fit.nothing_read"
        )
    for session in result.sessions:
        if session.start_unix is None:
            result.problem(
                "warning",
                f"session {session.index} has no usable start time (watch clock not set?):"
                " kept, but it falls on no day",
                code="fit.no_start",
            )


def read_fit(data: bytes, path: str) -> FitResult:
    """Decode one activity FIT file. Never raises on bad data: problems are in
    ``.problems``."""
    result = FitResult(path=path)
    try:
        layout = check_layout(data)
    except LayoutError as exc:
        result.problem("error", exc.message, code=exc.code)
        return result
    decoded = decode(layout, FULL, HANDLERS, _State)
    result.decoder, result.note = decoded.decoder, decoded.note
    result.problems = damage_problems(path, layout, decoded.damage)
    _finish(decoded.state, result, decoded.damage is not None)
    return result
