"""One activity FIT file's bytes → session rows, HR samples, athlete facts, problems.

The message handlers (``HANDLERS``, one small function per message type) collect what
runload keeps into a ``_State``; ``read_fit`` then builds one ``SessionData`` per
session message (or one from the records of a file without any). Decoding, the
byte-level repairs and the damage policy are ``decoder``'s and ``layout``'s.

Nothing here raises on bad input: every failure becomes a ``Problem``. The result is
plain Python data (picklable, no fitparse objects), so worker processes can return it
cheaply and the cache can store it.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from runload.errors import Problem, Severity
from runload.fit.decoder import PUBLIC, Handle, damage_problems, decode
from runload.fit.layout import LayoutError, check_layout
from runload.fit.messages import Message

# Bump when the meaning of a parsed result changes: it is part of the cache key.
PARSER_VERSION = "4"

FIT_EPOCH_UNIX = 631065600  # 1989-12-31T00:00:00Z as Unix seconds
MIN_ABS_TIME = 0x10000000  # FIT date_time values below this are relative, not wall time
MAX_OFFSET_S = 14 * 3600
MAX_SESSION_S = 48 * 3600


@dataclass
class SessionData:
    """One session (or the session built from the records of a file without one)."""

    index: int
    sport: str | None
    sub_sport: str | None
    start_unix: int | None  # UTC, Unix seconds
    moving_s: float | None
    elapsed_s: float | None
    distance_m: float | None
    avg_hr: float | None
    max_hr: float | None
    ascent_m: float | None
    has_gps: bool
    hr_t: list[float] = field(default_factory=list)  # seconds from start
    hr_bpm: list[float] = field(default_factory=list)
    from_records: bool = False


@dataclass
class FitResult:
    """Everything runload keeps from one FIT file."""

    path: str
    kind: str | None = None  # file_id.type: "activity", "monitoring_b", "settings", ...
    sessions: list[SessionData] = field(default_factory=list)
    utc_offset_s: int | None = None  # from the activity message, when plausible
    device: str | None = None
    facts: list[tuple[str, str | float]] = field(default_factory=list)  # (name, value)
    problems: list[Problem] = field(default_factory=list)
    decoder: str = PUBLIC  # which decoder read the file: "fast" or "public"
    note: str | None = None  # why this process did not use the fast decoder

    def problem(self, severity: Severity, message: str, offset: int | None = None) -> None:
        self.problems.append(Problem(self.path, severity, message, offset=offset))


# --------------------------------------------------------------- message handlers


class _State:
    """Mutable scratch space while walking one file's messages."""

    def __init__(self) -> None:
        self.sessions: list[dict[str, Any]] = []
        self.rec_t: list[int] = []
        self.rec_hr: list[int | None] = []
        self.rec_pos: list[bool] = []
        self.rec_dist: list[float | None] = []
        self.activity: dict[str, Any] = {}
        self.sport: dict[str, Any] = {}
        self.file_id: Message | None = None
        self.creator: Message | None = None  # device_info of the recording device
        self.facts: list[tuple[str, str | float]] = []
        self.rec_sorted = True


def _on_file_id(state: _State, message: Message) -> None:
    if state.file_id is None:
        state.file_id = message


def _on_device_info(state: _State, message: Message) -> None:
    values = message.values
    if (
        state.creator is None
        and values.get("device_index") in (0, "creator")
        and values.get("manufacturer") is not None
    ):
        state.creator = message


def _on_session(state: _State, message: Message) -> None:
    state.sessions.append(message.values)


def _on_record(state: _State, message: Message) -> None:
    values = message.values
    t = values.get("timestamp")
    if isinstance(t, int) and t >= MIN_ABS_TIME:
        hr, dist = values.get("heart_rate"), values.get("distance")
        state.rec_t.append(t)
        state.rec_hr.append(hr if isinstance(hr, int | float) else None)
        state.rec_pos.append(values.get("position_lat") is not None)
        state.rec_dist.append(dist if isinstance(dist, int | float) else None)


def _on_activity(state: _State, message: Message) -> None:
    if not state.activity:
        state.activity = message.values


def _on_sport(state: _State, message: Message) -> None:
    if not state.sport:
        state.sport = message.values


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
    "file_id": _on_file_id,
    "device_info": _on_device_info,
    "session": _on_session,
    "record": _on_record,
    "activity": _on_activity,
    "sport": _on_sport,
    "user_profile": _on_user_profile,
    "zones_target": _on_zones_target,
}
# Read in full: every handled message but the records (only four of their fields count).
FULL = frozenset(HANDLERS) - {"record"}


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


def _device_name(state: _State) -> str | None:
    """The recording device, named from the current FIT SDK profile (``profile``):
    the file_id's maker and product, else the creator device_info's."""
    from runload.fit.devices import device_name

    source = state.file_id
    if state.creator is not None and (source is None or source.raw.get("manufacturer") is None):
        source = state.creator
    if source is None:
        return None
    raw = source.raw
    # "product", or the maker's subfield: "garmin_product", "strava_product" (as named
    # by the fitparse build's profile; the number is the same)
    product = next((v for k, v in raw.items() if k == "product" or k.endswith("_product")), None)
    product_name = source.values.get("product_name")
    return device_name(
        _int(raw.get("manufacturer")),
        _int(product),
        product_name if isinstance(product_name, str) and product_name.strip() else None,
    )


