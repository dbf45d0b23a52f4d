"""One monitoring (wellness) FIT file's bytes → its activity states, in FIT seconds.

A Garmin ``monitoring_b`` file logs, among much else, when the wearer's activity type
changes (sedentary, walking, running...). ``read_monitoring`` returns each change
(``times``, ``types``), the file's local-time offset and its last timestamp; turning
them into daily sitting hours is the sitting sources' job. ``timestamp_16`` is
resolved against the last full timestamp of any message with the usual rollover rule;
the local offset is ``monitoring_info.local_timestamp - monitoring_info.timestamp``.
The same byte-level checks and damage policy as for activity files apply
(``layout``, ``decoder``): a file that breaks part way keeps what came before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from runload.errors import Problem
from runload.fit.decoder import Handle, damage_problems, decode
from runload.fit.layout import LayoutError, check_layout
from runload.fit.messages import MONITORING_FULL, Message

_ACTIVITY_TYPES = {
    "generic": 0,
    "running": 1,
    "cycling": 2,
    "transition": 3,
    "fitness_equipment": 4,
    "swimming": 5,
    "walking": 6,
    "sedentary": 8,
}


@dataclass
class MonitoringRecords:
    """The activity states of one monitoring file."""

    path: str
    times: list[int] = field(default_factory=list)  # FIT seconds (UTC) a state began
    types: list[int] = field(default_factory=list)  # FIT activity_type of that state
    offset_s: int | None = None  # local time − UTC, from monitoring_info
    last_s: int = 0  # FIT seconds of the file's last monitoring message
    problems: list[Problem] = field(default_factory=list)


class _State:
    def __init__(self) -> None:
        self.last: int | None = None  # the latest full timestamp (any message)
        self.offset: int | None = None
        self.times: list[int] = []
        self.types: list[int] = []
        self.latest = 0


def state_of(values: dict[str, Any]) -> int | None:
    """The activity type a monitoring message switches to, or None if it is not a state
    change (heart-rate samples, the per-type daily totals with ``duration_min``)."""
    cati = values.get("current_activity_type_intensity")
    if isinstance(cati, tuple | list):
        cati = cati[0] if cati else None
    if isinstance(cati, int):
        return cati & 0x1F
    kind = values.get("activity_type")
    if kind is None or any(k in values for k in ("duration_min", "active_time", "steps")):
        return None
    return kind if isinstance(kind, int) else _ACTIVITY_TYPES.get(str(kind))


def _on_any(state: _State, message: Message) -> None:
    ts = message.values.get("timestamp")
    ts16 = message.values.get("timestamp_16")
    if isinstance(ts, int):
        state.last = ts
    elif isinstance(ts16, int) and state.last is not None:
        state.last += (ts16 - state.last) & 0xFFFF


def _on_monitoring_info(state: _State, message: Message) -> None:
    _on_any(state, message)
    local, ts = message.values.get("local_timestamp"), message.values.get("timestamp")
    if isinstance(local, int) and isinstance(ts, int):
        state.offset = local - ts


def _on_monitoring(state: _State, message: Message) -> None:
    _on_any(state, message)
    if state.last is None:
        return
    state.latest = max(state.latest, state.last)  # device_info etc. carry the later sync
    kind = state_of(message.values)
    if kind is not None:
        state.times.append(state.last)
        state.types.append(kind)


HANDLERS: dict[str, Handle[_State]] = {
    "monitoring_info": _on_monitoring_info,
    "monitoring": _on_monitoring,
    "*": _on_any,
}
FULL = MONITORING_FULL  # named in ``messages`` for the canary


def read_monitoring(data: bytes, path: str) -> MonitoringRecords:
    """The activity states of a monitoring FIT file. Never raises on bad data."""
    out = MonitoringRecords(path)
    try:
        layout = check_layout(data)
    except LayoutError as exc:
        out.problems.append(exc.problem(path=path))
        return out
    decoded = decode(layout, FULL, HANDLERS, _State)
    state = decoded.state
    out.problems = damage_problems(path, layout, decoded.damage)
    out.times, out.types, out.offset_s, out.last_s = (
        state.times,
        state.types,
        state.offset,
        state.latest,
    )
    if decoded.damage is not None and not state.times:
        out.problems.append(
            Problem(
                path,
                "error",
                "no activity state could be read before the damage",
                code="fit.nothing_read",
            )
        )
    if state.offset is None and state.times:
        out.problems.append(
            Problem(
                path,
                "warning",
                "has no monitoring_info local time; read its times as UTC",
                code="monitoring.no_local_time",
            )
        )
    return out
