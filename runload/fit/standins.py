"""Connect IQ developer fields that stand for native ones.

A developer field whose description declares the native field it stands for
(``native_field_num``: a swim app's ``total_distance`` for session field 9, its
``distance`` for record field 5) gives that field's value where the native one is absent
or 0, as Runalyze reads them (Runalyze's ``swim-pool-via-iq.fit``: 1,250 m where the
watch wrote 0). Never where the native field has a value of its own, never by its name
alone, and only in the units runload reads the native field in; every value taken, and
every one refused for its units, is said. ``messages.project`` carries the fields
(``messages.dev_key``); this module decides and words the notes.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

from runload.errors import Severity
from runload.fit.messages import DEV_NATIVE, RECORD, dev_key

UNITS = {name: units for table in DEV_NATIVE.values() for name, units in table.values()}
_SAME_UNITS = {
    "m": {"m", "meter", "meters", "metre", "metres"},
    "s": {"s", "sec", "secs", "second", "seconds"},
    "bpm": {"bpm"},
    "rpm": {"rpm"},
}
LABELS = {
    "total_distance": "distance",
    "distance": "distance",
    "total_elapsed_time": "elapsed time",
    "total_timer_time": "moving time",
    "avg_heart_rate": "average heart rate",
    "max_heart_rate": "max heart rate",
    "heart_rate": "heart rate",
    "total_ascent": "ascent",
    "cadence": "cadence",
}
RECORD_KEYS = frozenset(dev_key(name) for name, _ in DEV_NATIVE[RECORD].values())


@dataclass(frozen=True)
class StandIn:
    """A developer field standing for ``native`` where the native value (``own``) is absent
    or 0; ``value`` None: not used, its ``units`` are not the native field's."""

    native: str
    value: float | None
    own: Any
    field: str  # the developer field's own name
    units: str | None


def stand_in(values: dict[str, Any], native: str) -> StandIn | None:
    """The developer field in ``values`` that stands for ``native`` when the native value is
    absent or 0 and the field would change it; None otherwise."""
    dev = values.get(dev_key(native))
    if dev is None:
        return None
    own = values.get(native)
    if own is not None and (not isinstance(own, int | float) or own != 0):
        return None  # the native field has a value of its own
    value, units, name = dev
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not math.isfinite(value) or value < 0 or (own is not None and value == 0):
        return None
    text = None if units is None else str(units)
    same = (text or "").strip().lower() in _SAME_UNITS[UNITS[native]]
    return StandIn(native, float(value) if same else None, own, str(name), text)


def session_values(values: dict[str, Any]) -> tuple[dict[str, Any], list[StandIn]]:
    """A session message's values with the native fields its developer fields stand for
    filled in, and each stand-in found (used or not)."""
    found = [s for name, _ in DEV_NATIVE["session"].values() if (s := stand_in(values, name))]
    if not found:
        return values, []
    values = dict(values)
    for s in found:
        if s.value is not None:
            values[s.native] = s.value
    return values, found


def _refused(s: StandIn, whose: str) -> str:
    return (
        f'the Connect IQ field "{s.field}" stands for {whose} {LABELS[s.native]} but in'
        f' "{s.units}", not "{UNITS[s.native]}": not used'
    )


def session_note(index: int, s: StandIn) -> str:
    """What a session's stand-in did, in words."""
    if s.value is None:
        return f"session {index}: {_refused(s, 'its')}"
    own = "none" if s.own is None else f"{s.own:g}"
    return (
        f"session {index}: {LABELS[s.native]} {s.value:g} {UNITS[s.native]} from the Connect IQ"
        f' field "{s.field}" that stands for it (the session message has {own})'
    )


def record_value(tally: Counter[tuple[str, str, str | None, bool]], values: dict[str, Any],
                 native: str, own: Any) -> Any:  # fmt: skip
    """A record's ``native`` value: its stand-in's when there is a usable one, else ``own``;
    counts each stand-in met in ``tally``."""
    s = stand_in(values, native)
    if s is None:
        return own
    tally[(s.native, s.field, s.units, s.value is not None)] += 1
    return own if s.value is None else s.value


def record_notes(
    tally: Counter[tuple[str, str, str | None, bool]],
) -> list[tuple[Severity, str]]:
    """What the records' stand-ins did, one (severity, line) per field: a heart rate taken
    or not is a warning (the load uses it); a distance or cadence is a note, as what the
    runner sees of it (a distance filled in, a run told from its records) says so itself
    (a Stryd pod's cadence in steps, a rower's in strokes a minute, is not the native
    strides a minute: not used, and no guess which it is)."""
    out: list[tuple[Severity, str]] = []
    for (native, field, units, used), n in tally.items():
        severity: Severity = "warning" if native == "heart_rate" else "info"
        if used:
            text = (
                f'records: {LABELS[native]} from the Connect IQ field "{field}" that stands'
                f" for it where the record has none or 0 ({n:,} records)"
            )
        else:
            s = StandIn(native, None, None, field, units)
            text = f"records: {_refused(s, 'their')} ({n:,} records)"
        out.append((severity, text))
    return out