def _utc_offset(activity: dict[str, Any]) -> int | None:
    local, utc = activity.get("local_timestamp"), activity.get("timestamp")
    if not (isinstance(local, int) and isinstance(utc, int)) or utc < MIN_ABS_TIME:
        return None
    offset = local - utc
    if abs(offset) > MAX_OFFSET_S:
        return None
    return round(offset / 900) * 900


def _samples(
    state: _State, start: int, end: int
) -> tuple[list[float], list[float], bool, list[float]]:
    times = state.rec_t
    if state.rec_sorted:
        lo, hi = bisect.bisect_left(times, start), bisect.bisect_right(times, end)
        idx: Iterable[int] = range(lo, hi)
    else:  # clock jumps in the records: scan them all
        idx = [i for i, t in enumerate(times) if start <= t <= end]
    hr_t: list[float] = []
    hr_bpm: list[float] = []
    gps = False
    dist: list[float] = []
    for i in idx:
        hr = state.rec_hr[i]
        if hr is not None and hr > 0:
            hr_t.append(float(state.rec_t[i] - start))
            hr_bpm.append(float(hr))
        gps = gps or state.rec_pos[i]
        d = state.rec_dist[i]
        if d is not None:
            dist.append(d)
    return hr_t, hr_bpm, gps, dist


def _session_row(state: _State, index: int, s: dict[str, Any]) -> SessionData:
    end = s.get("timestamp") if isinstance(s.get("timestamp"), int) else None
    start = s.get("start_time")
    elapsed = _as_float(s.get("total_elapsed_time"))
    if not (isinstance(start, int) and start >= MIN_ABS_TIME):
        start = state.rec_t[0] if state.rec_t else None
    if start is not None and (end is None or end < start):
        end = start + int(elapsed) if elapsed is not None else (state.rec_t or [start])[-1]
    if start is not None and end is not None:
        hr_t, hr_bpm, gps, dist = _samples(state, start, end)
    else:
        hr_t, hr_bpm, gps, dist = [], [], False, []
    distance = _as_float(s.get("total_distance"))
    if distance is None and dist:
        distance = max(dist) - min(dist)
    avg_hr = _as_float(s.get("avg_heart_rate"))
    max_hr = _as_float(s.get("max_heart_rate"))
    if avg_hr is None and hr_bpm:
        avg_hr = sum(hr_bpm) / len(hr_bpm)
    if max_hr is None and hr_bpm:
        max_hr = max(hr_bpm)
    return SessionData(
        index=index,
        sport=_name(s.get("sport")),
        sub_sport=_name(s.get("sub_sport")),
        start_unix=_unix(start),
        moving_s=_as_float(s.get("total_timer_time")),
        elapsed_s=elapsed,
        distance_m=distance,
        avg_hr=avg_hr,
        max_hr=max_hr,
        ascent_m=_as_float(s.get("total_ascent")),
        has_gps=gps or s.get("start_position_lat") is not None,
        hr_t=hr_t,
        hr_bpm=hr_bpm,
    )


def _session_from_records(state: _State) -> SessionData:
    """One session spanning the records (from the first one, ignoring records that jump
    more than two days away: damaged timestamps)."""
    start = state.rec_t[0]
    end = max((t for t in state.rec_t if start <= t <= start + MAX_SESSION_S), default=start)
    elapsed = float(end - start)
    timer = _as_float(state.activity.get("total_timer_time"))
    fake = {
        "start_time": start,
        "timestamp": end,
        "total_elapsed_time": elapsed,
        "total_timer_time": timer if timer is not None and 0 < timer <= elapsed else elapsed,
        "sport": state.sport.get("sport"),
        "sub_sport": state.sport.get("sub_sport"),
    }
    row = _session_row(state, 0, fake)
    row.from_records = True
    return row


def _finish(state: _State, result: FitResult, damaged: bool) -> None:
    kind = state.file_id.values.get("type") if state.file_id is not None else None
    result.kind = _name(kind)
    result.device = _device_name(state)
    result.utc_offset_s = _utc_offset(state.activity)
    result.facts = list(dict.fromkeys(state.facts))
    state.rec_sorted = all(a <= b for a, b in itertools.pairwise(state.rec_t))
    if kind is not None and kind != "activity":
        if not str(kind).startswith("monitoring"):  # sitting data: ingest lists those
            result.problem("warning", f"not an activity file ({kind}): skipped")
        return
    if state.sessions:
        result.sessions = [_session_row(state, i, s) for i, s in enumerate(state.sessions)]
    elif state.rec_t:
        result.sessions = [_session_from_records(state)]
        result.problem("warning", "no session message: built the session from its records")
    elif not damaged:
        result.problem("warning", "no activity data in this file (no session or records)")
    else:
        result.problem("error", "no activity could be read before the damage")
    for session in result.sessions:
        if session.start_unix is None:
            result.problem(
                "warning",
                f"session {session.index} has no usable start time (watch clock not set?):"
                " kept, but it falls on no day",
            )


def read_fit(data: bytes, path: str) -> FitResult:
    """Decode one activity FIT file. Never raises on bad data: problems are in
    ``.problems``."""
    result = FitResult(path=path)
    try:
        layout = check_layout(data)
    except LayoutError as exc:
        result.problem("error", str(exc))
        return result
    decoded = decode(layout, FULL, HANDLERS, _State)
    result.decoder, result.note = decoded.decoder, decoded.note
    result.problems = damage_problems(path, layout, decoded.damage)
    _finish(decoded.state, result, decoded.damage is not None)
    return result
