"""The one shape in which decoded FIT messages reach runload's handlers.

Both decoders (``fast`` and ``public``) yield ``Message`` tuples holding exactly what
the handlers read, so the two can be compared message by message (the canary check
in ``decoder``) and a handler never depends on which one ran:

* a message the handlers want in full (``full``): every native field, its value as
  fitparse renders it without a data processor (FIT seconds, scaled numbers, enum
  names) and its raw number;
* a ``record`` otherwise: its timestamp, heart rate, latitude, distance and cadence;
* any other message: its timestamp only (monitoring files resolve ``timestamp_16``
  against the last full timestamp of any message).

Developer fields appear only when their field description declares the native field
they stand for (``native_field_num``) and that field is one runload reads
(``DEV_NATIVE``): as ``dev_key(name)`` → ``(value, units, the field's own name)``; the
handlers decide whether to use it (only where the native value is absent or 0). A
Connect IQ field merely *named* like a native one (``distance``, ``total_distance``)
never replaces it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

RECORD = "record"
RECORD_FIELDS = frozenset(("timestamp", "heart_rate", "position_lat", "distance", "cadence"))
# Not a FIT message: the decoder's word that a chained FIT segment starts here
# (``values``: its ``index`` and byte ``offset``); fitparse names no message so.
SEGMENT = "<segment>"
# Not a FIT message either: a run of consecutive ``record`` messages of one definition,
# read in bulk by the fast decoder (``values``: each field's column, one value per record,
# as the single records would carry them). Only a reader whose handlers take it (a
# ``RECORDS`` handler) and asks for it (``RECORDS`` among the names read ``full``) gets
# blocks; ``expand`` turns one back into its records (the canary compares those).
RECORDS = "<records>"
TIMESTAMP_ONLY = frozenset(("timestamp",))
# The messages each kind of file reads in full (every field's value; any other is read for
# its name and the few fields its handler asks for): the activity reader's handled messages
# but the single records, and the monitoring reader's. The canary check compares the
# decoders on their union, so it is named here, below the readers and the decoder.
ACTIVITY_FULL = frozenset(
    ("file_id", "device_info", "session", RECORDS, "activity", "sport", "lap", "user_profile",
     "zones_target")
)  # fmt: skip
MONITORING_FULL = frozenset(("monitoring_info", "monitoring"))
# The native fields a developer field may stand for (by ``native_field_num``), per message:
# their name and the units runload reads them in.
DEV_NATIVE: dict[str, dict[int, tuple[str, str]]] = {
    "session": {
        7: ("total_elapsed_time", "s"),
        8: ("total_timer_time", "s"),
        9: ("total_distance", "m"),
        16: ("avg_heart_rate", "bpm"),
        17: ("max_heart_rate", "bpm"),
        22: ("total_ascent", "m"),
    },
    RECORD: {3: ("heart_rate", "bpm"), 4: ("cadence", "rpm"), 5: ("distance", "m")},
}


def bad_field_size(def_mesg: Any) -> str | None:
    """Why the data messages of a fitparse definition (``DefinitionMessage``) cannot be read
    as it says, or None: a field of size 0 (fitparse 1.2 raises reading it, newer builds
    may not), or a developer field whose size is not a whole number of its base type's
    (fitparse reads the whole values and then the rest of the field as the next message,
    out of step with the file; a native field like that is refused at its definition).
    Both decoders stop there: the file is damaged at that data message."""
    for fd in (*def_mesg.field_defs, *def_mesg.dev_field_defs):
        size = getattr(getattr(fd, "base_type", None), "size", None) or 1
        if fd.size == 0 or fd.size % size:
            return f"field {fd.def_num} of {fd.size} bytes (base type of {size})"
    return None


def dev_key(native: str) -> str:
    """Where a message's values carry the developer field that stands for ``native``."""
    return f"dev:{native}"


def dev_native(message_name: str, field: Any) -> str | None:
    """The native field (of ``DEV_NATIVE``) that the developer field ``field`` (fitparse's
    ``DevField``) stands for, or None."""
    num = getattr(field, "native_field_num", None)
    native = DEV_NATIVE.get(message_name, {}).get(num) if isinstance(num, int) else None
    return None if native is None else native[0]


class Message(NamedTuple):
    name: str
    values: dict[str, Any]
    raw: dict[str, Any]  # raw numbers; only for messages decoded in full


def expand(message: Message) -> list[Message]:
    """A ``RECORDS`` block as the ``record`` messages it holds (any other message: itself)."""
    if message.name != RECORDS:
        return [message]
    names = list(message.values)
    columns = [message.values[n] for n in names]
    return [
        Message(RECORD, dict(zip(names, row, strict=True)), {})
        for row in zip(*columns, strict=True)
    ]


def wanted_fields(name: str, full: frozenset[str]) -> frozenset[str] | None:
    """The field names a message of this name carries (None: all of them)."""
    if name in full:
        return None
    return RECORD_FIELDS if name == RECORD else TIMESTAMP_ONLY


def project(name: str, fields: Iterable[Any], full: frozenset[str]) -> Message:
    """A fitparse data message's fields (``FieldData``: ``name``, ``value``,
    ``raw_value``, ``field_def``) as a ``Message``."""
    wanted = wanted_fields(name, full)
    values: dict[str, Any] = {}
    raw: dict[str, Any] = {}
    for f in fields:
        if getattr(f.field_def, "dev_data_index", None) is not None:  # a developer field
            dev = getattr(f.field_def, "field", None)
            native = dev_native(name, dev)
            if native is not None and dev_key(native) not in values:
                values[dev_key(native)] = (f.value, getattr(dev, "units", None), f.name)
            continue
        field_name = f.name
        if wanted is None:
            values[field_name] = f.value
            raw[field_name] = f.raw_value
        elif field_name in wanted:
            values[field_name] = f.value
    return Message(name, values, raw)
